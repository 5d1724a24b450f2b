"""The staff pages of government information: who may open them, the lists, drafting and
editing through the forms, attachments, and the navigation item."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.core.models import AuditEvent
from gongkai.portal.navigation import nav_links
from gongkai.publishing import services
from gongkai.publishing.models import (
    Attachment,
    Disclosure,
    Document,
    Interpretation,
    InterpretationForm,
    LegalBasis,
    Status,
)

from .staff_support import document_data, document_url, errors, login
from .workflow_support import (
    People,
    advance,
    draft,
    genre,
    interpretation,
    make_orgs,
    make_people,
)

pytestmark = pytest.mark.django_db

LIST = reverse("publishing:staff-list")
CREATE = reverse("publishing:staff-create")
CREATE_INTERPRETATION = reverse("publishing:staff-create-interpretation")
OVERDUE = '<strong class="badge badge--overdue">已超期</strong>'
TABS = [
    LIST,
    reverse("publishing:staff-review"),
    reverse("publishing:staff-due"),
    reverse("publishing:staff-uninterpreted"),
    reverse("publishing:staff-leaders"),
]


@pytest.fixture
def orgs() -> dict:
    return make_orgs()


@pytest.fixture
def people(orgs: dict) -> People:
    return make_people(orgs)


@pytest.fixture
def document(people: People) -> Document:
    return draft(people.handler)


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


# ---- Who may open the pages --------------------------------------------------------------------


@pytest.mark.parametrize("url", [*TABS, CREATE, CREATE_INTERPRETATION])
def test_anonymous_visitors_are_sent_to_the_login_page(client: Client, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_document_pages_send_anonymous_visitors_to_the_login_page(
    client: Client, document: Document
) -> None:
    for url in (document_url(document), reverse("publishing:staff-edit", args=[document.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url", [*TABS, CREATE, CREATE_INTERPRETATION])
def test_public_users_and_staff_without_a_publishing_role_are_refused(
    client: Client, people: People, url: str
) -> None:
    citizen = get_user_model().objects.create_user(username="citizen", kind="public")

    assert login(client, citizen).get(url).status_code == 403
    assert login(client, people.dispatcher).get(url).status_code == 403


@pytest.mark.parametrize("url", TABS)
def test_handlers_reviewers_and_the_openness_office_open_the_lists(
    client: Client, people: People, url: str
) -> None:
    for user in (people.handler, people.reviewer, people.office):
        assert login(client, user).get(url).status_code == 200


def test_the_document_page_is_for_the_organisation_and_the_office_over_it(
    client: Client, people: People, document: Document
) -> None:
    url = document_url(document)

    for user in (people.handler, people.colleague, people.reviewer, people.office):
        assert login(client, user).get(url).status_code == 200
    for user in (people.outsider, people.district_office):
        assert login(client, user).get(url).status_code == 404
    assert login(client, people.dispatcher).get(url).status_code == 403
    missing = reverse("publishing:staff-document", args=[document.pk + 1])
    assert login(client, people.handler).get(missing).status_code == 404


def test_only_handlers_may_draft(client: Client, people: People) -> None:
    for url in (CREATE, CREATE_INTERPRETATION):
        assert login(client, people.reviewer).get(url).status_code == 403
        assert login(client, people.office).get(url).status_code == 403
        assert login(client, people.handler).get(url).status_code == 200

    assert "新建政府信息" in page(login(client, people.handler), LIST)
    assert "新建政府信息" not in page(login(client, people.reviewer), LIST)


def test_the_navigation_shows_the_staff_pages_to_publishing_roles_only(people: People) -> None:
    def labels(user) -> list[str]:
        return [str(link.label) for link in nav_links(user=user, path="/")]

    assert "政府信息管理" in labels(people.handler)
    assert "政府信息管理" in labels(people.office)
    assert "政府信息管理" not in labels(people.dispatcher)


# ---- The lists ---------------------------------------------------------------------------------


def test_the_list_shows_the_organisations_documents_with_their_deadline(
    client: Client, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda: date(2025, 10, 28))
    draft(people.handler, title="逾期未发布的通知", written_on=date(2025, 9, 15))
    draft(people.handler, title="远期的通知", written_on=date(2099, 9, 21))
    draft(people.outsider, title="财政局的通知")

    html = page(login(client, people.handler), LIST)

    assert "逾期未发布的通知" in html
    assert "110000-FGW/2025-00001" in html
    assert "北京市发展和改革委员会" in html
    assert "2025年10月17日" in html
    assert OVERDUE in html
    assert "（临时推算）" in html  # 2099 has no holiday notice
    assert "财政局的通知" not in html


def test_the_list_filters_by_status_and_pages(
    client: Client, people: People, document: Document
) -> None:
    advance(draft(people.handler, title="已提交的通知"), Status.SUBMITTED, people)
    for number in range(20):
        draft(people.handler, title=f"第{number}号草稿")
    login(client, people.handler)

    submitted = page(client, f"{LIST}?status=submitted")
    assert "已提交的通知" in submitted
    assert "第1号草稿" not in submitted
    assert "共 1 条" in submitted
    assert "第 1 页，共 2 页" in page(client, f"{LIST}?status=draft")
    assert "status=draft&amp;page=2" in page(client, f"{LIST}?status=draft")
    assert "共 22 条" in page(client, f"{LIST}?status=nonsense&page=x")


def test_awaiting_my_review_lists_what_the_reviewer_may_review(
    client: Client, people: People, document: Document
) -> None:
    advance(document, Status.SUBMITTED, people)
    in_review = advance(draft(people.handler, title="审核中的通知"), Status.IN_REVIEW, people)
    draft(people.handler, title="仍是草稿")
    url = reverse("publishing:staff-review")

    for user in (people.reviewer, people.office):
        html = page(login(client, user), url)
        assert document.title in html
        assert in_review.title in html
        assert "仍是草稿" not in html
    assert document.title not in page(login(client, people.handler), url)
    assert document.title not in page(login(client, people.outsider), url)


def test_the_due_page_splits_overdue_and_due_soon(
    client: Client, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda: date(2025, 10, 28))
    draft(people.handler, title="逾期的通知", written_on=date(2025, 9, 15))
    draft(people.handler, title="即将到期的通知", written_on=date(2025, 9, 26))
    draft(people.handler, title="尚早的通知", written_on=date(2025, 10, 15))

    html = page(login(client, people.handler), reverse("publishing:staff-due"))
    overdue, due_soon = html.split('id="due-soon-title"')

    assert "逾期的通知" in overdue
    assert "即将到期的通知" in due_soon
    assert "尚早的通知" not in html


def test_policies_lacking_an_interpretation_are_listed(client: Client, people: People) -> None:
    normative = genre("规范性文件")
    lacking = draft(people.handler, title="缺少解读的办法", genre=normative)
    interpreted = draft(people.handler, title="已有解读的办法", genre=normative)
    interpretation(people.handler, interpreted)
    exempt = draft(people.handler, title="免于解读的办法", genre=normative)
    exempt.interpretation_exempt_reason = "内部管理事项"
    exempt.save()
    draft(people.handler, title="普通通知")

    html = page(login(client, people.reviewer), reverse("publishing:staff-uninterpreted"))

    assert lacking.title in html
    for title in ("已有解读的办法", "免于解读的办法", "普通通知"):
        assert title not in html


def test_leader_interpretations_are_counted_per_leader_and_year(
    client: Client, people: People
) -> None:
    for number in range(2):
        policy = advance(draft(people.handler, title=f"政策{number}"), Status.PUBLISHED, people)
        interpreted = interpretation(
            people.handler, policy, form=InterpretationForm.LEADER, leader_name="张明"
        ).document
        advance(interpreted, Status.PUBLISHED, people)
    unpublished = advance(draft(people.handler, title="未发布的政策"), Status.PUBLISHED, people)
    interpretation(people.handler, unpublished, form=InterpretationForm.LEADER, leader_name="李强")

    html = page(login(client, people.office), reverse("publishing:staff-leaders"))
    year = timezone.localdate().year

    assert f'<td class="nowrap">{year}</td>' in html
    assert "张明" in html
    assert "2 件" in html
    assert "李强" not in html
    assert "张明" not in page(login(client, people.outsider), reverse("publishing:staff-leaders"))


# ---- Drafting through the form -------------------------------------------------------------


def test_a_handler_drafts_a_document(client: Client, people: People) -> None:
    data = document_data(
        people.handler,
        doc_no="京发改发[2025] 第007号",
        body='<p onclick="x()">正文</p><script>alert(1)</script>',
    )

    response = login(client, people.handler).post(CREATE, data)

    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == document_url(document)
    assert (document.status, document.organisation, document.created_by) == (
        Status.DRAFT,
        people.handler.organisation,
        people.handler,
    )
    assert document.doc_no == "京发改发〔2025〕7号"
    assert document.body == "<p>正文</p>"
    assert document.formed_on == document.written_on
    assert "已保存草稿，索引号 110000-FGW/2025-00001。" in page(client, document_url(document))


def test_a_bad_document_number_is_refused_on_its_field(client: Client, people: People) -> None:
    response = login(client, people.handler).post(
        CREATE, document_data(people.handler, doc_no="京发改发2025年7号")
    )

    assert response.status_code == 400
    assert errors(response)["doc_no"] == [
        "发文字号“京发改发2025年7号”格式不正确，应为“机关代字〔年份〕序号号”，"
        "例如：京政办发〔2018〕16号。"
    ]
    assert not Document.objects.exists()
    assert not AuditEvent.objects.filter(action="publishing.document.create").exists()


def test_an_attribute_other_than_proactive_needs_a_legal_basis_and_a_reason(
    client: Client, people: People
) -> None:
    login(client, people.handler)
    withheld = Disclosure.WITHHELD

    response = client.post(CREATE, document_data(people.handler, disclosure=withheld))
    assert response.status_code == 400
    assert errors(response)["legal_basis"] == [
        "公开属性为“不予公开”的政府信息须选择依据（政府信息公开条例的条款）。"
    ]

    basis = LegalBasis.objects.filter(attribute=withheld).first()
    assert basis is not None
    response = client.post(
        CREATE, document_data(people.handler, disclosure=withheld, legal_basis=basis.pk)
    )
    assert response.status_code == 400
    assert errors(response)["disclosure_reason"] == ["公开属性为“不予公开”的政府信息须填写理由。"]
    assert not Document.objects.exists()

    response = client.post(
        CREATE,
        document_data(
            people.handler, disclosure=withheld, legal_basis=basis.pk, disclosure_reason="涉密"
        ),
    )
    assert response.status_code == 302
    assert Document.objects.get().legal_basis == basis


def test_the_form_offers_the_legal_bases_and_topics_grouped(client: Client, people: People) -> None:
    html = page(login(client, people.handler), CREATE)

    assert '<optgroup label="依申请公开">' in html
    assert '<optgroup label="不予公开">' in html
    assert '<optgroup label="综合政务">' in html
    assert "<legend>公开属性</legend>" in html


def test_a_handler_cannot_draft_for_another_organisation(
    client: Client, people: People, orgs: dict
) -> None:
    response = login(client, people.handler).post(
        CREATE, document_data(people.handler, organisation=orgs["czj"].pk)
    )

    assert response.status_code == 400
    assert "organisation" in errors(response)
    assert not Document.objects.exists()


def test_missing_fields_give_chinese_errors_not_a_crash(client: Client, people: People) -> None:
    response = login(client, people.handler).post(CREATE, {"written_on": "2025-13-45"})

    assert response.status_code == 400
    assert errors(response)["title"] == ["这个字段是必填项。"]
    assert errors(response)["written_on"] == ["输入一个有效的日期。"]
    assert not Document.objects.exists()


def test_a_handler_drafts_an_interpretation_of_a_policy(
    client: Client, people: People, document: Document
) -> None:
    login(client, people.handler)
    html = page(client, f"{CREATE_INTERPRETATION}?policy={document.pk}")
    assert f'<option value="{document.pk}" selected>' in html
    data = document_data(
        people.handler,
        title="《通知》解读",
        policies=[document.pk],
        form=InterpretationForm.LEADER,
        leader_name="",
    )
    del data["genre"]

    response = client.post(CREATE_INTERPRETATION, data)
    assert response.status_code == 400
    assert errors(response)["leader_name"] == ["负责人解读须填写解读负责人姓名。"]
    assert Document.objects.count() == 1

    response = client.post(CREATE_INTERPRETATION, data | {"leader_name": "张明"})
    created = Interpretation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == document_url(created.document)
    assert (created.form, created.leader_name) == (InterpretationForm.LEADER, "张明")
    assert list(created.policies.all()) == [document]
    assert created.document.genre.is_interpretation


def test_an_interpretation_needs_a_policy_in_the_users_lists(
    client: Client, people: People
) -> None:
    elsewhere = draft(people.outsider)
    data = document_data(people.handler, form=InterpretationForm.TEXT)
    del data["genre"]
    login(client, people.handler)

    for policies in ([], [elsewhere.pk]):
        response = client.post(CREATE_INTERPRETATION, data | {"policies": policies})
        assert response.status_code == 400
        assert "policies" in errors(response)
    assert Document.objects.count() == 1


# ---- Editing a draft ---------------------------------------------------------------------------


def test_a_handler_edits_a_draft(client: Client, people: People, document: Document) -> None:
    url = reverse("publishing:staff-edit", args=[document.pk])
    login(client, people.colleague)
    html = page(client, url)
    assert document.title in html
    assert 'type="date" name="written_on" value="2025-09-26"' in html  # as the browser reads it

    response = client.post(
        url, document_data(people.handler, title="修改后的标题", formed_on="2025-10-09")
    )

    document.refresh_from_db()
    assert response.status_code == 302
    assert (document.title, document.formed_on) == ("修改后的标题", date(2025, 10, 9))
    assert AuditEvent.objects.filter(action="publishing.document.edit").count() == 1


def test_a_refused_edit_changes_nothing(client: Client, people: People, document: Document) -> None:
    url = reverse("publishing:staff-edit", args=[document.pk])

    response = login(client, people.handler).post(
        url, document_data(people.handler, title="新标题", doc_no="第7号")
    )

    assert response.status_code == 400
    assert "doc_no" in errors(response)
    document.refresh_from_db()
    assert document.title == "关于做好2025年政务公开工作的通知"


def test_only_drafts_are_edited_and_only_by_their_handlers(
    client: Client, people: People, document: Document
) -> None:
    url = reverse("publishing:staff-edit", args=[document.pk])

    assert login(client, people.reviewer).get(url).status_code == 403
    assert (
        login(client, people.reviewer).post(url, document_data(people.handler)).status_code == 403
    )

    advance(document, Status.SUBMITTED, people)
    response = login(client, people.handler).post(url, document_data(people.handler, title="改"))
    assert response.status_code == 409
    assert "当前状态为“已提交”，不能执行“修改草稿”操作" in response.content.decode()
    document.refresh_from_db()
    assert document.title != "改"


# ---- Attachments -------------------------------------------------------------------------------


def upload(client: Client, document: Document, content: bytes = b"%PDF-1.4", **data: str):
    url = reverse("publishing:staff-attachment-add", args=[document.pk])
    file = SimpleUploadedFile("附件1.pdf", content, content_type="application/pdf")
    return client.post(url, {"file": file, **data})


def test_a_handler_uploads_and_removes_attachments(
    client: Client,
    people: People,
    document: Document,
    media: Path,
    django_capture_on_commit_callbacks,
) -> None:
    login(client, people.handler)

    response = upload(client, document, name="实施细则")
    assert response.status_code == 302
    assert response["Location"] == reverse("publishing:staff-edit", args=[document.pk])
    attachment = Attachment.objects.get()
    assert attachment.name == "实施细则"
    assert (media / attachment.file.name).read_bytes() == b"%PDF-1.4"
    assert upload(client, document).status_code == 302
    assert Attachment.objects.order_by("sort_order").last().name == "附件1.pdf"  # type: ignore[union-attr]
    assert "实施细则" in page(client, reverse("publishing:staff-edit", args=[document.pk]))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("publishing:staff-attachment-remove", args=[document.pk, attachment.pk])
        )
    assert response.status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not (media / attachment.file.name).exists()
    assert list(
        AuditEvent.objects.filter(action__startswith="publishing.attachment")
        .order_by("seq")
        .values_list("action", flat=True)
    ) == ["publishing.attachment.add", "publishing.attachment.add", "publishing.attachment.remove"]


def test_an_attachment_over_the_limit_is_refused(
    client: Client, people: People, document: Document, media: Path, settings
) -> None:
    settings.GONGKAI_ATTACHMENT_MAX_MB = 1

    response = upload(login(client, people.handler), document, content=b"x" * (1024 * 1024 + 1))

    assert response.status_code == 400
    assert errors(response, "attachment_form")["file"] == ["附件“附件1.pdf”超过 1 MB，不能上传。"]
    assert not Attachment.objects.exists()
    assert list(media.rglob("*.pdf")) == []


def test_an_upload_without_a_file_is_refused(
    client: Client, people: People, document: Document, media: Path
) -> None:
    url = reverse("publishing:staff-attachment-add", args=[document.pk])

    response = login(client, people.handler).post(url, {"name": "无文件"})

    assert response.status_code == 400
    assert errors(response, "attachment_form")["file"] == ["请选择要上传的文件。"]


def test_attachments_change_only_on_drafts_never_published_by_their_handlers(
    client: Client, people: People, document: Document, media: Path
) -> None:
    assert upload(login(client, people.reviewer), document).status_code == 403

    advance(document, Status.SUBMITTED, people)
    assert upload(login(client, people.handler), document).status_code == 409

    published = advance(draft(people.handler, title="已发布的通知"), Status.PUBLISHED, people)
    services.document_start_revision(actor=people.handler, document=published, change_note="更正")
    response = upload(client, published)
    assert response.status_code == 400
    assert "修订时不能增删附件" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_edit_page_lists_nothing_for_a_document_without_attachments(
    client: Client, people: People, document: Document
) -> None:
    html = page(login(client, people.handler), reverse("publishing:staff-edit", args=[document.pk]))

    assert "尚未上传附件。" in html
    assert 'enctype="multipart/form-data"' in html


def test_a_deadline_far_ahead_is_not_overdue(client: Client, people: People) -> None:
    draft(people.handler, written_on=timezone.localdate() + timedelta(days=1))

    assert OVERDUE not in page(login(client, people.handler), LIST)

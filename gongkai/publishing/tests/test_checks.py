"""The pre-publication checks and their registry (Beijing's organisations, for former names)."""

from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import include, path

from gongkai.accounts.models import Role
from gongkai.orgs.models import Organisation
from gongkai.publishing import checks, services
from gongkai.publishing.checks import (
    CheckOutcome,
    check_label,
    interpretation_check,
    legal_basis_check,
    links_check,
    register_check,
    registered_checks,
    terms_check,
)
from gongkai.publishing.errors import PublishingError, PublishingErrorCode
from gongkai.publishing.models import CheckResult, Disclosure, Document, Status

from .workflow_support import People, advance, draft, genre, interpretation, make_staff


def _page(request: HttpRequest, **kwargs: str) -> HttpResponse:
    return HttpResponse()


# The URL configuration of the links tests: the public document page and one other page.
urlpatterns = [
    path("xxgk/", include(([path("zc/<path:index_no>/", _page, name="detail")], "publishing"))),
    path("about/", _page, name="about"),
]


@pytest.fixture(autouse=True)
def _beijing(beijing: None) -> None:
    """Every test of this module runs with Beijing's organisations and their names."""


@pytest.fixture
def people() -> People:
    fgw = Organisation.objects.get(code="110000-FGW")
    city = Organisation.objects.get(code="110000")
    return People(
        handler=make_staff("handler", fgw, Role.HANDLER),
        colleague=make_staff("colleague", fgw, Role.HANDLER),
        reviewer=make_staff("reviewer", fgw, Role.REVIEWER),
        office=make_staff("office", city, Role.OPENNESS_OFFICE),
        district_office=make_staff(
            "dc-office", Organisation.objects.get(code="110101"), Role.OPENNESS_OFFICE
        ),
        outsider=make_staff("outsider", Organisation.objects.get(code="110000-CZJ"), Role.HANDLER),
        dispatcher=make_staff("dispatcher", fgw, Role.DISPATCHER),
    )


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, checks.Check]:
    """The registry, restored after the test."""
    copy = dict(checks._checks)
    monkeypatch.setattr(checks, "_checks", copy)
    return copy


# The registry


def test_the_built_in_checks_come_first() -> None:
    assert [check.code for check in registered_checks()][:4] == [
        "legal_basis",
        "interpretation",
        "terms",
        "links",
    ]
    assert check_label("terms") == "敏感词和易错词"
    assert check_label("gone") == "gone"


def test_registering_the_same_check_again_is_a_no_op(registry: dict) -> None:
    before = dict(registry)
    register_check("terms", checks._checks["terms"].label, terms_check)
    assert registry == before


@pytest.mark.parametrize("code", ["terms", "Bad-Code", "x" * 41, ""])
def test_a_taken_or_bad_code_is_a_configuration_error(registry: dict, code: str) -> None:
    with pytest.raises(ImproperlyConfigured):
        register_check(code, "另一项", lambda document: None)


def test_a_registered_check_is_run_stored_and_must_be_overridden(
    registry: dict, people: People
) -> None:
    register_check("sample", "示例检查", lambda d: CheckOutcome(False, "示例未通过"))
    register_check("never", "不适用", lambda d: None)
    document = draft(people.handler)

    results = services.document_submit(actor=people.handler, document=document)
    assert [(r.code, r.passed, r.message) for r in results][-1] == (
        "sample",
        False,
        "示例未通过",
    )
    assert not CheckResult.objects.filter(code="never").exists()

    services.document_start_review(actor=people.reviewer, document=document)
    with pytest.raises(PublishingError) as error:
        services.document_approve(actor=people.reviewer, document=document)
    assert error.value.code == PublishingErrorCode.OVERRIDE_REQUIRED
    assert error.value.message.endswith("：示例检查。")
    services.document_approve(
        actor=people.reviewer, document=document, overrides={"sample": "已人工核实"}
    )
    document.refresh_from_db()
    assert document.status == Status.APPROVED


# legal_basis (defensive: the services refuse such documents)


def test_legal_basis_check_flags_a_non_proactive_document_without_basis() -> None:
    document = Document(disclosure=Disclosure.WITHHELD, legal_basis=None, disclosure_reason="")
    assert legal_basis_check(document) == CheckOutcome(
        False, "公开属性为“不予公开”的政府信息须选择依据（政府信息公开条例的条款）。"
    )
    assert legal_basis_check(Document(disclosure=Disclosure.PROACTIVE)) == CheckOutcome(True)


# interpretation


def test_interpretation_check_applies_to_normative_documents(people: People) -> None:
    assert interpretation_check(draft(people.handler)) is None
    policy = draft(people.handler, genre=genre("规范性文件"))
    assert interpretation_check(policy) == CheckOutcome(
        False,
        "规范性文件尚未关联政策解读：发布时须同步发布解读，或由审核人记录免于同步解读的理由。",
    )
    interpretation(people.handler, policy)
    assert interpretation_check(policy) == CheckOutcome(True)


def test_a_withdrawn_interpretation_does_not_count(people: People) -> None:
    policy = draft(people.handler, genre=genre("规范性文件"))
    explained = interpretation(people.handler, policy).document
    advance(explained, Status.WITHDRAWN, people)
    assert interpretation_check(policy).passed is False  # type: ignore[union-attr]


def test_an_exemption_passes_with_its_reason(people: People) -> None:
    policy = draft(people.handler, genre=genre("规范性文件"))
    services.document_update(
        actor=people.handler, document=policy, interpretation_exempt_reason="仅修改文字"
    )
    assert interpretation_check(policy) == CheckOutcome(
        True, "已记录免于同步解读的理由：仅修改文字"
    )


# terms


def test_review_terms_are_found_anywhere_in_the_text(people: People) -> None:
    document = draft(
        people.handler,
        title="关于开通帐户的通知",
        body="<p>秘密★1年</p><p>其它事项另行通知。</p>",
    )
    assert terms_check(document) == CheckOutcome(
        False, "含敏感词“秘密★”，请核实；“其它”应为“其他”；“帐户”应为“账户”"
    )
    assert terms_check(draft(people.handler)) == CheckOutcome(True)


@pytest.mark.parametrize(
    ("title", "written_on", "message"),
    [
        (
            "市规划国土委关于加强规划管理的通知",
            date(2025, 3, 1),
            "“市规划国土委”是机构旧称，现为“市规划自然资源委”",
        ),
        (
            "北京市规划和国土资源管理委员会关于加强规划管理的通知",
            date(2025, 3, 1),
            "“北京市规划和国土资源管理委员会”是机构旧称，现为“北京市规划和自然资源委员会”",
        ),
        (
            "市食药监局关于食品安全抽检的通告",
            date(2019, 1, 10),
            "“市食药监局”是机构旧称，现为“市市场监管局”",
        ),
        ("市规划国土委关于加强规划管理的通知", date(2017, 3, 1), ""),
        ("市科委、中关村管委会关于科技创新的通知", date(2025, 3, 1), ""),
        ("市政府办公厅关于印发工作要点的通知", date(2025, 3, 1), ""),
    ],
)
def test_former_organisation_names_in_the_title(
    title: str, written_on: date, message: str, people: People
) -> None:
    document = draft(people.handler, title=title, written_on=written_on)
    assert terms_check(document) == CheckOutcome(not message, message)


def test_former_names_are_looked_for_in_the_summary_too(people: People) -> None:
    document = draft(people.handler, summary="会同市环保局开展检查。")
    assert terms_check(document).message == "“市环保局”是机构旧称，现为“市生态环境局”"


# links


@override_settings(ROOT_URLCONF=__name__)
def test_internal_links_must_resolve_to_public_pages(people: People, tmp_path: Path) -> None:
    public = advance(draft(people.handler), Status.PUBLISHED, people)
    hidden = draft(people.handler)
    (tmp_path / "publishing").mkdir()
    (tmp_path / "publishing" / "a.pdf").write_bytes(b"%PDF")
    links = [
        "/about/",
        f"/xxgk/zc/{public.index_no}/",
        "https://www.gov.cn/zhengce/",
        "mailto:gkb@beijing.gov.cn",
        "#part2",
        "/media/publishing/a.pdf",
        "/nowhere/",
        "http://localhost/nowhere/?page=2",
        f"/xxgk/zc/{hidden.index_no}/",
        "/media/publishing/b.pdf",
    ]
    body = "".join(f'<p><a href="{link}">链接</a></p>' for link in links)
    document = draft(people.handler, body=body)

    with override_settings(MEDIA_ROOT=tmp_path):
        outcome = links_check(document)
    assert outcome == CheckOutcome(
        False,
        "链接“/nowhere/”在本网站不存在；"
        "链接“http://localhost/nowhere/?page=2”在本网站不存在；"
        f"链接“/xxgk/zc/{hidden.index_no}/”指向未公开的政府信息；"
        "链接“/media/publishing/b.pdf”在本网站不存在",
    )


@override_settings(ROOT_URLCONF=__name__)
def test_images_are_links_too(people: People) -> None:
    document = draft(people.handler, body='<p><img src="/missing.png" alt="图"></p>')
    assert links_check(document) == CheckOutcome(False, "链接“/missing.png”在本网站不存在")
    assert links_check(draft(people.handler)) == CheckOutcome(True)

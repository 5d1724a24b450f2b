"""The admin saves organisations through the services (so every change is audited)."""

from collections.abc import Iterator
from datetime import date
from enum import StrEnum
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.test import Client, RequestFactory
from django.utils.translation import gettext_lazy

from gongkai.core.errors import CoreError
from gongkai.core.models import AuditEvent
from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import org_resolve
from gongkai.orgs.signals import organisations_merged

PASSWORD = "Gongkai#2026"


@pytest.fixture
def system_admin(beijing: None) -> AbstractBaseUser:
    """A staff account with the system administrator's role (there are no superusers)."""
    user = get_user_model().objects.create_user(
        username="sysadmin",
        password=PASSWORD,
        kind="staff",
        organisation=Organisation.objects.get(code="110000"),
        is_staff=True,
    )
    user.role_assignments.create(role="system_admin")
    return user


@pytest.fixture
def clerk(beijing: None) -> AbstractBaseUser:
    """A staff account without any role."""
    return get_user_model().objects.create_user(
        username="clerk",
        password=PASSWORD,
        kind="staff",
        organisation=Organisation.objects.get(code="110101-CZJ"),
        is_staff=True,
    )


@pytest.fixture
def admin_client(system_admin: AbstractBaseUser, client: Client) -> Client:
    client.force_login(system_admin)
    return client


def inline_data(organisation: Organisation | None, *, new_alias: str = "") -> dict[str, str]:
    """The inline formsets as the change form posts them: names read-only, aliases editable."""
    names = list(organisation.names.all()) if organisation else []
    aliases = list(organisation.aliases.all()) if organisation else []
    data = {
        "names-TOTAL_FORMS": str(len(names)),
        "names-INITIAL_FORMS": str(len(names)),
        "aliases-TOTAL_FORMS": str(len(aliases) + 1),
        "aliases-INITIAL_FORMS": str(len(aliases)),
        "aliases-0-alias" if not aliases else f"aliases-{len(aliases)}-alias": new_alias,
    }
    for index, name in enumerate(names):
        data[f"names-{index}-id"] = str(name.pk)
    for index, alias in enumerate(aliases):
        data |= {f"aliases-{index}-id": str(alias.pk), f"aliases-{index}-alias": alias.alias}
    return data


def change_data(organisation: Organisation, **changes: str) -> dict[str, str]:
    return {
        "name": organisation.name,
        "short_name": organisation.short_name,
        "level": organisation.level,
        "kind": organisation.kind,
        "parent": str(organisation.parent_id or ""),
        "sort_order": str(organisation.sort_order),
        "rename_effective_on": "",
        "rename_notice": "",
        **inline_data(organisation),
        **changes,
    }


def change_url(organisation: Organisation) -> str:
    return f"/admin/orgs/organisation/{organisation.pk}/change/"


def test_the_change_list_and_form_render(admin_client: Client) -> None:
    czj = Organisation.objects.get(code="110101-CZJ")

    assert admin_client.get("/admin/orgs/organisation/").status_code == 200
    assert admin_client.get("/admin/orgs/organisation/add/").status_code == 200
    body = admin_client.get(change_url(czj)).content.decode()
    assert "名称沿革" in body
    assert "更名生效日期" in body


def test_adding_goes_through_the_service(admin_client: Client) -> None:
    dongcheng = Organisation.objects.get(code="110101")
    data = {
        "code": "110101-SW",
        "name": "北京市东城区商务局",
        "short_name": "东城区商务局",
        "level": "district",
        "kind": "department",
        "parent": str(dongcheng.pk),
        "sort_order": "50",
        "established_on": "2019-01-20",
        **inline_data(None, new_alias="区商务局"),
    }

    response = admin_client.post("/admin/orgs/organisation/add/", data)

    assert response.status_code == 302
    created = Organisation.objects.get(code="110101-SW")
    assert [(n.name, n.valid_from) for n in created.names.all()] == [
        ("北京市东城区商务局", date(2019, 1, 20))
    ]
    assert org_resolve("区商务局", context_org=dongcheng).single() == created
    events = AuditEvent.objects.filter(object_id=str(created.pk)).order_by("seq")
    actions = events.values_list("action", flat=True)
    assert list(actions) == ["orgs.organisation.create", "orgs.organisation.alias_add"]


def test_renaming_keeps_the_history(admin_client: Client) -> None:
    czj = Organisation.objects.get(code="110101-CZJ")
    data = change_data(
        czj,
        name="北京市东城区财政管理局",
        short_name="东城区财政管理局",
        rename_effective_on="2025-01-01",
        rename_notice="东城区机构改革方案",
    )

    response = admin_client.post(change_url(czj), data)

    assert response.status_code == 302
    assert [(n.name, n.valid_to) for n in czj.names.all()] == [
        ("北京市东城区财政局", date(2025, 1, 1)),
        ("北京市东城区财政管理局", None),
    ]
    assert org_resolve("东城区财政局").single() == czj
    assert AuditEvent.objects.latest("seq").action == "orgs.organisation.rename"


def test_renaming_without_a_date_is_refused_and_changes_nothing(admin_client: Client) -> None:
    czj = Organisation.objects.get(code="110101-CZJ")
    events = AuditEvent.objects.count()

    response = admin_client.post(change_url(czj), change_data(czj, name="北京市东城区财政管理局"))

    assert response.status_code == 200
    assert "修改名称时请填写更名生效日期。" in response.content.decode()
    czj.refresh_from_db()
    assert czj.name == "北京市东城区财政局"
    assert AuditEvent.objects.count() == events


def test_a_rename_dated_too_early_is_refused(admin_client: Client) -> None:
    sthjj = Organisation.objects.get(code="110000-STHJJ")
    data = change_data(
        sthjj, name="北京市生态局", rename_effective_on="2018-01-01", rename_notice="方案"
    )

    response = admin_client.post(change_url(sthjj), data)

    assert response.status_code == 200
    assert "应晚于现用名称“北京市生态环境局”的启用日期 2018-11-24" in response.content.decode()


def test_other_fields_and_aliases_are_saved_through_the_services(admin_client: Client) -> None:
    czj = Organisation.objects.get(code="110101-CZJ")
    data = change_data(czj, sort_order="99") | {"aliases-0-DELETE": "on"}
    data[f"aliases-{czj.aliases.count()}-alias"] = "东城财政"

    response = admin_client.post(change_url(czj), data)

    assert response.status_code == 302
    czj.refresh_from_db()
    assert czj.sort_order == 99
    assert [alias.alias for alias in czj.aliases.all()] == ["东城财政"]
    actions = AuditEvent.objects.filter(object_id=str(czj.pk)).order_by("seq")
    assert list(actions.values_list("action", flat=True))[-3:] == [
        "orgs.organisation.update",
        "orgs.organisation.alias_remove",
        "orgs.organisation.alias_add",
    ]


def test_organisations_cannot_be_deleted(admin_client: Client) -> None:
    czj = Organisation.objects.get(code="110101-CZJ")

    response = admin_client.post(f"/admin/orgs/organisation/{czj.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert Organisation.objects.filter(pk=czj.pk).exists()


def test_staff_without_the_permission_are_refused(client: Client, clerk: AbstractBaseUser) -> None:
    czj = Organisation.objects.get(code="110101-CZJ")
    client.force_login(clerk)
    events = AuditEvent.objects.count()

    get = client.get(change_url(czj))
    post = client.post(change_url(czj), change_data(czj, sort_order="99"))

    assert get.status_code == 403
    assert post.status_code == 403
    czj.refresh_from_db()
    assert czj.sort_order != 99
    assert AuditEvent.objects.count() == events


# Merging from the changelist: action "撤并到其他机构" and its intermediate page.

CHANGELIST = "/admin/orgs/organisation/"
MERGED = ("110101-FGW", "110101-JW")  # 东城区发展改革委, 东城区教委
INTO = "110101-CZJ"  # 东城区财政局


def selected(*codes: str) -> dict[str, Any]:
    pks = Organisation.objects.filter(code__in=codes).values_list("pk", flat=True)
    return {"action": "merge", "_selected_action": [str(pk) for pk in pks]}


def merge_data(
    *codes: str,
    into: str = INTO,
    effective_on: str = "2025-01-01",
    notice: str = "东城区机构改革方案",
) -> dict[str, Any]:
    return selected(*codes) | {
        "apply": "确认撤并",
        "merge-into": str(Organisation.objects.get(code=into).pk),
        "merge-effective_on": effective_on,
        "merge-notice": notice,
    }


def merge_state() -> tuple[list[tuple[str, bool, int | None]], int]:
    orgs = Organisation.objects.filter(code__in=[*MERGED, "110101"]).order_by("code")
    return list(orgs.values_list("code", "is_active", "successor_id")), AuditEvent.objects.count()


def test_the_action_asks_for_the_successor_date_and_notice(
    client: Client, system_admin: AbstractBaseUser
) -> None:
    client.force_login(system_admin)

    assert "撤并到其他机构" in client.get(CHANGELIST).content.decode()
    response = client.post(CHANGELIST, selected(*MERGED))

    assert response.status_code == 200
    assert response.templates[0].name == "admin/orgs/organisation/merge.html"
    body = response.content.decode()
    assert "北京市东城区发展和改革委员会（110101-FGW）" in body
    for label in ("承继机构", "撤并日期", "撤并依据"):
        assert f"{label}:" in body or f"{label}：" in body
    choices = response.context["form"].fields["into"].queryset
    assert INTO in choices.values_list("code", flat=True)
    assert not choices.filter(code__in=MERGED).exists()
    assert not choices.filter(is_active=False).exists()


def test_a_system_admin_merges_and_it_is_audited(
    client: Client, system_admin: AbstractBaseUser
) -> None:
    client.force_login(system_admin)
    into = Organisation.objects.get(code=INTO)

    response = client.post(CHANGELIST, merge_data(*MERGED), follow=True)

    assert response.redirect_chain == [(CHANGELIST, 302)]
    assert (
        "已将“北京市东城区发展和改革委员会”、“北京市东城区教育委员会”并入“北京市东城区财政局”，"
        "自 2025-01-01 起生效。"
    ) in [str(message) for message in response.context["messages"]]
    for source in Organisation.objects.filter(code__in=MERGED):
        assert (source.is_active, source.successor, source.dissolved_on) == (
            False,
            into,
            date(2025, 1, 1),
        )
        assert source.dissolution_notice == "东城区机构改革方案"
    event = AuditEvent.objects.latest("seq")
    assert (event.action, event.object_id, event.actor_id) == (
        "orgs.organisation.merge",
        str(into.pk),
        system_admin.pk,
    )


def test_staff_without_the_permission_cannot_merge(client: Client, clerk: AbstractBaseUser) -> None:
    client.force_login(clerk)
    before = merge_state()

    assert client.post(CHANGELIST, selected(*MERGED)).status_code == 403
    assert client.post(CHANGELIST, merge_data(*MERGED)).status_code == 403

    assert merge_state() == before


def test_the_action_is_offered_only_with_the_change_permission(
    clerk: AbstractBaseUser, system_admin: AbstractBaseUser
) -> None:
    model_admin = admin.site._registry[Organisation]
    request = RequestFactory().get(CHANGELIST)

    request.user = clerk
    assert "merge" not in model_admin.get_actions(request)
    request.user = system_admin
    assert "merge" in model_admin.get_actions(request)


@pytest.mark.parametrize(
    ("codes", "changes", "message"),
    [
        (MERGED, {"notice": ""}, "请填写撤并依据（如机构改革方案或批复文件）。"),
        (MERGED, {"notice": "   "}, "请填写撤并依据（如机构改革方案或批复文件）。"),
        (MERGED, {"effective_on": ""}, "请填写撤并日期。"),
        (
            MERGED,
            {"into": "110101-JW"},
            "请从列表中选择承继机构：须为存续机构，且不能是要撤并的机构。",
        ),
        (  # refused by org_merge
            ("110101",),
            {"into": "110102"},
            "“北京市东城区人民政府”仍有存续的下级机构（",
        ),
        (  # refused by org_merge
            MERGED,
            {"into": "110000-WHLYJ", "effective_on": "2018-01-01"},
            "撤并日期 2018-01-01 早于“北京市文化和旅游局”的设立或启用日期 2018-11-24。",
        ),
    ],
)
def test_bad_input_is_refused_in_chinese_and_changes_nothing(
    client: Client,
    system_admin: AbstractBaseUser,
    codes: tuple[str, ...],
    changes: dict[str, str],
    message: str,
) -> None:
    client.force_login(system_admin)
    before = merge_state()

    response = client.post(CHANGELIST, merge_data(*codes, **changes))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert merge_state() == before


class _Refusal(StrEnum):
    STAFF = "test.staff"


class StaffMoveRefused(CoreError):
    messages = {_Refusal.STAFF: gettext_lazy("有在办事项的人员无法转入承继机构。")}


@pytest.fixture
def refusing_receiver() -> Iterator[None]:
    def refuse(sender: type[Organisation], **kwargs: Any) -> None:
        raise StaffMoveRefused(_Refusal.STAFF)

    organisations_merged.connect(refuse)
    yield
    organisations_merged.disconnect(refuse)


@pytest.mark.usefixtures("refusing_receiver")
def test_a_refusal_by_a_signal_receiver_is_shown_and_undoes_the_merge(
    client: Client, system_admin: AbstractBaseUser
) -> None:
    client.force_login(system_admin)
    before = merge_state()

    response = client.post(CHANGELIST, merge_data(*MERGED))

    assert response.status_code == 400
    assert "有在办事项的人员无法转入承继机构。" in response.content.decode()
    assert merge_state() == before

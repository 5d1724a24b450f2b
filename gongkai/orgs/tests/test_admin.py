"""The admin saves organisations through the services (so every change is audited)."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from gongkai.core.models import AuditEvent
from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import org_resolve

PASSWORD = "Gongkai#2026"


@pytest.fixture
def admin_client(beijing: None, client: Client) -> Client:
    user = get_user_model().objects.create_superuser(
        username="sysadmin", email="sysadmin@example.org", password=PASSWORD
    )
    client.force_login(user)
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
        "code": "110101-SWJ",
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
    created = Organisation.objects.get(code="110101-SWJ")
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


def test_staff_without_the_permission_are_refused(beijing: None, client: Client) -> None:
    czj = Organisation.objects.get(code="110101-CZJ")
    user = get_user_model().objects.create_user(
        username="clerk", password=PASSWORD, is_staff=True, kind="staff", organisation=czj
    )
    client.force_login(user)
    events = AuditEvent.objects.count()

    get = client.get(change_url(czj))
    post = client.post(change_url(czj), change_data(czj, sort_order="99"))

    assert get.status_code == 403
    assert post.status_code == 403
    czj.refresh_from_db()
    assert czj.sort_order != 99
    assert AuditEvent.objects.count() == events

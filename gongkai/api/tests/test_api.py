import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_docs_load_their_assets_locally(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


def test_openapi_lists_the_routers(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/orgs/" in paths
    assert "/api/calendar/add-workdays" in paths


def test_add_workdays(client):
    response = client.get("/api/calendar/add-workdays", {"start": "2025-09-26", "n": 20})
    assert response.status_code == 200
    assert response.json() == {
        "start": "2025-09-26",
        "n": 20,
        "date": "2025-10-30",
        "provisional": False,
    }


def test_add_workdays_in_an_unpublished_year_is_provisional(client):
    response = client.get("/api/calendar/add-workdays", {"start": "2027-03-01", "n": 5})
    assert response.json()["provisional"] is True


def test_is_workday_on_a_make_up_sunday(client):
    response = client.get("/api/calendar/is-workday", {"day": "2025-09-28"})
    assert response.json() == {"date": "2025-09-28", "is_workday": True, "provisional": False}


@pytest.mark.parametrize(
    "params", [{"start": "2025-13-01", "n": 1}, {"start": "2025-09-26", "n": -1}, {"n": 3}]
)
def test_bad_parameters_are_a_chinese_422(client, params):
    response = client.get("/api/calendar/add-workdays", params)
    assert response.status_code == 422
    assert response.json()["message"] == "请求参数有误，请检查后重试。"


def test_organisations_by_level(client, beijing):
    response = client.get("/api/orgs/", {"level": "district"})
    names = {org["short_name"] for org in response.json()}
    assert {"东城区政府", "延庆区政府"} <= names
    assert "市发展改革委" not in names


def test_resolve_a_historical_name(client, beijing):
    body = client.get("/api/orgs/resolve", {"name": "市卫生计生委"}).json()
    assert body["outcome"] == "single"
    assert body["historical"] is True
    assert body["organisations"][0]["name"] == "北京市卫生健康委员会"


def test_resolve_a_collective_reference(client, beijing):
    body = client.get("/api/orgs/resolve", {"name": "各区政府"}).json()
    assert body["outcome"] == "collective"
    assert len(body["organisations"]) == 16


def test_unknown_organisation_is_a_chinese_404(client, beijing):
    response = client.get(reverse("api:organisation", args=["nope"]))
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "未找到。"}

import pytest
from django.test import Client

from gongkai.portal.modes import (
    COOKIE_NAME,
    DisplayMode,
    cookie_value,
    mode_classes,
    modes_after,
    modes_from_cookie,
)

pytestmark = pytest.mark.django_db

URL = "/display-modes/"
LARGE = DisplayMode.LARGE_TEXT
CONTRAST = DisplayMode.HIGH_CONTRAST


def test_cookie_round_trip_ignores_unknown_parts() -> None:
    assert modes_from_cookie(cookie_value(frozenset({LARGE, CONTRAST}))) == {LARGE, CONTRAST}
    assert modes_from_cookie("large-text.<script>.x") == {LARGE}
    assert modes_from_cookie("") == frozenset()
    assert modes_from_cookie(None) == frozenset()


def test_changes_set_clear_and_reset() -> None:
    assert modes_after(frozenset(), {"large-text": "on"}) == {LARGE}
    assert modes_after(frozenset({LARGE}), {"high-contrast": "on"}) == {LARGE, CONTRAST}
    assert modes_after(frozenset({LARGE, CONTRAST}), {"large-text": "off"}) == {CONTRAST}
    assert modes_after(frozenset({LARGE}), {"large-text": "maybe"}) == {LARGE}
    assert modes_after(frozenset({LARGE, CONTRAST}), {"reset": "1"}) == frozenset()


def test_mode_classes() -> None:
    assert mode_classes(frozenset({LARGE, CONTRAST})) == "mode-high-contrast mode-large-text"
    assert mode_classes(frozenset()) == ""


def test_turning_a_mode_on_sets_the_cookie_and_goes_back(client: Client) -> None:
    response = client.post(URL, {"large-text": "on", "next": "/workbench/?tab=1"})

    assert response.status_code == 302
    assert response["Location"] == "/workbench/?tab=1"
    cookie = response.cookies[COOKIE_NAME]
    assert cookie.value == "large-text"
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 365 * 24 * 3600


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        "",
    ],
)
def test_unsafe_or_missing_targets_go_home(client: Client, target: str) -> None:
    response = client.post(URL, {"high-contrast": "on", "next": target})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_turning_the_last_mode_off_deletes_the_cookie(client: Client) -> None:
    client.cookies[COOKIE_NAME] = "large-text"

    response = client.post(URL, {"large-text": "off", "next": "/"})

    assert response.cookies[COOKIE_NAME].value == ""
    assert int(response.cookies[COOKIE_NAME]["max-age"]) == 0


def test_reset_clears_every_mode(client: Client) -> None:
    client.cookies[COOKIE_NAME] = "high-contrast.large-text"

    response = client.post(URL, {"reset": "1", "next": "/"})

    assert response.cookies[COOKIE_NAME].value == ""


def test_the_script_gets_json(client: Client) -> None:
    client.cookies[COOKIE_NAME] = "large-text"

    response = client.post(URL, {"high-contrast": "on"}, headers={"accept": "application/json"})

    assert response.status_code == 200
    assert response.json() == {"modes": ["high-contrast", "large-text"]}
    assert response.cookies[COOKIE_NAME].value == "high-contrast.large-text"


def test_only_post_is_accepted(client: Client) -> None:
    assert client.get(URL).status_code == 405


def test_the_preference_needs_no_csrf_token_so_public_pages_stay_cacheable() -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.post(URL, {"large-text": "on", "next": "/"})

    assert response.status_code == 302
    assert response.cookies[COOKIE_NAME].value == "large-text"
    assert "csrftoken" not in client.get("/").cookies


def test_first_render_carries_the_modes_from_the_cookie(client: Client) -> None:
    client.cookies[COOKIE_NAME] = "high-contrast.large-text"

    body = client.get("/").content.decode()

    assert '<html lang="zh-Hans" class="mode-high-contrast mode-large-text">' in body
    assert '<body class="mode-high-contrast mode-large-text">' in body
    assert (
        'name="large-text" value="off" aria-pressed="true" data-mode="large-text">大字版</button>'
        in body
    )
    assert (
        'name="high-contrast" value="off" aria-pressed="true" data-mode="high-contrast">'
        "高对比度</button>" in body
    )


def test_without_a_cookie_the_page_has_no_mode_and_toggles_are_off(client: Client) -> None:
    body = client.get("/").content.decode()

    assert "<body>" in body
    assert "mode-large-text" not in body
    assert 'name="large-text" value="on" aria-pressed="false"' in body
    assert 'name="reset" value="1">恢复默认</button>' in body


def test_the_toggle_form_returns_to_the_current_page(client: Client) -> None:
    body = client.get("/?a=1").content.decode()

    assert '<form method="post" action="/display-modes/" data-display-modes>' in body
    assert '<input type="hidden" name="next" value="/?a=1">' in body

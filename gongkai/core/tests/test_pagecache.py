import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from gongkai.core.pagecache import bump_generation, cached_public_page

calls: list[str] = []


@cached_public_page
def page(request: HttpRequest) -> HttpResponse:
    calls.append(request.get_full_path())
    if request.GET.get("cookie"):
        response = HttpResponse("with cookie")
        response.set_cookie("x", "1")
        return response
    status = int(request.GET.get("status", 200))
    return HttpResponse(f"page {len(calls)}", status=status)


@pytest.fixture(autouse=True)
def fresh() -> None:
    cache.clear()
    calls.clear()


def get(path: str, *, user: object = None, **cookies: str) -> HttpResponse:
    request = RequestFactory().get(path)
    request.user = user or AnonymousUser()
    request.COOKIES.update(cookies)
    return page(request)


def test_anonymous_gets_are_served_from_the_cache():
    first = get("/xxgk/zc/?year=2018")
    second = get("/xxgk/zc/?year=2018")
    assert first.content == second.content == b"page 1"
    assert calls == ["/xxgk/zc/?year=2018"]
    assert get("/xxgk/zc/?year=2019").content == b"page 2"


def test_display_modes_get_their_own_copy():
    get("/p/")
    assert get("/p/", gk_display_modes="large-text").content == b"page 2"
    assert get("/p/", gk_display_modes="large-text").content == b"page 2"


def test_bumping_the_generation_makes_pages_stale():
    get("/p/")
    bump_generation()
    assert get("/p/").content == b"page 2"


def test_logged_in_users_and_pending_messages_bypass_the_cache():
    class Staff:
        is_authenticated = True

    get("/p/")
    assert get("/p/", user=Staff()).content == b"page 2"
    assert get("/p/", messages="abc").content == b"page 3"


@pytest.mark.parametrize("query", ["?cookie=1", "?status=500", "?status=302"])
def test_responses_that_set_cookies_or_fail_are_not_cached(query):
    get(f"/p/{query}")
    get(f"/p/{query}")
    assert len(calls) == 2


def test_not_found_and_gone_are_cached():
    get("/p/?status=410")
    assert get("/p/?status=410").status_code == 410
    assert len(calls) == 1


def redis_url() -> str:
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=1).ping()
    except redis.RedisError:
        return ""
    return "redis://127.0.0.1:6379/15"


def test_the_generation_is_shared_through_redis():
    url = redis_url()
    if not url:
        pytest.skip("no Redis server at 127.0.0.1:6379")
    redis_cache = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                               "LOCATION": url}}  # fmt: skip
    with override_settings(CACHES=redis_cache):
        from django.core.cache import caches

        caches["default"].clear()
        get("/redis/")
        assert get("/redis/").content == b"page 1"
        bump_generation()
        assert get("/redis/").content == b"page 2"
        caches["default"].clear()

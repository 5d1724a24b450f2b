"""A shared cache of public pages for anonymous visitors, invalidated by a generation number.

Public pages (the policy library, document pages, feeds) are read far more often than they
change. ``cached_public_page`` serves a GET from anonymous visitors from the cache, keyed by
the full URL, the visitor's display modes (the cookie changes the page's classes) and the
current *generation*; ``bump_generation()`` — called whenever something shown on those pages
changes — makes every cached page stale at once (in other worker processes within
``GENERATION_MEMO_SECONDS``). Pages for logged-in users, requests with
pending messages, and responses that set a cookie or are not 200/404/410 are never cached.

The cache is Django's ``default`` cache: Redis when ``GONGKAI_CACHE_URL`` is set (production,
several workers), a file cache under ``var/`` otherwise — both shared between processes.
"""

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse

GENERATION_KEY = "gongkai:pages:generation"
CACHEABLE_STATUS = frozenset({200, 404, 410})

View = Callable[..., HttpResponse]


# Each process remembers the generation for GENERATION_MEMO_SECONDS, saving a cache round trip
# per page; another process's bump is therefore seen up to that long after it happened.
GENERATION_MEMO_SECONDS = 1.0
_memo: tuple[int, float] | None = None


def generation() -> int:
    global _memo
    now = time.monotonic()
    if _memo is not None and now < _memo[1]:
        return _memo[0]
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)
        value = cache.get(GENERATION_KEY, 0)
    _memo = (int(value), now + GENERATION_MEMO_SECONDS)
    return _memo[0]


def bump_generation() -> None:
    """Make every cached public page stale (call after a change they show has committed)."""
    global _memo
    _memo = None
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key was evicted or the cache cleared
        cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)


def pages_changed(**kwargs: object) -> None:
    """Something public pages show changed (usable as a signal receiver). Bumps now and again
    once the transaction commits: a page rendered from the old data between the two (by a
    request that read before the commit) is made stale by the second bump."""
    bump_generation()
    transaction.on_commit(bump_generation)


def _fresh_generation() -> int:
    """A starting number never used before (milliseconds of the clock), so that a lost key can
    never bring back pages cached under an earlier generation."""
    return time.time_ns() // 1_000_000


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        and "messages" not in request.COOKIES
    )


def _key(request: HttpRequest, modes_cookie: str) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    modes = request.COOKIES.get(modes_cookie, "")
    return f"gongkai:page:{generation()}:{modes}:{path}"


def cached_public_page(view: View) -> View:
    """Serve ``view`` from the shared cache for anonymous GET requests (see the module)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request, settings.GONGKAI_DISPLAY_MODES_COOKIE)
        hit = cache.get(key)
        if hit is not None:
            content, content_type, status = hit
            return HttpResponse(content, content_type=content_type, status=status)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response.render()
        if response.status_code in CACHEABLE_STATUS and not response.cookies:
            cache.set(
                key,
                (response.content, response["Content-Type"], response.status_code),
                settings.GONGKAI_PAGE_CACHE_SECONDS,
            )
        return response

    return wrapped

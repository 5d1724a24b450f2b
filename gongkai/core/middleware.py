"""Request context for code that has no request at hand (the audit log's IP address)."""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class RequestContext:
    ip: str | None


_current: ContextVar[RequestContext | None] = ContextVar("gongkai_request_context", default=None)


def current_request_context() -> RequestContext | None:
    return _current.get()


def client_ip(request: HttpRequest) -> str | None:
    """The client address. Behind a proxy, set GONGKAI_TRUST_X_FORWARDED_FOR (see README)."""
    if getattr(settings, "GONGKAI_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current.set(RequestContext(ip=client_ip(request)))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)

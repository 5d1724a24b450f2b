"""Idle-session timeout (等保2.0: 登录连接超时自动退出)."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

LAST_SEEN_KEY = "gongkai_last_seen"


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(LAST_SEEN_KEY)
            idle_limit = settings.GONGKAI_SESSION_IDLE_MINUTES * 60
            if last_seen is not None and now - last_seen > idle_limit:
                logout(request)
                messages.warning(request, _("您已长时间未操作，登录已超时，请重新登录。"))
            else:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)

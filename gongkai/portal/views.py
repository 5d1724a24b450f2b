from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from gongkai.accounts.permissions import is_staff_user

from .modes import (
    COOKIE_MAX_AGE,
    COOKIE_NAME,
    cookie_value,
    modes_after,
    modes_from_cookie,
)
from .navigation import nav_links
from .workbench import todo_sections


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    links = nav_links(user=request.user, path=request.path, audience="public")
    context = {
        "sections": [link for link in links if link.aria_current != "page"],
        "show_workbench": is_staff_user(request.user),
    }
    return render(request, "portal/home.html", context)


@csrf_exempt
@require_POST
def display_modes(request: HttpRequest) -> HttpResponse:
    """Set the display-mode cookie, then go back (or answer JSON to the page's script).

    Exempt from CSRF on purpose: it only stores a display preference (the worst a forged
    request can do is switch someone to large text), and a CSRF token in every page's header
    would make public pages impossible to cache for anonymous visitors.
    """
    modes = modes_after(modes_from_cookie(request.COOKIES.get(COOKIE_NAME)), request.POST)
    response: HttpResponse
    if request.get_preferred_type(["text/html", "application/json"]) == "application/json":
        response = JsonResponse({"modes": sorted(modes)})
    else:
        target = request.POST.get("next", "")
        safe = url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        response = HttpResponseRedirect(target if safe else reverse("portal:home"))
    if modes:
        response.set_cookie(
            COOKIE_NAME,
            cookie_value(modes),
            max_age=COOKIE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    else:
        response.delete_cookie(COOKIE_NAME, samesite="Lax")
    return response


@login_required
@require_safe
def workbench(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not is_staff_user(user):
        raise PermissionDenied
    context = {
        "organisation": user.organisation,
        "role_assignments": user.role_assignments.all(),
        "todo_sections": todo_sections(user),
    }
    return render(request, "portal/workbench.html", context)

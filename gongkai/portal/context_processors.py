"""Template context shared by every page of the public site and the workbench."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .modes import COOKIE_NAME, mode_classes, mode_toggles, modes_from_cookie
from .navigation import nav_links

# The site search box in the header posts here, when the search app is mounted.
SEARCH_URL_NAME = "search:results"

# Facts a government site shows in its footer (政府网站发展指引), from settings; an unset fact
# is not shown, so nothing is ever invented.
FOOTER_FACTS = (
    ("GONGKAI_SITE_ORGANISER", _("主办单位")),
    ("GONGKAI_SITE_ID_CODE", _("网站标识码")),
    ("GONGKAI_SITE_ICP_RECORD", _("ICP备案号")),
    ("GONGKAI_SITE_PSB_RECORD", _("公安机关备案号")),
)


def site(request: HttpRequest) -> dict[str, object]:
    modes = modes_from_cookie(request.COOKIES.get(COOKIE_NAME))
    # A request rejected before the authentication middleware ran (400) has no user.
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "site_name": settings.GONGKAI_SITE_NAME,
        "footer_facts": [
            (label, value) for name, label in FOOTER_FACTS if (value := getattr(settings, name))
        ],
        "mode_classes": mode_classes(modes),
        "mode_toggles": mode_toggles(modes),
        "nav_links": nav_links(user=user, path=request.path),
        "site_search_url": _search_url(),
    }


def _search_url() -> str:
    try:
        return reverse(SEARCH_URL_NAME)
    except NoReverseMatch:
        return ""

"""Template context shared by every page of the public site and the workbench."""

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {"site_name": settings.GONGKAI_SITE_NAME}

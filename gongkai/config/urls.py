"""Root URL configuration: each app mounts its own urls module."""

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView

from gongkai.publishing.sitemaps import SITEMAPS

admin.site.site_header = "政务公开平台 管理后台"
admin.site.site_title = "政务公开平台"
admin.site.index_title = "管理后台"

urlpatterns = [
    path("", include("gongkai.portal.urls")),
    path("accounts/", include("gongkai.accounts.urls")),
    path("orgs/", include("gongkai.orgs.urls")),
    path("xxgk/", include("gongkai.publishing.urls")),
    path("search/", include("gongkai.search.urls")),
    path("ysqgk/", include("gongkai.foi.urls")),
    path("ndbg/", include("gongkai.reports.urls")),
    path("12345/gl/", include("gongkai.hotline.urls_staff")),
    path("12345/", include("gongkai.hotline.urls")),
    path("open311/v2/", include("gongkai.hotline.open311")),
    path("audit/", include("gongkai.core.urls")),
    path("api/", include("gongkai.api.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # The admin site has no login or password change of its own: lockout, password rules and
    # the audit log apply to every login and every password change.
    path(
        "admin/login/",
        RedirectView.as_view(url=reverse_lazy("accounts:login"), query_string=True),
    ),
    path(
        "admin/password_change/",
        RedirectView.as_view(url=reverse_lazy("accounts:password-change")),
    ),
    path("admin/", admin.site.urls),
]

"""Root URL configuration: each app mounts its own urls module."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "政务公开平台 管理后台"
admin.site.site_title = "政务公开平台"
admin.site.index_title = "管理后台"

urlpatterns = [
    path("", include("gongkai.portal.urls")),
    path("accounts/", include("gongkai.accounts.urls")),
    path("orgs/", include("gongkai.orgs.urls")),
    path("audit/", include("gongkai.core.urls")),
    path("api/", include("gongkai.api.urls")),
    path("admin/", admin.site.urls),
]

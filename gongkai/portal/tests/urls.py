"""A URL configuration for tests: the portal, accounts, a stand-in for the organisation
directory, and views that exercise the base layout."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path


def directory(request: HttpRequest) -> HttpResponse:
    return HttpResponse("directory")


def with_messages(request: HttpRequest) -> HttpResponse:
    messages.success(request, "已保存。")
    messages.error(request, "提交失败。")
    return render(request, "404.html")


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("test failure")


orgs_patterns = ([path("", directory, name="directory")], "orgs")

urlpatterns = [
    path("", include("gongkai.portal.urls")),
    path("accounts/", include("gongkai.accounts.urls")),
    path("orgs/", include(orgs_patterns)),
    path("test/messages/", with_messages),
    path("test/boom/", boom),
]

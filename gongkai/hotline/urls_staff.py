from django.urls import path

from . import views_staff

app_name = "hotline_staff"
urlpatterns = [
    path("", views_staff.index, name="index"),
    path("new/", views_staff.new, name="new"),
    path("dispatch/", views_staff.dispatch_queue, name="dispatch"),
    path("mine/", views_staff.mine, name="mine"),
    path("callbacks/", views_staff.call_backs, name="call-backs"),
    path("supervision/", views_staff.supervisions, name="supervisions"),
    path("extensions/", views_staff.extensions, name="extensions"),
    path("rd/", views_staff.topics, name="topics"),
    path("<str:number>/", views_staff.order, name="order"),
    path("<str:number>/<str:action>/", views_staff.act, name="act"),
]

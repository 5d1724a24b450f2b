from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("register/", views.register_view, name="register"),
    path("password/", views.password_change_view, name="password-change"),
    path("staff/", views.staff_list_view, name="staff-list"),
    path("staff/new/", views.staff_create_view, name="staff-create"),
    path("staff/<int:pk>/", views.staff_detail_view, name="staff-detail"),
    path(
        "staff/<int:pk>/<str:action>/",
        views.staff_action_view,
        name="staff-action",
    ),
]

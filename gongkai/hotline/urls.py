from django.urls import path

from . import views

app_name = "hotline"
urlpatterns = [
    path("new/", views.new, name="new"),
    path("receipt/", views.receipt, name="receipt"),
    path("mine/", views.mine, name="mine"),
    path("mine/<str:number>/rate/", views.rate, name="rate"),
    path("messages/", views.board, name="board"),
    path("messages/<str:number>/", views.message, name="message"),
    path("rates/", views.rates, name="rates"),
    path("rates/xlsx/", views.rates_xlsx, name="rates-xlsx"),
]

from django.urls import path

from deskwise.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.new_request, name="new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/message/", views.request_message, name="message"),
    path("requests/<int:pk>/confirm/", views.request_confirm, name="confirm"),
    path("confirm/<str:token>/", views.confirm_by_link, name="confirm_link"),
]

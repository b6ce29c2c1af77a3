from django.contrib.auth import views as auth_views
from django.urls import path

from deskwise.accounts import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/link/", views.login_link_request, name="login_link"),
    path("login/link/<str:token>/", views.login_link_consume, name="login_link_consume"),
]

from django.urls import path

from deskwise.mail import views

app_name = "mail"

urlpatterns = [
    path("<int:pk>/", views.original, name="original"),
    path("<int:pk>/raw/", views.raw, name="raw"),
]

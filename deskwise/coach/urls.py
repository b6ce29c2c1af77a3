from django.urls import URLPattern

app_name = "coach"

urlpatterns: list[URLPattern] = []

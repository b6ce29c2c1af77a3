from django.urls import URLPattern

app_name = "timelog"

urlpatterns: list[URLPattern] = []

from django.urls import URLPattern, path

from deskwise.coach import views

app_name = "coach"

urlpatterns: list[URLPattern] = [
    path("coach/tickets/<int:ticket_pk>/check/", views.check_reply, name="check"),
    path("coach/tickets/<int:ticket_pk>/fix/", views.fix_reply, name="fix"),
    path("coach/tickets/<int:ticket_pk>/approach/", views.approach, name="approach"),
    path("desk/coach/", views.measurement, name="measurement"),
]

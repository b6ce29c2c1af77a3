from django.urls import path

from deskwise.timelog import views

app_name = "timelog"

urlpatterns = [
    path("time/tickets/<int:pk>/", views.for_ticket, name="for_ticket"),
    path("time/tickets/<int:pk>/quick/", views.quick, name="quick"),
    path("time/tickets/<int:pk>/log/", views.log, name="log"),
    path("time/tickets/<int:pk>/timer/start/", views.timer_start, name="timer_start"),
    path("time/tickets/<int:pk>/timer/stop/", views.timer_stop, name="timer_stop"),
    path("time/tickets/<int:pk>/entries/<int:entry_pk>/remove/", views.remove, name="remove"),
]

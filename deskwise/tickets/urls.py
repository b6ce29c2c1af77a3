from django.urls import path

from deskwise.tickets import views

app_name = "tickets"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("next/", views.next_ticket, name="next"),
    path("log/", views.log_new, name="log"),
    path("log/contacts/", views.contact_lookup, name="contact_lookup"),
    path("tickets/<int:pk>/", views.ticket_detail, name="detail"),
    path("tickets/<int:pk>/<slug:action>/", views.ticket_action, name="action"),
]

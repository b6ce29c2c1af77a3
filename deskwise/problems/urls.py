from django.urls import path

from deskwise.problems import views

app_name = "problems"

urlpatterns = [
    path("desk/problems/", views.problem_list, name="list"),
    path("desk/problems/new/", views.problem_new, name="new"),
    path("desk/problems/recurring/", views.recurring, name="recurring"),
    path("desk/problems/recurring/create/", views.recurring_create, name="recurring_create"),
    path("desk/problems/for-ticket/<int:ticket_pk>/", views.for_ticket, name="for_ticket"),
    path(
        "desk/problems/for-ticket/<int:ticket_pk>/link/",
        views.for_ticket_link,
        name="for_ticket_link",
    ),
    path(
        "desk/problems/for-ticket/<int:ticket_pk>/root-cause/",
        views.for_ticket_root_cause,
        name="for_ticket_root_cause",
    ),
    path("desk/problems/<int:pk>/", views.problem_detail, name="detail"),
    path("desk/problems/<int:pk>/edit/", views.problem_edit, name="edit"),
    path("desk/problems/<int:pk>/link/", views.incident_link, name="link"),
    path(
        "desk/problems/<int:pk>/unlink/<int:ticket_pk>/",
        views.incident_unlink,
        name="unlink",
    ),
]

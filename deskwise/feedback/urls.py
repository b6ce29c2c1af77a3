from django.urls import path

from deskwise.feedback import views

app_name = "feedback"

urlpatterns = [
    path("survey/<str:token>/", views.answer, name="answer"),
    path("survey/<str:token>/thanks/", views.thanks, name="thanks"),
    path("portal/requests/<int:pk>/closing-questions/", views.answer_signed_in, name="mine"),
    path("desk/satisfaction/", views.satisfaction, name="satisfaction"),
    path("desk/satisfaction/followups/", views.followups, name="followups"),
    path("desk/satisfaction/followups/<int:pk>/done/", views.followup_done, name="followup_done"),
]

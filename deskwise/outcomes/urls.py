from django.urls import path

from deskwise.outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("tickets/<int:pk>/decide/<slug:kind>/", views.decide, name="decide"),
    path("declines/", views.register, name="register"),
    path("declines/export.csv", views.register_export, name="register_export"),
    path("declines/analysis/", views.register_analysis, name="analysis"),
    path("declines/analysis/case/<int:number>/", views.make_the_case, name="case"),
    path("asked-directly/", views.off_channel, name="off_channel"),
    path("asked-directly/nudge/", views.nudge, name="nudge"),
]

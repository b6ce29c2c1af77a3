from django.urls import URLPattern, path

from deskwise.reports import views

app_name = "reports"

urlpatterns: list[URLPattern] = [
    path("desk/reports/", views.report_list, name="list"),
    path("desk/reports/<slug:slug>/", views.report_detail, name="detail"),
    path("desk/reports/<slug:slug>/export.csv", views.report_export, name="export"),
    path("desk/dashboard/", views.dashboard, name="dashboard"),
    path("desk/dashboard/panels/<slug:name>/", views.dashboard_panel, name="panel"),
]

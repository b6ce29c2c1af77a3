from django.urls import path

from deskwise.kb import views

app_name = "kb"

urlpatterns = [
    path("kb/", views.article_list, name="list"),
    path("kb/files/<int:pk>/<str:name>", views.file_download, name="file"),
    path("kb/<slug:slug>/", views.article_detail, name="article"),
    path("kb/<slug:slug>/solved/", views.article_solved, name="solved"),
    path("desk/kb/", views.desk_list, name="desk_list"),
    path("desk/kb/new/", views.desk_new, name="desk_new"),
    path("desk/kb/<slug:slug>/edit/", views.desk_edit, name="desk_edit"),
    path("desk/kb/<slug:slug>/history/", views.desk_history, name="desk_history"),
    path("desk/kb/<slug:slug>/archive/", views.desk_archive, name="desk_archive"),
]

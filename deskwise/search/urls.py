from django.urls import path

from deskwise.search import views

app_name = "search"

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/suggest/", views.suggest, name="suggest"),
    path("search/tickets/<int:pk>/articles/", views.ticket_articles, name="ticket_articles"),
    path("search/tickets/<int:pk>/similar/", views.ticket_similar, name="ticket_similar"),
]

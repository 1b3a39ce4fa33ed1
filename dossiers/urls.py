from django.urls import path

from . import views

app_name = "dossiers"

urlpatterns = [
    path("units/<int:pk>/dossiers/", views.report_list_view, name="list"),
    path("units/<int:pk>/dossiers/<str:period>/", views.report_entry_view, name="entry"),
    path("units/<int:pk>/dossiers/<str:period>/review/", views.report_review_view, name="review"),
]

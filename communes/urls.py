from django.urls import path

from . import views

app_name = "communes"

urlpatterns = [
    path("", views.unit_list_view, name="unit_list"),
    path("<int:pk>/", views.unit_detail_view, name="unit_detail"),
]

from django.urls import path, re_path

from . import views

app_name = "dossiers"

urlpatterns = [
    path("review/", views.inbox_view, name="inbox"),
    path("review/approve/", views.inbox_approve_view, name="inbox_approve"),
    path("review/remind/", views.inbox_remind_view, name="inbox_remind"),
    path("overview/<str:period>/", views.country_overview_view, name="overview_country"),
    path("units/<int:pk>/overview/", views.overview_latest_view, name="overview_latest"),
    path("units/<int:pk>/overview/<str:period>/", views.overview_view, name="overview"),
    path("units/<int:pk>/board/", views.board_latest_view, name="board_latest"),
    path("units/<int:pk>/board/<int:year>/", views.board_view, name="board"),
    path("board/", views.country_board_latest_view, name="board_country_latest"),
    path("board/<int:year>/", views.country_board_view, name="board_country"),
    path("units/<int:pk>/dossiers/", views.report_list_view, name="list"),
    path("units/<int:pk>/dossiers/<str:period>/", views.report_entry_view, name="entry"),
    path("units/<int:pk>/dossiers/<str:period>/review/", views.report_review_view, name="review"),
    path("units/<int:pk>/dossiers/<str:period>/choose/", views.period_choose_view, name="choose"),
    path("units/<int:pk>/dossiers/<str:period>/import/", views.report_import_view, name="import"),
    re_path(
        r"^units/(?P<pk>[0-9]+)/dossiers/(?P<period>[^/]+)/bieu06\.(?P<fmt>xlsx|csv)$",
        views.report_export_view,
        name="export",
    ),
]

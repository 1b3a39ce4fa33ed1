"""URLs of the index. Each page family adds its routes in its own block."""

from django.urls import path  # noqa: F401

from .views import appraisal, rankings
from .views import assessment as assessment_views
from .views import frameworks as framework_views

app_name = "indices"

urlpatterns = [
    # --- self-assessment and evidence (views/assessment.py) ---
    path("xa/<int:unit_pk>/", assessment_views.assessment_list, name="assessment_list"),
    path("danh-gia/<int:pk>/", assessment_views.assessment_detail, name="assessment_detail"),
    path(
        "danh-gia/<int:pk>/tieu-chi/<int:criterion_pk>/",
        assessment_views.assessment_score_save,
        name="assessment_score_save",
    ),
    path(
        "danh-gia/<int:pk>/tieu-chi/<int:criterion_pk>/tai-lieu/",
        assessment_views.assessment_evidence_upload,
        name="assessment_evidence_upload",
    ),
    path("danh-gia/<int:pk>/gui/", assessment_views.assessment_submit, name="assessment_submit"),
    path("tai-lieu/<int:pk>/", assessment_views.evidence_download, name="evidence_download"),
    path("tai-lieu/<int:pk>/xoa/", assessment_views.evidence_delete, name="evidence_delete"),
    # --- appraisal (views/appraisal.py) ---
    path("dot/", appraisal.round_list_view, name="round_list"),
    path("dot/mo/", appraisal.round_create_view, name="round_create"),
    path("dot/<int:pk>/", appraisal.round_detail_view, name="round_detail"),
    path("dot/<int:pk>/cong-bo/", appraisal.round_publish_view, name="round_publish"),
    path("dot/<int:pk>/thu-hoi-cong-bo/", appraisal.round_unpublish_view, name="round_unpublish"),
    path("dot/<int:pk>/khao-sat/", appraisal.round_survey_view, name="round_survey"),
    path("dot/<int:pk>/khao-sat/tai-len/", appraisal.round_survey_upload_view, name="round_survey_upload"),
    path(
        "dot/<int:pk>/khao-sat/mau.xlsx", appraisal.round_survey_template_view, name="round_survey_template"
    ),
    path("danh-gia/<int:pk>/tham-dinh/", appraisal.assessment_appraise_view, name="assessment_appraise"),
    path(
        "danh-gia/<int:pk>/tham-dinh/<int:criterion>/",
        appraisal.assessment_appraise_leaf_view,
        name="assessment_appraise_leaf",
    ),
    path(
        "danh-gia/<int:pk>/yeu-cau-giai-trinh/",
        appraisal.assessment_request_explanation_view,
        name="assessment_request_explanation",
    ),
    path("danh-gia/<int:pk>/giai-trinh/", appraisal.assessment_explain_view, name="assessment_explain"),
    path(
        "danh-gia/<int:pk>/dong-y-diem-tu-cham/",
        appraisal.assessment_accept_self_scores_view,
        name="assessment_accept_self_scores",
    ),
    path(
        "danh-gia/<int:pk>/hoan-tat-tham-dinh/",
        appraisal.assessment_finalise_view,
        name="assessment_finalise",
    ),
    path("danh-gia/<int:pk>/mo-lai-tham-dinh/", appraisal.assessment_reopen_view, name="assessment_reopen"),
    path("danh-gia/<int:pk>/diem-thuong-tru/", appraisal.adjustment_add_view, name="adjustment_add"),
    path("diem-thuong-tru/<int:pk>/xoa/", appraisal.adjustment_delete_view, name="adjustment_delete"),
    # --- rankings, the commune's results, the public page (views/rankings.py) ---
    path("dot/<int:pk>/xep-hang/", rankings.ranking_view, name="ranking_page"),
    path("dot/<int:pk>/xep-hang.<str:fmt>", rankings.ranking_export_view, name="ranking_export"),
    path("xa/<int:unit_pk>/ket-qua/", rankings.commune_results_view, name="commune_results"),
    path("cong-khai/", rankings.public_round_list_view, name="public_rounds"),
    path("cong-khai/<int:pk>/", rankings.public_ranking_view, name="public_ranking"),
    # --- frameworks (views/frameworks.py) ---
    path("bo-chi-so/", framework_views.framework_list_view, name="framework_list"),
    path("bo-chi-so/nhap/", framework_views.framework_import_view, name="framework_import"),
    path("bo-chi-so/<int:pk>/", framework_views.framework_detail_view, name="framework_detail"),
    path("bo-chi-so/<int:pk>/excel/", framework_views.framework_export_view, name="framework_export"),
]

"""URLs of the reports. Each part adds its routes in its own block."""

from django.urls import path  # noqa: F401

from .views import batch, meetings, plans, register, reports

app_name = "reports"

urlpatterns = [
    # --- meetings, tasks, plan, document register (views/meetings.py, views/plans.py, views/register.py) ---
    path("xa/<int:unit_pk>/cuoc-hop/", meetings.meeting_list_view, name="meeting_list"),
    path("xa/<int:unit_pk>/cuoc-hop/them/", meetings.meeting_create_view, name="meeting_create"),
    path("cuoc-hop/<int:pk>/", meetings.meeting_detail_view, name="meeting_detail"),
    path("cuoc-hop/<int:pk>/sua/", meetings.meeting_edit_view, name="meeting_edit"),
    path("cuoc-hop/<int:pk>/xoa/", meetings.meeting_delete_view, name="meeting_delete"),
    path("cuoc-hop/<int:meeting_pk>/nhiem-vu/them/", meetings.task_create_view, name="task_create"),
    path("nhiem-vu/<int:pk>/sua/", meetings.task_edit_view, name="task_edit"),
    path("nhiem-vu/<int:pk>/xoa/", meetings.task_delete_view, name="task_delete"),
    path("nhiem-vu/<int:pk>/trang-thai/", meetings.task_status_view, name="task_status"),
    path("xa/<int:unit_pk>/nhiem-vu/", meetings.task_tracker_view, name="task_tracker"),
    path("xa/<int:unit_pk>/ke-hoach/", plans.plan_list_view, name="plan_list"),
    path("xa/<int:unit_pk>/ke-hoach/them/", plans.plan_create_view, name="plan_create"),
    path("xa/<int:unit_pk>/ke-hoach/<int:year>/", plans.plan_detail_view, name="plan_detail"),
    path("xa/<int:unit_pk>/ke-hoach/<int:year>/sua/", plans.plan_edit_view, name="plan_edit"),
    path(
        "xa/<int:unit_pk>/ke-hoach/<int:year>/nhiem-vu/them/",
        plans.plan_task_create_view,
        name="plan_task_create",
    ),
    path("xa/<int:unit_pk>/ke-hoach/<int:year>/nhap/", plans.plan_import_view, name="plan_import"),
    path("ke-hoach/nhiem-vu/<int:pk>/sua/", plans.plan_task_edit_view, name="plan_task_edit"),
    path("ke-hoach/nhiem-vu/<int:pk>/xoa/", plans.plan_task_delete_view, name="plan_task_delete"),
    path("ke-hoach/nhiem-vu/<int:pk>/hoan-thanh/", plans.plan_task_done_view, name="plan_task_done"),
    path("xa/<int:unit_pk>/van-ban/", register.document_list_view, name="document_list"),
    path("xa/<int:unit_pk>/van-ban/them/", register.document_create_view, name="document_create"),
    path("xa/<int:unit_pk>/van-ban/nhap/", register.document_import_view, name="document_import"),
    path("van-ban/<int:pk>/sua/", register.document_edit_view, name="document_edit"),
    path("van-ban/<int:pk>/xoa/", register.document_delete_view, name="document_delete"),
    # --- report composer, issuing, downloads (views/reports.py) ---
    path("don-vi/<int:unit_pk>/", reports.report_list_view, name="report_list"),
    path("don-vi/<int:unit_pk>/soan/", reports.report_create_view, name="report_create"),
    path("<int:pk>/", reports.report_detail_view, name="report_detail"),
    path("<int:pk>/sua/", reports.report_edit_view, name="report_edit"),
    path("<int:pk>/cap-nhat-so-lieu/", reports.report_refresh_view, name="report_refresh"),
    path("<int:pk>/xem-truoc.pdf", reports.report_preview_view, name="report_preview"),
    path("<int:pk>/ban-word.docx", reports.report_docx_view, name="report_docx"),
    path("<int:pk>/ban-hanh/", reports.report_issue_view, name="report_issue"),
    path("<int:pk>/tai-ve.pdf", reports.report_download_view, name="report_download"),
    path("<int:pk>/dinh-chinh/", reports.report_correct_view, name="report_correct"),
    path("<int:pk>/xoa/", reports.report_delete_view, name="report_delete"),
    # --- many at once: batch printing (views/batch.py) ---
    path("in-hang-loat/don-vi/<int:unit_pk>/", batch.batch_start_view, name="batch_start"),
    path("in-hang-loat/<uuid:batch_id>/", batch.batch_detail_view, name="batch_detail"),
    path("in-hang-loat/<uuid:batch_id>/tai-ve.zip", batch.batch_download_view, name="batch_download"),
    path("in-hang-loat/<uuid:batch_id>/in-tiep/", batch.batch_resume_view, name="batch_resume"),
]

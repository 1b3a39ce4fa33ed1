"""URLs of the reports. Each part adds its routes in its own block."""

from django.urls import path  # noqa: F401

app_name = "reports"

urlpatterns = [
    # --- meetings, tasks, plan, document register (views/records.py) ---
    # --- report composer, issuing, downloads (views/reports.py) ---
    # --- many at once: batch printing (views/batch.py) ---
]

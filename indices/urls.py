"""URLs of the index. Each page family adds its routes in its own block."""

from django.urls import path  # noqa: F401

app_name = "indices"

urlpatterns = [
    # --- self-assessment and evidence (views/assessment.py) ---
    # --- appraisal (views/appraisal.py) ---
    # --- rankings, the commune's results, the public page (views/rankings.py) ---
    # --- frameworks (views/frameworks.py) ---
]

"""Views of the index, one module per page family (assessment, appraisal, rankings, frameworks)."""

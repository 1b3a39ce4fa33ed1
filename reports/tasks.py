"""Background tasks of the reports (django-tasks; run by ``manage.py db_worker``).

Tasks are thin: they take JSON-friendly arguments and call a service.
"""

from __future__ import annotations

from django_tasks import task

from .services.batch import batch_item_print


@task()
def print_batch_item(batch_id: str, key: str) -> bool:
    """Print one report of a batch (``reports.services.batch``); the last one writes the zip."""
    return batch_item_print(batch_id=batch_id, key=key)

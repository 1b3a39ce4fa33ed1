"""The dossier views, one module per page family."""

from .board import board_latest_view, board_view, country_board_latest_view, country_board_view
from .entry import report_entry_view, report_export_view, report_review_view
from .imports import IMPORT_SALT, report_import_view
from .lists import (
    country_overview_view,
    inbox_approve_view,
    inbox_remind_view,
    inbox_view,
    overview_latest_view,
    overview_view,
    report_list_view,
)
from .periods import period_choose_view

__all__ = [
    "IMPORT_SALT",
    "board_latest_view",
    "board_view",
    "country_board_latest_view",
    "country_board_view",
    "country_overview_view",
    "inbox_approve_view",
    "inbox_remind_view",
    "inbox_view",
    "overview_latest_view",
    "overview_view",
    "period_choose_view",
    "report_entry_view",
    "report_export_view",
    "report_import_view",
    "report_list_view",
    "report_review_view",
]

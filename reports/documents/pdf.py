"""The PDF: the document as HTML for WeasyPrint (``templates/reports/document/report.html``,
``static/css/print.css``), printed by ``core.pdf``."""

from __future__ import annotations

from django.template.loader import render_to_string

from core.pdf import render_pdf

from ..models import Report
from .document import document_for


def report_html(report: Report) -> str:
    """The document as HTML for WeasyPrint and ``static/css/print.css``."""
    return render_to_string("reports/document/report.html", {"doc": document_for(report)})


def report_pdf(report: Report) -> bytes:
    """The document as an A4 PDF, every font embedded."""
    return render_pdf(report_html(report))

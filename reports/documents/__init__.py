"""The documents themselves: a report as HTML for WeasyPrint (the PDF) and as a Word copy.

Both print the one ``Document`` that ``document_for`` gathers from the report, so the PDF and the
Word copy cannot drift apart. The package: ``document`` (what both documents show, after Nghị định
30/2020/NĐ-CP, Phụ lục I, and the SVG allow-list of the charts), ``pdf`` (the HTML and the PDF) and
``word`` (the Word copy).
"""

from __future__ import annotations

from .document import DataTable, Document, HeaderCell, Part, document_for, sanitise_svg
from .pdf import report_html, report_pdf
from .word import report_docx

__all__ = [
    "DataTable",
    "Document",
    "HeaderCell",
    "Part",
    "document_for",
    "report_docx",
    "report_html",
    "report_pdf",
    "sanitise_svg",
]

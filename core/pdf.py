"""PDF documents rendered with WeasyPrint, in the bundled fonts and the print stylesheet."""

from __future__ import annotations

from django.conf import settings
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

PRINT_STYLESHEET = settings.BASE_DIR / "static" / "css" / "print.css"


def render_pdf(html: str) -> bytes:
    """``html`` as an A4 PDF in the layout of Nghị định 30/2020, every font embedded.

    The HTML is trusted: callers render it from templates that escape user text.
    """
    # The stylesheet's @font-face rules only take effect through a shared FontConfiguration.
    fonts = FontConfiguration()
    stylesheet = CSS(filename=str(PRINT_STYLESHEET), font_config=fonts)
    document = HTML(string=html, base_url=str(PRINT_STYLESHEET.parent))
    return document.write_pdf(stylesheets=[stylesheet], font_config=fonts)

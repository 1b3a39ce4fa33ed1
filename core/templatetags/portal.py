from __future__ import annotations

from django import template

from core.formatting import format_number

register = template.Library()


@register.filter
def vn_number(value, decimals: int = 0) -> str:
    """{{ 1292|vn_number }} → 1.292; {{ 84.16|vn_number:2 }} → 84,16."""
    return format_number(value, int(decimals))

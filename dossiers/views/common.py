"""What the dossier views share."""

from django.http import Http404
from django.utils.translation import gettext as _

from communes.selectors import get_unit_for_user
from core import periods

from ..selectors import parse_period_or_404


def _commune_for(user, pk: int):
    unit = get_unit_for_user(user, pk)
    if not unit.is_commune:
        raise Http404(_("Chỉ xã, phường mới có báo cáo hồ sơ TTHC."))
    return unit


def _parts() -> list[tuple[str, str]]:
    """The parts of a year the period picker offers: value for ``phan``, label."""
    return [
        *((f"{m:02d}", _("Tháng %(month)s") % {"month": m}) for m in range(1, 13)),
        *(
            (f"Q{q}", _("Quý %(quarter)s") % {"quarter": roman})
            for q, roman in enumerate(("I", "II", "III", "IV"), 1)
        ),
        ("H1", _("6 tháng đầu năm")),
        ("H2", _("6 tháng cuối năm")),
        ("9M", _("9 tháng")),
        ("Y", _("Cả năm")),
    ]


def picked_period(request) -> periods.Period | None:
    """The period chosen in the picker (``nam`` and ``phan``), or written as ``ky``; None when
    neither is given. A period that does not exist is a 404 with the reason."""
    year, part = request.GET.get("nam", "").strip(), request.GET.get("phan", "").strip()
    if year or part:
        code = year if part in ("", "Y") else f"{year}-{part}"
        return parse_period_or_404(code)
    wanted = request.GET.get("ky", "").strip()
    return parse_period_or_404(wanted) if wanted else None


def period_picker(period: periods.Period, *, today) -> dict:
    """What the picker shows: the years from 2021 (the portal's first data) to this one, and the
    parts of a year, with ``period`` selected."""
    part = {
        periods.Kind.MONTH: f"{period.number:02d}",
        periods.Kind.QUARTER: f"Q{period.number}",
        periods.Kind.HALF: f"H{period.number}",
        periods.Kind.NINE_MONTHS: "9M",
        periods.Kind.YEAR: "Y",
    }[period.kind]
    years = list(range(max(today.year, period.year), min(2021, period.year) - 1, -1))
    return {
        "years": years,
        "parts": _parts(),
        "year": period.year,
        "part": part,
    }

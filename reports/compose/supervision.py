"""The supervision report over several years (seed 004)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit
from core import periods
from core.charts import bar_chart

from ..models import DocumentType, Report
from ..selectors.records import document_counts_between, plan_progress
from .common import (
    CHART_WIDTH,
    Composed,
    _calendar,
    _cell,
    _dossier_facts,
    _empty_snapshot,
    _figures,
    _index_paragraphs,
    _ordered,
    _p,
    _table,
    _tasks_ahead_html,
    _ul,
    _unit_word,
    _year_to_date,
    n,
)


def _supervision(report: Report, unit: AdministrativeUnit, period: periods.Period) -> Composed:
    """A supervision report over the years ``year_from`` to the end of ``period`` (seed 004)."""
    snapshot = _empty_snapshot()
    year_from = report.year_from or period.year
    calendar = _calendar(unit)
    last = period.dates(calendar)[1]
    first = periods.Period(year_from, periods.Kind.YEAR).dates(periods.Calendar.CALENDAR)[0]
    from dossiers.figures import Figures

    by_year: list[tuple[int, dict]] = []
    for year in range(year_from, period.year + 1):
        lines = (
            _figures(unit, periods.Period(year, periods.Kind.YEAR)).lines
            if year < period.year
            else _year_to_date(unit, period)
        )
        by_year.append((year, lines))
    rows, paragraphs = [], []
    grand = Figures()
    for year, lines in by_year:
        total = sum(lines.values(), Figures())
        grand = grand + total
        named = _ordered(lines)
        for i, (name, f) in enumerate(named):
            rows.append(
                [
                    str(year) if i == 0 else "",
                    name,
                    n(f.received_total),
                    n(f.received_online),
                    n(f.resolved_total),
                    n(f.resolved_early + f.resolved_on_time),
                    n(f.resolved_late),
                ]
            )
        rows.append(
            [
                str(year) if not named else "",
                _("Cộng năm %(year)s") % {"year": year},
                n(total.received_total),
                n(total.received_online),
                n(total.resolved_total),
                n(total.resolved_early + total.resolved_on_time),
                n(total.resolved_late),
            ]
        )
        label = (
            _("Năm %(year)s") % {"year": year}
            if year < period.year or period.kind == periods.Kind.YEAR
            else _("Năm %(year)s (đến ngày %(day)s)") % {"year": year, "day": last.strftime("%d/%m/%Y")}
        )
        detail = "; ".join(f"{name}: {n(f.resolved_total)}" for name, f in named)
        paragraphs.append(
            _("%(label)s: tổng số hồ sơ tiếp nhận %(received)s, đã giải quyết %(resolved)s%(detail)s.")
            % {
                "label": label,
                "received": n(total.received_total),
                "resolved": n(total.resolved_total),
                "detail": _(" (trong đó: %(detail)s)") % {"detail": detail} if detail else "",
            }
        )
    header = [
        [
            _cell(_("Năm"), rowspan=2),
            _cell(_("Lĩnh vực"), rowspan=2),
            _cell(_("Số hồ sơ tiếp nhận"), colspan=2),
            _cell(_("Số hồ sơ đã giải quyết"), colspan=3),
        ],
        [
            _cell(_("Tổng số")),
            _cell(_("Trực tuyến")),
            _cell(_("Tổng số")),
            _cell(_("Đúng hạn")),
            _cell(_("Quá hạn")),
        ],
    ]
    grand_row = [
        "",
        _("Tổng cộng"),
        n(grand.received_total),
        n(grand.received_online),
        n(grand.resolved_total),
        n(grand.resolved_early + grand.resolved_on_time),
        n(grand.resolved_late),
    ]
    snapshot["tables"]["dossiers_by_year"] = _table(
        _("Hồ sơ thủ tục hành chính theo năm và lĩnh vực"),
        header,
        rows,
        grand_row,
        [False, False, True, True, True, True, True],
    )
    snapshot["charts"]["dossiers_by_year"] = str(
        bar_chart(
            labels=[str(year) for year, _lines in by_year],
            values=[sum(lines.values(), Figures()).resolved_total for _year, lines in by_year],
            title=_("Số hồ sơ đã giải quyết theo năm"),
            decimals=0,
            width=CHART_WIDTH,
        )
    )
    counts = document_counts_between(unit, first, last)
    names = dict(DocumentType.choices)
    codes = sorted({code for by_type in counts.values() for code in by_type})
    doc_rows = [
        [
            str(year),
            *[n(counts.get(year, {}).get(code, 0)) for code in codes],
            n(sum(counts.get(year, {}).values())),
        ]
        for year in range(year_from, period.year + 1)
    ]
    snapshot["tables"]["documents_by_year"] = _table(
        _("Văn bản chỉ đạo, điều hành đã ban hành theo năm"),
        [[_cell(_("Năm")), *[_cell(str(names.get(code, code))) for code in codes], _cell(_("Tổng số"))]],
        doc_rows,
        [
            _("Tổng cộng"),
            *[n(sum(c.get(code, 0) for c in counts.values())) for code in codes],
            n(sum(sum(c.values()) for c in counts.values())),
        ],
        [False, *[True] * (len(codes) + 1)],
    )
    snapshot["facts"].update(_dossier_facts(grand))
    snapshot["facts"]["date_from"] = first.strftime("%d/%m/%Y")
    snapshot["facts"]["date_to"] = last.strftime("%d/%m/%Y")
    for year in range(year_from, period.year + 1):
        snapshot["facts"][f"documents_{year}"] = n(sum(counts.get(year, {}).values()))
    index_html, index_facts = _index_paragraphs(unit, period.year)
    snapshot["facts"].update(index_facts)

    word = _unit_word(unit)
    subject = _("UBND %(word)s %(name)s") % {"word": word, "name": unit.short_name}
    span = _("từ %(first)s đến ngày %(last)s") % {
        "first": first.strftime("%d/%m/%Y"),
        "last": last.strftime("%d/%m/%Y"),
    }
    doc_items = [
        _("Văn bản chỉ đạo năm %(year)s (%(count)s văn bản)")
        % {"year": year, "count": sum(counts.get(year, {}).values())}
        for year in range(year_from, period.year + 1)
    ]
    sections = [
        (
            "",
            _p(_("%(subject)s báo cáo công tác CCHC %(span)s như sau:") % {"subject": subject, "span": span}),
            "",
        ),
        (
            _("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH"),
            _p(
                _(
                    "Hệ thống các văn bản chỉ đạo, điều hành của đơn vị đã ban hành để thực hiện có hiệu quả "
                    "công tác CCHC:"
                )
            )
            + _ul(doc_items),
            "documents_by_year",
        ),
        (
            _("II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH"),
            "".join(_p(p) for p in paragraphs)
            + _p(
                _(
                    "Tổng số hồ sơ đã giải quyết trước hạn, đúng hạn %(in_time)s; "
                    "giải quyết quá hạn %(late)s; "
                    "đã gửi %(letters)s văn bản xin lỗi."
                )
                % {
                    "in_time": n(grand.resolved_early + grand.resolved_on_time),
                    "late": n(grand.resolved_late),
                    "letters": n(grand.apology_letters),
                }
            ),
            "dossiers_by_year",
        ),
        (_("III. CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"), index_html, ""),
        (
            _("IV. TỒN TẠI, VƯỚNG MẮC VÀ NGUYÊN NHÂN"),
            _p(_("(Đơn vị bổ sung những tồn tại, vướng mắc và nguyên nhân.)")),
            "",
        ),
        (
            _("V. NHIỆM VỤ, GIẢI PHÁP"),
            _tasks_ahead_html(plan_progress(unit, period.year, last)),
            "",
        ),
        (
            _("VI. KIẾN NGHỊ, ĐỀ XUẤT"),
            _p(_("Kính đề nghị chính quyền các cấp tiếp tục quan tâm chỉ đạo công tác CCHC."))
            + _p(
                _("Trên đây là báo cáo kết quả thực hiện công tác CCHC %(span)s của %(subject)s./.")
                % {"span": span, "subject": subject}
            ),
            "",
        ),
    ]
    return Composed(snapshot, sections)

"""What every kind of report shares: the HTML helpers, the dossier table and its sentences, the
index paragraphs, the document facts (addressee, signer, recipients, summary) and ``Composed``."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit, Era, Level, Membership, Role, User
from core import periods
from core.formatting import format_number

from ..models import Meeting, ReportKind, SignerMode
from ..selectors.records import PlanProgress

# --- small helpers ---------------------------------------------------------------------------


def n(value) -> str:
    return format_number(value)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _p(*sentences: str) -> str:
    """One paragraph of escaped text."""
    return f"<p>{escape(' '.join(s for s in sentences if s))}</p>"


def _ul(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>" if items else ""


def _cell(text: str, colspan: int = 1, rowspan: int = 1) -> dict:
    return {"text": str(text), "colspan": colspan, "rowspan": rowspan}


def _table(caption: str, header: list[list[dict]], rows: list[list[str]], total, numeric) -> dict:
    return {"caption": caption, "header": header, "rows": rows, "total": total, "numeric": numeric}


def _period(value) -> periods.Period:
    return value if isinstance(value, periods.Period) else periods.Period.parse(str(value))


def _calendar(unit: AdministrativeUnit) -> periods.Calendar:
    from dossiers.selectors import calendar_for

    return periods.Calendar(calendar_for(unit).calendar)


def _field_names() -> dict[int, str]:
    from dossiers.models import ProcedureField

    return dict(ProcedureField.objects.order_by("position", "name").values_list("pk", "name"))


def _ordered(lines: dict) -> list[tuple[str, object]]:
    """(lĩnh vực name, figures) in the catalogue's order."""
    names = _field_names()
    order = {pk: i for i, pk in enumerate(names)}
    return [(names.get(pk, "?"), lines[pk]) for pk in sorted(lines, key=lambda pk: order.get(pk, 10**6))]


def _unit_word(unit: AdministrativeUnit) -> str:
    """How a commune names itself in its own text: "xã", "phường", "thị trấn", "đặc khu"."""
    return _lower_first(unit.get_kind_display())


# --- the figures -----------------------------------------------------------------------------

# A document's chart is printed across the text (165 mm, about 468 pt, on A4 with the decree's
# margins): drawn this many units wide, its 11-unit labels print at about 11 pt (at the pages'
# 640 they printed at 8 pt, too small to read on paper).
CHART_WIDTH = 460

DOSSIER_HEADER = [
    [
        _cell("STT", rowspan=2),
        _cell("Lĩnh vực", rowspan=2),
        _cell("Số hồ sơ nhận giải quyết", colspan=2),
        _cell("Số hồ sơ đã giải quyết", colspan=3),
        _cell("Đang giải quyết", rowspan=2),
        _cell("Tỷ lệ trực tuyến", rowspan=2),
        _cell("Tỷ lệ đúng hạn", rowspan=2),
    ],
    [
        _cell("Tổng số"),
        _cell("Trực tuyến"),
        _cell("Tổng số"),
        _cell("Trước hạn, đúng hạn"),
        _cell("Quá hạn"),
    ],
]
DOSSIER_NUMERIC = [False, False, True, True, True, True, True, True, True, True]


def _dossier_cells(figures) -> list[str]:
    return [
        n(figures.received_total),
        n(figures.received_online),
        n(figures.resolved_total),
        n(figures.resolved_early + figures.resolved_on_time),
        n(figures.resolved_late),
        n(figures.pending_total),
        figures.online_rate_text or "–",
        figures.on_time_rate_text or "–",
    ]


def _dossier_table(caption: str, named: list[tuple[str, object]], total) -> dict:
    rows = [[str(i), name, *_dossier_cells(f)] for i, (name, f) in enumerate(named, start=1)]
    return _table(
        caption, DOSSIER_HEADER, rows, ["", _("Tổng cộng"), *_dossier_cells(total)], DOSSIER_NUMERIC
    )


def _dossier_facts(total) -> dict[str, str]:
    return {
        "received_total": n(total.received_total),
        "received_new": n(total.received_new),
        "received_online": n(total.received_online),
        "resolved_total": n(total.resolved_total),
        "resolved_in_time": n(total.resolved_early + total.resolved_on_time),
        "resolved_late": n(total.resolved_late),
        "pending_total": n(total.pending_total),
        "online_rate": total.online_rate_text,
        "on_time_rate": total.on_time_rate_text,
        "online_payments": n(total.online_payments),
        "payment_rate": total.payment_rate_text,
        "apology_letters": n(total.apology_letters),
        "pakn_received": n(total.pakn_received),
        "pakn_resolved": n(total.pakn_resolved),
    }


def _dossier_sentences(total) -> list[str]:
    """The sentences of seed 000, from the figures; nothing is said of a figure that is zero."""
    if not total.received_total and not total.resolved_total:
        return [_("Trong kỳ chưa có số liệu giải quyết hồ sơ thủ tục hành chính trên Cổng.")]
    sentences = [
        _(
            "Tổng số hồ sơ tiếp nhận: %(received)s hồ sơ; tổng số hồ sơ đã giải quyết: %(resolved)s hồ sơ, "
            "trong đó trước hạn và đúng hạn %(in_time)s hồ sơ%(rate)s, quá hạn %(late)s hồ sơ; "
            "đang giải quyết %(pending)s hồ sơ."
        )
        % {
            "received": n(total.received_total),
            "resolved": n(total.resolved_total),
            "in_time": n(total.resolved_early + total.resolved_on_time),
            "rate": f" ({total.on_time_rate_text})" if total.on_time_rate_text else "",
            "late": n(total.resolved_late),
            "pending": n(total.pending_total),
        }
    ]
    if total.received_new:
        sentences.append(
            _("Nộp hồ sơ qua dịch vụ công trực tuyến: %(online)s/%(received)s hồ sơ đạt %(rate)s.")
            % {
                "online": n(total.received_online),
                "received": n(total.received_new),
                "rate": total.online_rate_text,
            }
        )
    if total.online_payments:
        sentences.append(
            _(
                "Thực hiện thanh toán trực tuyến phí, lệ phí trong giải quyết TTHC %(count)s giao dịch "
                "(đạt tỷ lệ %(rate)s)."
            )
            % {"count": n(total.online_payments), "rate": total.payment_rate_text or "–"}
        )
    if total.late_total:
        sentences.append(
            _("Số hồ sơ trễ hẹn: %(late)s hồ sơ; đã gửi %(letters)s văn bản xin lỗi tổ chức, cá nhân.")
            % {"late": n(total.late_total), "letters": n(total.apology_letters)}
        )
    if total.pakn_received:
        sentences.append(
            _("Tiếp nhận %(received)s phản ánh, kiến nghị về quy định TTHC, đã giải quyết %(resolved)s.")
            % {"received": n(total.pakn_received), "resolved": n(total.pakn_resolved)}
        )
    return sentences


def _figures(unit: AdministrativeUnit, period: periods.Period):
    """The unit's figures by the portal's one rule: a commune's own document counts every report
    of the commune; a reviewer's document, what it reports upward (approved reports only)."""
    from dossiers.selectors import default_basis, figures_for

    return figures_for(unit=unit, period=period, basis=default_basis(unit))


def _year_to_date(unit: AdministrativeUnit, period: periods.Period):
    """The figures of the year up to the end of ``period``: the period itself when it starts in
    January (the year, the first half, nine months), else the months of the year so far."""
    from dossiers.figures import Figures

    if period.first_month == 1:
        return _figures(unit, period).lines
    last = period.months()[-1].number
    months = [
        _figures(unit, periods.Period(period.year, periods.Kind.MONTH, m)).lines for m in range(1, last + 1)
    ]
    present = [lines for lines in months if lines]
    lines: dict[int, Figures] = {}
    for month in present:
        for pk, figures in month.items():
            lines[pk] = lines.get(pk, Figures()) + figures
    for pk, figures in lines.items():
        opening, closing = present[0].get(pk, Figures()), present[-1].get(pk, Figures())
        lines[pk] = figures.replace(
            carried_over=opening.carried_over,
            pending_in_time=closing.pending_in_time,
            pending_overdue=closing.pending_overdue,
        )
    return lines


def _index_summary(unit: AdministrativeUnit, year: int):
    """The latest appraised index result of ``year``, else of the year before."""
    from indices.selectors.rankings import commune_index_summary

    for candidate in (year, year - 1):
        summary = commune_index_summary(unit, candidate)
        if summary is not None and summary.total is not None:
            return summary
    return None


def _index_paragraphs(unit: AdministrativeUnit, year: int) -> tuple[str, dict[str, str]]:
    summary = _index_summary(unit, year)
    if summary is None:
        return _p(_("Chưa có kết quả thẩm định Chỉ số CCHC của %(unit)s.") % {"unit": _unit_word(unit)}), {}
    facts = {"index_year": str(summary.year), "index_total": format_number(summary.total, 2)}
    if summary.rank is not None:
        facts["index_rank"] = f"{summary.rank}/{summary.group_size}"
        group = summary.round.group.name if summary.round.group_id else ""
        sentence = _(
            "Kết quả Chỉ số CCHC năm %(year)s của %(word)s đạt %(total)s điểm, xếp thứ %(rank)s/%(size)s "
            "xã, phường của %(group)s"
        ) % {
            "year": summary.year,
            "word": _unit_word(unit),
            "total": facts["index_total"],
            "rank": summary.rank,
            "size": summary.group_size,
            "group": _lower_first(group),
        }
    else:
        sentence = _("Kết quả Chỉ số CCHC năm %(year)s của %(word)s đạt %(total)s điểm") % {
            "year": summary.year,
            "word": _unit_word(unit),
            "total": facts["index_total"],
        }
    if summary.band:
        facts["index_band"] = summary.band
        sentence += _(", xếp loại %(band)s.") % {"band": summary.band}
    else:
        sentence += "."
    html = _p(sentence)
    weak = [
        _("%(code)s %(title)s: đạt %(points)s/%(max)s điểm")
        % {
            "code": w.code,
            "title": w.title,
            "points": format_number(w.points, 2),
            "max": format_number(w.max_points, 2),
        }
        for w in summary.weakest[:5]
    ]
    if weak:
        html += _p(_("Các tiêu chí, tiêu chí thành phần còn bị trừ nhiều điểm, cần tập trung khắc phục:"))
        html += _ul(weak)
    return html, facts


# --- the document facts ----------------------------------------------------------------------


def _addressee(unit: AdministrativeUnit, kind: str) -> str:
    if kind == ReportKind.CONCLUSION:
        return ""
    parent = unit.parent
    if unit.level == Level.COMMUNE:
        if parent is None:
            return ""
        if unit.era == Era.LEGACY and parent.level == Level.DISTRICT:
            return _("Phòng Nội vụ %(district)s") % {"district": _lower_first(parent.name)}
        while parent.parent_id is not None:
            parent = parent.parent
        return _("Sở Nội vụ %(province)s") % {"province": _lower_first(parent.name)}
    if unit.level == Level.DISTRICT:
        province = parent
        return _("Sở Nội vụ %(province)s") % {"province": _lower_first(province.name)} if province else ""
    return _("Ủy ban nhân dân %(province)s") % {"province": _lower_first(unit.name)}


def _signer(unit: AdministrativeUnit, kind: str, user: User) -> tuple[str, str, str]:
    """(mode, title, name): the commune's chairman (a vice-chairman signs "KT. CHỦ TỊCH / PHÓ CHỦ
    TỊCH"); for a reviewer's summary, the reviewer composing it."""
    if kind == ReportKind.SUMMARY:
        title = _("TRƯỞNG PHÒNG") if unit.level == Level.DISTRICT else _("GIÁM ĐỐC")
        return SignerMode.TM, title, user.display_name if user.is_authenticated else ""
    chairmen = list(
        Membership.objects.filter(unit=unit, role=Role.CHAIRMAN).select_related("user").order_by("pk")
    )
    chairmen.sort(key=lambda m: m.user.job_title.strip().lower().startswith("phó"))
    if not chairmen:
        return SignerMode.TM, _("CHỦ TỊCH"), ""
    person = chairmen[0].user
    if person.job_title.strip().lower().startswith("phó"):
        return SignerMode.KT, _("PHÓ CHỦ TỊCH"), person.display_name
    return SignerMode.TM, _("CHỦ TỊCH"), person.display_name


def _recipients(unit: AdministrativeUnit, kind: str) -> str:
    if kind == ReportKind.CONCLUSION:
        lines = [
            _("- TT Đảng ủy; (B/c)"),
            _("- TT HĐND %(word)s; (B/c)") % {"word": _unit_word(unit)},
            _("- CT, các PCT UBND %(word)s;") % {"word": _unit_word(unit)},
            _("- Các ngành, CBCC %(word)s;") % {"word": _unit_word(unit)},
        ]
    elif kind == ReportKind.SUMMARY:
        addressee = _addressee(unit, kind)
        lines = [f"- {addressee};"] if addressee else []
        lines += [_("- UBND các xã, phường;")]
    else:
        addressee = _addressee(unit, kind)
        lines = [f"- {addressee};"] if addressee else []
        lines += [
            _("- TT Đảng ủy, HĐND %(word)s;") % {"word": _unit_word(unit)},
            _("- CT, các PCT UBND %(word)s;") % {"word": _unit_word(unit)},
            _("- Các ban, ngành, đoàn thể;"),
        ]
    lines.append(_("- Lưu: VT, CCHC."))
    return "\n".join(lines)


def _summary(kind: str, period: periods.Period, meeting: Meeting | None) -> str:
    if kind == ReportKind.HALF_YEAR:
        return _("Sơ kết công tác cải cách hành chính %(period)s") % {"period": period.label}
    if kind == ReportKind.YEAR:
        return _("Tổng kết công tác cải cách hành chính %(period)s") % {"period": period.label}
    if kind == ReportKind.SUPERVISION:
        return _("Giám sát Cải cách hành chính")
    if kind == ReportKind.SUMMARY:
        return _("Tổng hợp kết quả công tác cải cách hành chính của các xã, phường %(period)s") % {
            "period": period.label
        }
    text = _("Kết luận của %(chair)s tại %(meeting)s") % {
        "chair": meeting.chair,
        "meeting": _lower_first(meeting.title),
    }
    return text[:300]


# --- per kind: the snapshot and the sections -------------------------------------------------


@dataclass
class Composed:
    snapshot: dict
    sections: list[tuple[str, str, str]]  # heading, body HTML, table name


def _empty_snapshot() -> dict:
    return {"tables": {}, "charts": {}, "facts": {}}


def _tasks_ahead_html(progress: PlanProgress) -> str:
    html = _p(
        _(
            "Tiếp tục đẩy mạnh giải quyết hồ sơ thông qua dịch vụ công trực tuyến, thanh toán trực tuyến; "
            "rà soát, theo dõi việc giải quyết thủ tục hành chính, kịp thời khắc phục việc trễ hẹn hồ sơ."
        )
    )
    if progress.open_tasks:
        html += _p(_("Tập trung hoàn thành các nhiệm vụ còn lại của Kế hoạch CCHC năm:"))
        html += _ul([t.description for t in progress.open_tasks[:10]])
    return html

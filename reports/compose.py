"""The report composer: a draft report with its document facts, its sections prefilled from the
data in the plain administrative Vietnamese of the seeds, and the snapshot of its figures.

``report_compose`` creates the draft; ``snapshot_build`` recomputes the figures of a report (the
"Cập nhật số liệu" button of a draft, and issuing). The sections' text is written once, at
composing: afterwards it belongs to the people who edit it.

The snapshot (the shared format the document renderer reads)::

    {"tables": {NAME: {"caption", "header" (rows of {"text", "colspan", "rowspan"}), "rows",
                       "total" (or None), "numeric"}},
     "charts": {NAME: "<svg …>"}, "facts": {key: str}}

Every cell is already written the Vietnamese way ("1.292", "91,64%").
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit, Era, Level, Membership, Role, User
from core import periods
from core.charts import bar_chart
from core.formatting import format_number, format_percent

from .models import (
    ConclusionTask,
    DirectiveDocument,
    DocumentType,
    Meeting,
    Plan,
    PlanTask,
    Report,
    ReportKind,
    ReportStatus,
    Section,
    SignerMode,
)
from .text import clean

COMMUNE_KINDS = (ReportKind.CONCLUSION, ReportKind.HALF_YEAR, ReportKind.YEAR, ReportKind.SUPERVISION)


class ComposeError(ValueError):
    """The report cannot be composed as asked; the message says why, in Vietnamese."""


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

DOSSIER_HEADER = [
    [
        _cell("STT", rowspan=2),
        _cell("Lĩnh vực", rowspan=2),
        _cell("Số hồ sơ nhận giải quyết", colspan=2),
        _cell("Số hồ sơ đã giải quyết", colspan=3),
        _cell("Đang giải quyết", rowspan=2),
        _cell("Tỉ lệ trực tuyến", rowspan=2),
        _cell("Tỉ lệ đúng hạn", rowspan=2),
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
                "(đạt tỉ lệ %(rate)s)."
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
    from dossiers.selectors import figures_for

    return figures_for(unit=unit, period=period)


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


# --- the register, the plan, the index -------------------------------------------------------


def next_number(unit: AdministrativeUnit, year: int) -> int:
    """The next number of ``unit``'s register in ``year``: one more than the largest number among
    its directive documents and its issued reports of that year."""
    documents = DirectiveDocument.objects.filter(unit=unit, issued_on__year=year).aggregate(top=Max("number"))
    reports = Report.objects.filter(unit=unit, status=ReportStatus.ISSUED, dated__year=year).aggregate(
        top=Max("number")
    )
    return max(documents["top"] or 0, reports["top"] or 0) + 1


def document_counts(unit: AdministrativeUnit, first: datetime.date, last: datetime.date) -> dict:
    """year → {type code → count} of the directive documents issued between two days."""
    rows = (
        DirectiveDocument.objects.filter(unit=unit, issued_on__range=(first, last))
        .annotate(year=ExtractYear("issued_on"))
        .values("year", "type_code")
        .annotate(count=Count("pk"))
        .order_by("year", "type_code")
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["year"], {})[row["type_code"]] = row["count"]
    return counts


@dataclass
class PlanProgress:
    plan: Plan | None
    done: int = 0
    total: int = 0
    open_tasks: list[PlanTask] = field(default_factory=list)

    @property
    def rate(self) -> str:
        return format_percent(self.done, self.total, 0) if self.total else ""


def plan_progress(unit: AdministrativeUnit, year: int, until: datetime.date | None = None) -> PlanProgress:
    plan = Plan.objects.filter(unit=unit, year=year).first()
    if plan is None:
        return PlanProgress(None)
    tasks = list(plan.tasks.select_related("office"))
    done = [t for t in tasks if t.done and (until is None or t.done_on is None or t.done_on <= until)]
    return PlanProgress(plan, len(done), len(tasks), [t for t in tasks if t not in done])


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


def _periodic(report: Report, unit: AdministrativeUnit, period: periods.Period) -> Composed:
    """A 6-month or a year report of a commune."""
    snapshot = _empty_snapshot()
    first, last = period.dates(_calendar(unit))
    lines = _figures(unit, period).lines
    from dossiers.figures import Figures

    total = sum(lines.values(), Figures())
    snapshot["tables"]["dossiers"] = _dossier_table(
        _("Kết quả giải quyết hồ sơ thủ tục hành chính %(period)s") % {"period": period.label},
        _ordered(lines),
        total,
    )
    snapshot["facts"].update(_dossier_facts(total))
    snapshot["facts"]["period_label"] = period.label
    snapshot["facts"]["date_from"] = first.strftime("%d/%m/%Y")
    snapshot["facts"]["date_to"] = last.strftime("%d/%m/%Y")

    progress = plan_progress(unit, period.year, last)
    counts = document_counts(unit, first, last)
    documents = sum(sum(by_type.values()) for by_type in counts.values())
    snapshot["facts"]["documents_issued"] = n(documents)
    if progress.total:
        snapshot["facts"]["plan_progress"] = f"{progress.done}/{progress.total}"
        snapshot["facts"]["plan_rate"] = progress.rate
    index_html, index_facts = _index_paragraphs(unit, period.year)
    snapshot["facts"].update(index_facts)

    word = _unit_word(unit)
    subject = _("UBND %(word)s %(name)s") % {"word": word, "name": unit.short_name}
    sections = [
        (
            "",
            _p(
                _(
                    "Thực hiện chế độ báo cáo định kỳ về công tác cải cách hành chính, %(subject)s báo cáo "
                    "kết quả thực hiện công tác cải cách hành chính (CCHC) %(period)s như sau:"
                )
                % {"subject": subject, "period": period.label}
            ),
            "",
        ),
        (
            _("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH"),
            _direction_html(unit, progress, counts),
            "",
        ),
        (
            _("II. KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"),
            _p(*_dossier_sentences(total)),
            "dossiers",
        ),
        (_("III. CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"), index_html, ""),
        (_("IV. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN"), _shortcomings_html(unit, total, progress, last), ""),
        (
            _("V. NHIỆM VỤ, GIẢI PHÁP %(next)s")
            % {
                "next": _("6 THÁNG CUỐI NĂM %(year)s") % {"year": period.year}
                if period.kind == periods.Kind.HALF and period.number == 1
                else _("NĂM %(year)s") % {"year": period.year + 1}
                if period.kind == periods.Kind.YEAR
                else _("THỜI GIAN TỚI")
            },
            _tasks_ahead_html(progress),
            "",
        ),
        (
            _("VI. KIẾN NGHỊ, ĐỀ XUẤT"),
            _p(
                _(
                    "Kính đề nghị cấp trên tiếp tục quan tâm chỉ đạo, tổ chức tập huấn nghiệp vụ cho cán bộ, "
                    "công chức làm công tác CCHC, kiểm soát TTHC."
                )
            )
            + _p(
                _(
                    "Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính %(period)s của "
                    "%(subject)s./."
                )
                % {"period": period.label, "subject": subject}
            ),
            "",
        ),
    ]
    return Composed(snapshot, sections)


def _direction_html(unit: AdministrativeUnit, progress: PlanProgress, counts: dict) -> str:
    word = _unit_word(unit)
    parts = []
    plan = progress.plan
    if plan is not None:
        issued = (
            _(
                "UBND %(word)s đã ban hành Kế hoạch số %(number)s ngày %(date)s "
                "về cải cách hành chính năm %(year)s."
            )
            % {
                "word": word,
                "number": plan.number_symbol,
                "date": plan.issued_on.strftime("%d/%m/%Y"),
                "year": plan.year,
            }
            if plan.number_symbol and plan.issued_on
            else _("UBND %(word)s đã ban hành Kế hoạch cải cách hành chính năm %(year)s.")
            % {"word": word, "year": plan.year}
        )
        if progress.total:
            done = _(
                "Đến nay %(word)s hoàn thành %(done)s/%(total)s nhiệm vụ, đạt %(rate)s kế hoạch đề ra."
            ) % {
                "word": word,
                "done": progress.done,
                "total": progress.total,
                "rate": progress.rate,
            }
        else:
            done = ""
        parts.append(_p(issued, done))
    else:
        parts.append(_p(_("Chưa cập nhật Kế hoạch CCHC năm trên Cổng.")))
    names = dict(DocumentType.choices)
    items = []
    for year, by_type in sorted(counts.items()):
        detail = ", ".join(f"{count} {str(names.get(code, code)).lower()}" for code, count in by_type.items())
        items.append(
            _("Năm %(year)s: %(count)s văn bản (%(detail)s)")
            % {"year": year, "count": sum(by_type.values()), "detail": detail}
        )
    if items:
        parts.append(_p(_("Văn bản chỉ đạo, điều hành công tác CCHC đã ban hành trong kỳ:")) + _ul(items))
    else:
        parts.append(_p(_("Trong kỳ chưa có văn bản chỉ đạo, điều hành nào được ghi vào sổ văn bản.")))
    return "".join(parts)


def _shortcomings_html(unit, total, progress: PlanProgress, until: datetime.date) -> str:
    items = []
    if total.resolved_late or total.pending_overdue:
        items.append(
            _("Còn %(late)s hồ sơ giải quyết quá hạn và %(overdue)s hồ sơ đang quá hạn.")
            % {"late": n(total.resolved_late), "overdue": n(total.pending_overdue)}
        )
    if total.late_total > total.apology_letters:
        items.append(
            _("Chưa gửi văn bản xin lỗi cho %(count)s hồ sơ trễ hẹn.")
            % {"count": n(total.late_total - total.apology_letters)}
        )
    if total.online_rate is not None and total.online_rate < Decimal(80):
        items.append(_("Tỉ lệ hồ sơ nộp trực tuyến mới đạt %(rate)s.") % {"rate": total.online_rate_text})
    if progress.total and progress.done < progress.total:
        items.append(
            _("Còn %(count)s nhiệm vụ của Kế hoạch CCHC năm chưa hoàn thành.")
            % {"count": progress.total - progress.done}
        )
    overdue = ConclusionTask.objects.filter(unit=unit, due_on__lt=until).exclude(status="done").count()
    if overdue:
        items.append(
            _("Còn %(count)s nhiệm vụ sau kết luận các cuộc họp đã quá hạn nhưng chưa hoàn thành.")
            % {"count": overdue}
        )
    if not items:
        return _p(_("(Đơn vị bổ sung những tồn tại, hạn chế và nguyên nhân.)"))
    return _ul(items) + _p(_("(Đơn vị bổ sung nguyên nhân chủ quan, khách quan.)"))


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
        )
    )
    counts = document_counts(unit, first, last)
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


def _conclusion(report: Report, unit: AdministrativeUnit, meeting: Meeting) -> Composed:
    """A notice of the chairman's conclusions after a meeting (seed 003)."""
    snapshot = _empty_snapshot()
    tasks = list(meeting.tasks.select_related("office").order_by("position", "pk"))
    snapshot["facts"].update(
        {
            "meeting_title": meeting.title,
            "meeting_date": meeting.held_on.strftime("%d/%m/%Y"),
            "task_count": n(len(tasks)),
        }
    )
    rows = [
        [
            str(i),
            t.office.name if t.office else t.assignee,
            t.description,
            t.due_on.strftime("%d/%m/%Y") if t.due_on else "",
        ]
        for i, t in enumerate(tasks, start=1)
    ]
    snapshot["tables"]["tasks"] = _table(
        _("Nhiệm vụ được giao"),
        [[_cell(_("STT")), _cell(_("Bộ phận, người thực hiện")), _cell(_("Nhiệm vụ")), _cell(_("Thời hạn"))]],
        rows,
        None,
        [False, False, False, False],
    )
    word = _unit_word(unit)
    intro = _("Ngày %(day)s, UBND %(word)s tổ chức %(meeting)s.") % {
        "day": f"{meeting.held_on.day}/{meeting.held_on.month}/{meeting.held_on.year}",
        "word": word,
        "meeting": _lower_first(meeting.title),
    }
    attendees = (
        _("Tham dự cuộc họp có %(who)s.") % {"who": meeting.attendees.strip().rstrip(".")}
        if meeting.attendees.strip()
        else ""
    )
    heard = _("Sau khi nghe báo cáo và ý kiến tham gia thảo luận tại cuộc họp, %(chair)s kết luận:") % {
        "chair": meeting.chair
    }
    body = _p(intro, attendees)
    if meeting.content.strip():
        body += "".join(_p(line) for line in meeting.content.splitlines() if line.strip())
    body += _p(heard)
    conclusions = "".join(_p(line) for line in meeting.conclusions.splitlines() if line.strip())

    groups: dict[str, list[ConclusionTask]] = {}
    for task in tasks:
        who = task.office.name if task.office else (task.assignee or _("các công chức có liên quan"))
        groups.setdefault(who, []).append(task)
    task_html = ""
    if groups:
        task_html = _p(
            _(
                "UBND %(word)s yêu cầu các bộ phận, công chức có liên quan triển khai thực hiện tốt "
                "các nhiệm vụ sau:"
            )
            % {"word": word}
        )
        for i, (who, items) in enumerate(groups.items(), start=1):
            task_html += _p(
                _("%(i)s. Giao %(who)s chịu trách nhiệm thực hiện tốt các nhiệm vụ:") % {"i": i, "who": who}
            )
            task_html += _ul(
                [
                    (
                        _("%(task)s (thời hạn: %(due)s)")
                        % {"task": t.description, "due": t.due_on.strftime("%d/%m/%Y")}
                        if t.due_on
                        else t.description
                    )
                    for t in items
                ]
            )
    closing = _p(
        _(
            "Trên đây là %(summary)s, UBND %(word)s thông báo cho các công chức có liên quan được biết để "
            "thực hiện./."
        )
        % {"summary": _lower_first(_summary(ReportKind.CONCLUSION, None, meeting)), "word": word}
    )
    sections = [
        ("", body, ""),
        ("", conclusions or _p(_("(Nội dung kết luận.)")), ""),
        ("", task_html + closing, ""),
    ]
    return Composed(snapshot, sections)


def _summary_report(report: Report, unit: AdministrativeUnit, period: periods.Period) -> Composed:
    """The reviewer's summary of its communes: the ranking and the dossier table."""
    from dossiers.figures import Figures
    from indices.models import Assessment, AssessmentStatus, Round
    from indices.selectors.rankings import ranking

    snapshot = _empty_snapshot()
    result = _figures(unit, period)
    groups = result.groups
    named = [(g.unit.name, g.total) for g in groups]
    total = sum((g.total for g in groups), Figures())
    snapshot["tables"]["dossiers_by_commune"] = _dossier_table(
        _("Kết quả giải quyết hồ sơ TTHC của các xã, phường %(period)s") % {"period": period.label},
        named,
        total,
    )
    snapshot["charts"]["dossiers_by_commune"] = str(
        bar_chart(
            labels=[g.unit.short_name for g in groups],
            values=[float(g.total.online_rate) if g.total.online_rate is not None else None for g in groups],
            title=_("Tỉ lệ hồ sơ nộp trực tuyến (%)"),
            axis_max=100,
        )
    )
    snapshot["facts"].update(_dossier_facts(total))
    snapshot["facts"]["commune_count"] = n(len(groups))
    no_online = [g.unit.name for g in groups if g.total.received_new and not g.total.received_online]

    round_ = None
    for year in (period.year, period.year - 1):
        appraised = Assessment.objects.filter(round=OuterRef("pk"), status=AssessmentStatus.APPRAISED)
        round_ = (
            Round.objects.filter(group=unit, year=year)
            .filter(Q(published_at__isnull=False) | Exists(appraised))
            .select_related("framework", "group")
            .order_by("-published_at", "-pk")
            .first()
        )
        if round_ is not None:
            break
    index_html = _p(_("Chưa có kết quả thẩm định Chỉ số CCHC của các xã, phường."))
    if round_ is not None:
        ranked = ranking(round_)
        rows = [
            [
                str(row.rank),
                row.unit.name,
                format_number(row.total, 2),
                row.band.label if row.band else "",
            ]
            for row in ranked.ranked
        ]
        snapshot["tables"]["ranking"] = _table(
            _("Xếp hạng Chỉ số CCHC năm %(year)s") % {"year": round_.year},
            [[_cell(_("Hạng")), _cell(_("Đơn vị")), _cell(_("Tổng điểm")), _cell(_("Xếp loại"))]],
            rows,
            None,
            [True, False, True, False],
        )
        snapshot["facts"]["ranking_year"] = str(round_.year)
        if ranked.ranked:
            best, worst = ranked.ranked[0], ranked.ranked[-1]
            index_html = _p(
                _(
                    "Năm %(year)s, %(count)s xã, phường được thẩm định Chỉ số CCHC; đứng đầu là %(best)s "
                    "(%(best_total)s điểm), thấp nhất là %(worst)s (%(worst_total)s điểm)."
                )
                % {
                    "year": round_.year,
                    "count": ranked.group_size,
                    "best": best.unit.name,
                    "best_total": format_number(best.total, 2),
                    "worst": worst.unit.name,
                    "worst_total": format_number(worst.total, 2),
                }
            )
    sentences = _dossier_sentences(total)
    if no_online:
        sentences.append(
            _("Các đơn vị chưa phát sinh hồ sơ trực tuyến trong kỳ: %(names)s.")
            % {"names": ", ".join(no_online)}
        )
    sections = [
        (
            "",
            _p(
                _(
                    "%(issuer)s tổng hợp kết quả thực hiện công tác cải cách hành chính %(period)s của "
                    "%(count)s xã, phường trên địa bàn như sau:"
                )
                % {"issuer": _issuer_name(unit), "period": period.label, "count": len(groups)}
            ),
            "",
        ),
        (_("I. KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"), _p(*sentences), "dossiers_by_commune"),
        (
            _("II. CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"),
            index_html,
            "ranking" if "ranking" in snapshot["tables"] else "",
        ),
        (
            _("III. NHIỆM VỤ, GIẢI PHÁP"),
            _p(
                _(
                    "Đề nghị UBND các xã, phường rà soát các chỉ số còn thấp, đẩy mạnh giải quyết hồ sơ "
                    "trực tuyến, thực hiện xin lỗi khi có hồ sơ trễ hẹn./."
                )
            ),
            "",
        ),
    ]
    return Composed(snapshot, sections)


def _issuer_name(unit: AdministrativeUnit) -> str:
    if unit.level == Level.DISTRICT:
        return _("Phòng Nội vụ %(unit)s") % {"unit": _lower_first(unit.name)}
    return _("Sở Nội vụ %(unit)s") % {"unit": _lower_first(unit.name)}


def _compose_parts(report: Report) -> Composed:
    unit = report.unit
    if report.kind == ReportKind.CONCLUSION:
        if report.meeting is None:
            raise ComposeError(_("Thông báo kết luận cần chọn cuộc họp."))
        return _conclusion(report, unit, report.meeting)
    period = _period(report.period)
    if report.kind == ReportKind.SUPERVISION:
        return _supervision(report, unit, period)
    if report.kind == ReportKind.SUMMARY:
        return _summary_report(report, unit, period)
    return _periodic(report, unit, period)


def snapshot_build(report: Report) -> dict:
    """The figures of ``report`` computed afresh from the data, in the snapshot format."""
    return _compose_parts(report).snapshot


def _check(unit: AdministrativeUnit, kind: str, period: str, year_from: int | None, meeting: Meeting | None):
    if kind not in ReportKind.values:
        raise ComposeError(_("Loại báo cáo “%(kind)s” không có.") % {"kind": kind})
    if kind == ReportKind.SUMMARY and unit.level == Level.COMMUNE:
        raise ComposeError(
            _("Báo cáo tổng hợp chỉ lập cho đơn vị thẩm định (huyện hoặc tỉnh), không cho xã.")
        )
    if kind != ReportKind.SUMMARY and unit.level != Level.COMMUNE:
        raise ComposeError(_("Đơn vị cấp huyện, cấp tỉnh chỉ lập báo cáo tổng hợp các xã, phường."))
    if kind == ReportKind.CONCLUSION:
        if meeting is None:
            raise ComposeError(_("Thông báo kết luận cần chọn cuộc họp."))
        if meeting.unit_id != unit.pk:
            raise ComposeError(_("Cuộc họp đã chọn không thuộc đơn vị này."))
        return
    try:
        value = periods.Period.parse(period)
    except periods.PeriodSyntaxError as error:
        raise ComposeError(str(error)) from error
    if kind == ReportKind.HALF_YEAR and value.kind != periods.Kind.HALF:
        raise ComposeError(_("Báo cáo sơ kết 6 tháng cần kỳ 6 tháng, ví dụ 2024-H1."))
    if kind == ReportKind.YEAR and value.kind != periods.Kind.YEAR:
        raise ComposeError(_("Báo cáo tổng kết năm cần kỳ là một năm, ví dụ 2023."))
    if kind == ReportKind.SUPERVISION:
        if year_from is None:
            raise ComposeError(_("Báo cáo giám sát cần năm bắt đầu, ví dụ 2021."))
        if not 2000 <= year_from <= value.year:
            raise ComposeError(
                _("Năm bắt đầu (%(first)s) phải từ 2000 đến năm của kỳ báo cáo (%(last)s).")
                % {"first": year_from, "last": value.year}
            )


@transaction.atomic
def report_compose(
    *,
    unit: AdministrativeUnit,
    kind: str,
    period: str | periods.Period | None,
    user: User,
    year_from: int | None = None,
    meeting: Meeting | None = None,
) -> Report:
    """A new DRAFT report of ``unit``: its document facts prefilled, its sections written from the
    data, its snapshot computed. Raises ``ComposeError`` (a Vietnamese message) for a kind that
    does not fit the unit, a malformed period, a missing meeting or starting year."""
    try:
        period_code = "" if period in (None, "") else _period(period).code
    except periods.PeriodSyntaxError as error:
        raise ComposeError(str(error)) from error
    if kind == ReportKind.CONCLUSION and meeting is not None and not period_code:
        period_code = str(meeting.held_on.year)
    _check(unit, kind, period_code, year_from, meeting)
    today = timezone.localdate()
    mode, signer_title, signer_name = _signer(unit, kind, user)
    report = Report(
        unit=unit,
        kind=kind,
        period=period_code,
        year_from=year_from if kind == ReportKind.SUPERVISION else None,
        meeting=meeting if kind == ReportKind.CONCLUSION else None,
        status=ReportStatus.DRAFT,
        number=next_number(unit, today.year),
        type_code=DocumentType.TB if kind == ReportKind.CONCLUSION else DocumentType.BC,
        issuer_code="UBND"
        if unit.level == Level.COMMUNE
        else ("PNV" if unit.level == Level.DISTRICT else "SNV"),
        place=unit.short_name,
        dated=today,
        title=_("THÔNG BÁO") if kind == ReportKind.CONCLUSION else _("BÁO CÁO"),
        summary=_summary(kind, _period(period_code) if period_code else None, meeting),
        addressee=_addressee(unit, kind),
        signer_mode=mode,
        signer_title=signer_title,
        signer_name=signer_name,
        recipients=_recipients(unit, kind),
        created_by=user if user and user.is_authenticated else None,
    )
    composed = _compose_parts(report)
    report.snapshot = composed.snapshot
    report.save()
    Section.objects.bulk_create(
        Section(report=report, position=i, heading=heading[:300], body=clean(body), table=table)
        for i, (heading, body, table) in enumerate(composed.sections, start=1)
    )
    return report

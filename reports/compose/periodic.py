"""The 6-month and the year report of a commune."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit
from core import periods

from ..models import DocumentType, Report
from ..selectors.records import PlanProgress, document_counts_between, open_tasks, plan_progress
from .common import (
    Composed,
    _calendar,
    _dossier_facts,
    _dossier_sentences,
    _dossier_table,
    _empty_snapshot,
    _figures,
    _index_paragraphs,
    _ordered,
    _p,
    _tasks_ahead_html,
    _ul,
    _unit_word,
    n,
)


def _periodic(report: Report, unit: AdministrativeUnit, period: periods.Period) -> Composed:
    """A 6-month or a year report of a commune."""
    snapshot = _empty_snapshot()
    first, last = period.dates(_calendar(unit))
    figures = _figures(unit, period)
    lines = figures.lines
    from dossiers.figures import Figures

    total = sum(lines.values(), Figures())
    snapshot["tables"]["dossiers"] = _dossier_table(
        _("Kết quả giải quyết hồ sơ thủ tục hành chính %(period)s") % {"period": period.label},
        _ordered(lines),
        total,
    )
    snapshot["facts"].update(_dossier_facts(total))
    # Not printed: the editor is told when the figures count reports not approved yet.
    snapshot["facts"]["unapproved_reports"] = str(figures.unapproved)
    snapshot["facts"]["period_label"] = period.label
    snapshot["facts"]["date_from"] = first.strftime("%d/%m/%Y")
    snapshot["facts"]["date_to"] = last.strftime("%d/%m/%Y")

    progress = plan_progress(unit, period.year, last)
    counts = document_counts_between(unit, first, last)
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
        items.append(_("Tỷ lệ hồ sơ nộp trực tuyến mới đạt %(rate)s.") % {"rate": total.online_rate_text})
    if progress.total and progress.done < progress.total:
        items.append(
            _("Còn %(count)s nhiệm vụ của Kế hoạch CCHC năm chưa hoàn thành.")
            % {"count": progress.total - progress.done}
        )
    overdue = open_tasks(unit).filter(due_on__lt=until).count()
    if overdue:
        items.append(
            _("Còn %(count)s nhiệm vụ sau kết luận các cuộc họp đã quá hạn nhưng chưa hoàn thành.")
            % {"count": overdue}
        )
    if not items:
        return _p(_("(Đơn vị bổ sung những tồn tại, hạn chế và nguyên nhân.)"))
    return _ul(items) + _p(_("(Đơn vị bổ sung nguyên nhân chủ quan, khách quan.)"))

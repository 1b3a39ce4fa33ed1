"""The reviewer's summary of its communes."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit, Level
from core import periods
from core.charts import bar_chart
from core.formatting import format_number

from ..models import Report
from .common import (
    CHART_WIDTH,
    Composed,
    _cell,
    _dossier_facts,
    _dossier_sentences,
    _dossier_table,
    _empty_snapshot,
    _figures,
    _lower_first,
    _p,
    _table,
    n,
)


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
            title=_("Tỷ lệ hồ sơ nộp trực tuyến (%)"),
            axis_max=100,
            width=CHART_WIDTH,
        )
    )
    snapshot["facts"].update(_dossier_facts(total))
    snapshot["facts"]["commune_count"] = n(len(groups))
    # Not printed: the editor is told how many reports are left out as not approved yet.
    snapshot["facts"]["unapproved_reports"] = str(result.unapproved)
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

"""What each event tells whom: one function per event, returning the ``Message``s to write.

The services call them inside their own transaction and hand the result to
``notifications_write`` (``dossiers.services``, ``indices.services``), so a refused step writes
nothing and the mail leaves only once the step is committed.

Scope (issue 13 §5): each message is about one commune (its ``unit``), goes only to people who read
that commune (its officers and chairmen, or its reviewers), and names that commune's data alone:
a published ranking tells each commune its own rank and points, never another's. Its ``url`` is the
page where the recipient acts on it, a path of this site. The person who took the step is not told
of it. A fixed number of queries per call, whatever the number of communes or reports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import User
from communes.selectors import commune_people, commune_people_by_unit, reviewers_of
from core.formatting import format_number

from .models import Kind
from .services import Message

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from dossiers.models import DossierReport
    from indices.models import Assessment, Round


def _others(people: Iterable[User], actor: User | None) -> list[User]:
    """``people`` without ``actor``: nobody is told of what it just did."""
    return [person for person in people if actor is None or person.pk != actor.pk]


def _when(moment=None) -> str:
    moment = timezone.localtime(moment)
    return _("%(time)s ngày %(date)s") % {"time": f"{moment:%H:%M}", "date": f"{moment:%d/%m/%Y}"}


def _loaded(report: DossierReport) -> DossierReport:
    """``report`` with its commune and period, read once if the caller did not load them (a
    service's ``refresh_from_db`` forgets them)."""
    from dossiers.models import DossierReport

    cached = all(DossierReport._meta.get_field(name).is_cached(report) for name in ("unit", "period"))
    if cached:
        return report
    return DossierReport.objects.select_related("unit", "period").get(pk=report.pk)


def _entry_url(report: DossierReport) -> str:
    return reverse("dossiers:entry", args=[report.unit_id, report.period.code])


# --- Biểu 06 reports --------------------------------------------------------------------------


def report_submitted(report: DossierReport, *, user: User, warnings: str = "") -> list[Message]:
    """A report sent: its reviewers review it on its page. ``warnings``: those the commune
    confirmed on sending (an unbalanced total), so the reviewer looks there first."""
    report = _loaded(report)
    unit, period = report.unit, report.period.label
    names = {"unit": unit.name, "period": period}
    title = _("%(unit)s gửi báo cáo số liệu hồ sơ TTHC %(period)s") % names
    lines = [
        _("%(name)s đã gửi báo cáo số liệu hồ sơ thủ tục hành chính %(period)s của %(unit)s lúc %(when)s.")
        % {**names, "name": user.display_name, "when": _when(report.submitted_at)},
        _("Báo cáo đang chờ cơ quan thẩm định duyệt hoặc trả lại."),
    ]
    if warnings:
        lines.append(_("Xã đã xác nhận các cảnh báo khi gửi: %(warnings)s") % {"warnings": warnings})
    url = _entry_url(report)
    return [
        Message(person, Kind.REPORT_SUBMITTED, title, url, "\n".join(lines), unit)
        for person in _others(reviewers_of(unit), user)
    ]


def report_returned(
    report: DossierReport, *, user: User, reason: str, line_comments: Mapping[int, str] | None = None
) -> list[Message]:
    """A report sent back: the commune's officers and chairmen read the reason and the comments
    per lĩnh vực, correct the figures and send again, on its page."""
    from dossiers.models import ProcedureField

    report = _loaded(report)
    unit, period = report.unit, report.period.label
    names = {"unit": unit.name, "period": period}
    lines = [
        _(
            "%(name)s đã trả lại báo cáo số liệu hồ sơ thủ tục hành chính %(period)s của %(unit)s "
            "lúc %(when)s."
        )
        % {**names, "name": user.display_name, "when": _when(report.reviewed_at)},
        _("Lý do: %(reason)s") % {"reason": reason},
    ]
    comments = {pk: text.strip() for pk, text in (line_comments or {}).items() if text.strip()}
    if comments:
        fields = ProcedureField.objects.in_bulk(list(comments))
        lines.append(_("Ý kiến theo lĩnh vực:"))
        lines += [
            f"- {fields[pk].name}: {text}"
            for pk, text in sorted(comments.items(), key=lambda item: (fields[item[0]].position, item[0]))
            if pk in fields
        ]
    lines.append(_("Hãy sửa số liệu rồi gửi lại báo cáo."))
    title = _("Báo cáo %(period)s của %(unit)s bị trả lại") % names
    url = _entry_url(report)
    return [
        Message(person, Kind.REPORT_RETURNED, title, url, "\n".join(lines), unit)
        for person in _others(commune_people(unit), user)
    ]


def report_reopened(report: DossierReport, *, user: User, reason: str) -> list[Message]:
    """An approved report unlocked for correction: told as a return, with its reason."""
    report = _loaded(report)
    unit, period = report.unit, report.period.label
    names = {"unit": unit.name, "period": period}
    lines = [
        _(
            "%(name)s đã mở lại báo cáo số liệu hồ sơ thủ tục hành chính %(period)s của %(unit)s "
            "(đã duyệt) lúc %(when)s để xã điều chỉnh."
        )
        % {**names, "name": user.display_name, "when": _when(report.reviewed_at)},
        _("Lý do: %(reason)s") % {"reason": reason},
        _("Hãy điều chỉnh số liệu rồi gửi lại báo cáo."),
    ]
    title = _("Báo cáo %(period)s của %(unit)s được mở lại để điều chỉnh") % names
    url = _entry_url(report)
    return [
        Message(person, Kind.REPORT_RETURNED, title, url, "\n".join(lines), unit)
        for person in _others(commune_people(unit), user)
    ]


def reports_approved(reports: list[DossierReport], *, user: User) -> list[Message]:
    """Reports approved, one or a whole inbox's batch: each commune's officers and chairmen hear
    of their own. The reports come with their commune and period loaded (the batch reads them so);
    the people of every commune are one query."""
    reports = [_loaded(report) for report in reports]
    people = commune_people_by_unit({report.unit_id for report in reports})
    messages = []
    for report in reports:
        unit, period = report.unit, report.period.label
        names = {"unit": unit.name, "period": period}
        title = _("Báo cáo %(period)s của %(unit)s đã được duyệt") % names
        body = _(
            "%(name)s đã duyệt báo cáo số liệu hồ sơ thủ tục hành chính %(period)s của %(unit)s lúc "
            "%(when)s. Số liệu được dùng trong các tổng hợp của cơ quan thẩm định."
        ) % {**names, "name": user.display_name, "when": _when(report.reviewed_at)}
        url = _entry_url(report)
        messages += [
            Message(person, Kind.REPORT_APPROVED, title, url, body, unit)
            for person in _others(people.get(report.unit_id, []), user)
        ]
    return messages


# --- the reform index ---------------------------------------------------------------------------


def _round_names(round_: Round) -> dict[str, str]:
    return {"year": str(round_.year), "group": round_.group.name, "framework": round_.framework.name}


def explanation_requested(assessment: Assessment, *, user: User | None = None) -> list[Message]:
    """The reviewer asks the commune to explain some criteria: its officers and chairmen read which
    (with the reviewer's comment) and answer on the explanation page."""
    from indices.models import Score

    unit = assessment.unit
    flagged = (
        Score.objects.filter(assessment=assessment, explanation_requested=True, applicable=True)
        .select_related("criterion")
        .order_by("criterion__sort_key")
    )
    names = {**_round_names(assessment.round), "unit": unit.name}
    lines = [
        _(
            "Cơ quan thẩm định đề nghị %(unit)s giải trình kết quả tự chấm Chỉ số CCHC năm %(year)s "
            "(%(group)s) ở các tiêu chí sau:"
        )
        % names
    ]
    for score in flagged:
        line = f"- {score.criterion.code}. {score.criterion.title}"
        if score.reviewer_comment:
            line += _(" – ý kiến thẩm định: %(comment)s") % {"comment": score.reviewer_comment}
        lines.append(line)
    lines.append(_("Hãy ghi nội dung giải trình cho từng tiêu chí rồi gửi cơ quan thẩm định."))
    title = _("Yêu cầu %(unit)s giải trình Chỉ số CCHC năm %(year)s") % names
    url = reverse("indices:assessment_explain", args=[assessment.pk])
    return [
        Message(person, Kind.EXPLANATION_REQUESTED, title, url, "\n".join(lines), unit)
        for person in _others(commune_people(unit), user)
    ]


def explanation_given(assessment: Assessment, *, user: User) -> list[Message]:
    """The commune answered: its reviewers go on with the appraisal on its page."""
    unit = assessment.unit
    names = {**_round_names(assessment.round), "unit": unit.name}
    title = _("%(unit)s đã gửi giải trình Chỉ số CCHC năm %(year)s") % names
    body = _(
        "%(name)s đã gửi nội dung giải trình của %(unit)s (Chỉ số CCHC năm %(year)s, %(group)s) lúc "
        "%(when)s. Kết quả trở lại trạng thái đang thẩm định."
    ) % {**names, "name": user.display_name, "when": _when()}
    url = reverse("indices:assessment_appraise", args=[assessment.pk])
    return [
        Message(person, Kind.EXPLANATION_GIVEN, title, url, body, unit)
        for person in _others(reviewers_of(unit), user)
    ]


def round_opened(round_: Round, assessments: list[Assessment]) -> list[Message]:
    """A round opened (or opened again for communes added since): the officers and chairmen of
    each commune of ``assessments`` (the new ones only, saved) self-score on its page before the
    deadline. Two queries for a whole province: the people of every commune, the insert."""
    people = commune_people_by_unit([a.unit_id for a in assessments])
    names = {**_round_names(round_), "deadline": f"{round_.self_deadline:%d/%m/%Y}"}
    title = _("Mở đợt tự chấm điểm Chỉ số CCHC năm %(year)s – hạn tự chấm %(deadline)s") % names
    messages = []
    for assessment in assessments:
        unit = assessment.unit
        body = _(
            "%(group)s đã mở đợt đánh giá Chỉ số CCHC năm %(year)s (%(framework)s). %(unit)s tự chấm "
            "điểm, kèm tài liệu kiểm chứng, và gửi kết quả trước hết ngày %(deadline)s."
        ) % {**names, "unit": unit.name}
        url = reverse("indices:assessment_detail", args=[assessment.pk])
        messages += [
            Message(person, Kind.ROUND_OPENED, title, url, body, unit)
            for person in people.get(assessment.unit_id, [])
        ]
    return messages


def ranking_published(round_: Round, *, user: User | None = None) -> list[Message]:
    """A round's results published: each commune's officers and chairmen read its own rank and
    points (never another commune's) and open the ranking. The text holds no address: it is
    read in the bell as well as in the mail, which adds the link itself.
    The ranking's fixed queries (``indices.selectors.rankings.ranking``) and the people's one."""
    from indices.selectors.rankings import ranking

    result = ranking(round_, public=True)
    people = commune_people_by_unit([row.unit.pk for row in result.rows])
    names = _round_names(round_)
    title = _("Công bố kết quả Chỉ số CCHC năm %(year)s – %(group)s") % names
    url = reverse("indices:ranking_page", args=[round_.pk])
    messages = []
    for row in result.rows:
        unit = row.unit
        if row.rank is None:
            standing = _("%(unit)s chưa được xếp hạng trong đợt này.") % {"unit": unit.name}
        else:
            standing = _("%(unit)s đạt %(points)s/%(max)s điểm, xếp thứ %(rank)s/%(size)s") % {
                "unit": unit.name,
                "points": format_number(row.total, 2),
                "max": format_number(round_.framework.total_points, 2),
                "rank": row.rank,
                "size": result.group_size,
            }
            standing += (
                (_(", xếp loại %(band)s.") % {"band": row.band.label}) if row.band is not None else "."
            )
        body = "\n".join(
            [
                _("%(group)s đã công bố kết quả Chỉ số CCHC năm %(year)s (%(framework)s).") % names,
                standing,
            ]
        )
        messages += [
            Message(person, Kind.RANKING_PUBLISHED, title, url, body, unit)
            for person in _others(people.get(unit.pk, []), user)
        ]
    return messages

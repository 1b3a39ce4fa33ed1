"""The notice of conclusions after a meeting (seed 003)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit

from ..models import ConclusionTask, Meeting, Report, ReportKind
from ..selectors.records import meeting_tasks
from .common import Composed, _cell, _empty_snapshot, _lower_first, _p, _summary, _table, _ul, _unit_word, n


def _conclusion(report: Report, unit: AdministrativeUnit, meeting: Meeting) -> Composed:
    """A notice of the chairman's conclusions after a meeting (seed 003)."""
    snapshot = _empty_snapshot()
    tasks = meeting_tasks(meeting)
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

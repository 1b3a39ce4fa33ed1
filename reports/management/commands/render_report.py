"""``render_report ID -o FILE.pdf`` and ``render_report --kind KIND --unit CODE --period P -o FILE.pdf``
(DESIGN.md "Interfaces"). Thin: the composer and the document helper do the work."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from communes.selectors import UnitNotFound, unit_by_code
from reports.compose import ComposeError, report_compose
from reports.models import Meeting, Report, ReportKind


class Command(BaseCommand):
    help = (
        "Ghi một báo cáo ra tệp PDF: theo số định danh (bản PDF đã lưu của báo cáo đã ban hành, hoặc "
        "dự thảo được in ngay), hoặc soạn dự thảo mới từ dữ liệu với --kind, --unit và --period "
        "(lưu thành dự thảo, in ra số định danh)."
    )

    def add_arguments(self, parser):
        parser.add_argument("id", nargs="?", type=int, help="Số định danh của báo cáo.")
        parser.add_argument("--kind", choices=ReportKind.values, help="Loại báo cáo cần soạn.")
        parser.add_argument("--unit", metavar="CODE", help="Mã đơn vị, ví dụ 21649.")
        parser.add_argument("--period", metavar="P", help="Kỳ báo cáo: 2024-H1, 2023, 2023-08 …")
        parser.add_argument(
            "--from-year", type=int, dest="from_year", help="Năm bắt đầu của báo cáo giám sát."
        )
        parser.add_argument(
            "--era", choices=["legacy", "2025"], help="Giai đoạn, khi mã trùng giữa hai giai đoạn."
        )
        parser.add_argument("--meeting", type=int, metavar="ID", help="Cuộc họp của thông báo kết luận.")
        parser.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="Tệp PDF cần ghi.")

    def handle(
        self,
        *args,
        id=None,
        kind=None,
        unit=None,
        period=None,
        from_year=None,
        era=None,
        meeting=None,
        output,
        **options,
    ):
        from reports.documents import report_pdf

        if id is not None and kind:
            raise CommandError(_("Hãy cho số định danh của báo cáo, hoặc --kind để soạn mới, không cả hai."))
        if id is not None:
            report = Report.objects.filter(pk=id).select_related("unit").first()
            if report is None:
                raise CommandError(_("Không có báo cáo số định danh %(id)s.") % {"id": id})
            if report.is_issued and report.pdf:
                with report.pdf.open("rb") as handle:
                    data = handle.read()
            else:
                data = report_pdf(report)
        else:
            report = self._compose(kind, unit, period, from_year, era, meeting)
            data = report_pdf(report)
            self.stdout.write(str(report.pk))
        try:
            Path(output).write_bytes(data)
        except OSError as error:
            raise CommandError(
                _("Không ghi được tệp %(name)s: %(error)s") % {"name": output, "error": error}
            ) from error
        self.stderr.write(_("Đã ghi %(name)s.") % {"name": output})

    def _compose(self, kind, code, period, from_year, era, meeting_id) -> Report:
        if not kind or not code:
            raise CommandError(
                _("Hãy cho số định danh của báo cáo, hoặc --kind và --unit (và --period) để soạn mới.")
            )
        try:
            unit = unit_by_code(code, era=era)
        except UnitNotFound as error:
            raise CommandError(str(error)) from error
        meeting = None
        if meeting_id is not None:
            meeting = Meeting.objects.filter(pk=meeting_id, unit=unit).first()
            if meeting is None:
                raise CommandError(
                    _("Đơn vị %(unit)s không có cuộc họp số %(id)s.") % {"unit": unit.name, "id": meeting_id}
                )
        if kind != ReportKind.CONCLUSION and not period:
            raise CommandError(_("Hãy cho kỳ báo cáo bằng --period, ví dụ 2024-H1."))
        try:
            return report_compose(
                unit=unit,
                kind=kind,
                period=period,
                user=AnonymousUser(),
                year_from=from_year,
                meeting=meeting,
            )
        except ComposeError as error:
            raise CommandError(str(error)) from error

"""``send_reminders [--dry-run] [--date YYYY-MM-DD]``: the daily reminders (months due soon and
overdue, self-scoring deadlines), one mail per person and day. Meant for a daily cron line; safe to
run twice. Thin: ``notifications.reminders`` decides whom to remind of what."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import format_number
from notifications.models import DAILY_KINDS, Kind
from notifications.reminders import DayPlan, reminders_send


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # Translated when asked for: argparse cannot format a lazy description.
        return _(
            "Nhắc việc hằng ngày: báo cáo tháng sắp đến hạn (REMINDER_DAYS_AHEAD ngày), quá hạn chưa gửi, "
            "sắp hết hạn tự chấm điểm Chỉ số CCHC; mỗi người nhận nhiều nhất một email mỗi ngày. Chạy lại "
            "trong ngày không ghi, không gửi thêm gì. In ra các xã, phường không liên lạc được qua email."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("Chỉ in ra những gì sẽ gửi, không ghi và không gửi gì."),
        )
        parser.add_argument(
            "--date",
            metavar="YYYY-MM-DD",
            help=gettext_lazy("Ngày nhắc (mặc định hôm nay, giờ Việt Nam)."),
        )

    def handle(self, *args, dry_run: bool, date: str | None, verbosity: int, **options):
        day = timezone.localdate()
        if date:
            try:
                day = datetime.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError(
                    _("--date “%(date)s” không đúng: viết năm-tháng-ngày, ví dụ 2026-12-06.") % {"date": date}
                ) from error
        plan = reminders_send(day=day, dry_run=dry_run)
        if verbosity >= 1:
            self._report(plan, dry_run=dry_run)

    def _report(self, plan: DayPlan, *, dry_run: bool) -> None:
        n = format_number
        header = {"day": plan.day.strftime("%d/%m/%Y"), "communes": n(plan.communes_alive)}
        if dry_run:
            self.stdout.write(
                _("Nhắc việc ngày %(day)s, %(communes)s xã, phường (chạy thử: không ghi, không gửi gì):")
                % header
            )
        else:
            self.stdout.write(_("Nhắc việc ngày %(day)s, %(communes)s xã, phường:") % header)
        counts = plan.counts
        for kind in DAILY_KINDS:
            self.stdout.write(
                _("- %(kind)s: %(count)s thông báo") % {"kind": Kind(kind).label, "count": n(counts[kind])}
            )
        self.stdout.write(
            _("- Người nhận: %(people)s; đã được nhắc trong ngày nên bỏ qua: %(skipped)s")
            % {"people": n(plan.people), "skipped": n(plan.skipped)}
        )
        self.stdout.write(_("- Email (mỗi người một thư): %(mails)s") % {"mails": n(plan.mails)})
        if plan.resend or plan.give_up:
            self.stdout.write(
                _("- Email chưa gửi được từ trước: gửi lại %(resend)s, thôi gửi %(give_up)s")
                % {"resend": n(len(plan.resend)), "give_up": n(len(plan.give_up))}
            )
        unreachable = plan.unreachable
        if unreachable:
            self.stdout.write(
                _("Xã, phường có việc cần nhắc nhưng không liên lạc được qua email (%(count)s):")
                % {"count": n(len(unreachable))}
            )
            for commune in unreachable:
                self.stdout.write(
                    _("- %(unit)s: %(reason)s")
                    % {"unit": commune.unit.title, "reason": commune.unreachable_label}
                )
        summary = {
            "rows": n(len(plan.messages)),
            "people": n(plan.people),
            "mails": n(plan.mails),
            "unreachable": n(len(unreachable)),
        }
        if dry_run:
            line = _(
                "Chạy thử: sẽ ghi %(rows)s thông báo cho %(people)s người, gửi %(mails)s email; "
                "%(unreachable)s xã, phường không liên lạc được qua email."
            )
        else:
            line = _(
                "Đã ghi %(rows)s thông báo cho %(people)s người, %(mails)s email gửi qua tác vụ nền; "
                "%(unreachable)s xã, phường không liên lạc được qua email."
            )
        self.stdout.write(line % summary)

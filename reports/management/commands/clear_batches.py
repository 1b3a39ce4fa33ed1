"""``clear_batches [--days N] [--dry-run]``: delete the folders of old "In hàng loạt" batches
(``MEDIA_ROOT/batches/<uuid>/``). Meant for a daily cron line. Thin: ``reports.services.batch``
decides what is a batch folder and how old it is."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.services.batch import batch_folder_delete, batches_old


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # Translated when asked for: argparse cannot format a lazy description.
        return _(
            "Xoá thư mục của các đợt in hàng loạt không thay đổi gì trong hơn N ngày (mặc định "
            "BATCH_KEEP_DAYS), chỉ trong MEDIA_ROOT/batches và chỉ thư mục mang tên một mã UUID. "
            "Mã thoát 1 nếu có thư mục không xoá được."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            metavar="N",
            help=gettext_lazy("Xoá đợt in không thay đổi trong hơn N ngày (mặc định BATCH_KEEP_DAYS, 7)."),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext_lazy("Chỉ liệt kê những gì sẽ xoá, không xoá.")
        )

    def handle(self, *args, days: int | None, dry_run: bool, verbosity: int, **options):
        days = settings.BATCH_KEEP_DAYS if days is None else days
        if days < 0:
            raise CommandError(_("--days phải từ 0 trở lên (nhận được %(days)s).") % {"days": days})
        old = batches_old(days=days)
        deleted, failed = [], []
        for batch in old:
            moved = timezone.localtime(batch.last_moved).strftime("%d/%m/%Y %H:%M")
            line = {"path": batch.folder, "moved": moved, "size": filesizeformat(batch.size)}
            if dry_run:
                self.stdout.write(_("Sẽ xoá %(path)s (thay đổi lần cuối %(moved)s, %(size)s).") % line)
                continue
            try:
                batch_folder_delete(old=batch)
            except OSError as error:
                failed.append(batch)
                self.stderr.write(
                    _("Không xoá được %(path)s: %(error)s") % {"path": batch.folder, "error": error}
                )
                continue
            deleted.append(batch)
            if verbosity >= 2:
                self.stdout.write(_("Đã xoá %(path)s (thay đổi lần cuối %(moved)s, %(size)s).") % line)
        summary = {
            "count": len(old if dry_run else deleted),
            "days": days,
            "size": filesizeformat(sum(batch.size for batch in (old if dry_run else deleted))),
        }
        if dry_run:
            message = _(
                "Sẽ xoá %(count)s đợt in cũ hơn %(days)s ngày, giải phóng %(size)s (--dry-run: chưa xoá gì)."
            )
        else:
            message = _("Đã xoá %(count)s đợt in cũ hơn %(days)s ngày, giải phóng %(size)s.")
        if verbosity >= 1:
            self.stdout.write(message % summary)
        if failed:
            raise CommandError(_("Không xoá được %(count)s đợt in (xem ở trên).") % {"count": len(failed)})

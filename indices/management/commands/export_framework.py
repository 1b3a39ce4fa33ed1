"""``export_framework ID -o FILE.xlsx``: write a framework in the template that import_framework reads."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indices.frameworks import framework_xlsx
from indices.models import Framework


class Command(BaseCommand):
    help = (
        "Xuất một bộ chỉ số CCHC ra tệp Excel theo mẫu (trang tính Tiêu chí và Thông tin), đúng mẫu mà "
        "import_framework đọc."
    )

    def add_arguments(self, parser):
        parser.add_argument("id", type=int, metavar="ID")
        parser.add_argument(
            "-o", "--output", required=True, metavar="FILE.xlsx", help=gettext_lazy("Tệp ghi ra.")
        )

    def handle(self, *args, id: int, output: str, verbosity: int, **options):
        framework = Framework.objects.select_related("issuer").filter(pk=id).first()
        if framework is None:
            raise CommandError(_("Không có bộ chỉ số mã %(id)s.") % {"id": id})
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(_("Không có thư mục %(path)s.") % {"path": path.parent})
        path.write_bytes(framework_xlsx(framework))
        if verbosity:
            self.stdout.write(_("Đã ghi “%(name)s” vào %(path)s.") % {"name": framework, "path": path})

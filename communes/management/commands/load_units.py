from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.services import UnknownProvince, units_load


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # Translated when asked for: argparse cannot format a lazy description.
        return _(
            "Nạp danh mục đơn vị hành chính chính thức từ gói vietnamadminunits: danh sách từ 01/7/2025 "
            "(34 tỉnh, 3.321 xã), hoặc với --legacy danh sách trước đó (63 tỉnh, các huyện, 10.035 xã) "
            "kèm liên kết sang đơn vị kế thừa. Chạy lại không thay đổi gì."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--legacy", action="store_true", help=gettext_lazy("Nạp danh sách trước 01/7/2025.")
        )
        parser.add_argument(
            "--province", metavar="CODE", help=gettext_lazy("Chỉ nạp một tỉnh (mã tỉnh, ví dụ 52).")
        )

    def handle(self, *args, legacy: bool, province: str | None, verbosity: int, **options):
        try:
            result = units_load(legacy=legacy, province_codes=[province] if province else None)
        except UnknownProvince as error:
            if legacy:
                message = _("Không có tỉnh mã %(codes)s trong danh sách trước 01/7/2025.")
            else:
                message = _("Không có tỉnh mã %(codes)s trong danh sách từ 01/7/2025.")
            raise CommandError(message % {"codes": error}) from error
        if verbosity:
            self.stdout.write(
                _(
                    "Đơn vị: %(created)s thêm mới, %(updated)s cập nhật, %(unchanged)s giữ nguyên; liên kết "
                    "kế thừa: %(successions_created)s thêm mới, %(successions_updated)s cập nhật."
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "successions_created": result.successions_created,
                    "successions_updated": result.successions_updated,
                }
            )

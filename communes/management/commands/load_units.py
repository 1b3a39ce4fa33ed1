from django.core.management.base import BaseCommand, CommandError

from communes.services import UnknownProvince, units_load


class Command(BaseCommand):
    help = (
        "Nạp danh mục đơn vị hành chính chính thức từ gói vietnamadminunits: danh sách từ 01/7/2025 "
        "(34 tỉnh, 3.321 xã), hoặc với --legacy danh sách trước đó (63 tỉnh, các huyện, 10.035 xã) "
        "kèm liên kết sang đơn vị kế thừa. Chạy lại không thay đổi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("--legacy", action="store_true", help="Nạp danh sách trước 01/7/2025.")
        parser.add_argument("--province", metavar="CODE", help="Chỉ nạp một tỉnh (mã tỉnh, ví dụ 52).")

    def handle(self, *args, legacy: bool, province: str | None, verbosity: int, **options):
        try:
            result = units_load(legacy=legacy, province_codes=[province] if province else None)
        except UnknownProvince as error:
            which = "trước 01/7/2025" if legacy else "từ 01/7/2025"
            raise CommandError(f"Không có tỉnh mã {error} trong danh sách {which}.") from error
        if verbosity:
            self.stdout.write(
                f"Đơn vị: {result.created} thêm mới, {result.updated} cập nhật, "
                f"{result.unchanged} giữ nguyên; liên kết kế thừa: {result.successions_created} thêm mới, "
                f"{result.successions_updated} cập nhật."
            )

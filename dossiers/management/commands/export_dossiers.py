from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from communes.models import User
from communes.selectors import UnitNotFound, unit_by_code, units_readable_by
from core.periods import Period, PeriodSyntaxError
from dossiers.selectors import bieu06_file


class Command(BaseCommand):
    help = (
        "Xuất Biểu 06 (xlsx hoặc csv, theo đuôi tệp) của một xã, hoặc của mọi xã thuộc đơn vị thẩm định "
        "(mỗi xã một nhóm dòng và dòng tổng cộng)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, metavar="CODE", help="Mã đơn vị, ví dụ 21649.")
        parser.add_argument(
            "--period", required=True, metavar="P", help="Kỳ: 2024-03, 2024-Q1, 2024-H1, 2024-9M, 2024."
        )
        parser.add_argument("-o", "--output", required=True, metavar="FILE", help="Tệp .xlsx hoặc .csv.")
        parser.add_argument(
            "--era", choices=["legacy", "2025"], help="Giai đoạn, khi mã trùng giữa hai giai đoạn."
        )
        parser.add_argument("--user", metavar="USERNAME", help="Chỉ xuất dữ liệu mà người dùng này được xem.")

    def handle(
        self, *args, unit: str, period: str, output: str, era: str | None, user: str | None, **options
    ):
        path = Path(output)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in ("xlsx", "csv"):
            raise CommandError(f"Tệp xuất phải có đuôi .xlsx hoặc .csv, không phải “{path.name}”.")
        try:
            value = Period.parse(period)
            target = unit_by_code(unit, era=era)
        except (PeriodSyntaxError, UnitNotFound) as error:
            raise CommandError(str(error)) from error
        if user is not None:
            person = User.objects.filter(username=user, is_active=True).first()
            if person is None or not units_readable_by(person).filter(pk=target.pk).exists():
                # The same answer whether the user is unknown or may not see the unit.
                raise CommandError(f"Không có đơn vị mã {unit} trong phạm vi của người dùng {user}.")
        name, data, _content_type = bieu06_file(unit=target, period=value, fmt=fmt)
        path.write_bytes(data)
        if options["verbosity"]:
            self.stdout.write(f"Đã ghi {path} ({target.name}, {value.label}).")

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import User
from communes.selectors import UnitNotFound, unit_by_code, units_readable_by
from core.periods import Period, PeriodSyntaxError
from dossiers.selectors import Basis, bieu06_file


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # Translated when asked for: argparse cannot format a lazy description.
        return _(
            "Xuất Biểu 06 (xlsx hoặc csv, theo đuôi tệp) của một xã, hoặc của mọi xã thuộc đơn vị thẩm định "
            "(mỗi xã một nhóm dòng và dòng tổng cộng)."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--unit", required=True, metavar="CODE", help=gettext_lazy("Mã đơn vị, ví dụ 21649.")
        )
        parser.add_argument(
            "--period",
            required=True,
            metavar="P",
            help=gettext_lazy("Kỳ: 2024-03, 2024-Q1, 2024-H1, 2024-9M, 2024."),
        )
        parser.add_argument(
            "-o", "--output", required=True, metavar="FILE", help=gettext_lazy("Tệp .xlsx hoặc .csv.")
        )
        parser.add_argument(
            "--era",
            choices=["legacy", "2025"],
            help=gettext_lazy("Giai đoạn, khi mã trùng giữa hai giai đoạn."),
        )
        parser.add_argument(
            "--include-unapproved",
            action="store_true",
            help=gettext_lazy(
                "Với đơn vị thẩm định: tính cả báo cáo chưa duyệt (mặc định chỉ tính báo cáo đã duyệt). "
                "Biểu của một xã luôn tính mọi báo cáo của xã."
            ),
        )
        parser.add_argument(
            "--user", metavar="USERNAME", help=gettext_lazy("Chỉ xuất dữ liệu mà người dùng này được xem.")
        )

    def handle(
        self, *args, unit: str, period: str, output: str, era: str | None, user: str | None, **options
    ):
        path = Path(output)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in ("xlsx", "csv"):
            raise CommandError(
                _("Tệp xuất phải có đuôi .xlsx hoặc .csv, không phải “%(name)s”.") % {"name": path.name}
            )
        try:
            value = Period.parse(period)
            target = unit_by_code(unit, era=era)
        except (PeriodSyntaxError, UnitNotFound) as error:
            raise CommandError(str(error)) from error
        if user is not None:
            person = User.objects.filter(username=user, is_active=True).first()
            if person is None or not units_readable_by(person).filter(pk=target.pk).exists():
                # The same answer whether the user is unknown or may not see the unit.
                raise CommandError(
                    _("Không có đơn vị mã %(code)s trong phạm vi của người dùng %(user)s.")
                    % {"code": unit, "user": user}
                )
        basis = Basis.ALL if options["include_unapproved"] else None
        name, data, _content_type = bieu06_file(unit=target, period=value, fmt=fmt, basis=basis)
        path.write_bytes(data)
        if options["verbosity"]:
            self.stdout.write(
                _("Đã ghi %(path)s (%(unit)s, %(period)s).")
                % {"path": path, "unit": target.name, "period": value.label}
            )

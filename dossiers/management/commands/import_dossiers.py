from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import User
from communes.selectors import UnitNotFound, unit_by_code, units_writable_by
from core.periods import Period as PeriodValue
from core.periods import PeriodSyntaxError
from dossiers.importing import MAX_BYTES, parse_bieu06
from dossiers.models import Period
from dossiers.selectors import import_catalogue
from dossiers.services import dossier_report_import


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # Translated when asked for: argparse cannot format a lazy description.
        return _(
            "Nhập Biểu 06 (.xlsx do phần mềm một cửa xuất) cho một xã và một kỳ. Kiểm tra toàn bộ tệp trước: "
            "nếu có lỗi, in từng lỗi kèm trang tính, dòng, cột và không lưu gì (mã thoát 1); chỉ trả mã "
            "thoát 0 khi đã nhập."
        )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.xlsx")
        parser.add_argument("--unit", required=True, metavar="CODE", help=gettext_lazy("Mã xã, ví dụ 21649."))
        parser.add_argument(
            "--period",
            required=True,
            metavar="P",
            help=gettext_lazy("Kỳ: 2024-03, 2024-Q1, 2024-H1, 2024-9M, 2024."),
        )
        parser.add_argument(
            "--era",
            choices=["legacy", "2025"],
            help=gettext_lazy("Giai đoạn, khi mã trùng giữa hai giai đoạn."),
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help=gettext_lazy("Nhập với quyền của người dùng này (ghi vào lịch sử)."),
        )
        parser.add_argument("--dry-run", action="store_true", help=gettext_lazy("Chỉ kiểm tra, không lưu."))

    def handle(
        self, *args, file: str, unit: str, period: str, era, user, dry_run: bool, verbosity: int, **options
    ):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("Không có tệp %(path)s.") % {"path": path})
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(_("Tệp %(name)s lớn hơn 10 MB, không nhập.") % {"name": path.name})
        try:
            value = PeriodValue.parse(period)
            target = unit_by_code(unit, era=era)
        except (PeriodSyntaxError, UnitNotFound) as error:
            raise CommandError(str(error)) from error
        if not target.is_commune:
            raise CommandError(
                _("%(unit)s không phải xã, phường: Biểu 06 được nhập cho từng xã.") % {"unit": target.name}
            )
        person = None
        if user is not None:
            person = User.objects.filter(username=user, is_active=True).first()
            if person is None or not units_writable_by(person).filter(pk=target.pk).exists():
                raise CommandError(
                    _("Người dùng %(user)s không được nhập số liệu cho đơn vị mã %(code)s.")
                    % {"user": user, "code": unit}
                )

        result = parse_bieu06(path.read_bytes(), catalogue=import_catalogue(), filename=path.name)
        for problem in result.problems:
            where = "!".join(
                str(part) for part in (problem.sheet, f"{problem.column or ''}{problem.row or ''}") if part
            )
            if problem.level == "error":
                line = _("Lỗi %(where)s: %(message)s")
            else:
                line = _("Cảnh báo %(where)s: %(message)s")
            self.stderr.write(line % {"where": where, "message": problem.message})
        if not result.ok:
            raise CommandError(
                _("Tệp có %(count)s lỗi; không có gì được lưu.") % {"count": len(result.errors)}
            )
        lines = {row.field_id: row.figures for row in result.rows}
        if dry_run:
            self.stdout.write(
                _("Tệp hợp lệ: %(count)s lĩnh vực cho %(unit)s, %(period)s. Chưa lưu (--dry-run).")
                % {"count": len(lines), "unit": target.name, "period": value.label}
            )
            return
        try:
            dossier_report_import(unit=target, period=Period.for_code(value.code), user=person, lines=lines)
        except ValidationError as error:
            raise CommandError(_("Không nhập được: %(reason)s") % {"reason": error.messages[0]}) from error
        if verbosity:
            self.stdout.write(
                _("Đã nhập %(count)s lĩnh vực cho %(unit)s, %(period)s.")
                % {"count": len(lines), "unit": target.name, "period": value.label}
            )

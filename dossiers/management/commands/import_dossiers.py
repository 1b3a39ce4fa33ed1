from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import User
from communes.selectors import UnitNotFound, unit_by_code, units_writable_by
from core.formatting import format_number
from core.periods import Period as PeriodValue
from core.periods import PeriodSyntaxError
from dossiers.importing import MAX_BYTES
from dossiers.importing.review import review_import
from dossiers.models import Period
from dossiers.services import dossier_report_import


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # Translated when asked for: argparse cannot format a lazy description.
        return _(
            "Nhập Biểu 06 (.xlsx do phần mềm một cửa xuất) cho một xã và một kỳ. Kiểm tra toàn bộ tệp trước: "
            "nếu có lỗi, in từng lỗi kèm trang tính, dòng, cột và không lưu gì (mã thoát 1); chỉ trả mã "
            "thoát 0 khi đã nhập. Đơn vị và kỳ ghi ở phần đầu tệp phải khớp với --unit và --period."
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
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("Chỉ kiểm tra và in các ô sẽ thay đổi, không lưu."),
        )
        parser.add_argument(
            "--beside-months",
            action="store_true",
            help=gettext_lazy(
                "Vẫn nhập một kỳ dài (quý, 6 tháng, 9 tháng, năm) đã có báo cáo tháng: số liệu của tệp "
                "thành báo cáo cả kỳ đứng bên cạnh tổng các tháng."
            ),
        )

    def handle(
        self,
        *args,
        file: str,
        unit: str,
        period: str,
        era,
        user,
        dry_run: bool,
        beside_months: bool,
        verbosity: int,
        **options,
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

        review = review_import(path.read_bytes(), unit=target, period=value, filename=path.name)
        result = review.result
        for problem in result.problems:
            where = "!".join(
                str(part) for part in (problem.sheet, f"{problem.column or ''}{problem.row or ''}") if part
            )
            if problem.level == "error":
                line = _("Lỗi %(where)s: %(message)s")
            else:
                line = _("Cảnh báo %(where)s: %(message)s")
            self.stderr.write(line % {"where": where, "message": problem.message})
        for note in review.notes:
            self.stderr.write(_("Ghi chú: %(note)s") % {"note": note})
        if not result.ok:
            raise CommandError(
                _("Tệp có %(count)s lỗi; không có gì được lưu.") % {"count": len(result.errors)}
            )
        if review.beside is not None and not beside_months:
            raise CommandError(
                _("%(message)s Thêm --beside-months nếu vẫn muốn nhập; không có gì được lưu.")
                % {"message": review.beside.message}
            )
        lines = {row.field_id: row.figures for row in result.rows}
        if dry_run:
            self._write_changes(review)
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

    def _write_changes(self, review) -> None:
        if not review.saved:
            self.stdout.write(_("Chưa có số liệu nào được lưu cho kỳ này: đây là lần nhập đầu tiên."))
        elif not review.changes:
            self.stdout.write(_("Số liệu trong tệp giống hệt số liệu đã lưu: không có gì thay đổi."))
        for change in review.changes:
            self.stdout.write(
                _("Thay đổi: %(field)s, %(column)s: %(saved)s → %(new)s")
                % {
                    "field": change.field_name,
                    "column": change.column,
                    "saved": format_number(change.saved),
                    "new": format_number(change.new),
                }
            )

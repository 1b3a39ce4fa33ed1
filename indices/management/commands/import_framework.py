"""``import_framework FILE.xlsx [--dry-run]``: read a framework template and save it."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indices.frameworks import MAX_BYTES
from indices.services.frameworks import Outcome, framework_import, framework_read


class Command(BaseCommand):
    help = (
        "Nhập một bộ chỉ số CCHC từ tệp Excel theo mẫu (trang tính Tiêu chí và Thông tin). Kiểm tra toàn "
        "bộ tệp trước: nếu có lỗi, in từng lỗi kèm trang tính, dòng, cột và không lưu gì. Bộ chỉ số cùng "
        "tên, đơn vị ban hành và năm áp dụng đã được dùng để chấm điểm thì được nhập thành phiên bản mới. "
        "Mã thoát 0 chỉ khi đã nhập."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.xlsx")
        parser.add_argument("--dry-run", action="store_true", help=gettext_lazy("Chỉ kiểm tra, không lưu."))

    def handle(self, *args, file: str, dry_run: bool, verbosity: int, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("Không có tệp %(path)s.") % {"path": path})
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(_("Tệp %(name)s lớn hơn 5 MB, không nhập.") % {"name": path.name})
        result = framework_read(path.read_bytes(), filename=path.name)
        for problem in result.problems:
            where = "!".join(
                str(part) for part in (problem.sheet, f"{problem.column or ''}{problem.row or ''}") if part
            )
            if where:
                self.stderr.write(
                    _("Lỗi %(where)s: %(message)s") % {"where": where, "message": problem.message}
                )
            else:
                self.stderr.write(_("Lỗi: %(message)s") % {"message": problem.message})
        if not result.ok:
            raise CommandError(
                _("Tệp có %(count)s lỗi; không có gì được lưu.") % {"count": len(result.problems)}
            )
        data = result.data
        values = {
            "name": data.name,
            "criteria": len(data.nodes),
            "leaves": len(data.leaves()),
            "issuer": data.issuer.name,
        }
        if dry_run:
            self.stdout.write(
                _(
                    "Tệp hợp lệ: “%(name)s” của %(issuer)s, %(criteria)s tiêu chí (%(leaves)s tiêu chí chấm "
                    "điểm). Chưa lưu (--dry-run)."
                )
                % values
            )
            return
        try:
            imported = framework_import(data=data, issuer=data.issuer)
        except ValidationError as error:
            raise CommandError(
                _("Không nhập được: %(reason)s") % {"reason": "; ".join(error.messages)}
            ) from error
        values.update(pk=imported.framework.pk, version=imported.framework.version)
        if imported.outcome == Outcome.NEW_VERSION:
            message = _(
                "Bộ chỉ số “%(name)s” đã được dùng để chấm điểm nên được nhập thành phiên bản %(version)s "
                "(mã %(pk)s), %(criteria)s tiêu chí."
            )
        elif imported.outcome == Outcome.REPLACED:
            message = _("Đã thay nội dung bộ chỉ số “%(name)s” (mã %(pk)s): %(criteria)s tiêu chí.")
        else:
            message = _("Đã nhập bộ chỉ số “%(name)s” (mã %(pk)s): %(criteria)s tiêu chí.")
        if verbosity:
            self.stdout.write(message % values)

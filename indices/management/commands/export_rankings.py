"""``export_rankings --year Y --group CODE --format csv|xlsx|json -o FILE [--era …] [--framework ID]``."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.selectors import UnitNotFound, unit_by_code
from indices.models import Round
from indices.selectors.rankings import EXPORT_TYPES, ranking, ranking_file


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # Translated when asked for: argparse cannot format a lazy description.
        return _(
            "Xuất bảng xếp hạng Chỉ số CCHC của một nhóm xếp hạng (huyện trước 7/2025, tỉnh sau đó) trong "
            "một năm, ra CSV, XLSX hoặc JSON. Xuất cả đợt chưa công bố: lệnh dành cho quản trị viên."
        )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help=gettext_lazy("Năm đánh giá, ví dụ 2023."))
        parser.add_argument(
            "--group",
            required=True,
            metavar="CODE",
            help=gettext_lazy("Mã đơn vị của nhóm xếp hạng, ví dụ 543 (Thị xã Hoài Nhơn)."),
        )
        parser.add_argument("--format", required=True, choices=sorted(EXPORT_TYPES), dest="fmt")
        parser.add_argument("-o", "--output", required=True, metavar="FILE", help=gettext_lazy("Tệp ghi ra."))
        parser.add_argument(
            "--era",
            choices=["legacy", "2025"],
            help=gettext_lazy("Giai đoạn, khi mã trùng giữa hai giai đoạn."),
        )
        parser.add_argument(
            "--framework",
            type=int,
            metavar="ID",
            help=gettext_lazy("Bộ chỉ số, khi nhóm có nhiều đợt đánh giá trong năm."),
        )

    def handle(
        self, *args, year: int, group: str, fmt: str, output: str, era, framework, verbosity, **options
    ):
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(_("Không có thư mục %(path)s.") % {"path": path.parent})
        try:
            unit = unit_by_code(group, era=era)
        except UnitNotFound as error:
            raise CommandError(str(error)) from error
        rounds = Round.objects.filter(year=year, group=unit).select_related("framework", "group__parent")
        if framework is not None:
            rounds = rounds.filter(framework_id=framework)
        found = list(rounds.order_by("framework_id"))
        if not found:
            if framework is not None:
                raise CommandError(
                    _("%(group)s không có đợt đánh giá năm %(year)s theo bộ chỉ số mã %(framework)s.")
                    % {"group": unit.name, "year": year, "framework": framework}
                )
            raise CommandError(
                _("%(group)s không có đợt đánh giá năm %(year)s.") % {"group": unit.name, "year": year}
            )
        if len(found) > 1:
            choices = "; ".join(f"{r.framework_id}: {r.framework.name}" for r in found)
            raise CommandError(
                _(
                    "%(group)s có %(count)s đợt đánh giá năm %(year)s theo các bộ chỉ số khác nhau "
                    "(%(choices)s). Hãy chọn một bằng --framework ID."
                )
                % {"group": unit.name, "count": len(found), "year": year, "choices": choices}
            )
        round_ = found[0]
        _name, data, _content_type = ranking_file(ranking(round_), fmt)
        path.write_bytes(data)
        if verbosity:
            self.stdout.write(
                _("Đã ghi bảng xếp hạng năm %(year)s của %(group)s vào %(path)s.")
                % {"year": year, "group": unit.name, "path": path}
            )
            if not round_.is_published:
                self.stderr.write(_("Lưu ý: kết quả đợt này chưa được công bố."))

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.importing import MAX_BYTES, ImportRefused, read_users_file, users_import, users_review
from communes.models import Era, Level
from communes.selectors import UnitNotFound, unit_by_code


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # Translated when asked for: argparse cannot format a lazy description.
        return _(
            "Tạo tài khoản từ một tệp Excel (mã hoặc tên xã, họ và tên, chức vụ, vai trò, email, điện "
            "thoại, có thể thêm tên đăng nhập), như trang “Nhập tài khoản từ Excel”. Kiểm tra toàn bộ "
            "tệp trước: nếu có lỗi, in từng lỗi kèm dòng và cột, không tạo tài khoản nào (mã thoát 1); "
            "chỉ trả mã thoát 0 khi đã tạo (hoặc, với --dry-run, khi tệp nhập được). In mật khẩu dùng "
            "một lần của những tài khoản không có email."
        )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.xlsx")
        parser.add_argument(
            "--province",
            metavar="CODE",
            help=gettext_lazy(
                "Mã tỉnh (từ 01/7/2025, ví dụ 52): chỉ nhận xã, phường của tỉnh này. Không có: tìm theo "
                "mã trong mọi xã, phường của cả nước, và tên xã phải không trùng trong cả nước."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("Chỉ kiểm tra và in các tài khoản sẽ tạo, không lưu."),
        )

    def handle(self, *args, file: str, province, dry_run: bool, verbosity: int, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("Không có tệp %(path)s.") % {"path": path})
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(_("Tệp %(name)s lớn hơn 10 MB, không nhập.") % {"name": path.name})
        target = None
        if province is not None:
            try:
                target = unit_by_code(province, era=Era.CURRENT)
            except UnitNotFound as error:
                raise CommandError(str(error)) from error
            if target.level != Level.PROVINCE:
                raise CommandError(
                    _("%(unit)s không phải tỉnh: --province nhận mã tỉnh (từ 01/7/2025, ví dụ 52).")
                    % {"unit": target.name}
                )
        today = timezone.localdate()
        users = read_users_file(path.read_bytes(), filename=path.name)
        review = users_review(users, province=target, today=today)
        self._problems(review.problems)
        if not review.ok:
            raise CommandError(
                _("Tệp có %(count)s lỗi; không có tài khoản nào được tạo.") % {"count": len(review.errors)}
            )
        if dry_run:
            for account in review.accounts:
                self.stdout.write(self._line(account))
            self.stdout.write(
                _(
                    "Tệp hợp lệ: %(count)s tài khoản (%(invited)s nhận lời mời qua email, %(one_time)s nhận "
                    "mật khẩu dùng một lần). Chưa lưu (--dry-run)."
                )
                % {
                    "count": len(review.accounts),
                    "invited": review.invitations,
                    "one_time": review.one_time_passwords,
                }
            )
            return
        try:
            outcome = users_import(users=users, province=target, created_by=None, today=today)
        except ImportRefused as refused:
            self._problems(refused.review.problems)
            raise CommandError(_("Không có tài khoản nào được tạo.")) from refused
        if outcome.handover:
            self.stdout.write(_("Mật khẩu dùng một lần (in ra để bàn giao; không được lưu ở đâu):"))
            self.stdout.write("\t".join([_("Xã, phường"), _("Họ và tên"), _("Tên đăng nhập"), _("Mật khẩu")]))
            for item in outcome.handover:
                self.stdout.write(
                    "\t".join(
                        [item.account.unit.name, item.account.full_name, item.user.username, item.password]
                    )
                )
        self.stdout.write(
            _("Đã tạo %(count)s tài khoản; đã xếp hàng %(invited)s lời mời qua email.")
            % {"count": len(outcome.created), "invited": outcome.invitations}
        )

    def _problems(self, problems) -> None:
        for problem in problems:
            where = "!".join(
                str(part) for part in (problem.sheet, f"{problem.column or ''}{problem.row or ''}") if part
            )
            line = (
                _("Lỗi %(where)s: %(message)s")
                if problem.level == "error"
                else _("Cảnh báo %(where)s: %(message)s")
            )
            self.stderr.write(
                line % {"where": where, "message": problem.message} if where else problem.message
            )

    def _line(self, account) -> str:
        roles = "; ".join(f"{m.role_label} – {m.unit.name}" for m in account.memberships)
        delivery = _("lời mời qua email") if account.invited else _("mật khẩu dùng một lần")
        return _("Dòng %(row)s: %(username)s – %(name)s – %(roles)s – %(delivery)s") % {
            "row": account.row,
            "username": account.username,
            "name": account.full_name,
            "roles": roles,
            "delivery": delivery,
        }

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from communes import demo as communes_demo
from dossiers import demo as dossiers_demo
from indices import demo as indices_demo
from reports import demo as reports_demo


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # Translated when asked for: argparse cannot format a lazy description.
        return _(
            "Nạp dữ liệu mẫu: các đơn vị trong năm báo cáo mẫu (Hoài Nhơn, Gio Linh, Đức Thọ, Hiệp Đức, "
            "Tuy Phước và các tỉnh sau 01/7/2025), bộ phận chuyên môn và tài khoản mẫu cho mọi vai trò. "
            "Chạy lại không thay đổi gì."
        )

    def handle(self, *args, verbosity: int, **options):
        users = communes_demo.seed_units_and_people()
        dossiers_demo.seed_dossiers()
        indices_demo.seed_index()
        reports_demo.seed_reports()
        if not verbosity:
            return
        self.stdout.write(
            _("Tài khoản mẫu (mật khẩu chung: %(password)s):") % {"password": communes_demo.DEMO_PASSWORD}
        )
        width = max(len(user.username) for user in users)
        for user in users:
            role = _("Quản trị toàn quốc") if user.superuser else user.role.label
            units = ", ".join(communes_demo._unit(key).name for key in user.units)
            described = _("%(role)s: %(units)s") % {"role": role, "units": units} if units else role
            self.stdout.write(f"  {user.username:<{width}}  {described}")

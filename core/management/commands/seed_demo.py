from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from cchc_portal.settings import DEVELOPMENT_SECRET_KEY
from communes import demo as communes_demo
from dossiers import demo as dossiers_demo
from indices import demo as indices_demo
from notifications import demo as notifications_demo
from notifications.services import muted
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
        refusal = demo_data_refusal()
        if refusal:
            raise CommandError(refusal)
        users = communes_demo.seed_units_and_people()
        # Years of history go through the services: told to nobody, then the present told once.
        with muted():
            dossiers_demo.seed_dossiers()
            indices_demo.seed_index()
            reports_demo.seed_reports()
        notifications_demo.seed_notifications()
        _analyze()
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


def _analyze() -> None:
    """PostgreSQL's planner statistics brought up to date after the bulk writes: until
    autovacuum gets to it, a 2025 province's overview of 2024 took 10 s instead of under 1."""
    if connection.vendor != "postgresql":
        return
    from communes.models import AdministrativeUnit, UnitSuccession
    from dossiers.models import DossierChange, DossierLine, DossierReport
    from indices.models import Assessment

    tables = [
        m._meta.db_table
        for m in (AdministrativeUnit, UnitSuccession, DossierReport, DossierLine, DossierChange, Assessment)
    ]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


def demo_data_refusal() -> str | None:
    """Why the demo data may not be loaded here, or None on a developer's machine.

    The demo accounts, the superuser ``quantri`` among them, share a password printed in the
    README. Refused under the production settings (``DEMO_DATA_ALLOWED = False`` there), and also
    under the development settings with DEBUG off and a real SECRET_KEY: that is manage.py's
    default settings module run in a production environment. ``make run`` sets DEBUG=1; the test
    runner keeps the development key.
    """
    if not getattr(settings, "DEMO_DATA_ALLOWED", True):
        return _(
            "Không nạp dữ liệu mẫu: đang dùng cấu hình vận hành (cchc_portal.settings_production). "
            "Dữ liệu mẫu tạo các tài khoản, trong đó có quản trị toàn quốc quantri, với mật khẩu "
            "công khai trong README. Chỉ chạy seed_demo trên máy phát triển: "
            "DJANGO_SETTINGS_MODULE=cchc_portal.settings và DEBUG=1 (như make run)."
        )
    if not settings.DEBUG and settings.SECRET_KEY != DEVELOPMENT_SECRET_KEY:
        return _(
            "Không nạp dữ liệu mẫu: DEBUG đang tắt và SECRET_KEY là khóa thật, nên đây có vẻ là máy "
            "vận hành. Dữ liệu mẫu tạo các tài khoản, trong đó có quản trị toàn quốc quantri, với mật "
            "khẩu công khai trong README. Trên máy phát triển, hãy chạy với DEBUG=1 (như make run)."
        )
    return None

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import AdministrativeUnit, Era
from communes.services import UnknownProvince, units_load
from core.periods import Kind, Period, PeriodSyntaxError
from dossiers.figures import Figures
from dossiers.models import DossierLine, DossierReport, ProcedureField, ReportStatus
from dossiers.models import Period as PeriodRow

BATCH = 5000


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # Translated when asked for: argparse cannot format a lazy description.
        return _(
            "Tạo dữ liệu tổng hợp để đo hiệu năng (không phải dữ liệu mẫu): mọi xã, phường từ 01/7/2025 "
            "× số tháng × số lĩnh vực. Không dùng trên cơ sở dữ liệu thật."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--months", type=int, default=36, help=gettext_lazy("Số tháng, tính lùi từ --end (mặc định 36).")
        )
        parser.add_argument("--end", default="2025-12", help=gettext_lazy("Tháng cuối, ví dụ 2025-12."))
        parser.add_argument(
            "--fields", type=int, default=12, help=gettext_lazy("Số lĩnh vực mỗi báo cáo (mặc định 12).")
        )
        parser.add_argument(
            "--province", metavar="CODE", help=gettext_lazy("Chỉ một tỉnh (mã sau 01/7/2025).")
        )
        parser.add_argument(
            "--replace", action="store_true", help=gettext_lazy("Xóa số liệu sẵn có của các xã này trước.")
        )
        parser.add_argument("--seed", type=int, default=2025)

    def handle(self, *args, months, end, fields, province, replace, seed, verbosity, **options):
        try:
            last = Period.parse(end)
        except PeriodSyntaxError as error:
            raise CommandError(str(error)) from error
        if last.kind != Kind.MONTH or not 1 <= months <= 120 or not 1 <= fields <= 50:
            raise CommandError(
                _("--end phải là một tháng (2025-12); --months từ 1 đến 120; --fields từ 1 đến 50.")
            )
        communes = AdministrativeUnit.objects.communes().filter(era=Era.CURRENT)
        if not communes.exists():
            units_load(legacy=False)
        if province:
            try:
                units_load(legacy=False, province_codes=[province])
            except UnknownProvince as error:
                raise CommandError(
                    _("Không có tỉnh mã %(code)s trong danh sách từ 01/7/2025.") % {"code": province}
                ) from error
            communes = communes.filter(parent__code=province)
        unit_ids = list(communes.values_list("pk", flat=True))
        catalogue = list(ProcedureField.objects.filter(is_active=True)[:fields])
        for number in range(len(catalogue), fields):
            catalogue.append(
                ProcedureField.objects.create(name=f"Lĩnh vực tổng hợp {number + 1}", position=100 + number)
            )

        periods = []
        year, month = last.year, last.number
        for _month in range(months):
            periods.append(PeriodRow.for_code(Period(year, Kind.MONTH, month).code))
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        existing = DossierReport.objects.filter(unit_id__in=unit_ids, period__in=periods)
        if existing.exists():
            if not replace:
                raise CommandError(
                    _("Các xã này đã có số liệu trong những tháng đó; thêm --replace để tạo lại.")
                )
            existing.delete()

        rng = random.Random(seed)  # noqa: S311 (benchmark figures, not security)
        started = time.perf_counter()
        lines = 0
        for period in reversed(periods):
            with transaction.atomic():
                reports = DossierReport.objects.bulk_create(
                    [
                        DossierReport(unit_id=pk, period=period, status=ReportStatus.APPROVED)
                        for pk in unit_ids
                    ],
                    batch_size=BATCH,
                )
                batch = []
                for report in reports:
                    for field in catalogue:
                        batch.append(DossierLine(report=report, field=field, **vars(_figures(rng))))
                        if len(batch) >= BATCH:
                            DossierLine.objects.bulk_create(batch)
                            lines += len(batch)
                            batch = []
                DossierLine.objects.bulk_create(batch)
                lines += len(batch)
            if verbosity > 1:
                self.stdout.write(
                    _("%(period)s: %(count)s báo cáo") % {"period": period.code, "count": len(reports)}
                )
        if verbosity:
            self.stdout.write(
                _(
                    "Đã tạo %(reports)s báo cáo, %(lines)s dòng (%(communes)s xã × %(months)s tháng × "
                    "%(fields)s lĩnh vực) trong %(seconds)s giây."
                )
                % {
                    "reports": len(unit_ids) * len(periods),
                    "lines": lines,
                    "communes": len(unit_ids),
                    "months": len(periods),
                    "fields": len(catalogue),
                    "seconds": f"{time.perf_counter() - started:.0f}",
                }
            )


def _figures(rng: random.Random) -> Figures:
    """A consistent, plausible row: what is received is resolved or pending."""
    online, in_person = rng.randint(0, 40), rng.randint(0, 15)
    carried = rng.randint(0, 3)
    received = online + in_person + carried
    pending = rng.randint(0, min(3, received))
    late = 1 if received - pending and rng.random() < 0.05 else 0
    early = rng.randint(0, max(0, received - pending - late))
    fees = rng.randint(0, online + in_person)
    return Figures(
        received_online=online,
        received_in_person=in_person,
        carried_over=carried,
        resolved_early=early,
        resolved_on_time=received - pending - late - early,
        resolved_late=late,
        pending_in_time=pending,
        apology_letters=late if rng.random() < 0.8 else 0,
        dossiers_with_fees=fees,
        online_payments=rng.randint(0, fees),
        digitised_results=(received - pending) // 2,
    )

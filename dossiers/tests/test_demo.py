from django.core.management import call_command
from django.test import TestCase

from communes.models import AdministrativeUnit, Era
from core.periods import Period
from dossiers.models import DossierLine, DossierReport, ProcedureField
from dossiers.selectors import figures_for


def unit(code, era=Era.LEGACY):
    return AdministrativeUnit.objects.get(era=era, code=code)


class DossierDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", verbosity=0)

    def test_hoai_chau_2023_reproduces_seed_000(self):
        total = figures_for(unit=unit("21649"), period=Period.parse("2023")).total
        self.assertEqual(total.resolved_total, 1292)
        self.assertEqual(total.received_online, 1184)
        self.assertEqual(f"{total.received_online}/{total.resolved_total}", "1184/1292")
        self.assertEqual(total.online_rate_text, "91,64%")
        self.assertEqual(total.online_payments, 586)
        self.assertEqual(total.payment_rate_text, "94,82%")

    def test_tung_chau_reproduces_seed_004_by_field(self):
        tung_chau = unit("18241")

        def by_field(code):
            result = figures_for(unit=tung_chau, period=Period.parse(code))
            names = dict(ProcedureField.objects.values_list("pk", "name"))
            return {names[pk]: f.received_total for pk, f in result.lines.items() if f.received_total}

        self.assertEqual(by_field("2021"), {"Bảo hiểm xã hội": 2, "Bảo trợ xã hội": 48, "Người có công": 12})
        self.assertEqual(sum(by_field("2022").values()), 70)
        self.assertEqual(
            by_field("2023-9M"),
            {"Đất đai": 17, "Hộ tịch": 191, "Bảo trợ xã hội": 36, "Người có công": 6, "Chứng thực": 83},
        )
        lines = DossierLine.objects.filter(report__unit=tung_chau)
        late = sum(line.resolved_late for line in lines)
        on_time = sum(line.resolved_early + line.resolved_on_time for line in lines)
        self.assertEqual((on_time, late, sum(line.apology_letters for line in lines)), (464, 1, 1))

    def test_hiep_thuan_and_que_luu_had_no_online_dossier_in_2023(self):
        for name in ("Xã Hiệp Thuận", "Xã Quế Lưu"):
            commune = AdministrativeUnit.objects.get(era=Era.LEGACY, name=name, parent__code="512")
            total = figures_for(unit=commune, period=Period.parse("2023-9M")).total
            self.assertGreater(total.received_new, 0)
            self.assertEqual(total.received_online, 0)
        others = figures_for(unit=unit("512"), period=Period.parse("2023-9M")).total
        self.assertGreater(others.received_online, 0)

    def test_phuoc_hung_first_half_of_2024_reproduces_seed_002(self):
        total = figures_for(unit=unit("21961"), period=Period.parse("2024-H1")).total
        self.assertEqual(total.received_online, 673)
        self.assertEqual(total.on_time_rate_text, "99,90%")

    def test_every_demo_report_is_consistent(self):
        from dossiers.figures import Level, check

        for line in DossierLine.objects.all():
            errors = [p for p in check(line.figures) if p.level == Level.ERROR]
            self.assertEqual(errors, [], line)

    def test_running_it_again_changes_nothing(self):
        before = (DossierReport.objects.count(), DossierLine.objects.count())
        call_command("seed_demo", verbosity=0)
        self.assertEqual((DossierReport.objects.count(), DossierLine.objects.count()), before)

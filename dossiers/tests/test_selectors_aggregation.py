import datetime

import time_machine

from core.periods import Period as P
from core.testing import PortalTestCase
from dossiers.figures import Figures
from dossiers.models import Period, ProcedureField
from dossiers.selectors import figures_for
from dossiers.services import dossier_report_save


class AggregationTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.ho_tich = ProcedureField.objects.get(name="Hộ tịch")
        cls.dat_dai = ProcedureField.objects.get(name="Đất đai")

    def report(self, unit, code, lines):
        dossier_report_save(
            unit=unit, period=Period.for_code(code), user=self.officer, lines=lines, expected_version=0
        )

    def month(self, number, carried, new, resolved, pending, unit=None):
        self.report(
            unit or self.hoai_chau,
            f"2024-{number:02d}",
            {
                self.ho_tich.pk: Figures(
                    carried_over=carried,
                    received_online=new,
                    resolved_on_time=resolved,
                    pending_in_time=pending,
                )
            },
        )

    def test_a_quarter_sums_its_months_but_carries_over_from_the_first_and_pending_from_the_last(self):
        self.month(1, carried=5, new=10, resolved=12, pending=3)
        self.month(2, carried=3, new=20, resolved=18, pending=5)
        self.month(3, carried=5, new=30, resolved=33, pending=2)
        result = figures_for(unit=self.hoai_chau, period=P.parse("2024-Q1"))
        line = result.lines[self.ho_tich.pk]
        self.assertEqual((line.carried_over, line.received_online), (5, 60))
        self.assertEqual((line.resolved_on_time, line.pending_in_time), (63, 2))
        # The quarter balances as its months did: 5 + 60 = 63 + 2.
        self.assertEqual(line.received_total, line.resolved_total + line.pending_total)
        self.assertEqual((result.source, result.missing), ("months", []))

    def test_missing_months_are_named(self):
        self.month(1, carried=0, new=1, resolved=1, pending=0)
        result = figures_for(unit=self.hoai_chau, period=P.parse("2024-Q1"))
        self.assertEqual([p.code for p in result.missing], ["2024-02", "2024-03"])

    def test_a_month_not_yet_ended_is_not_missing(self):
        for code in ("2026-10", "2026-11"):
            dossier_report_save(
                unit=self.tam_quan,
                period=Period.for_code(code),
                user=self.new_officer,
                lines={self.ho_tich.pk: Figures(received_online=4, resolved_on_time=4)},
                expected_version=0,
            )
        expectations = {
            datetime.date(2026, 12, 3): (0, 1),  # December runs: no report yet is no gap
            datetime.date(2026, 12, 31): (0, 1),
            datetime.date(2027, 1, 2): (1, 0),  # December has ended without a report
        }
        for day, (missing, ongoing) in expectations.items():
            with (
                self.subTest(day=day),
                time_machine.travel(datetime.datetime.combine(day, datetime.time(9)), tick=False),
            ):
                result = figures_for(unit=self.tam_quan, period=P.parse("2026-Q4"))
                self.assertEqual((result.missing_months, result.ongoing_months), (missing, ongoing))
                self.assertEqual(result.approved_months + result.waiting_months, 2)

    def test_a_period_entered_directly_is_used_as_it_is(self):
        # Tùng Châu (seed 004) only has yearly figures.
        self.report(
            self.hoai_chau, "2023", {self.dat_dai.pk: Figures(received_in_person=17, resolved_on_time=17)}
        )
        result = figures_for(unit=self.hoai_chau, period=P.parse("2023"))
        self.assertEqual((result.source, result.total.received_total), ("direct", 17))

    def test_nothing_is_nothing(self):
        result = figures_for(unit=self.hoai_chau, period=P.parse("2022"))
        self.assertEqual((result.source, result.lines), (None, {}))

    def test_a_2025_commune_shows_its_predecessors_history(self):
        self.month(3, carried=0, new=7, resolved=7, pending=0)
        result = figures_for(unit=self.tam_quan, period=P.parse("2024-03"))
        self.assertEqual((result.source, result.total.received_online), ("predecessors", 7))
        self.assertEqual([u.name for u in result.units], ["Xã Hoài Châu"])

    def test_a_2025_communes_trend_shows_its_predecessors_months(self):
        from dossiers.selectors import monthly_trend

        self.month(3, carried=0, new=7, resolved=7, pending=0)
        trend = monthly_trend(unit=self.tam_quan, year=2024)
        self.assertEqual(trend[3].received_online, 7)
        self.assertEqual(monthly_trend(unit=self.hoai_chau_bac, year=2024), {})

    def test_a_reviewers_unit_sums_its_communes(self):
        self.month(3, carried=0, new=7, resolved=7, pending=0)
        self.month(3, carried=0, new=5, resolved=5, pending=0, unit=self.hoai_chau_bac)
        self.month(3, carried=0, new=100, resolved=100, pending=0, unit=self.phuoc_hung)
        result = figures_for(unit=self.hoai_nhon, period=P.parse("2024-03"))
        self.assertEqual(result.total.received_online, 12)
        self.assertEqual(sorted(g.unit.name for g in result.groups), ["Xã Hoài Châu", "Xã Hoài Châu Bắc"])

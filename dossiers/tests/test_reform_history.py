"""History across the 2025 reform (issue 12, item 2).

Phường Tam Quan (from 1/7/2025) continues xã Hoài Châu, which went whole into it, and part of xã
Hoài Châu Bắc, which the mapping splits between Tam Quan and Phường Hoài Nhơn Bắc. Hoài Châu's
figures are Tam Quan's history; Hoài Châu Bắc's are shown as split and counted in neither.

Year 2025 is the predecessors' first half plus the commune's second: the same numbers in the
selector, the province's overview (its SQL), the commune's period page and its Biểu 06, read on
three days (before the reform, during its first months, today). The trend chart of 2025 has
twelve points with the reform marked; the list never calls 1–6/2025 late.
"""

from __future__ import annotations

import datetime

import time_machine
from django.urls import reverse

from communes.models import REFORM_DATE, Era, Kind, Level, Role, UnitSuccession
from core.periods import Period as P
from core.testing import PortalTestCase, make_unit, make_user
from dossiers.figures import Figures
from dossiers.models import DossierReport, FiguresChoice, Period, ProcedureField, ReportStatus
from dossiers.selectors import OVERVIEW_SUMS, Basis, communes_for_period, figures_for, overview_queryset
from dossiers.views.lists import trend_data

from . import places

DAYS = {
    "before": datetime.datetime(2025, 6, 20, 9, 0, tzinfo=datetime.UTC),
    "during": datetime.datetime(2025, 8, 15, 9, 0, tzinfo=datetime.UTC),
    "today": datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC),
}
LAST_DAY = datetime.date(2025, 6, 30)


class ReformHistoryTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.ho_tich = ProcedureField.objects.get(name="Hộ tịch")
        for old in (cls.hoai_chau, cls.hoai_chau_bac, cls.phuoc_hung):
            old.valid_to = LAST_DAY
            old.save()
        cls.tam_quan.valid_from = REFORM_DATE
        cls.tam_quan.save()
        cls.gia_lai.valid_from = REFORM_DATE
        cls.gia_lai.save()
        cls.nhon_bac = make_unit(
            Era.CURRENT, Level.COMMUNE, Kind.PHUONG, "21640", "Phường Hoài Nhơn Bắc", cls.gia_lai
        )
        cls.nhon_bac.valid_from = REFORM_DATE
        cls.nhon_bac.save()
        # Hoài Châu Bắc is split: a row to each of its two successors.
        UnitSuccession.objects.create(predecessor=cls.hoai_chau_bac, successor=cls.tam_quan, is_primary=True)
        UnitSuccession.objects.create(predecessor=cls.hoai_chau_bac, successor=cls.nhon_bac, is_primary=False)
        cls.tamquan_chairman = make_user("tamquan_chairman", (cls.tam_quan, Role.CHAIRMAN))

    # --- the data, as it stood on a day ------------------------------------------------------------

    def month(self, unit, number: int, *, new: int, carried: int = 0, pending: int = 0, status="approved"):
        report = DossierReport.objects.create(
            unit=unit, period=Period.for_code(f"2025-{number:02d}"), status=status
        )
        report.lines.create(
            field=self.ho_tich,
            carried_over=carried,
            received_online=new,
            resolved_on_time=new + carried - pending,
            pending_in_time=pending,
        )

    def reports_until(self, day: datetime.date) -> None:
        """The months begun by ``day``: Hoài Châu 10 a month (3 carried into January, 2 pending
        at the end of June), Hoài Châu Bắc 100 a month (split), Tam Quan 20 a month from July (2
        carried over from Hoài Châu, 4 pending at the end of its last month, November a draft)."""
        for number in range(1, 13):
            if datetime.date(2025, number, 1) > day:
                break
            if number <= 6:
                self.month(
                    self.hoai_chau,
                    number,
                    new=10,
                    carried=3 if number == 1 else 0,
                    pending=2 if number == 6 else 0,
                )
                self.month(self.hoai_chau_bac, number, new=100)
            else:
                last = number == 12 or datetime.date(2025, number + 1, 1) > day
                self.month(
                    self.tam_quan,
                    number,
                    new=20,
                    carried=2 if number == 7 else 0,
                    pending=4 if last else 0,
                    status=ReportStatus.DRAFT if number == 11 else ReportStatus.APPROVED,
                )

    def expected_year(self, day: datetime.date) -> Figures:
        """Year 2025 of Tam Quan on ``day``, counted by hand."""
        old = [n for n in range(1, 7) if datetime.date(2025, n, 1) <= day]
        own = [n for n in range(7, 13) if datetime.date(2025, n, 1) <= day]
        pending = 4 if own else (2 if 6 in old else 0)
        return Figures(
            carried_over=3 if old else 0,
            received_online=10 * len(old) + 20 * len(own),
            pending_in_time=pending,
        )

    # --- one number everywhere ------------------------------------------------------------------------

    def test_year_2025_is_the_predecessors_first_half_plus_the_communes_second_everywhere(self):
        for label, moment in DAYS.items():
            with self.subTest(day=label), time_machine.travel(moment, tick=False):
                DossierReport.objects.all().delete()
                day = moment.date()
                self.reports_until(day)
                year = P.parse("2025")
                result = figures_for(unit=self.tam_quan, period=year)
                total = result.total
                self.assertEqual(total.received_online, self.expected_year(day).received_online)
                # "Từ kỳ trước" from the predecessors' January, "đang giải quyết" from the
                # commune's last month (the predecessors' June before the commune has one).
                self.assertEqual(total.carried_over, 3)
                self.assertEqual(total.pending_in_time, self.expected_year(day).pending_in_time)
                self.assertNotIn(self.hoai_chau_bac.pk, [u.pk for u in result.units])
                self.assertEqual([g.unit.pk for g in result.split], [self.hoai_chau_bac.pk])
                if label == "before":
                    self.assertEqual(result.source, "predecessors")
                else:
                    self.assertEqual(result.source, "months")
                    self.assertEqual([u.pk for u in result.history.units], [self.hoai_chau.pk])
                self.assert_the_same_everywhere(year, total)
                self.assert_the_same_everywhere(
                    P.parse("2025-9M"), figures_for(unit=self.tam_quan, period=P.parse("2025-9M")).total
                )

    def assert_the_same_everywhere(self, period, total: Figures) -> None:
        names = ["received_online", "received_new", "resolved_total", "pending_total", "carried_over"]
        wanted = places.expected(total, names)
        # The province's overview, in SQL, for each basis, and its Biểu 06.
        for basis in Basis:
            rows = {
                row.pk: row
                for row in overview_queryset(
                    communes=communes_for_period(self.gia_lai, period),
                    period=period,
                    basis=basis,
                    history=True,
                )
            }
            composed = figures_for(unit=self.tam_quan, period=period, basis=basis).total
            for name in OVERVIEW_SUMS:
                self.assertEqual(
                    getattr(rows[self.tam_quan.pk], name), getattr(composed, name), (period, basis, name)
                )
            # Hoài Châu Bắc, split, is in neither successor.
            self.assertEqual(rows[self.nhon_bac.pk].received_online, 0)
            self.assertTrue(rows[self.tam_quan.pk].split_history)
        province = figures_for(unit=self.gia_lai, period=period)
        self.assertEqual(province.total.received_online, total.received_online)
        # The commune's period page and its Biểu 06.
        self.login(self.new_officer)
        page = places.period_page(self.client, self.tam_quan.pk, period.code)
        self.assertEqual(page.code, 200)
        for name in ("received_online", "received_new", "resolved_total", "pending_total", "carried_over"):
            self.assertEqual(page.shown.get(name), wanted[name], (period, name))
        self.assertIn("Hoài Châu Bắc", page.text)
        self.assertIn("chia", page.text)
        csv = places.bieu06_csv(self.client, self.tam_quan.pk, period.code)
        self.assertEqual(csv.code, 200)
        self.assertEqual(csv.total.get("received_online"), total.received_online)
        self.assertEqual(csv.total.get("carried_over"), total.carried_over)
        # The province's overview page.
        self.login(self.province_reviewer)
        overview = places.overview(self.client, self.gia_lai.pk, period.code)
        self.assertEqual(overview.code, 200)
        self.assertEqual(overview.rows[self.tam_quan.pk].get("received_new"), total.received_new)
        self.assertEqual(overview.total.get("received_new"), total.received_new)

    def test_a_split_predecessor_is_never_attributed_whole(self):
        self.reports_until(LAST_DAY)
        for code in ("2025-03", "2025-H1", "2025", "2025-9M"):
            with self.subTest(period=code):
                period = P.parse(code)
                for successor in (self.tam_quan, self.nhon_bac):
                    result = figures_for(unit=successor, period=period)
                    self.assertNotIn(self.hoai_chau_bac.pk, [u.pk for u in result.units])
                    self.assertEqual([g.unit.pk for g in result.split], [self.hoai_chau_bac.pk])
                self.assertEqual(figures_for(unit=self.nhon_bac, period=period).total, Figures())
                # Nor in the province's total, nor in its trend.
                self.assertEqual(
                    figures_for(unit=self.gia_lai, period=period).total.received_online,
                    figures_for(unit=self.tam_quan, period=period).total.received_online,
                )
        self.assertEqual(trend_data(self.nhon_bac, 2025)[1][0].values[:6], [None] * 6)
        self.login(self.province_reviewer)
        page = places.overview(self.client, self.gia_lai.pk, "2025-H1")
        self.assertTrue(any("chia" in flag for flag in page.flags[self.tam_quan.pk]))
        self.assertIn("Số liệu của các xã, phường cũ", page.text)

    def test_a_predecessors_whole_period_report_counts_by_the_same_rule_in_sql(self):
        """A predecessor with only a year report, or months with a year report chosen instead."""
        report = DossierReport.objects.create(
            unit=self.hoai_chau, period=Period.for_code("2024"), status="approved"
        )
        report.lines.create(field=self.ho_tich, received_online=500, resolved_on_time=480, pending_overdue=20)
        year = P.parse("2024")
        for chosen in (False, True):
            with self.subTest(chosen=chosen):
                if chosen:
                    month = DossierReport.objects.create(
                        unit=self.hoai_chau, period=Period.for_code("2024-05"), status="approved"
                    )
                    month.lines.create(
                        field=self.ho_tich, received_online=7, resolved_on_time=7, pending_overdue=1
                    )
                    report.figures_choice = FiguresChoice.DIRECT
                    report.save()
                result = figures_for(unit=self.tam_quan, period=year)
                self.assertEqual((result.source, result.total.received_online), ("predecessors", 500))
                row = overview_queryset(
                    communes=communes_for_period(self.gia_lai, year), period=year, history=True
                ).get(pk=self.tam_quan.pk)
                self.assertEqual((row.received_online, row.pending_overdue), (500, 20))

    # --- the province's overview of 2024 -----------------------------------------------------------

    def test_a_2025_provinces_overview_of_2024_lists_its_communes_with_their_predecessors(self):
        for number in (1, 2):
            report = DossierReport.objects.create(
                unit=self.hoai_chau, period=Period.for_code(f"2024-{number:02d}"), status="approved"
            )
            report.lines.create(field=self.ho_tich, received_online=50, resolved_on_time=50)
        self.login(self.province_reviewer)
        url = reverse("dossiers:overview", args=[self.gia_lai.pk, "2024"])
        self.client.get(url)
        # session, user, unit, the period's ids, the predecessors' sums (all and approved, one
        # query each, whatever the number of communes), rows, calendar, the totals (all and
        # approved), navigation's memberships: two more than for a period after the reform
        with self.assertNumQueries(10):
            response = self.client.get(url)
        page = places.overview(self.client, self.gia_lai.pk, "2024")
        self.assertEqual(set(page.rows), {self.tam_quan.pk, self.nhon_bac.pk})
        self.assertEqual(page.rows[self.tam_quan.pk]["received_new"], 100)
        # Tam Quan's whole predecessor reported; Hoài Nhơn Bắc's only one was split: its history
        # is empty, not a row of zeros that looks reported.
        self.assertContains(response, "Số liệu của các xã, phường cũ", count=1)
        self.assertContains(response, "Các xã, phường cũ không có báo cáo", count=1)
        # Nothing was due from a commune before it existed.
        self.assertFalse([flag for flags in page.flags.values() for flag in flags if "Chưa gửi" in flag])

    # --- the chart and the list ---------------------------------------------------------------------

    @time_machine.travel(DAYS["today"], tick=False)
    def test_the_chart_of_2025_runs_across_the_reform_with_the_date_marked(self):
        self.reports_until(DAYS["today"].date())
        labels, series, markers = trend_data(self.tam_quan, 2025)
        self.assertEqual(len(labels), 12)
        received = series[0].values
        self.assertEqual(received, [10] * 6 + [20] * 6)  # Hoài Châu's months, then Tam Quan's
        self.assertEqual([(m.position, m.text) for m in markers], [(5.5, "Sắp xếp đơn vị 01/7/2025")])
        self.assertEqual(trend_data(self.tam_quan, 2026)[2], [])
        self.assertEqual(trend_data(self.hoai_chau, 2025)[2], [])
        self.login(self.new_officer)
        response = self.client.get(reverse("dossiers:list", args=[self.tam_quan.pk]), {"nam": "2025"})
        self.assertContains(response, 'class="chart-marker"')
        self.assertContains(response, "Sắp xếp đơn vị 01/7/2025")

    def test_the_list_never_calls_the_months_before_the_reform_late(self):
        for label, moment in DAYS.items():
            with self.subTest(day=label), time_machine.travel(moment, tick=False):
                for with_reports in (False, True):
                    DossierReport.objects.all().delete()
                    if with_reports:
                        self.reports_until(moment.date())
                    self.login(self.new_officer)
                    url = reverse("dossiers:list", args=[self.tam_quan.pk])
                    self.client.get(url)
                    # session, user, unit, calendar, the predecessors, the reports of both years
                    # (with theirs), the first year, the chart's months, navigation
                    with self.assertNumQueries(9):
                        response = self.client.get(url, {"nam": "2025"})
                    months = {row["period"].code: row for row in response.context["listing"].months}
                    self.assertFalse([code for code in months if code < "2025-07"])
                    late = sorted(code for code, row in months.items() if row["overdue"])
                    self.assertFalse([code for code in late if code < "2025-07"])
                    if with_reports and label == "today":
                        self.assertEqual(late, ["2025-11"])  # a draft
                    longer = {row["period"].code: row for row in response.context["listing"].longer}
                    if with_reports:
                        self.assertEqual(longer["2025-H1"]["figures"].source, "predecessors")
                        self.assertEqual(
                            longer["2025"]["total"].received_online,
                            figures_for(unit=self.tam_quan, period=P.parse("2025")).total.received_online,
                        )
                    self.assertContains(response, 'data-history="1"')

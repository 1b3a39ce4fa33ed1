"""The completeness board (dossiers.board, dossiers.views.board): who sees it, what each cell and
each month's counts say, the rates' arithmetic on a hand-made case, three dates, bad input and a
query count that does not grow with the communes."""

from __future__ import annotations

import datetime
import re

import time_machine
from django.urls import reverse

from communes.models import Era, Kind, Level, Role
from core import periods
from core.testing import PortalTestCase, make_unit, make_user
from dossiers.board import CellState, board_rows_matching, unit_board
from dossiers.models import DossierReport, Period, ReportStatus

TZ = datetime.timezone(datetime.timedelta(hours=7))
# 16:00 in Hà Nội: the same date in the portal's time zone.
NOV_2024 = datetime.datetime(2024, 11, 20, 9, 0, tzinfo=datetime.UTC)
JUL_2025 = datetime.datetime(2025, 7, 15, 9, 0, tzinfo=datetime.UTC)
DEC_2026 = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC)
ENDED = datetime.date(2024, 8, 31)
LEGACY_END = datetime.date(2025, 6, 30)
REFORM = datetime.date(2025, 7, 1)


def sent_at(day: str) -> datetime.datetime:
    """A submission at 10:00 Hà Nội time on ``day`` (dd/mm/yyyy)."""
    return datetime.datetime.strptime(day, "%d/%m/%Y").replace(hour=10, tzinfo=TZ)


class BoardTestCase(PortalTestCase):
    """The world of core.testing with the lives of 2025: the legacy units end on 30/6/2025, Gia
    Lai and Tam Quan begin on 1/7/2025; Xã Đã Nhập (of Hoài Nhơn) ended on 31/8/2024; another
    2025 province with its reviewer; an administrator of Gia Lai."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for unit in (
            cls.binh_dinh,
            cls.hoai_nhon,
            cls.hoai_chau,
            cls.hoai_chau_bac,
            cls.tuy_phuoc,
            cls.phuoc_hung,
        ):
            unit.valid_to = LEGACY_END
            unit.save()
        for unit in (cls.gia_lai, cls.tam_quan):
            unit.valid_from = REFORM
            unit.save()
        cls.ended = make_unit(
            Era.LEGACY, Level.COMMUNE, Kind.XA, "21699", "Xã Đã Nhập", cls.hoai_nhon, valid_to=ENDED
        )
        cls.quang_ngai = make_unit(
            Era.CURRENT, Level.PROVINCE, Kind.TINH, "51", "Tỉnh Quảng Ngãi", valid_from=REFORM
        )
        make_unit(
            Era.CURRENT, Level.COMMUNE, Kind.XA, "21001", "Xã Tịnh Khê", cls.quang_ngai, valid_from=REFORM
        )
        cls.other_reviewer = make_user("other_reviewer", (cls.quang_ngai, Role.REVIEWER))
        cls.gia_lai_administrator = make_user("gia_lai_administrator", (cls.gia_lai, Role.ADMINISTRATOR))

    def report(self, unit, code: str, status: str, day: str | None = None) -> DossierReport:
        return DossierReport.objects.create(
            unit=unit, period=Period.for_code(code), status=status, submitted_at=sent_at(day) if day else None
        )

    def board(self, unit, year: int):
        return unit_board(user=self.reviewer, unit=unit, year=year, today=datetime.date(2024, 11, 20))


class PermissionTests(BoardTestCase):
    def test_the_province_board_is_for_the_provinces_reviewer_and_administrator(self):
        with time_machine.travel(DEC_2026, tick=False):
            self.assert_access_matrix(
                reverse("dossiers:board", args=[self.gia_lai.pk, 2026]),
                {
                    "anonymous": 302,
                    "outsider": 404,
                    "officer": 404,
                    "chairman": 404,
                    "new_officer": 404,
                    "reviewer": 404,
                    "other_reviewer": 404,
                    "administrator": 404,
                    "province_reviewer": 200,
                    "gia_lai_administrator": 200,
                },
            )

    def test_the_district_board_is_for_its_reviewer_and_the_provinces_administrator(self):
        with time_machine.travel(DEC_2026, tick=False):
            self.assert_access_matrix(
                reverse("dossiers:board", args=[self.hoai_nhon.pk, 2024]),
                {
                    "anonymous": 302,
                    "officer": 404,
                    "chairman": 404,
                    "neighbour": 404,
                    "other_reviewer": 404,
                    "reviewer": 200,
                    "administrator": 200,
                },
            )

    def test_the_latest_board_redirects_only_those_who_may_see_it(self):
        with time_machine.travel(DEC_2026, tick=False):
            self.assert_access_matrix(
                reverse("dossiers:board_latest", args=[self.gia_lai.pk]),
                {"anonymous": 302, "officer": 404, "other_reviewer": 404, "province_reviewer": 302},
            )

    def test_a_commune_has_no_board(self):
        self.login(self.officer)
        self.assertEqual(
            self.client.get(reverse("dossiers:board", args=[self.hoai_chau.pk, 2024])).status_code, 404
        )

    def test_the_nation_is_for_superusers_only(self):
        url = reverse("dossiers:board_country", args=[2024])
        self.assert_access_matrix(
            url, {"anonymous": 302, "province_reviewer": 404, "gia_lai_administrator": 404}
        )
        self.login(make_user("root", is_superuser=True, is_staff=True))
        with time_machine.travel(DEC_2026, tick=False):
            response = self.client.get(url)
        self.assertContains(response, "Tỉnh Bình Định")
        self.assertContains(response, "Cả nước")


class ArithmeticTests(BoardTestCase):
    """Hoài Nhơn, 2024, seen on 20/11/2024 (month 11 was due on 18/11, month 12 is not due):

    - March (due 18/3): Hoài Châu sent on 15/3 (on time, waiting); Hoài Châu Bắc sent on 25/3
      and was approved (late); Xã Đã Nhập sent nothing (missing): 3 expected, 2 received,
      1 on time.
    - April: Hoài Châu a draft, Hoài Châu Bắc returned, Xã Đã Nhập approved on time: 3 expected,
      1 received, 1 on time.
    - September: Xã Đã Nhập had ended: 2 expected.
    - December: not yet due.
    """

    def setUp(self):
        self.report(self.hoai_chau, "2024-03", ReportStatus.SUBMITTED, "15/03/2024")
        self.report(self.hoai_chau_bac, "2024-03", ReportStatus.APPROVED, "25/03/2024")
        self.report(self.hoai_chau, "2024-04", ReportStatus.DRAFT)
        self.report(self.hoai_chau_bac, "2024-04", ReportStatus.RETURNED, "10/04/2024")
        self.report(self.ended, "2024-04", ReportStatus.APPROVED, "16/04/2024")

    def test_the_months_counts_and_rates(self):
        board = self.board(self.hoai_nhon, 2024)
        march, april = board.columns[2].tally, board.columns[3].tally
        self.assertEqual((march.expected, march.received, march.on_time), (3, 2, 1))
        self.assertEqual((march.submitted, march.approved, march.missing), (1, 1, 1))
        self.assertAlmostEqual(march.rate, 200 / 3)
        self.assertAlmostEqual(march.on_time_rate, 100 / 3)
        self.assertEqual((april.expected, april.received, april.on_time), (3, 1, 1))
        self.assertEqual((april.draft, april.returned, april.approved), (1, 1, 1))
        september = board.columns[8]
        self.assertEqual((september.tally.expected, september.tally.missing), (2, 2))
        december = board.columns[11]
        self.assertFalse(december.is_due)
        self.assertEqual((december.tally.expected, december.tally.not_due, december.tally.missing), (2, 2, 0))
        self.assertTrue(board.columns[10].is_due)  # November: due 18/11
        # The year counts the eleven months already due: 8 × 3 + 3 × 2 expected, 3 received, 2 on time.
        self.assertEqual((board.total.expected, board.total.received, board.total.on_time), (30, 3, 2))

    def test_each_cell_says_its_state(self):
        board = self.board(self.hoai_nhon, 2024)
        rows = {row.name: row for row in board.rows}
        self.assertEqual(list(rows), ["Xã Đã Nhập", "Xã Hoài Châu", "Xã Hoài Châu Bắc"])
        bac = rows["Xã Hoài Châu Bắc"].cells
        self.assertEqual((bac[2].state, bac[2].late), (CellState.APPROVED, True))
        self.assertEqual(bac[3].state, CellState.RETURNED)
        ended = rows["Xã Đã Nhập"]
        self.assertEqual([c.state for c in ended.cells[8:]], [CellState.AFTER] * 4)
        self.assertEqual([c.colspan for c in ended.cells[8:]], [4, 0, 0, 0])
        self.assertEqual((ended.tally.expected, ended.tally.received), (8, 1))
        self.assertEqual(rows["Xã Hoài Châu"].cells[11].state, CellState.NOT_DUE)

    def test_the_page_shows_the_rates_and_links_each_cell(self):
        self.login(self.reviewer)
        with time_machine.travel(NOV_2024, tick=False):
            response = self.client.get(reverse("dossiers:board", args=[self.hoai_nhon.pk, 2024]))
        self.assertContains(response, "66,7%")
        self.assertContains(response, "33,3%")
        self.assertContains(response, reverse("dossiers:entry", args=[self.hoai_chau_bac.pk, "2024-03"]))
        self.assertContains(response, "Sau khi kết thúc (31/08/2024)")
        self.assertContains(response, "chưa đến hạn")
        self.assertContains(response, "DHIS2")

    def test_a_whole_year_report_covers_its_months(self):
        report = self.report(self.hoai_chau, "2024", ReportStatus.APPROVED, "16/12/2024")
        cells = {row.name: row for row in self.board(self.hoai_nhon, 2024).rows}["Xã Hoài Châu"].cells
        self.assertEqual(cells[0].state, CellState.COVERED)
        self.assertEqual(cells[0].covered_by, periods.Period(2024, periods.Kind.YEAR))
        self.assertTrue(cells[0].received)
        self.assertEqual(cells[2].state, CellState.SUBMITTED)  # the month's own report stands
        self.assertIn(str(report.unit_id), cells[0].url)

    def test_the_filter_by_state_month_and_name(self):
        rows = self.board(self.hoai_nhon, 2024).rows
        self.assertEqual([r.name for r in board_rows_matching(rows, state="gui-tre")], ["Xã Hoài Châu Bắc"])
        self.assertEqual([r.name for r in board_rows_matching(rows, state="thieu", month=4)], [])
        self.assertEqual([r.name for r in board_rows_matching(rows, state="thieu", month=3)], ["Xã Đã Nhập"])
        self.assertEqual(
            [r.name for r in board_rows_matching(rows, name="hoai chau bac")], ["Xã Hoài Châu Bắc"]
        )
        self.login(self.reviewer)
        url = reverse("dossiers:board", args=[self.hoai_nhon.pk, 2024])
        with time_machine.travel(NOV_2024, tick=False):
            response = self.client.get(url, {"trang_thai": "cho-duyet"})
            self.assertContains(response, "Đang hiện 1/3 xã, phường")
            response = self.client.get(url, {"thang": "13"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Tháng viết từ 1 đến 12")


class CellsEqualTheDatabaseTests(BoardTestCase):
    def test_every_cell_is_the_status_in_the_database(self):
        statuses = [ReportStatus.APPROVED, ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.DRAFT]
        for index, unit in enumerate((self.hoai_chau, self.hoai_chau_bac, self.ended)):
            for month in range(1, 13, index + 1):
                self.report(unit, f"2024-{month:02d}", statuses[(month + index) % 4], f"10/{month:02d}/2024")
        board = self.board(self.hoai_nhon, 2024)
        stored = {
            (r.unit_id, r.period.number): r.status
            for r in DossierReport.objects.filter(period__kind="month", period__year=2024).select_related(
                "period"
            )
        }
        for row in board.rows:
            for cell in row.cells:
                with self.subTest(unit=row.name, month=cell.month):
                    if (row.pk, cell.month) in stored:
                        self.assertEqual(cell.state, stored[(row.pk, cell.month)])
                    else:
                        self.assertIn(cell.state, (CellState.MISSING, CellState.NOT_DUE, CellState.AFTER))
        alive = {(row.pk, cell.month) for row in board.rows for cell in row.cells if cell.expected}
        for column in board.columns:
            month_statuses = [
                s for (pk, m), s in stored.items() if m == column.period.number and (pk, m) in alive
            ]
            with self.subTest(month=column.period.number):
                self.assertEqual(column.tally.approved, month_statuses.count(ReportStatus.APPROVED))
                self.assertEqual(column.tally.submitted, month_statuses.count(ReportStatus.SUBMITTED))


class DatesTests(BoardTestCase):
    def test_on_20_11_2024(self):
        self.login(self.reviewer)
        with time_machine.travel(NOV_2024, tick=False):
            response = self.client.get(reverse("dossiers:board_latest", args=[self.hoai_nhon.pk]))
            self.assertRedirects(response, reverse("dossiers:board", args=[self.hoai_nhon.pk, 2024]))
            html = self.client.get(reverse("dossiers:board", args=[self.hoai_nhon.pk, 2024])).content.decode()
            self.assertEqual(
                self.client.get(reverse("dossiers:board", args=[self.hoai_nhon.pk, 2025])).status_code, 404
            )
            self.login(self.province_reviewer)
            self.assertEqual(
                self.client.get(reverse("dossiers:board_latest", args=[self.gia_lai.pk])).status_code, 404
            )
        # December is not yet due: no cell of it is missing.
        self.assertNotIn('data-month="12" data-state="missing"', html)
        self.assertIn('data-month="12" data-state="not_due"', html)
        self.assertIn('data-month="11" data-state="missing"', html)

    def test_on_15_7_2025(self):
        self.login(self.province_reviewer)
        with time_machine.travel(JUL_2025, tick=False):
            response = self.client.get(reverse("dossiers:board_latest", args=[self.gia_lai.pk]))
            self.assertRedirects(response, reverse("dossiers:board", args=[self.gia_lai.pk, 2025]))
            html = self.client.get(reverse("dossiers:board", args=[self.gia_lai.pk, 2025])).content.decode()
            self.login(self.reviewer)
            district = self.client.get(
                reverse("dossiers:board", args=[self.hoai_nhon.pk, 2025])
            ).content.decode()
        # Gia Lai: January to June before it was set up (one column), July not yet due.
        self.assertIn("T1–T6", html)
        self.assertIn("Tháng 1–6/2025: trước khi Tỉnh Gia Lai được thành lập (01/07/2025)", html)
        self.assertIn(reverse("dossiers:board", args=[self.binh_dinh.pk, 2025]), html)
        self.assertIn('data-month="7" data-state="not_due"', html)
        self.assertNotIn('data-state="missing"', html)
        # Hoài Nhơn: its last half year, July to December after it ended.
        self.assertIn('data-month="6" data-state="missing"', district)
        self.assertIn("T7–T12", district)
        self.assertNotIn('data-month="7" data-state="missing"', district)

    def test_on_3_12_2026(self):
        self.report(self.tam_quan, "2026-10", ReportStatus.APPROVED, "15/10/2026")
        self.login(self.province_reviewer)
        with time_machine.travel(DEC_2026, tick=False):
            response = self.client.get(reverse("dossiers:board_latest", args=[self.gia_lai.pk]))
            self.assertRedirects(response, reverse("dossiers:board", args=[self.gia_lai.pk, 2026]))
            html = self.client.get(reverse("dossiers:board", args=[self.gia_lai.pk, 2026])).content.decode()
            self.login(self.reviewer)
            response = self.client.get(reverse("dossiers:board_latest", args=[self.hoai_nhon.pk]))
            # A dissolved district with no report opens on its last year. Inside the frozen day:
            # following the redirect later would find the session of that day expired.
            self.assertRedirects(response, reverse("dossiers:board", args=[self.hoai_nhon.pk, 2025]))
        self.assertIn('data-month="10" data-state="approved"', html)
        self.assertIn('data-month="11" data-state="missing"', html)
        self.assertIn('data-month="12" data-state="not_due"', html)

    def test_the_overview_link_opens_the_overviews_year(self):
        self.login(self.province_reviewer)
        with time_machine.travel(DEC_2026, tick=False):
            url = reverse("dossiers:board_latest", args=[self.gia_lai.pk])
            self.assertRedirects(
                self.client.get(url, {"nam": "2025"}), reverse("dossiers:board", args=[self.gia_lai.pk, 2025])
            )
            # The overview of 2024 (the predecessors' history) has no board of Gia Lai: this year's.
            self.assertRedirects(
                self.client.get(url, {"nam": "2024"}), reverse("dossiers:board", args=[self.gia_lai.pk, 2026])
            )


class BadInputTests(BoardTestCase):
    def test_years_outside_the_units_life_are_404(self):
        self.login(self.province_reviewer)
        with time_machine.travel(DEC_2026, tick=False):
            for year in (1999, 2024, 2027, 99999):
                with self.subTest(year=year):
                    response = self.client.get(reverse("dossiers:board", args=[self.gia_lai.pk, year]))
                    self.assertEqual(response.status_code, 404)
            self.login(self.reviewer)
            self.assertEqual(
                self.client.get(reverse("dossiers:board", args=[self.hoai_nhon.pk, 2026])).status_code, 404
            )

    def test_another_provinces_board_is_404(self):
        self.login(self.province_reviewer)
        with time_machine.travel(DEC_2026, tick=False):
            for url in (
                reverse("dossiers:board", args=[self.quang_ngai.pk, 2026]),
                reverse("dossiers:board_latest", args=[self.quang_ngai.pk]),
                reverse("dossiers:board", args=[999999, 2026]),
            ):
                with self.subTest(url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)


class QueryCountTests(BoardTestCase):
    def test_the_query_count_does_not_grow_with_the_communes(self):
        self.login(self.province_reviewer)
        url = reverse("dossiers:board", args=[self.gia_lai.pk, 2026])
        # session, user, unit, calendar, the years, the communes, the reports of the year,
        # navigation's memberships
        with time_machine.travel(DEC_2026, tick=False):
            with self.assertNumQueries(8):
                self.client.get(url)
            for number in range(30):
                commune = make_unit(
                    Era.CURRENT,
                    Level.COMMUNE,
                    Kind.XA,
                    f"9{number:04d}",
                    f"Xã Thêm {number}",
                    self.gia_lai,
                    valid_from=REFORM,
                )
                for month in range(1, 12):
                    self.report(commune, f"2026-{month:02d}", ReportStatus.APPROVED, f"10/{month:02d}/2026")
            with self.assertNumQueries(8):
                response = self.client.get(url)
        self.assertContains(response, "Xã Thêm 29")

    def test_a_board_with_months_before_the_unit_reads_its_predecessors_once(self):
        self.login(self.province_reviewer)
        url = reverse("dossiers:board", args=[self.gia_lai.pk, 2025])
        # the same, and the units it continues
        with time_machine.travel(DEC_2026, tick=False), self.assertNumQueries(9):
            self.client.get(url)

    def test_the_nation_reads_a_fixed_number_of_queries(self):
        self.login(make_user("root", is_superuser=True, is_staff=True))
        url = reverse("dossiers:board_country", args=[2025])
        # session, user, the years, and for each era: calendars, provinces, communes, reports;
        # navigation's memberships; the bell's count (a superuser holds no role, so the count
        # cannot ride in the memberships' query: notifications.selectors.unread_count)
        with time_machine.travel(DEC_2026, tick=False):
            with self.assertNumQueries(13):
                self.client.get(url)
            for number in range(10):
                commune = make_unit(
                    Era.CURRENT,
                    Level.COMMUNE,
                    Kind.XA,
                    f"9{number:04d}",
                    f"Xã Thêm {number}",
                    self.gia_lai,
                    valid_from=REFORM,
                )
                self.report(commune, "2025-08", ReportStatus.APPROVED, "10/08/2025")
            with self.assertNumQueries(13):
                response = self.client.get(url)
        self.assertEqual(len(re.findall(r'data-era="', response.content.decode())), 2)

"""A commune's home for its officer and chairman: the work of today (months not sent although
due, the month now open, the open index round, the plan and tasks), on several dates."""

import datetime

import lxml.html
import time_machine
from django.urls import reverse

from communes.models import Membership, Role
from core.testing import PortalTestCase, make_user
from dossiers.figures import Figures
from dossiers.models import Period, ProcedureField
from dossiers.services import dossier_report_save, dossier_report_submit


def at(day: datetime.date):
    # 09:00 UTC is 16:00 in Hà Nội: the same date in the portal's time zone.
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC), tick=False
    )


class CommuneHomeTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.tam_quan.valid_from = datetime.date(2025, 7, 1)
        cls.tam_quan.save()
        cls.hoai_chau.valid_to = datetime.date(2025, 6, 30)
        cls.hoai_chau.save()
        cls.new_chairman = make_user("new_chairman", (cls.tam_quan, Role.CHAIRMAN))
        cls.ho_tich = ProcedureField.objects.get(name="Hộ tịch")

    def save(self, code, *, submit=False):
        report = dossier_report_save(
            unit=self.tam_quan,
            period=Period.for_code(code),
            user=self.new_officer,
            lines={self.ho_tich.pk: Figures(received_online=3, resolved_on_time=3)},
            expected_version=0,
        )
        if submit:
            dossier_report_submit(
                report=report, user=self.new_chairman, expected_version=report.version, confirm_warnings=True
            )

    def months(self, user):
        self.login(user)
        response = self.client.get(reverse("communes:unit_detail", args=[self.tam_quan.pk]))
        self.assertEqual(response.status_code, 200)
        tree = lxml.html.fromstring(response.content)
        return [
            (item.get("data-period"), item.get("data-status"), " ".join(item.text_content().split()))
            for item in tree.xpath('//*[@data-work="months"]/li[@data-period]')
        ]

    def test_today_the_late_draft_waits_for_the_chairman_and_december_is_open(self):
        with at(datetime.date(2026, 12, 3)):
            for code in ("2026-09", "2026-10"):
                self.save(code, submit=True)
            self.save("2026-11")
            rows = self.months(self.new_officer)
            # 7/2025 to 8/2026 were never sent: the last twelve months due are named, not older.
            self.assertEqual(
                [code for code, _status, _text in rows],
                [
                    "2025-12",
                    "2026-01",
                    "2026-02",
                    "2026-03",
                    "2026-04",
                    "2026-05",
                    "2026-06",
                    "2026-07",
                    "2026-08",
                    "2026-11",
                    "2026-12",
                ],
            )
            code, status, text = rows[-2]
            self.assertEqual(status, "draft")
            self.assertIn("Quá hạn 16 ngày (hạn 17/11/2026)", text)
            self.assertIn("Tiếp tục nhập", text)
            self.assertEqual(
                rows[-1][1:], ("none", "Tháng 12/2026 Chưa nhập Hạn gửi 16/12/2026 Nhập số liệu")
            )
            chairman_rows = self.months(self.new_chairman)
            self.assertIn("chờ Chủ tịch xem và gửi", chairman_rows[-2][2])
            self.assertIn("Xem và gửi", chairman_rows[-2][2])

    def test_when_everything_due_is_sent_only_the_open_month_is_named(self):
        with at(datetime.date(2025, 8, 10)):
            # July 2025 (15/6–14/7) was due on 16/7; it is sent.
            self.save("2025-07", submit=True)
            self.assertEqual(
                self.months(self.new_officer),
                [("2025-08", "none", "Tháng 8/2025 Chưa nhập Hạn gửi 18/08/2025 Nhập số liệu")],
            )

    def test_before_the_first_month_is_due_the_first_month_is_open(self):
        with at(datetime.date(2025, 7, 3)):
            self.assertEqual(
                self.months(self.new_officer),
                [("2025-07", "none", "Tháng 7/2025 Chưa nhập Hạn gửi 16/07/2025 Nhập số liệu")],
            )

    def test_a_sent_open_month_says_it_waits_for_the_reviewer(self):
        with at(datetime.date(2026, 12, 10)):
            self.save("2026-12", submit=True)
            self.assertIn("Đã gửi, chờ thẩm định", self.months(self.new_officer)[-1][2])

    def test_only_the_communes_own_people_see_the_card(self):
        url = reverse("communes:unit_detail", args=[self.tam_quan.pk])
        with at(datetime.date(2026, 12, 3)):
            for user, shown in (
                (self.new_officer, True),
                (self.new_chairman, True),
                (self.province_reviewer, False),
            ):
                with self.subTest(user=user.username):
                    self.login(user)
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, 200)
                    self.assertEqual(b'id="commune-work-heading"' in response.content, shown)
            # A commune that ended on 30/6/2025 has no work today.
            Membership.objects.create(user=self.new_officer, unit=self.hoai_chau, role=Role.OFFICER)
            self.login(self.officer)
            response = self.client.get(reverse("communes:unit_detail", args=[self.hoai_chau.pk]))
            self.assertNotContains(response, 'id="commune-work-heading"')

    def test_the_cards_queries_do_not_grow_with_the_months_reported(self):
        url = reverse("communes:unit_detail", args=[self.tam_quan.pk])
        self.login(self.new_officer)
        with at(datetime.date(2026, 12, 3)):
            self.client.get(url)  # the session and the user, as on every later request
            with self.assertNumQueries(NUM_QUERIES) as few:
                self.client.get(url)
            for code in ("2026-06", "2026-07", "2026-08", "2026-09", "2026-10"):
                self.save(code, submit=True)
            with self.assertNumQueries(len(few.captured_queries)):
                self.client.get(url)


# The session and the user, the home's 7, the card's 5 (the plan, the calendar, the months' reports,
# the open assessments, the late tasks; a plan's tasks are one more).
NUM_QUERIES = 14

"""The events of issue 13 §5: who is told of each, what the text says, where its link leads, and
who is never told (another commune's people, another province's reviewers, a locked account).

Each event is taken through its service, as the pages take it, with the immediate task backend and
the commit callbacks run: the mail in the outbox is what went after the commit.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from communes.models import Era, Kind, Level, Membership, Role, User
from core.testing import PortalTestCase, make_unit, make_user
from dossiers.figures import Figures
from dossiers.models import DossierReport, Period, ProcedureField, ReportStatus
from dossiers.services import (
    WorkflowError,
    dossier_report_approve,
    dossier_report_reopen,
    dossier_report_return,
    dossier_report_save,
    dossier_report_submit,
    dossier_reports_approve_all,
)
from indices.models import Assessment, AssessmentStatus, Score
from indices.services.appraisal import (
    assessment_appraisal_start,
    assessment_appraise_leaf,
    assessment_explain,
    assessment_finalise,
    assessment_request_explanation,
)
from indices.services.rounds import round_open, round_publish
from indices.testing import make_framework, make_round
from notifications.models import EmailStatus, Notification
from notifications.models import Kind as NotificationKind

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
FIGURES = Figures(received_online=3, resolved_on_time=3)
# Who must never hear of Hoài Châu's events: the neighbouring commune's officer, the officer and
# the reviewer of another district (Tuy Phước), the other province's reviewer and the officer of a
# commune there, an administrator (no event goes to administrators), the account without a role,
# and Hoài Châu's own locked officer.
ELSEWHERE = {"far_officer", "far_reviewer", "administrator", "outsider", "locked"}
NEVER_FOR_HOAI_CHAU = ELSEWHERE | {"neighbour", "province_reviewer", "new_officer"}
NEVER_FOR_TAM_QUAN = ELSEWHERE | {"officer", "chairman", "neighbour", "reviewer"}


def at(year: int, month: int, day: int, hour: int = 9):
    """A moment in Vietnam (UTC+7), the clock stopped."""
    moment = datetime.datetime(year, month, day, hour, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    return time_machine.travel(moment, tick=False)


@override_settings(TASKS=IMMEDIATE)
class EventCase(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for name in ("officer", "chairman", "neighbour", "reviewer", "province_reviewer", "new_officer"):
            user = getattr(cls, name)
            user.email = f"{name}@example.vn"
            user.save(update_fields=["email"])
        cls.administrator.email = "administrator@example.vn"
        cls.administrator.save(update_fields=["email"])
        cls.far_officer = make_user(
            "far_officer", (cls.phuoc_hung, Role.OFFICER), email="far_officer@example.vn"
        )
        cls.far_reviewer = make_user(
            "far_reviewer", (cls.tuy_phuoc, Role.REVIEWER), email="far_reviewer@example.vn"
        )
        cls.locked = make_user("locked", (cls.hoai_chau, Role.OFFICER), email="locked@example.vn")
        cls.locked.is_active = False
        cls.locked.save(update_fields=["is_active"])
        cls.ho_tich = ProcedureField.objects.get(name="Hộ tịch")
        cls.chung_thuc = ProcedureField.objects.get(name="Chứng thực")

    # --- helpers ---

    def persona(self, name: str) -> User:
        return getattr(self, name)

    def report(self, unit=None, code: str = "2024-03", *, submit: bool = True) -> DossierReport:
        unit = unit or self.hoai_chau
        writer = self.officer if unit != self.tam_quan else self.new_officer
        report = dossier_report_save(
            unit=unit,
            period=Period.for_code(code),
            user=writer,
            lines={self.ho_tich.pk: FIGURES, self.chung_thuc.pk: FIGURES},
            expected_version=0,
        )
        if submit:
            report = dossier_report_submit(
                report=report, user=writer, expected_version=report.version, confirm_warnings=True
            )
        return report

    def told(self, kind: str) -> set[str]:
        return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))

    def assert_told(self, kind: str, expected: set[str], never: set[str]) -> None:
        told = self.told(kind)
        self.assertEqual(told, expected)
        self.assertFalse(told & never, f"told although out of scope: {told & never}")
        # Nothing of any other kind went to anyone out of scope either.
        self.assertFalse(
            Notification.objects.filter(recipient__username__in=never).exists(),
            "someone out of scope has a notification",
        )

    def assert_mailed(self, expected: set[str]) -> None:
        """One mail per person told, to exactly these addresses."""
        self.assertEqual(
            sorted(to for message in mail.outbox for to in message.to),
            sorted(f"{name}@example.vn" for name in expected),
        )

    def assert_each_link_opens_for_its_recipient(self, kind: str) -> None:
        rows = list(Notification.objects.filter(kind=kind).select_related("recipient"))
        self.assertTrue(rows)
        for row in rows:
            with self.subTest(recipient=row.recipient.username, url=row.url):
                resolve(row.url.split("?")[0])  # a page of this site
                self.assertTrue(row.url.startswith("/"))
                self.client.force_login(row.recipient)
                self.assertEqual(self.client.get(row.url).status_code, 200)

    def assert_about(self, kind: str, unit, *, mentions: list[str], not_mentions: list[str] = ()) -> None:
        for row in Notification.objects.filter(kind=kind):
            text = f"{row.title}\n{row.body}"
            self.assertEqual(row.unit_id, unit.pk)
            for word in mentions:
                self.assertIn(word, text)
            for word in not_mentions:
                self.assertNotIn(word, text)


class ReportSubmittedTests(EventCase):
    def test_the_communes_reviewers_are_told_and_mailed_after_the_commit(self):
        with at(2024, 4, 3), self.captureOnCommitCallbacks(execute=True):
            self.report()
        self.assert_told(
            NotificationKind.REPORT_SUBMITTED, {"reviewer"}, NEVER_FOR_HOAI_CHAU | {"officer", "chairman"}
        )
        self.assert_mailed({"reviewer"})
        self.assert_about(
            NotificationKind.REPORT_SUBMITTED,
            self.hoai_chau,
            mentions=["Xã Hoài Châu", "tháng 3/2024", "Officer", "09:00 ngày 03/04/2024"],
            not_mentions=["Hoài Châu Bắc"],
        )
        message = mail.outbox[0]
        self.assertIn("Xã Hoài Châu gửi báo cáo số liệu hồ sơ TTHC tháng 3/2024", message.subject)
        self.assertIn(f"/units/{self.hoai_chau.pk}/dossiers/2024-03/", message.body)
        self.assert_each_link_opens_for_its_recipient(NotificationKind.REPORT_SUBMITTED)

    def test_after_the_reform_the_province_reviewer_is_told(self):
        with at(2026, 12, 3):
            self.report(self.tam_quan, "2026-11")
        self.assert_told(NotificationKind.REPORT_SUBMITTED, {"province_reviewer"}, NEVER_FOR_TAM_QUAN)
        self.assert_about(
            NotificationKind.REPORT_SUBMITTED, self.tam_quan, mentions=["Phường Tam Quan", "tháng 11/2026"]
        )
        with at(2026, 12, 3):
            self.assert_each_link_opens_for_its_recipient(NotificationKind.REPORT_SUBMITTED)

    def test_a_refused_submission_writes_and_mails_nothing(self):
        report = dossier_report_save(
            unit=self.hoai_chau,
            period=Period.for_code("2024-03"),
            user=self.officer,
            lines={},
            expected_version=0,
        )
        with self.captureOnCommitCallbacks(execute=True), self.assertRaises(WorkflowError):
            dossier_report_submit(report=report, user=self.chairman, expected_version=report.version)
        self.assertFalse(Notification.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_a_step_rolled_back_after_it_leaves_no_notification_and_sends_no_mail(self):
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            try:
                with transaction.atomic():
                    self.report()
                    self.assertTrue(Notification.objects.exists())  # written inside the transaction
                    raise RuntimeError("the request failed after the step")
            except RuntimeError:
                pass
        self.assertFalse(Notification.objects.exists())
        self.assertEqual(callbacks, [])
        self.assertEqual(mail.outbox, [])


class ReportReturnedTests(EventCase):
    def test_the_officers_and_chairmen_read_the_reason_and_the_comments(self):
        report = self.report()
        Notification.objects.all().delete()
        with self.captureOnCommitCallbacks(execute=True):
            dossier_report_return(
                report=report,
                user=self.reviewer,
                reason="Số hồ sơ Chứng thực chưa khớp với sổ theo dõi.",
                line_comments={
                    self.chung_thuc.pk: "Kiểm tra lại số tiếp nhận trực tuyến",
                    self.ho_tich.pk: "  ",
                },
            )
        self.assert_told(
            NotificationKind.REPORT_RETURNED, {"officer", "chairman"}, NEVER_FOR_HOAI_CHAU | {"reviewer"}
        )
        self.assert_mailed({"officer", "chairman"})
        self.assert_about(
            NotificationKind.REPORT_RETURNED,
            self.hoai_chau,
            mentions=[
                "Báo cáo tháng 3/2024 của Xã Hoài Châu bị trả lại",
                "Lý do: Số hồ sơ Chứng thực chưa khớp với sổ theo dõi.",
                "- Chứng thực: Kiểm tra lại số tiếp nhận trực tuyến",
            ],
            not_mentions=["- Hộ tịch"],  # an empty comment is not a comment
        )
        for message in mail.outbox:
            self.assertIn("Lý do: Số hồ sơ Chứng thực chưa khớp với sổ theo dõi.", message.body)
            self.assertIn("- Chứng thực: Kiểm tra lại số tiếp nhận trực tuyến", message.body)
            self.assertIn("bị trả lại", message.subject)
        self.assert_each_link_opens_for_its_recipient(NotificationKind.REPORT_RETURNED)

    def test_on_three_days_each_commune_hears_of_its_own_period(self):
        cases = [
            # the day, the commune, its month, who is told, who never is
            (
                (2025, 3, 10),
                self.hoai_chau,
                "2025-02",
                "tháng 2/2025",
                {"officer", "chairman"},
                NEVER_FOR_HOAI_CHAU,
            ),
            ((2025, 8, 10), self.tam_quan, "2025-07", "tháng 7/2025", {"new_officer"}, NEVER_FOR_TAM_QUAN),
            ((2026, 12, 3), self.tam_quan, "2026-11", "tháng 11/2026", {"new_officer"}, NEVER_FOR_TAM_QUAN),
        ]
        for day, unit, code, label, expected, never in cases:
            with self.subTest(day=day), at(*day):
                Notification.objects.all().delete()
                mail.outbox.clear()
                report = self.report(unit, code)
                reviewer = self.reviewer if unit == self.hoai_chau else self.province_reviewer
                with self.captureOnCommitCallbacks(execute=True):
                    dossier_report_return(report=report, user=reviewer, reason="Thiếu số liệu.")
                self.assert_told(NotificationKind.REPORT_RETURNED, expected, never)
                self.assert_mailed(expected)
                self.assert_about(
                    NotificationKind.REPORT_RETURNED,
                    unit,
                    mentions=[unit.name, label, "Lý do: Thiếu số liệu."],
                )
                self.assertIn(f"ngày {day[2]:02d}/{day[1]:02d}/{day[0]}", mail.outbox[0].body)
                self.assert_each_link_opens_for_its_recipient(NotificationKind.REPORT_RETURNED)

    def test_a_return_refused_writes_nothing(self):
        report = self.report(submit=False)
        with self.captureOnCommitCallbacks(execute=True), self.assertRaises(WorkflowError):
            dossier_report_return(report=report, user=self.reviewer, reason="Sai.")
        report = self.report(self.hoai_chau_bac)
        Notification.objects.all().delete()
        with self.captureOnCommitCallbacks(execute=True), self.assertRaises(WorkflowError):
            dossier_report_return(report=report, user=self.reviewer, reason="   ")  # no reason
        self.assertFalse(Notification.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_a_reopened_report_is_told_as_a_return_with_its_reason(self):
        report = dossier_report_approve(report=self.report(), user=self.reviewer)
        Notification.objects.all().delete()
        with self.captureOnCommitCallbacks(execute=True):
            dossier_report_reopen(report=report, user=self.reviewer, reason="Sở yêu cầu rà soát lại số liệu.")
        self.assert_told(
            NotificationKind.REPORT_RETURNED, {"officer", "chairman"}, NEVER_FOR_HOAI_CHAU | {"reviewer"}
        )
        self.assert_mailed({"officer", "chairman"})
        self.assert_about(
            NotificationKind.REPORT_RETURNED,
            self.hoai_chau,
            mentions=["được mở lại", "tháng 3/2024", "Lý do: Sở yêu cầu rà soát lại số liệu."],
        )
        self.assert_each_link_opens_for_its_recipient(NotificationKind.REPORT_RETURNED)


class ReportApprovedTests(EventCase):
    def test_one_approval_tells_its_commune(self):
        report = self.report()
        Notification.objects.all().delete()
        with self.captureOnCommitCallbacks(execute=True):
            dossier_report_approve(report=report, user=self.reviewer)
        self.assert_told(
            NotificationKind.REPORT_APPROVED, {"officer", "chairman"}, NEVER_FOR_HOAI_CHAU | {"reviewer"}
        )
        self.assert_mailed({"officer", "chairman"})
        self.assert_about(
            NotificationKind.REPORT_APPROVED, self.hoai_chau, mentions=["đã được duyệt", "tháng 3/2024"]
        )
        self.assert_each_link_opens_for_its_recipient(NotificationKind.REPORT_APPROVED)

    def test_a_batch_tells_each_commune_of_its_own_reports_only(self):
        own = [self.report(code=f"2024-{m:02d}") for m in (3, 4)]
        neighbour = self.report(self.hoai_chau_bac, "2024-03")
        Notification.objects.all().delete()
        with self.captureOnCommitCallbacks(execute=True):
            dossier_reports_approve_all(reports=[*own, neighbour], user=self.reviewer)
        rows = Notification.objects.filter(kind=NotificationKind.REPORT_APPROVED)
        by_person = {}
        for row in rows.select_related("recipient", "unit"):
            by_person.setdefault(row.recipient.username, []).append(row)
        self.assertEqual(set(by_person), {"officer", "chairman", "neighbour"})
        self.assertEqual(len(by_person["officer"]), 2)
        self.assertEqual({row.unit for row in by_person["officer"]}, {self.hoai_chau})
        self.assertEqual([row.unit for row in by_person["neighbour"]], [self.hoai_chau_bac])
        self.assertIn("Xã Hoài Châu Bắc", by_person["neighbour"][0].title)
        for row in by_person["officer"]:
            self.assertNotIn("Hoài Châu Bắc", row.title + row.body)
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox),
            ["chairman@example.vn"] * 2 + ["neighbour@example.vn"] + ["officer@example.vn"] * 2,
        )

    def test_a_batch_costs_the_same_queries_for_two_reports_or_eight(self):
        def approve(reports) -> int:
            with CaptureQueriesContext(connection) as queries:
                dossier_reports_approve_all(reports=reports, user=self.reviewer)
            return len(queries)

        few = approve([self.report(code="2024-01"), self.report(self.hoai_chau_bac, "2024-01")])
        many = [self.report(code=f"2024-{m:02d}") for m in range(2, 6)]
        many += [self.report(self.hoai_chau_bac, f"2024-{m:02d}") for m in range(2, 6)]
        self.assertEqual(approve(many), few)
        self.assertEqual(
            Notification.objects.filter(kind=NotificationKind.REPORT_APPROVED).count(), 10 * 2 - 5
        )


class ExplanationTests(EventCase):
    def setUp(self):
        self.framework = make_framework(self.binh_dinh)
        self.round = make_round(self.framework, self.hoai_nhon)
        self.assessment = Assessment.objects.select_related("round__framework", "unit").get(
            round=self.round, unit=self.hoai_chau
        )
        Notification.objects.all().delete()
        self.assessment.status = AssessmentStatus.SUBMITTED
        self.assessment.save(update_fields=["status"])
        self.assessment = assessment_appraisal_start(assessment=self.assessment)
        self.leaf = {
            s.criterion.code: s.criterion
            for s in Score.objects.filter(assessment=self.assessment).select_related("criterion")
        }
        for code in ("1.1", "2.1"):
            assessment_appraise_leaf(
                assessment=self.assessment,
                criterion=self.leaf[code],
                appraised_score=Decimal(0),
                comment=f"Thiếu tài liệu kiểm chứng {code}",
                explanation_requested=True,
                applicable=True,
                override_reason="",
                user=self.reviewer,
            )

    def test_the_commune_is_told_which_criteria_to_explain(self):
        with self.captureOnCommitCallbacks(execute=True):
            assessment_request_explanation(assessment=self.assessment)
        self.assert_told(
            NotificationKind.EXPLANATION_REQUESTED,
            {"officer", "chairman"},
            NEVER_FOR_HOAI_CHAU | {"reviewer"},
        )
        self.assert_mailed({"officer", "chairman"})
        self.assert_about(
            NotificationKind.EXPLANATION_REQUESTED,
            self.hoai_chau,
            mentions=[
                "Xã Hoài Châu",
                "năm 2023",
                "- 1.1. Kế hoạch CCHC – ý kiến thẩm định: Thiếu tài liệu kiểm chứng 1.1",
                "- 2.1. Kiểm tra CCHC",
            ],
            not_mentions=["1.2.1", "Hoài Châu Bắc"],
        )
        self.assert_each_link_opens_for_its_recipient(NotificationKind.EXPLANATION_REQUESTED)

    def test_the_reviewers_are_told_of_the_explanation(self):
        assessment_request_explanation(assessment=self.assessment)
        with self.captureOnCommitCallbacks(execute=True):
            assessment_explain(
                assessment=self.assessment,
                answers={
                    self.leaf["1.1"].pk: "Đã bổ sung kế hoạch.",
                    self.leaf["2.1"].pk: "Đã kiểm tra 3 lần.",
                },
                user=self.chairman,
            )
        self.assert_told(NotificationKind.EXPLANATION_GIVEN, {"reviewer"}, NEVER_FOR_HOAI_CHAU)
        self.assertEqual(
            [m.to for m in mail.outbox if "giải trình" in m.subject and "đã gửi" in m.subject],
            [["reviewer@example.vn"]],
        )
        self.assert_about(
            NotificationKind.EXPLANATION_GIVEN,
            self.hoai_chau,
            mentions=["Xã Hoài Châu", "Chairman", "năm 2023"],
        )
        self.assert_each_link_opens_for_its_recipient(NotificationKind.EXPLANATION_GIVEN)

    def test_refused_steps_tell_nobody(self):
        with self.assertRaises(ValidationError):
            assessment_explain(assessment=self.assessment, answers={}, user=self.chairman)  # not asked yet
        self.assessment.scores.update(explanation_requested=False)
        with self.assertRaises(ValidationError):
            assessment_request_explanation(assessment=self.assessment)  # nothing flagged
        self.assertFalse(Notification.objects.exists())


class RoundTests(EventCase):
    def setUp(self):
        self.framework = make_framework(self.binh_dinh)

    def test_opening_tells_each_communes_people_of_their_own_assessment(self):
        with self.captureOnCommitCallbacks(execute=True):
            round_ = make_round(self.framework, self.hoai_nhon, deadline=datetime.date(2024, 1, 15))
        self.assert_told(
            NotificationKind.ROUND_OPENED,
            {"officer", "chairman", "neighbour"},
            ELSEWHERE | {"reviewer", "province_reviewer", "new_officer"},
        )
        self.assert_mailed({"officer", "chairman", "neighbour"})
        own = Assessment.objects.get(round=round_, unit=self.hoai_chau)
        for row in Notification.objects.filter(recipient=self.officer):
            self.assertEqual(row.url, f"/chi-so/danh-gia/{own.pk}/")
            self.assertIn("hạn tự chấm 15/01/2024", row.title)
            self.assertIn("Xã Hoài Châu tự chấm", row.body)
            self.assertNotIn("Hoài Châu Bắc", row.body)
        self.assertEqual(Notification.objects.get(recipient=self.neighbour).unit, self.hoai_chau_bac)
        self.assert_each_link_opens_for_its_recipient(NotificationKind.ROUND_OPENED)

    def test_opening_again_tells_only_the_communes_added(self):
        round_ = make_round(self.framework, self.hoai_nhon, communes=[self.hoai_chau])
        Notification.objects.all().delete()
        make_round(self.framework, self.hoai_nhon)
        self.assertEqual(self.told(NotificationKind.ROUND_OPENED), {"neighbour"})
        make_round(self.framework, self.hoai_nhon)  # nothing new: nobody told again
        self.assertEqual(Notification.objects.count(), 1)
        self.assertEqual(round_.assessments.count(), 2)

    def test_a_province_opens_for_many_communes_in_the_same_queries(self):
        framework = make_framework(self.gia_lai, name="Bộ chỉ số Gia Lai", years=(2026, 2027))
        gia_lai_2 = make_unit(Era.CURRENT, Level.PROVINCE, Kind.TINH, "99", "Tỉnh Thử")

        def communes(count: int, start: int):
            units = []
            for number in range(start, start + count):
                unit = make_unit(
                    Era.CURRENT, Level.COMMUNE, Kind.XA, f"9{number:04d}", f"Xã Thử {number}", gia_lai_2
                )
                make_user(f"canbo{number}", (unit, Role.OFFICER))
                make_user(f"chutich{number}", (unit, Role.CHAIRMAN))
                units.append(unit)
            return units

        def opened(units, year) -> int:
            with CaptureQueriesContext(connection) as queries:
                round_open(
                    framework=framework,
                    year=year,
                    group=gia_lai_2,
                    self_deadline=datetime.date(year + 1, 1, 15),
                    communes=units,
                )
            return len(queries)

        # 2026 and 2027: no predecessor lived in those years, so no commune is read alone.
        few = opened(communes(3, 0), 2026)
        many = opened(communes(30, 100), 2027)
        self.assertEqual(many, few)
        self.assertEqual(
            Notification.objects.filter(kind=NotificationKind.ROUND_OPENED).count(), 3 * 2 + 30 * 2
        )

    def appraised(self, round_) -> None:
        for assessment in Assessment.objects.filter(round=round_).select_related("round__framework", "unit"):
            assessment.status = AssessmentStatus.SUBMITTED
            assessment.save(update_fields=["status"])
            assessment = assessment_appraisal_start(assessment=assessment)
            points = Decimal("4") if assessment.unit == self.hoai_chau else Decimal("1")
            for score in assessment.scores.filter(auto_score__isnull=True):
                score.appraised_score = min(points, score.criterion.max_points)
                score.save()
            assessment_finalise(assessment=assessment, user=self.reviewer)

    def test_publishing_tells_each_commune_its_own_rank_only(self):
        round_ = make_round(self.framework, self.hoai_nhon)
        self.appraised(round_)
        Notification.objects.all().delete()
        with self.captureOnCommitCallbacks(execute=True):
            round_publish(round_=round_, user=self.reviewer)
        self.assert_told(
            NotificationKind.RANKING_PUBLISHED,
            {"officer", "chairman", "neighbour"},
            ELSEWHERE | {"reviewer", "province_reviewer", "new_officer"},
        )
        self.assert_mailed({"officer", "chairman", "neighbour"})
        assessments = {a.unit_id: a for a in Assessment.objects.filter(round=round_)}
        own_total = assessments[self.hoai_chau.pk].appraised_total
        other_total = assessments[self.hoai_chau_bac.pk].appraised_total
        self.assertNotEqual(own_total, other_total)
        fmt = lambda value: f"{value:.2f}".replace(".", ",")  # noqa: E731
        officer_row = Notification.objects.get(recipient=self.officer)
        neighbour_row = Notification.objects.get(recipient=self.neighbour)
        self.assertIn(f"Xã Hoài Châu đạt {fmt(own_total)}/20,00 điểm, xếp thứ 1/2", officer_row.body)
        self.assertNotIn(fmt(other_total), officer_row.body)
        self.assertNotIn("Hoài Châu Bắc", officer_row.body)
        self.assertIn(f"Xã Hoài Châu Bắc đạt {fmt(other_total)}/20,00 điểm, xếp thứ 2/2", neighbour_row.body)
        self.assertNotIn(fmt(own_total), neighbour_row.body)
        # No address in the text: the bell shows it too; the mail adds the link itself.
        self.assertNotIn("http", officer_row.body)
        self.assertEqual(officer_row.url, f"/chi-so/dot/{round_.pk}/xep-hang/")
        self.assert_each_link_opens_for_its_recipient(NotificationKind.RANKING_PUBLISHED)
        self.client.logout()
        self.assertEqual(self.client.get(f"/chi-so/cong-khai/{round_.pk}/").status_code, 200)  # public

    def test_publishing_refused_tells_nobody(self):
        round_ = make_round(self.framework, self.hoai_nhon)
        Notification.objects.all().delete()
        with self.assertRaises(ValidationError):
            round_publish(round_=round_, user=self.reviewer)
        self.assertFalse(Notification.objects.exists())


class MailSettingsTests(EventCase):
    def test_a_kind_switched_off_is_written_off_and_not_mailed(self):
        self.chairman.email_opt_outs.create(kind=NotificationKind.REPORT_RETURNED)
        report = self.report()
        with self.captureOnCommitCallbacks(execute=True):
            dossier_report_return(report=report, user=self.reviewer, reason="Thiếu số liệu.")
        statuses = dict(
            Notification.objects.filter(kind=NotificationKind.REPORT_RETURNED).values_list(
                "recipient__username", "email_status"
            )
        )
        self.assertEqual(statuses, {"officer": EmailStatus.SENT, "chairman": EmailStatus.OFF})
        self.assertEqual([m.to for m in mail.outbox if "trả lại" in m.subject], [["officer@example.vn"]])

    def test_a_person_without_an_address_is_told_in_the_portal_only(self):
        User.objects.filter(pk=self.chairman.pk).update(email="")
        report = self.report()
        with self.captureOnCommitCallbacks(execute=True):
            dossier_report_return(report=report, user=self.reviewer, reason="Thiếu số liệu.")
        row = Notification.objects.get(kind=NotificationKind.REPORT_RETURNED, recipient=self.chairman)
        self.assertEqual(row.email_status, EmailStatus.NO_ADDRESS)
        self.assertEqual([m.to for m in mail.outbox if "trả lại" in m.subject], [["officer@example.vn"]])

    def test_a_vice_chairman_of_two_communes_hears_of_each_separately(self):
        Membership.objects.create(user=self.chairman, unit=self.hoai_chau_bac, role=Role.CHAIRMAN)
        reports = [self.report(), self.report(self.hoai_chau_bac)]
        Notification.objects.all().delete()
        dossier_reports_approve_all(reports=reports, user=self.reviewer)
        units = sorted(
            Notification.objects.filter(recipient=self.chairman).values_list("unit__name", flat=True)
        )
        self.assertEqual(units, ["Xã Hoài Châu", "Xã Hoài Châu Bắc"])
        self.assertEqual(ReportStatus.APPROVED, DossierReport.objects.get(pk=reports[0].pk).status)

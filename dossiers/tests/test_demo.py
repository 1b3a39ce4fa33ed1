"""The demo's dossier figures: the seeds reproduced, and the present of Tỉnh Gia Lai (7/2025 to the
latest month due) on the day seed_demo runs, as the services would have written it."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

import lxml.html
import time_machine
from django.core.management import call_command
from django.test import Client, TestCase
from django.utils import timezone

from communes.models import AdministrativeUnit, Era, Level, Membership, UnitSuccession, User
from core import periods
from core.periods import Period
from dossiers import demo
from dossiers.figures import Figures, check
from dossiers.models import (
    DossierChange,
    DossierLine,
    DossierReport,
    ProcedureField,
    ReportStatus,
)
from dossiers.models import Period as PeriodRow
from dossiers.selectors import calendar_for, due_date, figures_for
from dossiers.services import (
    dossier_report_approve,
    dossier_report_return,
    dossier_report_save,
    dossier_report_submit,
)

# 09:00 UTC is 16:00 in Hà Nội: the same date in the portal's time zone.
TODAY = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC)
BEFORE_THE_REFORM = datetime.datetime(2024, 11, 20, 9, 0, tzinfo=datetime.UTC)
FIRST_MONTH_DUE = datetime.datetime(2025, 8, 15, 9, 0, tzinfo=datetime.UTC)
LATEST_MONTH = Period.parse("2026-11")  # the latest due on TODAY
EVERY_STATE = {ReportStatus.APPROVED, ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.DRAFT}


def unit(code, era=Era.LEGACY):
    return AdministrativeUnit.objects.get(era=era, code=code)


@time_machine.travel(TODAY, tick=False)
class DossierDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", verbosity=0)
        cls.gia_lai = unit("52", Era.CURRENT)
        cls.tam_quan = AdministrativeUnit.objects.get(era=Era.CURRENT, level=Level.COMMUNE, code="21637")

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

    def counts(self):
        return [
            model.objects.count() for model in (DossierReport, DossierLine, DossierChange, User, Membership)
        ]

    def test_every_report_was_sent_and_reviewed_after_its_period_not_on_the_seeding_day(self):
        calendars, problems, late = {}, [], 0
        reports = DossierReport.objects.select_related("unit", "period").exclude(submitted_at=None)
        self.assertGreater(len(reports), 2000)
        for report in reports:
            period, key = report.period.value, report.unit.parent_id
            if key not in calendars:
                calendars[key] = calendar_for(report.unit)
            end = period.dates(periods.Calendar(calendars[key].calendar))[1]
            due = due_date(period, calendars[key])
            sent = timezone.localdate(report.submitted_at)
            reviewed = report.reviewed_at and timezone.localdate(report.reviewed_at)
            wrong = [
                end >= sent and "sent before its period ended",
                # Sent by the due date or a few working days after, never months later (the
                # latest month's, sent in the last days, are what the inbox shows as late).
                period != LATEST_MONTH and (sent - due).days >= 14 and "sent months late",
                report.created_at > report.submitted_at and "sent before it was entered",
                reviewed and report.reviewed_at <= report.submitted_at and "reviewed before it was sent",
                reviewed and (reviewed - sent).days >= 14 and "reviewed weeks after it was sent",
            ]
            problems += [f"{report}: {what}" for what in wrong if what]
            late += sent > due
        self.assertEqual(problems[:5], [], f"{len(problems)} in all")
        # A few are late, as in life; most are not.
        self.assertLess(late, len(reports) * 0.2)

    def test_running_it_again_changes_nothing(self):
        before = self.counts()
        call_command("seed_demo", verbosity=0)
        self.assertEqual(self.counts(), before)

    # --- the present: Tỉnh Gia Lai since 1/7/2025 -------------------------------------------------

    def present(self):
        return DossierReport.objects.filter(unit__parent=self.gia_lai).select_related("period", "unit")

    def present_on(self, moment: datetime.datetime) -> dict[str, Counter]:
        """The present written again as seed_demo writes it on ``moment``: period code → the
        count of each state."""
        self.present().delete()
        with time_machine.travel(moment, tick=False):
            demo.seed_dossiers()
        found: dict[str, Counter] = defaultdict(Counter)
        for report in self.present():
            found[report.period.code][report.status] += 1
        return found

    def test_before_the_reform_there_is_no_present(self):
        self.assertEqual(self.present_on(BEFORE_THE_REFORM), {})

    def test_on_15_august_2025_only_july_is_there_with_every_state(self):
        found = self.present_on(FIRST_MONTH_DUE)
        self.assertEqual(list(found), ["2025-07"])
        self.assertEqual(set(found["2025-07"]), EVERY_STATE)
        self.assertLess(sum(found["2025-07"].values()), 135, "some communes have sent nothing")

    def test_today_every_month_from_july_2025_to_november_2026(self):
        found = defaultdict(Counter)
        for report in self.present():
            found[report.period.code][report.status] += 1
        months = [f"2025-{m:02d}" for m in range(7, 13)] + [f"2026-{m:02d}" for m in range(1, 12)]
        self.assertEqual(sorted(found), months)
        for code in months[:-1]:
            self.assertEqual(found[code], {ReportStatus.APPROVED: 135}, code)
        self.assertEqual(set(found["2026-11"]), EVERY_STATE)
        missing = 135 - sum(found["2026-11"].values())
        self.assertGreater(missing, 5)
        # Those not sent are late today: 11/2026 (15/10 to 14/11) was due on 17/11/2026.
        self.assertEqual(
            due_date(periods.Period.parse("2026-11"), calendar_for(self.tam_quan)),
            datetime.date(2026, 11, 17),
        )

    def test_the_personas_find_their_work_in_the_latest_month(self):
        states = {
            report.unit.code: report.status
            for report in self.present().filter(period__year=2026, period__number=11)
        }
        wanted = {code: state for code, (_officer, _chairman, state) in demo.PERSONAS.items()}
        self.assertEqual({code: states.get(code) for code in wanted}, wanted)
        draft = self.present().get(unit=self.tam_quan, period__year=2026, period__number=11)
        self.assertEqual((draft.updated_by.username, draft.version), ("tamquan.canbo", 1))
        self.assertTrue(draft.lines.exists())
        returned = self.present().get(unit__code="21553", period__year=2026, period__number=11)
        self.assertTrue(returned.return_reason)

    def test_the_present_passes_every_check_of_the_portal(self):
        """No error nor warning in any line (received = resolved + pending), each month's «từ kỳ
        trước» the month before's pending, the steps in their order and before now, versions and
        people as the workflow sets them."""
        lines = DossierLine.objects.filter(report__unit__parent=self.gia_lai).select_related("report__period")
        by_cell = {}
        for line in lines:
            self.assertEqual(check(line.figures), [], line)
            period = line.report.period
            by_cell[(line.report.unit_id, period.year * 12 + period.number, line.field_id)] = line.figures
        for (unit_id, month, field_id), figures in by_cell.items():
            before = by_cell.get((unit_id, month - 1, field_id), Figures())
            self.assertEqual(figures.carried_over, before.pending_total, (unit_id, month, field_id))
        reviewer = User.objects.get(username="gialai.sonoivu")
        for report in self.present():
            steps = [t for t in (report.created_at, report.submitted_at, report.reviewed_at) if t]
            self.assertEqual(steps, sorted(steps), report)
            self.assertLess(steps[-1], timezone.now(), report)
            self.assertEqual(report.updated_at, steps[-1], report)
            self.assertEqual(report.version, len(steps), report)
            self.assertEqual(bool(report.submitted_at), report.status != ReportStatus.DRAFT, report)
            if report.reviewed_at:
                self.assertEqual((report.reviewed_by, report.updated_by), (reviewer, reviewer), report)
            self.assertEqual(bool(report.return_reason), report.status == ReportStatus.RETURNED, report)
        late = [
            r
            for r in self.present()
            if r.submitted_at and r.submitted_at.date() > due_date(r.period.value, calendar_for(r.unit))
        ]
        self.assertTrue(late, "a few reports are sent late")
        self.assertLess(len(late), len(self.present()) // 5)

    def test_tam_quan_continues_its_predecessors(self):
        """Phường Tam Quan took the former phường Tam Quan and xã Hoài Châu: about their 2024
        monthly dossiers together, their share online, and their lĩnh vực."""
        predecessors = UnitSuccession.objects.filter(successor=self.tam_quan).values("predecessor")
        before = DossierLine.objects.filter(
            report__unit__in=predecessors, report__period__year=2024, report__period__kind="month"
        )
        after = DossierLine.objects.filter(report__unit=self.tam_quan)
        old = sum((line.figures for line in before), Figures())
        new = sum((line.figures for line in after), Figures())
        months_before = len({line.report_id for line in before}) / 2  # two predecessors
        months_after = len({line.report_id for line in after})
        self.assertAlmostEqual(new.received_new / months_after, old.received_new / months_before, delta=25)
        self.assertAlmostEqual(float(new.online_rate), float(old.online_rate), delta=8)
        self.assertEqual({line.field_id for line in after}, {line.field_id for line in before})

    def test_wards_are_bigger_than_communes(self):
        sizes = defaultdict(list)
        for line in DossierLine.objects.filter(
            report__unit__parent=self.gia_lai, report__period__year=2026, report__period__number=10
        ).select_related("report__unit"):
            sizes[line.report.unit.kind].append(line.figures.received_new)
        mean = {kind: sum(values) / len(values) for kind, values in sizes.items()}
        self.assertGreater(mean["phuong"], mean["xa"])

    def test_a_report_written_in_bulk_is_one_the_services_would_write(self):
        """Hoài Nhơn Bắc's approved 10/2026 and Quy Nhơn Bắc's returned 11/2026, entered again
        through the services by the same people (as 1/2027): the same report fields and the same
        history, entry by entry."""
        cases = [("21655", 10, "hoainhonbac"), ("21553", 11, "quynhonbac")]
        reviewer = User.objects.get(username="gialai.sonoivu")
        for code, month, people in cases:
            bulk = self.present().get(unit__code=code, period__year=2026, period__number=month)
            officer = User.objects.get(username=f"{people}.canbo")
            chairman = User.objects.get(username=f"{people}.chutich")
            lines = {
                line.field_id: line.figures for line in bulk.lines.order_by("field__position", "field__name")
            }
            made = dossier_report_save(
                unit=bulk.unit,
                period=PeriodRow.for_code("2027-01"),
                user=officer,
                lines=lines,
                expected_version=0,
            )
            made = dossier_report_submit(report=made, user=chairman, expected_version=made.version)
            if bulk.status == ReportStatus.APPROVED:
                made = dossier_report_approve(report=made, user=reviewer)
            else:
                made = dossier_report_return(report=made, user=reviewer, reason=bulk.return_reason)

            def fields(report):
                return [
                    report.status,
                    report.version,
                    report.updated_by,
                    report.submitted_by,
                    report.reviewed_by,
                    report.return_reason,
                    report.figures_choice,
                    {line.field_id: line.figures for line in report.lines.all()},
                    {line.field_id: line.reviewer_comment for line in report.lines.all()},
                ]

            def history(report):
                return [
                    (c.user, c.action, c.field_id, c.column, c.old_value, c.new_value, c.note)
                    for c in report.changes.order_by("-at", "-pk")
                ]

            self.assertEqual(fields(bulk), fields(made), code)
            self.assertEqual(history(bulk), history(made), code)
            self.assertEqual(bulk.created_at, bulk.changes.order_by("pk").first().at)

    # --- as tamquan.canbo and tamquan.chutich ----------------------------------------------------

    def form_of(self, client: Client, url: str) -> dict[str, str]:
        response = client.get(url)
        self.assertEqual(response.status_code, 200, url)
        form = lxml.html.fromstring(response.content.decode()).xpath("//form[.//input[@name='version']]")[0]
        return {
            i.get("name"): i.get("value") or ""
            for i in form.xpath(".//input[@name]")
            if i.get("type") != "checkbox"
        }

    def test_tam_quan_officer_completes_the_draft_and_its_chairman_submits_it(self):
        url = f"/units/{self.tam_quan.pk}/dossiers/2026-11/"
        officer, chairman = Client(), Client()
        officer.force_login(User.objects.get(username="tamquan.canbo"))
        chairman.force_login(User.objects.get(username="tamquan.chutich"))
        data = self.form_of(officer, url)
        ho_tich = ProcedureField.objects.get(name="Hộ tịch").pk
        online = int(data[f"c-{ho_tich}-received_online"].replace(".", ""))
        on_time = int(data[f"c-{ho_tich}-resolved_on_time"].replace(".", ""))
        data.update(
            {
                f"c-{ho_tich}-received_online": str(online + 2),
                f"c-{ho_tich}-resolved_on_time": str(on_time + 2),
            }
        )
        self.assertEqual(officer.post(url, {**data, "save": ""}).status_code, 302)
        report = DossierReport.objects.get(unit=self.tam_quan, period__year=2026, period__number=11)
        self.assertEqual((report.status, report.version), (ReportStatus.DRAFT, 2))
        data = self.form_of(chairman, url)
        self.assertEqual(chairman.post(url, {**data, "submit": ""}).status_code, 302)
        report.refresh_from_db()
        self.assertEqual(
            (report.status, report.submitted_by.username), (ReportStatus.SUBMITTED, "tamquan.chutich")
        )
        reviewer = Client()
        reviewer.force_login(User.objects.get(username="gialai.sonoivu"))
        self.assertContains(reviewer.get("/review/"), url)

    def test_tam_quan_officer_enters_this_month(self):
        """12/2026 (15/11 to 14/12/2026 as Gia Lai counts) is under way: it can be entered."""
        url = f"/units/{self.tam_quan.pk}/dossiers/2026-12/"
        officer = Client()
        officer.force_login(User.objects.get(username="tamquan.canbo"))
        data = self.form_of(officer, url)
        ho_tich = ProcedureField.objects.get(name="Hộ tịch").pk
        data.update({f"c-{ho_tich}-received_online": "40", f"c-{ho_tich}-resolved_on_time": "40"})
        self.assertEqual(officer.post(url, {**data, "save": ""}).status_code, 302)
        report = DossierReport.objects.get(unit=self.tam_quan, period__year=2026, period__number=12)
        self.assertEqual(report.status, ReportStatus.DRAFT)

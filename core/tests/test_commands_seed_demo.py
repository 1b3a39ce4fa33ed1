import datetime
from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from communes.demo import DEMO_PASSWORD
from communes.models import AdministrativeUnit, Era, Level, Membership, Office, Role, UnitSuccession, User


class SeedDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = StringIO()
        call_command("seed_demo", stdout=cls.output)

    def test_it_prints_the_demo_accounts(self):
        text = self.output.getvalue()
        self.assertIn(f"mật khẩu chung: {DEMO_PASSWORD}", text)
        self.assertIn("hoaichau.canbo", text)
        self.assertIn("hoainhon.noivu", text)

    def test_every_role_has_a_demo_user_who_can_log_in(self):
        for role in Role:
            with self.subTest(role=role):
                membership = Membership.objects.filter(role=role).select_related("user").first()
                self.assertIsNotNone(membership)
                self.assertTrue(membership.user.check_password(DEMO_PASSWORD))
        self.assertTrue(User.objects.get(username="quantri").is_superuser)

    def test_the_seeds_units_stand_in_their_real_places(self):
        def commune(name, district):
            return AdministrativeUnit.objects.get(era=Era.LEGACY, name=name, parent__name=district)

        self.assertEqual(commune("Xã Hoài Châu", "Thị xã Hoài Nhơn").code, "21649")
        self.assertEqual(commune("Xã Gio Sơn", "Huyện Gio Linh").parent.parent.name, "Tỉnh Quảng Trị")
        self.assertEqual(commune("Xã Tùng Châu", "Huyện Đức Thọ").parent.parent.name, "Tỉnh Hà Tĩnh")
        self.assertEqual(commune("Xã Phước Hưng", "Huyện Tuy Phước").parent.parent.name, "Tỉnh Bình Định")
        hoai_nhon = AdministrativeUnit.objects.get(era=Era.LEGACY, level=Level.DISTRICT, code="543")
        self.assertEqual(hoai_nhon.children.count(), 17)

    def test_hiep_duc_had_11_communes_in_2023(self):
        hiep_duc = AdministrativeUnit.objects.get(era=Era.LEGACY, level=Level.DISTRICT, code="512")
        in_2023 = hiep_duc.children.valid_on(datetime.date(2023, 8, 31))
        self.assertEqual(in_2023.count(), 11)
        self.assertTrue(in_2023.filter(name="Xã Hiệp Thuận").exists())
        self.assertTrue(in_2023.filter(name="Xã Quế Lưu").exists())
        que_tan = hiep_duc.children.get(name="Xã Quế Tân")
        self.assertEqual(
            sorted(unit.name for unit in que_tan.predecessors.all()), ["Xã Hiệp Hòa", "Xã Hiệp Thuận"]
        )

    def test_both_worlds_show(self):
        self.assertTrue(AdministrativeUnit.objects.filter(era=Era.CURRENT, name="Tỉnh Gia Lai").exists())
        self.assertTrue(Membership.objects.filter(unit__era=Era.CURRENT, role=Role.REVIEWER).exists())

    def test_demo_communes_have_their_offices(self):
        self.assertTrue(Office.objects.filter(unit__code="21649", name="Văn phòng - Thống kê").exists())
        self.assertTrue(Office.objects.filter(unit__era=Era.CURRENT, name="Phòng Kinh tế").exists())

    def test_running_it_again_changes_nothing(self):
        before = [
            model.objects.count() for model in (AdministrativeUnit, UnitSuccession, User, Membership, Office)
        ]
        call_command("seed_demo", verbosity=0)
        after = [
            model.objects.count() for model in (AdministrativeUnit, UnitSuccession, User, Membership, Office)
        ]
        self.assertEqual(before, after)

    # The demo's notifications, and its province going live from one users file (issue 13): in
    # this class, so as not to load the demo once more.

    @property
    def province(self) -> AdministrativeUnit:
        return AdministrativeUnit.objects.get(era=Era.CURRENT, level=Level.PROVINCE, code="52")

    def test_only_the_present_is_told_and_each_at_its_moment(self):
        from dossiers.models import DossierReport, ReportStatus
        from dossiers.selectors import calendar_for, latest_due_month
        from notifications.models import Notification

        # The district era's years were replayed through the services without telling anyone.
        self.assertFalse(Notification.objects.filter(unit__era=Era.LEGACY).exists())
        self.assertFalse(Notification.objects.filter(recipient__username="hoainhon.noivu").exists())
        latest = latest_due_month(calendar_for(self.province), today=datetime.date.today())
        waiting = DossierReport.objects.filter(
            unit__parent=self.province,
            period__kind="month",
            period__year=latest.year,
            period__number=latest.number,
            status=ReportStatus.SUBMITTED,
        )
        unread = Notification.objects.filter(recipient__username="gialai.sonoivu", read_at__isnull=True)
        self.assertEqual(
            set(unread.values_list("unit_id", flat=True)), set(waiting.values_list("unit_id", flat=True))
        )
        returned = Notification.objects.get(recipient__username="quynhonbac.canbo", kind="report_returned")
        self.assertIsNone(returned.read_at)
        self.assertIn(latest.label, returned.title)
        report = DossierReport.objects.get(
            unit=returned.unit, period__kind="month", period__year=latest.year, period__number=latest.number
        )
        self.assertEqual(returned.created_at, report.reviewed_at)
        self.assertIn(report.return_reason, returned.body)
        # Nothing was mailed, and an address is there for the console under make run, but An Lão's.
        self.assertFalse(Notification.objects.exclude(emailed_at=None).exists())
        self.assertTrue(User.objects.get(username="tamquan.canbo").email.endswith("@demo.invalid"))
        self.assertEqual(User.objects.get(username="anlao.canbo").email, "")

    def test_running_it_again_tells_nothing_more(self):
        from notifications.models import Notification

        before = Notification.objects.count()
        call_command("seed_demo", verbosity=0)
        self.assertEqual(Notification.objects.count(), before)

    def test_the_provinces_accounts_come_from_one_file(self):
        """Gia Lai's administrator downloads the template (every commune twice), fills in the
        people of the communes that have no named demo person, and imports it: one preview, one
        confirmation, every account and role created, invitations for those with an email and a
        hand-over sheet of one-time passwords for the others."""
        from io import BytesIO

        from django.core import mail
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.test import override_settings
        from django.urls import reverse
        from openpyxl import load_workbook

        administrator = User.objects.get(username="gialai.quantri")
        self.client.force_login(administrator)
        template = self.client.get(reverse("accounts:import_template"))
        self.assertEqual(template.status_code, 200)
        book = load_workbook(BytesIO(template.content))
        sheet = book.worksheets[0]
        taken = set(User.objects.values_list("username", flat=True))
        named = {"21637", "21655", "21553", "21609", "23617"}  # the demo's own people are there
        filled = 0
        for line in sheet.iter_rows():
            code, role = line[1].value, line[5].value
            if not code or not str(code).isdigit() or len(str(code)) != 5 or code in named:
                continue
            filled += 1
            line[3].value = f"Người thử {filled}"
            line[4].value = "Công chức Văn phòng HĐND và UBND" if role == "Công chức" else "Chủ tịch UBND"
            if filled % 2:
                line[6].value = f"nguoi.thu.{filled}@demo.invalid"
            else:
                line[7].value = f"09{filled:08d}"
        buffer = BytesIO()
        book.save(buffer)
        communes = AdministrativeUnit.objects.filter(parent=self.province, level=Level.COMMUNE)
        self.assertEqual(filled, 2 * (communes.count() - len(named)))

        upload = SimpleUploadedFile("tai-khoan-gia-lai.xlsx", buffer.getvalue())
        preview = self.client.post(reverse("accounts:import"), {"file": upload})
        self.assertEqual(preview.status_code, 200, preview.content.decode()[:3000])
        accounts = preview.context["review"].accounts
        self.assertEqual(len(accounts), filled)
        self.assertFalse({account.username for account in accounts} & taken)
        with (
            override_settings(
                TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
            ),
            self.captureOnCommitCallbacks(execute=True),
        ):
            result = self.client.post(reverse("accounts:import"), {"payload": preview.context["payload"]})
        self.assertEqual(result.status_code, 200)
        created = User.objects.filter(created_by=administrator)
        self.assertEqual(created.count(), filled)
        self.assertEqual(
            Membership.objects.filter(user__in=created, unit__parent=self.province).count(), filled
        )
        self.assertEqual(len(mail.outbox), (filled + 1) // 2)
        self.assertEqual(created.filter(must_change_password=True).count(), filled // 2)
        sheet_text = result.content.decode()
        for user in created.filter(must_change_password=True)[:5]:
            self.assertIn(user.username, sheet_text)

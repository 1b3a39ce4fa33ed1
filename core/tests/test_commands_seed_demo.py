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

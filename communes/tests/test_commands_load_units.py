"""load_units against the real lists shipped by vietnamadminunits."""

from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase

from communes.models import AdministrativeUnit, Era, Level, UnitSuccession


def count(era, level):
    return AdministrativeUnit.objects.filter(era=era, level=level).count()


class WholeCountryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_units", verbosity=0)
        call_command("load_units", "--legacy", verbosity=0)

    def test_the_2025_list_has_34_provinces_and_3321_communes(self):
        self.assertEqual(count(Era.CURRENT, Level.PROVINCE), 34)
        self.assertEqual(count(Era.CURRENT, Level.COMMUNE), 3321)
        self.assertEqual(count(Era.CURRENT, Level.DISTRICT), 0)

    def test_the_legacy_list_has_63_provinces_696_districts_and_10035_communes(self):
        self.assertEqual(count(Era.LEGACY, Level.PROVINCE), 63)
        self.assertEqual(count(Era.LEGACY, Level.DISTRICT), 696)
        self.assertEqual(count(Era.LEGACY, Level.COMMUNE), 10035)

    def test_thi_xa_hoai_nhon_has_exactly_17_units_with_hoai_chau(self):
        hoai_nhon = AdministrativeUnit.objects.get(era=Era.LEGACY, level=Level.DISTRICT, code="543")
        self.assertEqual(hoai_nhon.name, "Thị xã Hoài Nhơn")
        self.assertEqual(hoai_nhon.parent.name, "Tỉnh Bình Định")
        self.assertEqual(hoai_nhon.children.count(), 17)
        hoai_chau = hoai_nhon.children.get(code="21649")
        self.assertEqual((hoai_chau.name, hoai_chau.kind), ("Xã Hoài Châu", "xa"))

    def test_the_2025_special_zones_are_there(self):
        self.assertEqual(AdministrativeUnit.objects.filter(era=Era.CURRENT, kind="dac_khu").count(), 13)

    def test_every_legacy_commune_has_a_successor(self):
        communes = AdministrativeUnit.objects.filter(era=Era.LEGACY, level=Level.COMMUNE)
        self.assertFalse(communes.filter(successors__isnull=True).exists())
        self.assertEqual(
            UnitSuccession.objects.filter(predecessor__level=Level.COMMUNE, is_primary=True)
            .values("predecessor")
            .distinct()
            .count(),
            10035,
        )

    def test_hoai_chau_continues_in_phuong_tam_quan_of_gia_lai(self):
        hoai_chau = AdministrativeUnit.objects.get(era=Era.LEGACY, level=Level.COMMUNE, code="21649")
        successor = hoai_chau.successors.get()
        self.assertEqual((successor.name, successor.parent.name), ("Phường Tam Quan", "Tỉnh Gia Lai"))
        self.assertEqual(str(successor.valid_from), "2025-07-01")
        self.assertEqual(str(hoai_chau.valid_to), "2025-06-30")

    def test_old_provinces_continue_in_the_new_ones(self):
        binh_dinh = AdministrativeUnit.objects.get(era=Era.LEGACY, level=Level.PROVINCE, code="52")
        self.assertEqual([unit.name for unit in binh_dinh.successors.all()], ["Tỉnh Gia Lai"])

    def test_running_it_again_changes_nothing(self):
        units, links = AdministrativeUnit.objects.count(), UnitSuccession.objects.count()
        for args in ((), ("--legacy",)):
            out = StringIO()
            call_command("load_units", *args, stdout=out)
            self.assertIn("0 thêm mới, 0 cập nhật", out.getvalue())
            self.assertIn("liên kết kế thừa: 0 thêm mới, 0 cập nhật", out.getvalue())
        self.assertEqual((AdministrativeUnit.objects.count(), UnitSuccession.objects.count()), (units, links))


class OneProvinceTests(TestCase):
    def test_it_loads_one_province_of_each_list_and_links_them(self):
        call_command("load_units", "--legacy", "--province", "52", verbosity=0)
        self.assertEqual(count(Era.LEGACY, Level.PROVINCE), 1)
        self.assertEqual(count(Era.LEGACY, Level.DISTRICT), 11)
        self.assertFalse(UnitSuccession.objects.exists())
        call_command("load_units", "--province", "52", verbosity=0)
        self.assertEqual(count(Era.CURRENT, Level.PROVINCE), 1)
        hoai_chau = AdministrativeUnit.objects.get(era=Era.LEGACY, code="21649")
        self.assertEqual(hoai_chau.successors.get().name, "Phường Tam Quan")

    def test_it_fixes_a_renamed_unit_and_keeps_recorded_dates(self):
        call_command("load_units", "--legacy", "--province", "52", verbosity=0)
        unit = AdministrativeUnit.objects.get(era=Era.LEGACY, code="21649")
        AdministrativeUnit.objects.filter(pk=unit.pk).update(name="Xã Sai Tên", valid_from="2020-01-01")
        out = StringIO()
        call_command("load_units", "--legacy", "--province", "52", stdout=out)
        self.assertIn("1 cập nhật", out.getvalue())
        unit.refresh_from_db()
        self.assertEqual(
            (unit.name, unit.search_key, str(unit.valid_from)), ("Xã Hoài Châu", "xa hoai chau", "2020-01-01")
        )

    def test_an_unknown_province_is_an_error_with_exit_status_1(self):
        with self.assertRaises(CommandError) as caught:
            call_command("load_units", "--province", "99", verbosity=0)
        self.assertEqual(str(caught.exception), "Không có tỉnh mã 99 trong danh sách từ 01/7/2025.")
        self.assertEqual(caught.exception.returncode, 1)
        self.assertFalse(AdministrativeUnit.objects.exists())

    def test_a_legacy_code_is_unknown_in_the_2025_list(self):
        # 45 was Quảng Trị's code before the reform; the new Quảng Trị is 44.
        with self.assertRaises(CommandError):
            call_command("load_units", "--province", "45", verbosity=0)

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from communes.selectors import (
    get_unit_for_user,
    places_of,
    units_readable_by,
    units_reviewed_by,
    units_writable_by,
)
from core.testing import PortalTestCase


class ScopeTests(PortalTestCase):
    def names(self, queryset):
        return sorted(unit.name for unit in queryset)

    def test_an_officer_reads_and_writes_only_its_commune(self):
        self.assertEqual(self.names(units_readable_by(self.officer)), ["Xã Hoài Châu"])
        self.assertEqual(self.names(units_writable_by(self.officer)), ["Xã Hoài Châu"])
        self.assertEqual(self.names(units_reviewed_by(self.officer)), [])

    def test_a_neighbour_never_reads_hoai_chau(self):
        self.assertNotIn(self.hoai_chau, units_readable_by(self.neighbour))

    def test_a_district_reviewer_reads_its_communes_and_writes_none(self):
        self.assertEqual(
            self.names(units_readable_by(self.reviewer)),
            ["Thị xã Hoài Nhơn", "Xã Hoài Châu", "Xã Hoài Châu Bắc"],
        )
        self.assertEqual(self.names(units_reviewed_by(self.reviewer)), ["Xã Hoài Châu", "Xã Hoài Châu Bắc"])
        self.assertEqual(self.names(units_writable_by(self.reviewer)), [])

    def test_a_new_communes_officer_reads_its_predecessors_history(self):
        self.assertEqual(self.names(units_readable_by(self.new_officer)), ["Phường Tam Quan", "Xã Hoài Châu"])
        self.assertEqual(self.names(units_writable_by(self.new_officer)), ["Phường Tam Quan"])

    def test_a_province_reviewer_after_the_reform_reads_its_communes_and_their_predecessors(self):
        self.assertEqual(
            self.names(units_readable_by(self.province_reviewer)),
            ["Phường Tam Quan", "Tỉnh Bình Định", "Tỉnh Gia Lai", "Xã Hoài Châu"],
        )
        self.assertEqual(self.names(units_reviewed_by(self.province_reviewer)), ["Phường Tam Quan"])

    def test_a_provincial_administrator_reads_the_whole_province(self):
        readable = self.names(units_readable_by(self.administrator))
        self.assertIn("Xã Phước Hưng", readable)
        self.assertNotIn("Phường Tam Quan", readable)

    def test_nobody_without_a_role_reads_anything(self):
        self.assertEqual(list(units_readable_by(self.outsider)), [])
        self.assertEqual(list(units_readable_by(AnonymousUser())), [])

    def test_an_inactive_user_reads_nothing(self):
        self.officer.is_active = False
        self.assertEqual(list(units_readable_by(self.officer)), [])

    def test_each_scope_is_one_query(self):
        for selector in (units_readable_by, units_writable_by, units_reviewed_by):
            with self.subTest(selector=selector.__name__), self.assertNumQueries(1):
                list(selector(self.reviewer))

    def test_get_unit_for_user_answers_404_for_what_it_may_not_see(self):
        with self.assertRaises(Http404):
            get_unit_for_user(self.neighbour, self.hoai_chau.pk)

    def test_get_unit_for_user_answers_403_for_what_it_may_see_but_not_write(self):
        with self.assertRaises(PermissionDenied):
            get_unit_for_user(self.reviewer, self.hoai_chau.pk, write=True)
        self.assertEqual(get_unit_for_user(self.officer, self.hoai_chau.pk, write=True), self.hoai_chau)

    def test_places_are_read_once_per_request(self):
        with self.assertNumQueries(1):
            places = places_of(self.reviewer)
            places_of(self.reviewer)
        self.assertTrue(places.supervises)
        self.assertFalse(places.administers)
        self.assertEqual(places.communes, [])

import datetime

from django.urls import reverse

from communes.models import Era, Kind, Level, Office, Role
from core.testing import PortalTestCase, make_unit, make_user


class UnitDetailTests(PortalTestCase):
    def url(self, unit):
        return reverse("communes:unit_detail", args=[unit.pk])

    def test_permission_matrix_of_a_communes_home(self):
        self.assert_access_matrix(
            self.url(self.hoai_chau),
            {
                "anonymous": 302,
                "outsider": 404,
                "officer": 200,
                "chairman": 200,
                "neighbour": 404,
                "reviewer": 200,
                "province_reviewer": 200,
                "new_officer": 200,
                "administrator": 200,
            },
        )

    def test_an_id_from_another_district_is_404_for_a_reviewer(self):
        self.login(self.reviewer)
        self.assertEqual(self.client.get(self.url(self.phuoc_hung)).status_code, 404)

    def test_an_id_that_does_not_exist_is_404_in_vietnamese(self):
        self.login(self.officer)
        response = self.client.get(reverse("communes:unit_detail", args=[999999]))
        self.assertContains(response, "Không tìm thấy trang", status_code=404)

    def test_it_shows_the_commune_its_people_offices_and_successor(self):
        Office.objects.create(unit=self.hoai_chau, name="Văn phòng - Thống kê")
        self.login(self.officer)
        response = self.client.get(self.url(self.hoai_chau))
        self.assertContains(response, '<h1 class="h3 mb-0">Xã Hoài Châu</h1>', html=False)
        self.assertContains(response, "Văn phòng - Thống kê")
        self.assertContains(response, "Công chức phụ trách CCHC")
        self.assertContains(response, "Phường Tam Quan")
        # The officer may not open the successor, so it is named without a link.
        self.assertNotContains(response, self.url(self.tam_quan))

    def test_the_new_commune_links_to_its_predecessors_history(self):
        self.login(self.new_officer)
        response = self.client.get(self.url(self.tam_quan))
        self.assertContains(response, "Hình thành từ:")
        self.assertContains(response, f'href="{self.url(self.hoai_chau)}"')

    def test_empty_offices_say_what_to_do(self):
        self.login(self.officer)
        self.assertContains(self.client.get(self.url(self.hoai_chau)), "Chưa khai báo bộ phận chuyên môn nào")

    def test_query_count_does_not_grow_with_people_and_offices(self):
        self.login(self.officer)
        # session, user, unit, members, predecessors, successors, readable links,
        # offices, the navigation's memberships; the officer's work card (plan, calendar, months'
        # reports, open assessments, late tasks)
        with self.assertNumQueries(14):
            self.client.get(self.url(self.hoai_chau))
        for number in range(5):
            Office.objects.create(unit=self.hoai_chau, name=f"Bộ phận {number}")
            make_user(f"extra{number}", (self.hoai_chau, Role.OFFICER))
        with self.assertNumQueries(14):
            self.client.get(self.url(self.hoai_chau))


class UnitListTests(PortalTestCase):
    url = reverse("communes:unit_list")

    def test_permission_matrix_of_the_commune_list(self):
        self.assert_access_matrix(
            self.url,
            {
                "anonymous": 302,
                "outsider": 200,
                "officer": 200,
                "reviewer": 200,
                "province_reviewer": 200,
                "administrator": 200,
            },
        )

    def test_a_reviewer_sees_only_its_communes(self):
        self.login(self.reviewer)
        response = self.client.get(self.url)
        self.assertContains(response, "Xã Hoài Châu Bắc")
        self.assertNotContains(response, "Xã Phước Hưng")
        self.assertNotContains(response, "Phường Tam Quan")

    def test_a_province_reviewer_sees_its_2025_communes_first_and_the_history_on_request(self):
        self.login(self.province_reviewer)
        detail = reverse("communes:unit_detail", args=[self.hoai_chau.pk])
        response = self.client.get(self.url)
        self.assertContains(response, "Phường Tam Quan")
        self.assertNotContains(response, detail)
        self.assertContains(self.client.get(self.url, {"era": "legacy"}), detail)
        response = self.client.get(self.url, {"era": "all"})
        self.assertContains(response, detail)
        self.assertContains(response, "Phường Tam Quan")

    def test_a_unit_that_ended_before_the_reform_says_so(self):
        self.hoai_chau_bac.valid_to = datetime.date(2024, 11, 30)
        self.hoai_chau_bac.save()
        self.login(self.reviewer)
        self.assertContains(self.client.get(self.url), "đến 30/11/2024")

    def test_the_parent_dropdown_offers_only_what_the_user_may_read(self):
        self.login(self.reviewer)
        response = self.client.get(self.url)
        self.assertContains(
            response, f'<option value="{self.hoai_nhon.pk}">Thị xã Hoài Nhơn</option>', html=True
        )
        self.assertNotContains(response, "Huyện Tuy Phước")

    def test_it_finds_a_commune_typed_without_diacritics(self):
        self.login(self.reviewer)
        response = self.client.get(self.url, {"q": "hoai chau bac"})
        self.assertContains(response, "Xã Hoài Châu Bắc")
        self.assertNotContains(
            response, f'href="{reverse("communes:unit_detail", args=[self.hoai_chau.pk])}"'
        )

    def test_a_filter_that_matches_nothing_says_so(self):
        self.login(self.reviewer)
        response = self.client.get(self.url, {"q": "không có xã này"})
        self.assertContains(response, "Không có đơn vị nào khớp với bộ lọc.")

    def test_a_bad_filter_value_does_not_break_the_page(self):
        self.login(self.reviewer)
        response = self.client.get(self.url, {"parent": "abc", "kind": "nope"})
        self.assertEqual(response.status_code, 200)

    def test_a_user_without_units_is_told_what_to_do(self):
        self.login(self.outsider)
        self.assertContains(self.client.get(self.url), "Chưa có xã, phường nào thuộc phạm vi của bạn.")

    def test_query_count_does_not_grow_with_communes(self):
        self.login(self.reviewer)
        # session, user, count, page of units, parent dropdown, navigation's memberships
        with self.assertNumQueries(6):
            self.client.get(self.url)
        for number in range(60):
            make_unit(
                Era.LEGACY, Level.COMMUNE, Kind.XA, f"9{number:04d}", f"Xã Thử {number}", self.hoai_nhon
            )
        with self.assertNumQueries(6):
            response = self.client.get(self.url)
        self.assertContains(response, "Trang 1/2")

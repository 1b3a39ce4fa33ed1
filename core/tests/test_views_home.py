from django.urls import reverse

from communes.models import Role
from core.testing import PortalTestCase, make_user


class HomeTests(PortalTestCase):
    url = reverse("home")

    def test_anonymous_visitors_are_sent_to_the_login_page(self):
        response = self.client.get(self.url)
        self.assertRedirects(response, f"{reverse('login')}?next=/")

    def test_a_commune_officer_lands_on_its_communes_home(self):
        self.login(self.officer)
        self.assertRedirects(
            self.client.get(self.url), reverse("communes:unit_detail", args=[self.hoai_chau.pk])
        )

    def test_a_chairman_lands_on_its_communes_home(self):
        self.login(self.chairman)
        self.assertRedirects(
            self.client.get(self.url), reverse("communes:unit_detail", args=[self.hoai_chau.pk])
        )

    def test_a_reviewer_lands_on_its_units_page_with_its_work(self):
        self.login(self.reviewer)
        self.assertRedirects(
            self.client.get(self.url), reverse("communes:unit_detail", args=[self.hoai_nhon.pk])
        )

    def test_an_administrator_lands_on_its_units_page_too(self):
        self.login(self.administrator)
        self.assertRedirects(
            self.client.get(self.url), reverse("communes:unit_detail", args=[self.binh_dinh.pk])
        )

    def test_a_vice_chairman_of_two_communes_chooses_one(self):
        vice = make_user("vice", (self.hoai_chau, Role.CHAIRMAN), (self.hoai_chau_bac, Role.CHAIRMAN))
        self.login(vice)
        response = self.client.get(self.url)
        self.assertContains(response, "Chọn đơn vị làm việc")
        self.assertContains(response, "Xã Hoài Châu Bắc")

    def test_a_user_without_roles_is_told_to_ask_for_them(self):
        self.login(self.outsider)
        response = self.client.get(self.url)
        self.assertContains(response, "Tài khoản chưa được phân quyền")
        self.assertContains(response, "outsider")

    def test_the_navigation_follows_the_role(self):
        self.login(self.reviewer)
        response = self.client.get(reverse("communes:unit_list"))
        self.assertContains(response, "Các xã, phường")
        self.assertNotContains(response, reverse("admin:index"))
        self.login(self.administrator)
        self.assertContains(self.client.get(reverse("communes:unit_list")), reverse("admin:index"))

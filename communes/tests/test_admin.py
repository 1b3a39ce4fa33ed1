from django.urls import reverse

from communes.models import Membership, Role
from core.testing import PortalTestCase, make_user


class AdminSiteTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.superuser = make_user("root", is_staff=True, is_superuser=True)

    def test_permission_matrix_of_the_admin_index(self):
        self.assert_access_matrix(
            reverse("admin:index"),
            {"anonymous": 302, "officer": 302, "reviewer": 302, "administrator": 200, "superuser": 200},
        )

    def test_a_provincial_administrator_sees_only_its_provinces_people(self):
        self.login(self.administrator)
        response = self.client.get(reverse("admin:communes_membership_changelist"))
        self.assertContains(response, "officer")
        self.assertNotContains(response, "province_reviewer")

    def test_a_provincial_administrator_cannot_open_another_provinces_unit(self):
        self.login(self.administrator)
        own = self.client.get(reverse("admin:communes_administrativeunit_change", args=[self.hoai_chau.pk]))
        other = self.client.get(reverse("admin:communes_administrativeunit_change", args=[self.tam_quan.pk]))
        self.assertEqual(own.status_code, 200)
        # Django's admin redirects to its index with a message for objects outside the queryset.
        self.assertEqual(other.status_code, 302)

    def test_a_provincial_administrator_cannot_grant_a_role_outside_its_province(self):
        self.login(self.administrator)
        response = self.client.post(
            reverse("admin:communes_membership_add"),
            {"user": self.outsider.pk, "unit": self.tam_quan.pk, "role": Role.OFFICER},
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Membership.objects.filter(user=self.outsider).exists())

    def test_a_role_that_does_not_fit_the_units_level_is_refused(self):
        self.login(self.administrator)
        response = self.client.post(
            reverse("admin:communes_membership_add"),
            {"user": self.outsider.pk, "unit": self.hoai_nhon.pk, "role": Role.OFFICER},
        )
        self.assertContains(response, "Vai trò của xã chỉ gán cho đơn vị cấp xã.")
        self.assertFalse(Membership.objects.filter(user=self.outsider).exists())

    def test_only_a_superuser_changes_successions(self):
        self.login(self.administrator)
        self.assertEqual(self.client.get(reverse("admin:communes_unitsuccession_add")).status_code, 403)
        self.login(self.superuser)
        self.assertEqual(self.client.get(reverse("admin:communes_unitsuccession_add")).status_code, 200)

    def test_a_provincial_administrator_grants_a_role_in_its_province(self):
        # To an account it created (one nobody created, or another province's, it cannot pick).
        self.outsider.created_by = self.administrator
        self.outsider.save()
        self.login(self.administrator)
        response = self.client.post(
            reverse("admin:communes_membership_add"),
            {"user": self.outsider.pk, "unit": self.phuoc_hung.pk, "role": Role.OFFICER},
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Membership.objects.filter(user=self.outsider, unit=self.phuoc_hung).exists())

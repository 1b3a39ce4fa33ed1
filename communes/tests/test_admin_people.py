"""The roles on a person's admin page, and the unit search, for a provincial administrator (what
``test_admin_scoping`` leaves: a foreign role posted through the page of one of its own people)."""

from __future__ import annotations

from django.urls import reverse

from communes.models import Role
from core.testing import PortalTestCase, make_user

from .test_admin_scoping import ProvinceScopingBase


class RolesOnAPersonsPageTests(ProvinceScopingBase):
    def setUp(self):
        self.login(self.gialai_admin)
        self.foreign = self.quangtri_reviewer.memberships.get()

    def post_roles(self, **row):
        """Post the page of ``new_officer`` (one of Gia Lai's people) with one role row."""
        return self.client.post(
            reverse("admin:communes_user_change", args=[self.new_officer.pk]),
            {
                "username": "new_officer",
                "full_name": "New_Officer",
                "is_active": "on",
                "memberships-TOTAL_FORMS": "1",
                "memberships-INITIAL_FORMS": "1",
                "memberships-MIN_NUM_FORMS": "0",
                "memberships-MAX_NUM_FORMS": "1000",
                "memberships-0-id": self.foreign.pk,
                "memberships-0-user": self.new_officer.pk,
                "memberships-0-unit": self.tam_quan.pk,
                "memberships-0-role": Role.OFFICER,
                **{f"memberships-0-{name}": value for name, value in row.items()},
            },
        )

    def assert_foreign_role_untouched(self):
        self.foreign.refresh_from_db()
        self.assertEqual(
            (self.foreign.user, self.foreign.unit, self.foreign.role),
            (self.quangtri_reviewer, self.quang_tri, Role.REVIEWER),
        )

    def test_another_provinces_role_posted_for_deletion_or_as_changed_stays(self):
        # The formset looks the row up among the roles it shows, finds nothing, and saves nothing.
        for row in ({"DELETE": "on"}, {"role": Role.CHAIRMAN}):
            with self.subTest(row=row):
                self.post_roles(**row)
                self.assert_foreign_role_untouched()
                self.assertEqual(
                    list(self.new_officer.memberships.values_list("unit", "role")),
                    [(self.tam_quan.pk, Role.OFFICER)],
                )

    def test_a_role_is_given_only_in_one_of_its_units(self):
        response = self.client.get(reverse("admin:communes_user_change", args=[self.new_officer.pk]))
        empty = response.context["inline_admin_formsets"][0].formset.empty_form
        self.assertCountEqual(empty.fields["unit"].queryset, [self.gia_lai, self.tam_quan])
        self.assertNotContains(response, "vForeignKeyRawIdAdminField")


class UnitSearchTests(ProvinceScopingBase):
    def search(self, term: str) -> list[str]:
        response = self.client.get(
            reverse("admin:autocomplete"),
            {"app_label": "communes", "model_name": "office", "field_name": "unit", "term": term},
        )
        return [row["text"] for row in response.json()["results"]]

    def test_a_unit_is_found_as_people_type_it(self):
        self.login(self.gialai_admin)
        for term in ("tam quan", "Tam Quan", "PHƯỜNG TAM QUAN", "phường tam", "21637"):
            with self.subTest(term=term):
                self.assertEqual(self.search(term), ["Phường Tam Quan"])

    def test_another_provinces_unit_is_never_found(self):
        self.login(self.gialai_admin)
        self.assertEqual(self.search("Gio Sơn"), [])
        self.login(self.superuser)
        self.assertEqual(self.search("Gio Sơn"), ["Xã Gio Sơn"])


class AdministratorRoleTests(PortalTestCase):
    """Giving the administrator role in the admin site lets the person into it, as membership_grant does."""

    def test_the_role_given_on_the_membership_page_makes_the_person_staff(self):
        self.login(self.administrator)
        colleague = make_user("binhdinh.quantri2", (self.hoai_nhon, Role.REVIEWER))
        response = self.client.post(
            reverse("admin:communes_membership_add"),
            {"user": colleague.pk, "unit": self.binh_dinh.pk, "role": Role.ADMINISTRATOR},
        )
        self.assertEqual(response.status_code, 302)
        colleague.refresh_from_db()
        self.assertTrue(colleague.is_staff)
        self.login(colleague)
        self.assertEqual(self.client.get(reverse("admin:index")).status_code, 200)

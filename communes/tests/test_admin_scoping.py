"""The admin site scoped like the portal: a provincial administrator reaches only its province's
units and the accounts of ``users_administered_by``, at every step of an account takeover."""

import datetime

from django.contrib.admin.sites import site
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communes.admin import MembershipInline
from communes.models import Era, Kind, Level, Membership, Office, Role, UnitSuccession, User
from communes.selectors import users_administered_by
from core.testing import PASSWORD, PortalTestCase, make_unit, make_user
from dossiers.models import ProcedureField, ReportingCalendar
from indices.testing import make_framework, make_round
from reports.models import DirectiveDocument, Meeting, Plan, Report

APPS = {"communes", "dossiers", "indices", "reports"}


class ProvinceScopingBase(PortalTestCase):
    """Adds Quảng Trị (2025) with its reviewer and administrator, Gia Lai's administrator and a
    superuser to the base world."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.quang_tri = make_unit(Era.CURRENT, Level.PROVINCE, Kind.TINH, "44", "Tỉnh Quảng Trị")
        cls.gio_son = make_unit(Era.CURRENT, Level.COMMUNE, Kind.XA, "19300", "Xã Gio Sơn", cls.quang_tri)
        cls.gialai_admin = make_user("gialai.quantri", (cls.gia_lai, Role.ADMINISTRATOR), is_staff=True)
        cls.quangtri_admin = make_user("quangtri.quantri", (cls.quang_tri, Role.ADMINISTRATOR), is_staff=True)
        cls.quangtri_reviewer = make_user("quangtri.sonoivu", (cls.quang_tri, Role.REVIEWER))
        cls.superuser = make_user("root", is_staff=True, is_superuser=True)


class AccountTakeoverTests(ProvinceScopingBase):
    """The audit's path to another province's account, refused at each step."""

    def setUp(self):
        self.login(self.gialai_admin)

    def test_1_the_membership_form_offers_no_account_of_another_province(self):
        response = self.client.post(
            reverse("admin:communes_membership_add"),
            {"user": self.quangtri_reviewer.pk, "unit": self.tam_quan.pk, "role": Role.REVIEWER},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Hãy chọn một lựa chọn hợp lệ")
        self.assertFalse(Membership.objects.filter(user=self.quangtri_reviewer, unit=self.tam_quan).exists())
        choices = response.context["adminform"].form.fields["user"].queryset
        self.assertNotIn(self.quangtri_reviewer, choices)
        self.assertNotIn(self.superuser, choices)
        self.assertNotIn(self.quangtri_admin, choices)
        self.assertIn(self.new_officer, choices)

    def test_1_nor_a_superuser_or_another_provinces_administrator(self):
        for user in (self.superuser, self.quangtri_admin, self.administrator):
            with self.subTest(user=user.username):
                self.client.post(
                    reverse("admin:communes_membership_add"),
                    {"user": user.pk, "unit": self.tam_quan.pk, "role": Role.OFFICER},
                )
                self.assertFalse(Membership.objects.filter(user=user, unit=self.tam_quan).exists())

    def test_2_an_account_that_also_works_for_another_province_cannot_be_opened(self):
        # Say a superuser once gave Quảng Trị's reviewer a role in Gia Lai as well.
        Membership.objects.create(user=self.quangtri_reviewer, unit=self.tam_quan, role=Role.OFFICER)
        response = self.client.get(reverse("admin:communes_user_change", args=[self.quangtri_reviewer.pk]))
        self.assertEqual(response.status_code, 302)
        changelist = self.client.get(reverse("admin:communes_user_changelist"))
        self.assertNotContains(changelist, "quangtri.sonoivu")

    def test_3_its_password_cannot_be_set(self):
        Membership.objects.create(user=self.quangtri_reviewer, unit=self.tam_quan, role=Role.OFFICER)
        url = reverse("admin:auth_user_password_change", args=[self.quangtri_reviewer.pk])
        for response in (
            self.client.get(url),
            self.client.post(url, {"password1": "Mat-khau-moi-2026", "password2": "Mat-khau-moi-2026"}),
        ):
            self.assertEqual(response.status_code, 404)
        self.quangtri_reviewer.refresh_from_db()
        self.assertTrue(self.quangtri_reviewer.check_password(PASSWORD))

    def test_4_its_roles_elsewhere_cannot_be_deleted(self):
        Membership.objects.create(user=self.quangtri_reviewer, unit=self.tam_quan, role=Role.OFFICER)
        elsewhere = Membership.objects.get(user=self.quangtri_reviewer, unit=self.quang_tri)
        # Its delete page, the bulk action, and the inline of its account page.
        self.client.post(reverse("admin:communes_membership_delete", args=[elsewhere.pk]), {"post": "yes"})
        self.client.post(
            reverse("admin:communes_membership_changelist"),
            {"action": "delete_selected", "_selected_action": [elsewhere.pk], "post": "yes"},
        )
        self.client.post(
            reverse("admin:communes_user_change", args=[self.quangtri_reviewer.pk]),
            {
                "username": "quangtri.sonoivu",
                "memberships-TOTAL_FORMS": "1",
                "memberships-INITIAL_FORMS": "1",
                "memberships-0-id": elsewhere.pk,
                "memberships-0-user": self.quangtri_reviewer.pk,
                "memberships-0-DELETE": "on",
            },
        )
        self.assertTrue(Membership.objects.filter(pk=elsewhere.pk).exists())

    def test_its_own_provinces_people_stay_in_reach(self):
        response = self.client.get(reverse("admin:communes_user_change", args=[self.new_officer.pk]))
        self.assertEqual(response.status_code, 200)
        url = reverse("admin:auth_user_password_change", args=[self.new_officer.pk])
        response = self.client.post(
            url,
            {
                "set_usable_password": "true",
                "password1": "Mat-khau-moi-2026",
                "password2": "Mat-khau-moi-2026",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.new_officer.refresh_from_db()
        self.assertTrue(self.new_officer.check_password("Mat-khau-moi-2026"))


class WhoIsInReachTests(ProvinceScopingBase):
    def test_the_accounts_a_provincial_administrator_manages(self):
        created = User.objects.create_user("moi.taoxong", created_by=self.gialai_admin)
        orphan = User.objects.create_user("khong.ai.tao")
        reach = set(users_administered_by(self.gialai_admin))
        self.assertEqual(reach, {self.gialai_admin, self.province_reviewer, self.new_officer, created})
        self.assertNotIn(orphan, reach)
        self.assertNotIn(created, set(users_administered_by(self.quangtri_admin)))
        # Once it has a role in Gia Lai, it is Gia Lai's, whoever created it.
        Membership.objects.create(user=orphan, unit=self.tam_quan, role=Role.OFFICER)
        self.assertIn(orphan, set(users_administered_by(self.gialai_admin)))

    def test_a_superuser_reaches_everyone(self):
        self.assertEqual(users_administered_by(self.superuser).count(), User.objects.count())

    def test_an_account_made_in_the_admin_remembers_its_maker(self):
        self.login(self.gialai_admin)
        response = self.client.post(
            reverse("admin:communes_user_add"),
            {
                "username": "tamquan.chutich",
                "usable_password": "true",
                "password1": "Mat-khau-moi-2026",
                "password2": "Mat-khau-moi-2026",
                "memberships-TOTAL_FORMS": "0",
                "memberships-INITIAL_FORMS": "0",
            },
        )
        self.assertEqual(response.status_code, 302)
        made = User.objects.get(username="tamquan.chutich")
        self.assertEqual(made.created_by, self.gialai_admin)
        self.assertEqual(
            self.client.get(reverse("admin:communes_user_change", args=[made.pk])).status_code, 200
        )
        self.login(self.quangtri_admin)
        self.assertEqual(
            self.client.get(reverse("admin:communes_user_change", args=[made.pk])).status_code, 302
        )

    def test_the_inline_shows_only_the_provinces_roles(self):
        Membership.objects.create(user=self.quangtri_reviewer, unit=self.tam_quan, role=Role.OFFICER)
        request = RequestFactory().get("/")
        request.user = self.gialai_admin
        inline = MembershipInline(User, site)
        units = {m.unit for m in inline.get_queryset(request).filter(user=self.quangtri_reviewer)}
        self.assertEqual(units, {self.tam_quan})

    def test_the_autocomplete_offers_only_the_provinces_units_and_people(self):
        self.login(self.gialai_admin)
        url = reverse("admin:autocomplete")
        units = self.client.get(
            url, {"app_label": "communes", "model_name": "membership", "field_name": "unit"}
        )
        names = {row["text"] for row in units.json()["results"]}
        self.assertEqual(names, {"Tỉnh Gia Lai", "Phường Tam Quan"})
        people = self.client.get(
            url, {"app_label": "communes", "model_name": "membership", "field_name": "user"}
        )
        ids = {int(row["id"]) for row in people.json()["results"]}
        self.assertEqual(ids, {u.pk for u in users_administered_by(self.gialai_admin)})
        self.assertNotIn(self.superuser.pk, ids)

    def test_the_unit_is_searched_by_name(self):
        self.login(self.gialai_admin)
        response = self.client.get(
            reverse("admin:autocomplete"),
            {"app_label": "communes", "model_name": "membership", "field_name": "unit", "term": "tam quan"},
        )
        self.assertEqual([row["text"] for row in response.json()["results"]], ["Phường Tam Quan"])
        form = self.client.get(reverse("admin:communes_membership_add"))
        self.assertContains(form, "admin-autocomplete")
        self.assertNotContains(form, "vForeignKeyRawIdAdminField")


class ReportingCalendarAdminTests(ProvinceScopingBase):
    def test_each_administrator_sees_and_changes_only_its_provinces_calendar(self):
        own = ReportingCalendar.objects.create(province=self.gia_lai)
        other = ReportingCalendar.objects.create(province=self.quang_tri)
        self.login(self.gialai_admin)
        changelist = self.client.get(reverse("admin:dossiers_reportingcalendar_changelist"))
        self.assertContains(changelist, "Tỉnh Gia Lai")
        self.assertNotContains(changelist, "Tỉnh Quảng Trị")
        self.assertEqual(
            self.client.get(reverse("admin:dossiers_reportingcalendar_change", args=[other.pk])).status_code,
            302,
        )
        response = self.client.post(
            reverse("admin:dossiers_reportingcalendar_change", args=[own.pk]),
            {"province": self.gia_lai.pk, "calendar": "calendar", "submit_within_days": "3"},
        )
        self.assertEqual(response.status_code, 302)
        own.refresh_from_db()
        self.assertEqual((own.calendar, own.submit_within_days), ("calendar", 3))
        # Nor can it put its calendar on another province.
        self.client.post(
            reverse("admin:dossiers_reportingcalendar_add"),
            {"province": self.quang_tri.pk, "calendar": "calendar", "submit_within_days": "3"},
        )
        other.refresh_from_db()
        self.assertEqual(other.calendar, "regulatory")


class AdminPermissionMatrixTests(ProvinceScopingBase):
    """Every admin URL (the index, each model's list, add and change pages, a password page), for
    each persona: 302 to the login page for whoever is not staff, 403 where only a superuser may."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        framework = make_framework(cls.gia_lai)
        cls.objects = {
            "communes.administrativeunit": cls.tam_quan,
            "communes.membership": cls.new_officer.memberships.get(),
            "communes.office": Office.objects.create(unit=cls.tam_quan, name="Văn phòng"),
            "communes.unitsuccession": UnitSuccession.objects.get(successor=cls.tam_quan),
            "communes.user": cls.new_officer,
            "dossiers.procedurefield": ProcedureField.objects.first(),
            "dossiers.reportingcalendar": ReportingCalendar.objects.create(province=cls.gia_lai),
            "indices.framework": framework,
            "indices.round": make_round(framework, cls.gia_lai, communes=[cls.tam_quan]),
            "reports.meeting": Meeting.objects.create(
                unit=cls.tam_quan,
                kind="khac",
                title="Họp",
                held_on=datetime.date(2026, 3, 2),
                chair="Chủ tịch",
            ),
            "reports.plan": Plan.objects.create(unit=cls.tam_quan, year=2026),
            "reports.directivedocument": DirectiveDocument.objects.create(
                unit=cls.tam_quan,
                number_symbol="1/KH-UBND",
                issued_on=datetime.date(2026, 1, 5),
                type_code="KH",
                summary="Kế hoạch",
            ),
            "reports.report": Report.objects.create(
                unit=cls.tam_quan,
                kind="tong-ket-nam",
                period="2025",
                type_code="BC",
                place="Tam Quan",
                title="BÁO CÁO",
                summary="Tổng kết",
            ),
        }

    # What Gia Lai's administrator gets on the list, add and change pages of each model.
    FOR_ADMINISTRATOR = {
        "communes.administrativeunit": (200, 403, 200),  # units come from load_units
        "communes.membership": (200, 200, 200),
        "communes.office": (200, 200, 200),
        "communes.unitsuccession": (200, 403, 200),  # national data: read only
        "communes.user": (200, 200, 200),
        "dossiers.procedurefield": (200, 403, 200),  # national data: read only
        "dossiers.reportingcalendar": (200, 200, 200),
        "indices.framework": (200, 200, 200),
        "indices.round": (200, 403, 200),  # rounds are opened on the reviewer's pages
        "reports.meeting": (200, 200, 200),
        "reports.plan": (200, 200, 200),
        "reports.directivedocument": (200, 200, 200),
        "reports.report": (200, 200, 200),
    }

    def test_the_admin_urls(self):
        self.assertEqual(
            set(self.FOR_ADMINISTRATOR),
            {model._meta.label_lower for model in site._registry if model._meta.app_label in APPS},
        )
        pages = {reverse("admin:index"): 200}
        pages[reverse("admin:auth_user_password_change", args=[self.new_officer.pk])] = 200
        for label, statuses in self.FOR_ADMINISTRATOR.items():
            name = label.replace(".", "_")
            urls = (
                reverse(f"admin:{name}_changelist"),
                reverse(f"admin:{name}_add"),
                reverse(f"admin:{name}_change", args=[self.objects[label].pk]),
            )
            pages.update(zip(urls, statuses, strict=True))
        # Nobody adds a round here, not even a superuser.
        for_superuser = {reverse("admin:indices_round_add"): 403}
        outside = 302
        for url, for_administrator in pages.items():
            with self.subTest(url=url):
                self.assert_access_matrix(
                    url,
                    {
                        "anonymous": outside,
                        "officer": outside,
                        "reviewer": outside,
                        "province_reviewer": outside,
                        "gialai_admin": for_administrator,
                        "superuser": for_superuser.get(url, 200),
                    },
                )

    def test_another_provinces_pages_for_the_administrator(self):
        self.login(self.gialai_admin)
        for url in (
            reverse("admin:communes_user_change", args=[self.quangtri_reviewer.pk]),
            reverse("admin:communes_administrativeunit_change", args=[self.quang_tri.pk]),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 302)
        url = reverse("admin:auth_user_password_change", args=[self.superuser.pk])
        self.assertEqual(self.client.get(url).status_code, 404)


class AdminLoginAndCostTests(ProvinceScopingBase):
    def test_the_login_page_answers_an_anonymous_visitor(self):
        response = self.client.get(reverse("admin:login"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'name="password"')

    def test_a_logged_in_administrator_logs_in_on_the_admins_page(self):
        response = self.client.post(
            reverse("admin:login"), {"username": "gialai.quantri", "password": PASSWORD, "next": "/admin/"}
        )
        self.assertEqual(response.status_code, 302)

    def test_the_administrator_check_costs_one_query_a_request(self):
        self.login(self.gialai_admin)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("admin:index"))
        self.assertEqual(response.status_code, 200)
        checks = [
            q["sql"] for q in queries if "communes_membership" in q["sql"] and "administrator" in q["sql"]
        ]
        self.assertEqual(len(checks), 1, checks)

    def test_an_admin_page_costs_the_same_however_many_models_it_checks(self):
        # The index asks each of the 13 models for 4 permissions; before, each asked the database.
        self.login(self.gialai_admin)
        # session, user, Django's own model permissions (2: the user's and its groups', for the
        # third-party admins), whether it is an administrator (1), its recent actions.
        with self.assertNumQueries(6):
            self.assertEqual(self.client.get(reverse("admin:index")).status_code, 200)
        # session, user, whether it is an administrator, the count of the filtered and of the whole
        # list, Django's model permissions (2, for the sidebar), the page of roles.
        with self.assertNumQueries(8):
            self.client.get(reverse("admin:communes_membership_changelist"))

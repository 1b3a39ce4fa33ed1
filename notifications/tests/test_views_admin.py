"""The notifications in the admin site: read only, a provincial administrator sees those about its
province's units, a superuser all of them."""

from __future__ import annotations

from django.urls import reverse

from core.testing import PortalTestCase, make_user
from notifications.models import Kind, Notification

CHANGELIST = reverse("admin:notifications_notification_changelist")


class NotificationAdminTests(PortalTestCase):
    def setUp(self):
        self.own = Notification.objects.create(
            recipient=self.officer,
            kind=Kind.REPORT_RETURNED,
            unit=self.hoai_chau,
            title="Về Hoài Châu",
            url="/",
        )
        self.other = Notification.objects.create(
            recipient=self.new_officer,
            kind=Kind.REPORT_RETURNED,
            unit=self.tam_quan,
            title="Về Tam Quan",
            url="/",
        )
        self.unitless = Notification.objects.create(
            recipient=self.reviewer, kind=Kind.MONTH_DUE, title="Về không đơn vị nào", url="/"
        )
        self.superuser = make_user("root", is_staff=True, is_superuser=True)

    def change_url(self, row: Notification) -> str:
        return reverse("admin:notifications_notification_change", args=[row.pk])

    def test_who_opens_the_list(self):
        self.assert_access_matrix(
            CHANGELIST,
            {"anonymous": 302, "officer": 302, "reviewer": 302, "administrator": 200, "superuser": 200},
        )

    def test_a_provincial_administrator_sees_its_provinces_units_only(self):
        self.login(self.administrator)
        response = self.client.get(CHANGELIST)
        self.assertContains(response, "Về Hoài Châu")
        self.assertNotContains(response, "Về Tam Quan")
        self.assertNotContains(response, "Về không đơn vị nào")
        self.assertEqual(self.client.get(self.change_url(self.own)).status_code, 200)
        self.assertEqual(self.client.get(self.change_url(self.other)).status_code, 302)  # "not found" → index
        self.login(self.superuser)
        response = self.client.get(CHANGELIST)
        for title in ("Về Hoài Châu", "Về Tam Quan", "Về không đơn vị nào"):
            self.assertContains(response, title)

    def test_nothing_is_written_there(self):
        self.login(self.superuser)
        page = self.client.get(self.change_url(self.own))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'name="_save"')
        self.assertContains(page, "Về Hoài Châu")
        self.assertEqual(
            self.client.post(
                self.change_url(self.own), {"title": "Sửa", "url": "https://evil.example/"}
            ).status_code,
            403,
        )
        self.assertEqual(self.client.get(reverse("admin:notifications_notification_add")).status_code, 403)
        delete = reverse("admin:notifications_notification_delete", args=[self.own.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
        self.own.refresh_from_db()
        self.assertEqual((self.own.title, self.own.url), ("Về Hoài Châu", "/"))

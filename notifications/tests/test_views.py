"""The bell, the list, opening a notification, marking all read and the mail settings."""

from __future__ import annotations

import datetime
import re

from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communes.models import User
from core.testing import PortalTestCase, make_user
from notifications.models import EmailOptOut, EmailStatus, Kind, Notification
from notifications.selectors import PAGE_SIZE, bell_text
from notifications.services import notify

LIST = reverse("notifications:list")
READ_ALL = reverse("notifications:read_all")
SETTINGS = reverse("notifications:settings")
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


class NotificationCase(PortalTestCase):
    def add(self, user: User, count: int = 1, *, read: bool = False, url: str | None = None, **extra):
        """``count`` notifications of ``user``, a minute apart, the last one the newest."""
        start = timezone.now() - datetime.timedelta(hours=3)
        rows = Notification.objects.bulk_create(
            [
                Notification(
                    recipient=user,
                    kind=extra.get("kind", Kind.REPORT_RETURNED),
                    unit=extra.get("unit", self.hoai_chau),
                    title=f"Thông báo {number} của {user.username}",
                    body=f"Nội dung {number}",
                    url=url or reverse("communes:unit_detail", args=[self.hoai_chau.pk]),
                    read_at=timezone.now() if read else None,
                    email_status=EmailStatus.NO_ADDRESS,
                )
                for number in range(1, count + 1)
            ]
        )
        for number, row in enumerate(rows, start=1):
            Notification.objects.filter(pk=row.pk).update(
                created_at=start + datetime.timedelta(minutes=number)
            )
        return rows


class AccessTests(NotificationCase):
    def setUp(self):
        (self.own,) = self.add(self.officer)

    def test_the_list_and_the_settings_open_for_everyone_logged_in_and_show_their_own(self):
        everyone = {
            "anonymous": 302,
            "officer": 200,
            "chairman": 200,
            "neighbour": 200,
            "reviewer": 200,
            "province_reviewer": 200,
            "new_officer": 200,
            "administrator": 200,
            "outsider": 200,
        }
        self.assert_access_matrix(LIST, everyone)
        self.assert_access_matrix(SETTINGS, everyone)
        self.login(self.chairman)
        self.assertNotContains(self.client.get(LIST), self.own.title)

    def test_another_persons_notification_is_404_and_stays_unread(self):
        url = reverse("notifications:open", args=[self.own.pk])
        self.assert_access_matrix(
            url,
            {
                "anonymous": 302,
                "chairman": 404,
                "neighbour": 404,
                "reviewer": 404,
                "administrator": 404,
                "outsider": 404,
            },
        )
        self.own.refresh_from_db()
        self.assertIsNone(self.own.read_at)
        self.assert_access_matrix(url, {"officer": 302})
        self.assertEqual(self.client.get(reverse("notifications:open", args=[99999])).status_code, 404)

    def test_marking_all_read_is_a_post(self):
        self.assert_access_matrix(READ_ALL, {"anonymous": 302, "officer": 405})
        self.assert_access_matrix(
            READ_ALL, {"anonymous": 302, "officer": 302, "outsider": 302}, method="post"
        )
        self.client.logout()
        response = self.client.get(READ_ALL)
        self.assertTrue(response["Location"].startswith(reverse("login")))


class ListTests(NotificationCase):
    def setUp(self):
        self.login(self.officer)

    def test_newest_first_the_unread_marked_and_only_ones_own(self):
        self.add(self.officer, 3)
        Notification.objects.filter(title="Thông báo 1 của officer").update(read_at=timezone.now())
        self.add(self.chairman, 1)
        response = self.client.get(LIST)
        titles = re.findall(r'class="notification-title" href="[^"]+">([^<]+)<', response.content.decode())
        self.assertEqual(
            titles, ["Thông báo 3 của officer", "Thông báo 2 của officer", "Thông báo 1 của officer"]
        )
        self.assertNotContains(response, "của chairman")
        self.assertContains(response, 'class="list-group-item notification unread"', count=2)
        self.assertContains(response, "Chưa đọc</span>", count=2)
        for row in Notification.objects.filter(recipient=self.officer):
            self.assertContains(response, f'href="{reverse("notifications:open", args=[row.pk])}"')
        self.assertContains(response, "Đánh dấu tất cả đã đọc")

    def test_the_unread_filter(self):
        self.add(self.officer, 2)
        Notification.objects.filter(title="Thông báo 1 của officer").update(read_at=timezone.now())
        response = self.client.get(LIST, {"chua-doc": "1"})
        self.assertContains(response, "Thông báo 2 của officer")
        self.assertNotContains(response, "Thông báo 1 của officer")
        Notification.objects.update(read_at=timezone.now())
        response = self.client.get(LIST, {"chua-doc": "1"})
        self.assertContains(response, "Không có thông báo nào chưa đọc.")
        self.assertNotContains(response, "Đánh dấu tất cả đã đọc")

    def test_the_empty_state(self):
        response = self.client.get(LIST)
        self.assertContains(response, "Chưa có thông báo nào.")
        self.assertNotContains(response, "Đánh dấu tất cả đã đọc")
        self.assertNotContains(response, 'class="pagination')

    def test_fifty_a_page(self):
        self.add(self.officer, PAGE_SIZE * 2 + 20)
        first = self.client.get(LIST)
        self.assertEqual(len(first.context["page"].object_list), PAGE_SIZE)
        self.assertEqual(first.context["page"].object_list[0].title, "Thông báo 120 của officer")
        self.assertContains(first, "Trang 1/3")
        self.assertContains(first, 'href="?page=2"')
        last = self.client.get(LIST, {"page": 3})
        self.assertEqual(len(last.context["page"].object_list), 20)
        self.assertEqual(list(last.context["page"].object_list)[-1].title, "Thông báo 1 của officer")
        self.assertEqual(self.client.get(LIST, {"page": "abc"}).context["page"].number, 1)
        unread = self.client.get(LIST, {"chua-doc": "1"})
        self.assertContains(unread, 'href="?chua-doc=1&amp;page=2"')

    def test_the_queries_do_not_grow_with_the_notifications(self):
        self.add(self.officer, 2)
        # session, user, the count and the page of notifications, the navigation's memberships
        # (with the bell's count)
        with self.assertNumQueries(5):
            self.client.get(LIST)
        self.add(self.officer, 130)
        with self.assertNumQueries(5):
            response = self.client.get(LIST)
        self.assertEqual(len(response.context["page"].object_list), PAGE_SIZE)


class OpenTests(NotificationCase):
    def setUp(self):
        self.login(self.officer)

    def test_opening_marks_read_and_goes_to_its_page(self):
        (row,) = self.add(self.officer, url=f"/units/{self.hoai_chau.pk}/dossiers/2024-03/")
        response = self.client.get(reverse("notifications:open", args=[row.pk]))
        self.assertRedirects(response, row.url, fetch_redirect_response=False)
        row.refresh_from_db()
        self.assertIsNotNone(row.read_at)
        first_read = row.read_at
        self.client.get(reverse("notifications:open", args=[row.pk]))  # again: stays as first read
        row.refresh_from_db()
        self.assertEqual(row.read_at, first_read)

    def test_the_queries_of_opening(self):
        (row,) = self.add(self.officer)
        # session, user, the notification (its recipient's), marking it read
        with self.assertNumQueries(4):
            self.client.get(reverse("notifications:open", args=[row.pk]))
        # session, user, the update of every unread one at once
        self.add(self.officer, 30)
        with self.assertNumQueries(3):
            self.client.post(READ_ALL)

    def test_a_link_off_the_site_is_refused(self):
        for url in (
            "https://evil.example/units/1/",
            "//evil.example/units/1/",
            "/\\evil.example/units/1/",
            "javascript:alert(1)",
            "units/1/",
        ):
            with self.subTest(url=url):
                (row,) = self.add(self.officer, url=url)
                response = self.client.get(reverse("notifications:open", args=[row.pk]), follow=True)
                self.assertEqual(response.redirect_chain, [(LIST, 302)])
                self.assertContains(response, f"Thông báo “{row.title}” có đường dẫn không thuộc Cổng CCHC")
                row.refresh_from_db()
                self.assertIsNotNone(row.read_at)


class ReadAllTests(NotificationCase):
    def test_marks_only_ones_own(self):
        self.add(self.officer, 3)
        self.add(self.chairman, 2)
        self.login(self.officer)
        response = self.client.post(READ_ALL)
        self.assertRedirects(response, LIST, fetch_redirect_response=False)
        self.assertIn(
            "Đã đánh dấu 3 thông báo là đã đọc.", [str(m) for m in get_messages(response.wsgi_request)]
        )
        self.assertFalse(Notification.objects.filter(recipient=self.officer, read_at__isnull=True).exists())
        self.assertEqual(
            Notification.objects.filter(recipient=self.chairman, read_at__isnull=True).count(), 2
        )
        response = self.client.post(READ_ALL, follow=True)
        self.assertContains(response, "Không còn thông báo nào chưa đọc.")


class BellTests(NotificationCase):
    def home(self, user: User):
        self.login(user)
        return self.client.get(reverse("communes:unit_detail", args=[self.hoai_chau.pk]))

    def test_the_count_its_accessible_name_and_its_badge(self):
        response = self.home(self.officer)
        self.assertContains(response, 'class="nav-link nav-bell"')
        self.assertNotContains(response, "chưa đọc")
        self.assertNotContains(response, "nav-bell-count")
        self.add(self.officer, 3)
        self.add(self.officer, 2, read=True)
        response = self.home(self.officer)
        self.assertContains(response, 'aria-label="Thông báo: 3 chưa đọc"')
        self.assertContains(
            response,
            '<span class="badge rounded-pill nav-bell-count" aria-hidden="true">3</span>',
            html=False,
        )
        self.add(self.officer, 117)
        response = self.home(self.officer)
        self.assertContains(response, 'aria-label="Thông báo: 120 chưa đọc"')
        self.assertContains(response, 'aria-hidden="true">99+</span>')

    def test_the_badge_text(self):
        self.assertEqual([bell_text(n) for n in (0, 1, 99, 100, 5000)], ["", "1", "99", "99+", "99+"])

    def test_opening_one_brings_the_count_down(self):
        rows = self.add(self.officer, 2)
        self.assertContains(self.home(self.officer), "Thông báo: 2 chưa đọc")
        self.client.get(reverse("notifications:open", args=[rows[0].pk]))
        self.assertContains(self.home(self.officer), "Thông báo: 1 chưa đọc")
        self.client.post(READ_ALL)
        self.assertNotContains(self.home(self.officer), "chưa đọc")

    def test_the_bell_rides_in_the_navigations_query(self):
        """The count is read with the memberships the navigation reads anyway: a page costs the same
        queries with the bell as without, with 0 unread or 120 (the existing pages' counts stay)."""
        self.login(self.officer)
        url = reverse("communes:unit_detail", args=[self.hoai_chau.pk])
        with CaptureQueriesContext(connection) as none:
            self.client.get(url)
        self.add(self.officer, 120)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(url)
        self.assertContains(response, "Thông báo: 120 chưa đọc")
        self.assertEqual(len(many), len(none))
        touching = [q["sql"] for q in many.captured_queries if "notifications_notification" in q["sql"]]
        self.assertEqual(len(touching), 1)
        self.assertIn("communes_membership", touching[0])

    def test_a_person_without_a_role_pays_one_count(self):
        superuser = make_user("quantri", is_superuser=True, is_staff=True)
        self.add(superuser, 4)
        self.login(superuser)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(LIST)
        self.assertContains(response, "Thông báo: 4 chưa đọc")
        touching = [q["sql"] for q in queries.captured_queries if "notifications_notification" in q["sql"]]
        # the page's count and rows, the navigation's memberships (none, so no count with them),
        # and the bell's own count: the one query more a person without a role pays
        self.assertEqual(len(touching), 4)
        self.assertEqual(sum("communes_membership" in sql for sql in touching), 1)

    def test_pages_without_the_navigation_pay_nothing(self):
        self.add(self.officer, 3)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("login"))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "nav-bell")
        self.assertFalse([q for q in queries.captured_queries if "notifications_notification" in q["sql"]])

    def test_the_settings_are_in_the_user_menu(self):
        self.assertContains(
            self.home(self.officer), f'<a class="dropdown-item" href="{SETTINGS}">Cài đặt thông báo</a>'
        )


@override_settings(TASKS=IMMEDIATE)
class SettingsTests(NotificationCase):
    def setUp(self):
        self.login(self.officer)

    def test_every_kind_on_by_default_and_the_address_shown(self):
        User.objects.filter(pk=self.officer.pk).update(email="canbo@hoaichau.gov.vn")
        response = self.client.get(SETTINGS)
        self.assertContains(response, 'role="switch" name="email"', count=len(Kind))
        self.assertContains(response, " checked", count=len(Kind))
        for kind in Kind:
            self.assertContains(
                response, f'<label class="form-check-label" for="email-{kind.value}">{kind.label}</label>'
            )
        self.assertContains(response, "canbo@hoaichau.gov.vn")

    def test_without_an_address_it_says_the_portal_only(self):
        response = self.client.get(SETTINGS)
        self.assertContains(response, "chưa có địa chỉ email: thông báo chỉ hiện trên cổng")

    def test_switching_kinds_off_and_on(self):
        on = [k.value for k in Kind if k not in (Kind.REPORT_APPROVED, Kind.ROUND_OPENED)]
        response = self.client.post(SETTINGS, {"email": on})
        self.assertRedirects(response, SETTINGS, fetch_redirect_response=False)
        self.assertEqual(
            set(EmailOptOut.objects.filter(user=self.officer).values_list("kind", flat=True)),
            {Kind.REPORT_APPROVED, Kind.ROUND_OPENED},
        )
        response = self.client.get(SETTINGS)
        self.assertContains(response, " checked", count=len(Kind) - 2)
        self.assertNotContains(
            response, f'value="{Kind.REPORT_APPROVED}" id="email-{Kind.REPORT_APPROVED}" checked'
        )
        self.client.post(SETTINGS, {"email": [*on, Kind.ROUND_OPENED]})
        self.assertEqual(
            list(EmailOptOut.objects.filter(user=self.officer).values_list("kind", flat=True)),
            [Kind.REPORT_APPROVED],
        )
        self.client.post(SETTINGS, {})  # everything off
        self.assertEqual(EmailOptOut.objects.filter(user=self.officer).count(), len(Kind))
        self.assertEqual(EmailOptOut.objects.exclude(user=self.officer).count(), 0)

    def test_a_kind_switched_off_gets_no_mail_but_stays_in_the_portal(self):
        User.objects.filter(pk=self.officer.pk).update(email="canbo@hoaichau.gov.vn")
        self.officer.refresh_from_db()
        self.client.post(SETTINGS, {"email": [k.value for k in Kind if k != Kind.REPORT_RETURNED]})
        with self.captureOnCommitCallbacks(execute=True):
            notify(
                [self.officer], kind=Kind.REPORT_RETURNED, title="Bị trả lại", url="/", unit=self.hoai_chau
            )
            notify(
                [self.officer], kind=Kind.REPORT_APPROVED, title="Được duyệt", url="/", unit=self.hoai_chau
            )
        statuses = dict(Notification.objects.values_list("kind", "email_status"))
        self.assertEqual(
            statuses, {Kind.REPORT_RETURNED: EmailStatus.OFF, Kind.REPORT_APPROVED: EmailStatus.SENT}
        )
        self.assertEqual([m.subject for m in mail.outbox], ["[Cổng CCHC] Được duyệt"])
        self.assertContains(self.client.get(LIST), "Bị trả lại")

    def test_an_unknown_kind_is_refused_and_the_ticks_stay(self):
        EmailOptOut.objects.create(user=self.officer, kind=Kind.MONTH_DUE)
        response = self.client.post(SETTINGS, {"email": [Kind.REPORT_RETURNED, "khong-co"]})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Cài đặt chưa được lưu", status_code=400)
        self.assertContains(response, " checked", count=1, status_code=400)
        self.assertEqual(list(EmailOptOut.objects.values_list("kind", flat=True)), [Kind.MONTH_DUE])

    def test_the_queries_of_the_page(self):
        # session, user, the opt-outs, the navigation's memberships (with the bell's count)
        with self.assertNumQueries(4):
            self.client.get(SETTINGS)

"""The mail of notifications, and the mail server down (issue 13, "Bad input").

The locmem backend is made to fail as an SMTP server does (``smtplib.SMTPException``, a refused
connection, one address refused). The notification is in the portal whatever happens; the mail
stays pending with its attempts counted, the task queues itself again later (django_tasks'
DummyBackend records the retry and its ``run_after``), and after NOTIFICATION_EMAIL_ATTEMPTS the
rows are marked as not sent.
"""

from __future__ import annotations

import datetime
import smtplib
from unittest import mock

import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import override_settings
from django.urls import reverse
from django_tasks import default_task_backend

from communes.models import User
from core.testing import PortalTestCase
from dossiers.figures import Figures
from dossiers.models import DossierReport, Period, ProcedureField, ReportStatus
from dossiers.services import dossier_report_save, dossier_report_submit
from notifications.models import EmailStatus, Kind, Notification
from notifications.services import emails_send, notify
from notifications.tasks import retry_delay, send_emails

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
NOW = datetime.datetime(2026, 12, 3, 2, 0, tzinfo=datetime.UTC)  # 9:00 in Vietnam
deliver = EmailBackend.send_messages


def server_down(error: Exception):
    """The locmem backend answering every mail with ``error``."""
    return mock.patch.object(EmailBackend, "send_messages", autospec=True, side_effect=error)


def server_fails_after(count: int):
    """The locmem backend delivering ``count`` mails, then losing the connection."""
    sent = []

    def send(backend, messages):
        if len(sent) >= count:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        sent.extend(messages)
        return deliver(backend, messages)

    return mock.patch.object(EmailBackend, "send_messages", autospec=True, side_effect=send)


class MailCase(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for name in ("officer", "chairman", "neighbour", "reviewer"):
            user = getattr(cls, name)
            user.email = f"{name}@example.vn"
            user.save(update_fields=["email"])

    def tell(self, *people: User, kind=Kind.REPORT_RETURNED) -> list[Notification]:
        with self.captureOnCommitCallbacks(execute=True):
            rows = []
            for person in people:
                rows += notify(
                    [person],
                    kind=kind,
                    title=f"Báo cáo tháng 11/2026 của Xã Hoài Châu bị trả lại ({person.username})",
                    body="Lý do: thiếu số liệu.",
                    url=reverse("communes:unit_detail", args=[self.hoai_chau.pk]),
                    unit=self.hoai_chau,
                )
        return rows

    def statuses(self) -> dict[str, tuple[str, int]]:
        return {
            username: (status, attempts)
            for username, status, attempts in Notification.objects.values_list(
                "recipient__username", "email_status", "email_attempts"
            )
        }


@override_settings(TASKS=IMMEDIATE)
class MailTextTests(MailCase):
    def test_the_mail_says_what_happened_and_links_the_page(self):
        self.tell(self.officer)
        (message,) = mail.outbox
        self.assertEqual(message.to, ["officer@example.vn"])
        self.assertEqual(
            message.subject, "[Cổng CCHC] Báo cáo tháng 11/2026 của Xã Hoài Châu bị trả lại (officer)"
        )
        self.assertIn("Kính gửi Officer,", message.body)
        self.assertIn("Lý do: thiếu số liệu.", message.body)
        self.assertIn(f"http://127.0.0.1:8000/units/{self.hoai_chau.pk}/", message.body)
        self.assertIn("http://127.0.0.1:8000/thong-bao/cai-dat/", message.body)
        self.assertEqual(self.statuses(), {"officer": (EmailStatus.SENT, 1)})

    @override_settings(PORTAL_URL="https://cchc.gialai.gov.vn/")
    def test_the_links_use_the_portals_address(self):
        self.tell(self.officer)
        self.assertIn(f"https://cchc.gialai.gov.vn/units/{self.hoai_chau.pk}/", mail.outbox[0].body)


@override_settings(TASKS=IMMEDIATE)
class ServerDownTests(MailCase):
    def test_the_notification_is_in_the_bell_and_the_mail_waits(self):
        for error in (
            smtplib.SMTPException("451 try later"),
            ConnectionRefusedError(111, "Connection refused"),
        ):
            with self.subTest(error=type(error).__name__):
                Notification.objects.all().delete()
                with server_down(error):
                    self.tell(self.officer)
                self.assertEqual(mail.outbox, [])
                self.assertEqual(self.statuses(), {"officer": (EmailStatus.PENDING, 1)})
                self.login(self.officer)
                response = self.client.get(reverse("communes:unit_detail", args=[self.hoai_chau.pk]))
                self.assertContains(response, "Thông báo: 1 chưa đọc")

    def test_a_refused_connection_when_opening(self):
        with mock.patch.object(
            EmailBackend, "open", autospec=True, side_effect=ConnectionRefusedError(111, "refused")
        ):
            self.tell(self.officer, self.chairman)
        self.assertEqual(mail.outbox, [])
        self.assertEqual(
            self.statuses(), {"officer": (EmailStatus.PENDING, 1), "chairman": (EmailStatus.PENDING, 1)}
        )

    def test_the_reviewers_step_succeeds_while_the_server_is_down(self):
        ho_tich = ProcedureField.objects.get(name="Hộ tịch")
        report = dossier_report_save(
            unit=self.hoai_chau,
            period=Period.for_code("2024-03"),
            user=self.officer,
            lines={ho_tich.pk: Figures(received_online=1, resolved_on_time=1)},
            expected_version=0,
        )
        dossier_report_submit(report=report, user=self.chairman, expected_version=report.version)
        Notification.objects.all().delete()
        self.login(self.reviewer)
        with server_down(smtplib.SMTPServerDisconnected("down")), self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("dossiers:review", args=[self.hoai_chau.pk, "2024-03"]),
                {"action": "return", "reason": "Thiếu số liệu lĩnh vực Hộ tịch."},
            )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(DossierReport.objects.get(pk=report.pk).status, ReportStatus.RETURNED)
        self.assertEqual(
            self.statuses(), {"officer": (EmailStatus.PENDING, 1), "chairman": (EmailStatus.PENDING, 1)}
        )
        self.assertEqual(mail.outbox, [])

    def test_one_address_refused_the_others_go(self):
        def send(backend, messages):
            if messages[0].to == ["chairman@example.vn"]:
                raise smtplib.SMTPRecipientsRefused({"chairman@example.vn": (550, b"No such user")})
            return deliver(backend, messages)

        with mock.patch.object(EmailBackend, "send_messages", autospec=True, side_effect=send):
            self.tell(self.officer, self.chairman, self.neighbour)
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), ["neighbour@example.vn", "officer@example.vn"])
        self.assertEqual(
            self.statuses(),
            {
                "officer": (EmailStatus.SENT, 1),
                "chairman": (EmailStatus.PENDING, 1),
                "neighbour": (EmailStatus.SENT, 1),
            },
        )


@override_settings(TASKS=DUMMY, NOTIFICATION_EMAIL_ATTEMPTS=3)
class RetryTests(MailCase):
    def setUp(self):
        default_task_backend.clear()

    def queued(self):
        return list(default_task_backend.results)

    def test_writing_queues_the_task_after_the_commit_only(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            rows = notify([self.officer], kind=Kind.REPORT_APPROVED, title="Được duyệt", url="/")
        self.assertEqual(self.queued(), [])  # not before the commit
        for callback in callbacks:
            callback()
        (result,) = self.queued()
        self.assertEqual(result.task.func, send_emails.func)
        self.assertEqual(result.kwargs, {"ids": [rows[0].pk], "day": None})
        self.assertIsNone(result.task.run_after)

    def test_the_task_queues_itself_again_later_then_gives_up(self):
        rows = self.tell(self.officer)
        default_task_backend.clear()
        with time_machine.travel(NOW, tick=False), server_down(smtplib.SMTPException("421 down")):
            self.assertEqual(send_emails.call(ids=[rows[0].pk]), 0)
        self.assertEqual(self.statuses(), {"officer": (EmailStatus.PENDING, 1)})
        (retry,) = self.queued()
        self.assertEqual(retry.kwargs, {"ids": [rows[0].pk], "day": None, "attempt": 2})
        self.assertEqual(retry.task.run_after, NOW + datetime.timedelta(minutes=1))

        # The second attempt fails too: again, twice as late.
        default_task_backend.clear()
        with (
            time_machine.travel(NOW + datetime.timedelta(minutes=1), tick=False),
            server_down(OSError("down")),
        ):
            retry.task.call(*retry.args, **retry.kwargs)
        (retry,) = self.queued()
        self.assertEqual(retry.kwargs["attempt"], 3)
        self.assertEqual(retry.task.run_after, NOW + datetime.timedelta(minutes=3))
        self.assertEqual(self.statuses(), {"officer": (EmailStatus.PENDING, 2)})

        # The last attempt (NOTIFICATION_EMAIL_ATTEMPTS = 3): marked as not sent, no more retries.
        default_task_backend.clear()
        with server_down(smtplib.SMTPException("421 down")):
            retry.task.call(*retry.args, **retry.kwargs)
        self.assertEqual(self.queued(), [])
        self.assertEqual(self.statuses(), {"officer": (EmailStatus.FAILED, 3)})
        self.assertEqual(Notification.objects.get().read_at, None)  # still in the bell
        # Failed is final: a later run mails nothing.
        send_emails.call(ids=[rows[0].pk])
        self.assertEqual(mail.outbox, [])

    def test_a_retry_that_goes_through_is_sent(self):
        rows = self.tell(self.officer)
        default_task_backend.clear()
        with server_down(smtplib.SMTPException("down")):
            send_emails.call(ids=[rows[0].pk])
        (retry,) = self.queued()
        self.assertEqual(retry.task.call(*retry.args, **retry.kwargs), 1)
        self.assertEqual([m.to for m in mail.outbox], [["officer@example.vn"]])
        self.assertEqual(self.statuses(), {"officer": (EmailStatus.SENT, 2)})

    def test_a_partial_failure_keeps_the_sent_ones_and_retries_the_rest(self):
        rows = self.tell(self.officer, self.chairman, self.neighbour, self.reviewer)
        ids = [row.pk for row in rows]
        default_task_backend.clear()
        with time_machine.travel(NOW, tick=False), server_fails_after(2):
            self.assertEqual(send_emails.call(ids=ids), 2)
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), ["chairman@example.vn", "officer@example.vn"])
        self.assertEqual(
            self.statuses(),
            {
                "officer": (EmailStatus.SENT, 1),
                "chairman": (EmailStatus.SENT, 1),
                "neighbour": (EmailStatus.PENDING, 1),
                "reviewer": (EmailStatus.PENDING, 1),
            },
        )
        (retry,) = self.queued()
        self.assertEqual(retry.kwargs["ids"], ids[2:])
        self.assertEqual(retry.task.run_after, NOW + retry_delay(1))
        retry.task.call(*retry.args, **retry.kwargs)
        self.assertEqual(len(mail.outbox), 4)  # the first two are not mailed twice
        self.assertEqual({status for status, _attempts in self.statuses().values()}, {EmailStatus.SENT})

    def test_an_address_removed_or_an_account_locked_since_is_not_mailed(self):
        rows = self.tell(self.officer, self.chairman)
        User.objects.filter(pk=self.officer.pk).update(email="")
        User.objects.filter(pk=self.chairman.pk).update(is_active=False)
        self.assertEqual(emails_send(ids=[row.pk for row in rows], day=None), (0, []))
        self.assertEqual(mail.outbox, [])
        self.assertEqual(
            self.statuses(), {"officer": (EmailStatus.NO_ADDRESS, 0), "chairman": (EmailStatus.FAILED, 0)}
        )

    def test_the_delays(self):
        self.assertEqual(
            [retry_delay(n) for n in (1, 2, 3, 7, 8, 20)],
            [datetime.timedelta(minutes=m) for m in (1, 2, 4, 60, 60, 60)],
        )

"""A whole province's accounts in one file: 135 communes × an officer and a chairman (synthetic
units), one transaction, queries that do not grow with the rows."""

from __future__ import annotations

import datetime
from math import ceil
from unittest import mock

import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from accounts.importing import ImportRefused, read_users_file, users_import
from accounts.models import Invitation
from communes.models import AdministrativeUnit, Era, Kind, Level, Membership, Role, User
from core.testing import PortalTestCase, make_unit, make_user

from .users_files import row, users_xlsx

NOW = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC)
COMMUNES = 135
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def batches(model, rows: int) -> int:
    """How many INSERT statements ``bulk_create`` of ``rows`` rows of ``model`` takes on this database
    (SQLite: 999 values a statement; PostgreSQL: one)."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    size = connection.ops.bulk_batch_size(fields, [None] * rows) or rows
    return ceil(rows / size)


@time_machine.travel(NOW, tick=False)
class WholeProvinceTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.province = make_unit(Era.CURRENT, Level.PROVINCE, Kind.TINH, "99", "Tỉnh Thử Nghiệm")
        AdministrativeUnit.objects.bulk_create(
            AdministrativeUnit(
                era=Era.CURRENT,
                level=Level.COMMUNE,
                kind=Kind.XA,
                code=f"99{n:03d}",
                name=f"Xã Thử Nghiệm {n}",
                short_name=f"Thử Nghiệm {n}",
                search_key=f"xa thu nghiem {n}",
                parent=cls.province,
            )
            for n in range(1, COMMUNES + 1)
        )
        cls.admin = make_user("thunghiem.quantri", (cls.province, Role.ADMINISTRATOR), is_staff=True)

    def rows(self, communes: int):
        """Each commune's officer (with an email) and chairman (without)."""
        rows = []
        for n in range(1, communes + 1):
            rows.append(
                row(f"99{n:03d}", "", f"Cán Bộ {n}", "Công chức", "Công chức", f"canbo{n}@thunghiem.gov.vn")
            )
            rows.append(row(99000 + n, "", f"Chủ Tịch {n}", "Chủ tịch UBND xã", "Chủ tịch", "", f"09{n:08d}"))
        return rows

    def import_rows(self, communes: int):
        users = read_users_file(users_xlsx(self.rows(communes)))
        return users_import(users=users, province=self.province, created_by=self.admin, today=NOW.date())

    def test_the_province_imports_in_one_transaction_with_queries_that_grow_only_by_insert_batches(self):
        # The savepoint and its release, the province locked, its communes, the usernames and the
        # emails taken: 6; then one INSERT of users, roles and invitations each, split only where
        # the database limits a statement's values.
        def expected(communes: int) -> int:
            people = 2 * communes
            return 6 + batches(User, people) + batches(Membership, people) + batches(Invitation, communes)

        with self.assertNumQueries(expected(5)):
            self.import_rows(5)
        User.objects.filter(created_by=self.admin).delete()
        with self.assertNumQueries(expected(COMMUNES)):
            outcome = self.import_rows(COMMUNES)
        self.assertEqual(len(outcome.created), 2 * COMMUNES)
        self.assertEqual(outcome.invitations, COMMUNES)
        self.assertEqual(len(outcome.handover), COMMUNES)
        self.assertEqual(Membership.objects.filter(user__created_by=self.admin).count(), 2 * COMMUNES)
        self.assertEqual(
            set(
                Membership.objects.filter(user__username="thunghiem135.chutich").values_list(
                    "unit__code", "role"
                )
            ),
            {("99135", Role.CHAIRMAN)},
        )
        if connection.vendor == "postgresql":
            self.assertEqual(expected(COMMUNES), expected(5))

    def test_a_failure_at_the_last_insert_leaves_nothing(self):
        before = (User.objects.count(), Membership.objects.count(), Invitation.objects.count())
        with (
            mock.patch.object(Invitation.objects, "bulk_create", side_effect=RuntimeError("disque plein")),
            self.assertRaises(RuntimeError),
            self.captureOnCommitCallbacks() as callbacks,
        ):
            self.import_rows(COMMUNES)
        self.assertEqual(
            (User.objects.count(), Membership.objects.count(), Invitation.objects.count()), before
        )
        self.assertEqual(callbacks, [])

    def test_one_bad_row_among_270_saves_nothing(self):
        rows = self.rows(COMMUNES)
        rows[200] = row("99500", "", "Người Lạ", "", "Công chức")
        users = read_users_file(users_xlsx(rows))
        with self.assertRaises(ImportRefused) as refused:
            users_import(users=users, province=self.province, created_by=self.admin, today=NOW.date())
        self.assertEqual([p.row for p in refused.exception.review.errors], [205])
        self.assertFalse(User.objects.filter(created_by=self.admin).exists())

    @override_settings(TASKS=IMMEDIATE_TASKS)
    def test_through_the_page_the_hand_over_sheet_lists_every_chairman_and_every_officer_is_mailed(self):
        self.login(self.admin)
        upload = SimpleUploadedFile("thu-nghiem.xlsx", users_xlsx(self.rows(COMMUNES)))
        response = self.client.post(reverse("accounts:import"), {"file": upload})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Xác nhận tạo 270 tài khoản")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("accounts:import"), {"payload": response.context["payload"]})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'class="one-time-password"', count=COMMUNES)
        self.assertContains(response, "135 lời mời đang được gửi qua email")
        self.assertEqual(len(mail.outbox), COMMUNES)
        self.assertEqual(
            User.objects.filter(created_by=self.admin, must_change_password=True).count(), COMMUNES
        )

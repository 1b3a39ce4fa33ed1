"""The world of the account tests: ``build_world`` (Bình Định's administrator and its people),
plus another province in reach of no one of Bình Định: Gia Lai after the reform, with its
administrator, and accounts invited in each province, and a superuser."""

from __future__ import annotations

import re

from django.core import mail
from django.test import override_settings
from django.urls import reverse

from communes.models import Membership, Role, User
from core.testing import PortalTestCase, make_user

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LINK = re.compile(r"https?://\S+")


def make_invited(username: str, unit, role: str, *, email: str = "", full_name: str = "") -> User:
    """An account as the import makes one: no usable password yet."""
    user = User.objects.create_user(username=username, email=email, password=None, full_name=full_name)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


@override_settings(TASKS=IMMEDIATE_TASKS)
class PeopleTestCase(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.gialai_admin = make_user("gialai.quantri", (cls.gia_lai, Role.ADMINISTRATOR), is_staff=True)
        cls.superuser = make_user("root", is_staff=True, is_superuser=True)
        # Bình Định's newcomer, invited; and Gia Lai's, out of Bình Định's reach.
        cls.invited = make_invited(
            "hoaichaubac.chutich",
            cls.hoai_chau_bac,
            Role.CHAIRMAN,
            email="chutich.hcb@example.com",
            full_name="Nguyễn Thị Mới",
        )
        cls.gialai_invited = make_invited(
            "tamquan.moi", cls.tam_quan, Role.CHAIRMAN, email="tamquan@example.com", full_name="Lê Văn Tam"
        )

    def logs_in(self, username: str, password: str, **extra) -> bool:
        """Log in through the login form (as people do, django-axes counting); whether it worked.
        Any session is ended first."""
        self.client.post(reverse("logout"))
        response = self.client.post(reverse("login"), {"username": username, "password": password}, **extra)
        self.last_login_response = response
        return response.status_code == 302 and "_auth_user_id" in self.client.session

    def mails_to(self, address: str) -> list:
        return [message for message in mail.outbox if address in message.to]

    def link_in(self, message) -> str:
        links = LINK.findall(message.body)
        self.assertTrue(links, message.body)
        return links[0]

    def path_of(self, link: str) -> str:
        """The path of a link in a mail (PORTAL_URL + path)."""
        return "/" + link.split("://", 1)[1].split("/", 1)[1]

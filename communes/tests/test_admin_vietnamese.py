"""The admin site speaks Vietnamese: Django's strings that its own "vi" catalogue leaves in English
are in locale/vi/LC_MESSAGES/django.po, and a NUL byte in a text field is explained in Vietnamese."""

from __future__ import annotations

import datetime
import html
import re
from html.parser import HTMLParser

from django.contrib.auth.hashers import make_password
from django.urls import reverse

from communes.models import Office
from reports.models import Meeting, Report

from .test_admin_scoping import ProvinceScopingBase

NUL_MESSAGE = "Ô này có ký tự rỗng (NUL) nên không nhận được. Hãy xoá ký tự đó rồi gửi lại."

# Words of Django's English strings that no Vietnamese text or name on these pages contains. Not
# "True"/"False": the alt text of the admin's yes/no icons in lists is not a gettext string.
ENGLISH = re.compile(
    r"\b(the|you|your|will|able|after|whether|password|passwords|user|users|enabled|disabled|reset|"
    r"enable|disable|link|model|models|name|toggle|theme|skip|main|content|sidebar|navigation|filter|"
    r"items|breadcrumbs|authentication|created|options|raw|stored|current|lost|select|this|with|"
    r"are|not|null|characters|allowed|error|below|access|attempts|failures|logs|task|results|history|"
    r"issued|updated)\b",
    re.IGNORECASE,
)


class _ShownText(HTMLParser):
    """The text a person reads: text outside scripts and styles, and the attributes a browser
    shows (title, placeholder, aria-label, alt, a button's value)."""

    SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
    HIDDEN_TAGS = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in self.HIDDEN_TAGS
        attrs = dict(attrs)
        self.parts.extend(attrs[name] or "" for name in self.SHOWN_ATTRIBUTES & attrs.keys())
        if tag == "input" and attrs.get("type") in ("submit", "button"):
            self.parts.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        self.hidden -= tag in self.HIDDEN_TAGS and self.hidden > 0

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def shown_text(response) -> list[str]:
    parser = _ShownText()
    parser.feed(response.content.decode())
    return [" ".join(html.unescape(part).split()) for part in parser.parts if part.strip()]


class AdminInVietnameseTests(ProvinceScopingBase):
    def assert_no_english(self, url: str, **data) -> None:
        response = self.client.post(url, data) if data else self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        english = [text for text in shown_text(response) if ENGLISH.search(text)]
        self.assertEqual(english, [], url)

    def pages(self):
        officer = reverse("admin:auth_user_password_change", args=[self.new_officer.pk])
        return {
            "index": reverse("admin:index"),
            "add user": reverse("admin:communes_user_add"),
            "user": reverse("admin:communes_user_change", args=[self.new_officer.pk]),
            "password": officer,
            "people": reverse("admin:communes_user_changelist"),
            "history": reverse("admin:communes_user_history", args=[self.new_officer.pk]),
        }

    def test_the_pages_of_accounts_have_no_english_for_an_administrator(self):
        self.login(self.gialai_admin)
        for name, url in self.pages().items():
            with self.subTest(page=name):
                self.assert_no_english(url)

    def test_nor_for_a_superuser(self):
        # Besides Django's own strings, the sidebar names the models of django-axes and of the
        # task queue; their apps' own names ("Axes", "Tasks Database Backend") are no gettext string.
        self.login(self.superuser)
        for name, url in self.pages().items():
            with self.subTest(page=name):
                self.assert_no_english(url)

    def test_the_records_pages_have_no_english(self):
        meeting = Meeting.objects.create(
            unit=self.tam_quan, kind="khac", title="Họp", held_on=datetime.date(2026, 3, 2), chair="Chủ tịch"
        )
        report = Report.objects.create(
            unit=self.tam_quan,
            kind="tong-ket-nam",
            period="2025",
            type_code="BC",
            place="Tam Quan",
            title="BÁO CÁO",
            summary="Tổng kết",
            meeting=meeting,
        )
        for user in (self.gialai_admin, self.superuser):
            self.login(user)
            for url in (
                reverse("admin:reports_report_add"),
                reverse("admin:reports_report_change", args=[report.pk]),
                reverse("admin:reports_meeting_change", args=[meeting.pk]),
            ):
                with self.subTest(user=user.username, url=url):
                    self.assert_no_english(url)

    def test_the_password_page_of_an_account_that_cannot_log_in_yet(self):
        self.new_officer.password = make_password(None)
        self.new_officer.save()
        self.login(self.gialai_admin)
        url = reverse("admin:auth_user_password_change", args=[self.new_officer.pk])
        self.assert_no_english(url)
        self.assertContains(self.client.get(url), "Bật đăng nhập bằng mật khẩu")

    def test_errors_on_the_add_and_password_pages_are_in_vietnamese(self):
        self.login(self.gialai_admin)
        self.assert_no_english(
            reverse("admin:communes_user_add"),
            username="x",
            usable_password="true",
            password1="Mat-khau-1",
            password2="Khac-han-2",
        )
        self.assert_no_english(
            reverse("admin:auth_user_password_change", args=[self.new_officer.pk]),
            usable_password="true",
            password1="Mat-khau-1",
            password2="Khac-han-2",
        )

    def test_the_strings_the_issue_names(self):
        self.login(self.gialai_admin)
        add = self.client.get(reverse("admin:communes_user_add"))
        for text in (
            "Sau khi tạo người dùng, bạn sẽ sửa được thêm các thông tin khác của người đó.",
            "Đăng nhập bằng mật khẩu",
            "Bật",
            "Tắt",
        ):
            self.assertContains(add, text)
        user = self.client.get(reverse("admin:communes_user_change", args=[self.new_officer.pk]))
        self.assertContains(user, "Đặt lại mật khẩu")
        self.assertContains(user, "Vào được trang quản trị:")
        password = self.client.get(reverse("admin:auth_user_password_change", args=[self.new_officer.pk]))
        self.assertContains(password, "Nếu tắt, mật khẩu hiện tại của người dùng này sẽ mất.")


class NulByteTests(ProvinceScopingBase):
    def test_the_login_form_explains_a_nul_byte_in_vietnamese(self):
        response = self.client.post(reverse("login"), {"username": "new\x00officer", "password": "x"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, NUL_MESSAGE)
        self.assertNotContains(response, "Null characters")

    def test_an_admin_form_explains_it_beside_the_field(self):
        self.login(self.gialai_admin)
        response = self.client.post(
            reverse("admin:communes_office_add"),
            {"unit": self.tam_quan.pk, "name": "Văn phòng\x00", "position": "1"},
        )
        self.assertEqual(response.context["adminform"].form.errors["name"], [NUL_MESSAGE])
        self.assertFalse(Office.objects.exists())

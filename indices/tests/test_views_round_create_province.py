"""Opening a round as a 2025 province (Sở Nội vụ of Gia Lai): without a framework the page says
what is missing and where to import one, instead of a bare "required"; with one it opens a round
for the province's communes."""

from __future__ import annotations

import datetime

import time_machine
from django.urls import reverse

from communes.models import Level, Membership, Role
from core.testing import PortalTestCase
from indices.models import Assessment, Round
from indices.testing import make_framework

URL = reverse("indices:round_create")
MISSING = "Chưa có bộ chỉ số nào áp dụng cho Tỉnh Gia Lai"


class ProvinceWithoutFrameworkTest(PortalTestCase):
    def data(self, **extra):
        values = {"year": "2026", "group": self.gia_lai.pk, "self_deadline": "2027-01-15"}
        values.update(extra)
        return values

    def test_the_page_says_which_framework_is_missing_and_where_it_comes_from(self):
        self.login(self.province_reviewer)
        response = self.client.get(URL)
        self.assertContains(response, MISSING)
        self.assertContains(response, "mục “Nhập bộ chỉ số”")
        self.assertContains(response, reverse("indices:framework_list"))
        self.assertContains(response, "disabled>Mở đợt đánh giá</button>", html=False)
        # Only an administrator imports: the reviewer gets no import button.
        self.assertNotContains(response, reverse("indices:framework_import"))

    def test_a_reviewer_who_also_administers_gets_the_import_link(self):
        Membership.objects.create(user=self.province_reviewer, unit=self.gia_lai, role=Role.ADMINISTRATOR)
        self.login(self.province_reviewer)
        self.assertContains(self.client.get(URL), reverse("indices:framework_import"))

    def test_posting_anyway_is_400_with_the_reason_and_nothing_opened(self):
        self.login(self.province_reviewer)
        response = self.client.post(URL, self.data())
        self.assertContains(response, MISSING, status_code=400)
        self.assertNotContains(response, "Trường này là bắt buộc", status_code=400)
        self.assertFalse(Round.objects.exists())

    def test_a_stale_form_naming_a_framework_of_another_province_is_refused(self):
        other = make_framework(self.binh_dinh, name="Bộ chỉ số Bình Định")
        self.login(self.province_reviewer)
        response = self.client.post(URL, self.data(framework=other.pk))
        self.assertContains(response, MISSING, status_code=400)
        self.assertFalse(Round.objects.exists())


class ProvinceWithFrameworkTest(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework = make_framework(
            cls.gia_lai, name="Bộ chỉ số Gia Lai", years=(2025, 2030), group_level=Level.PROVINCE
        )

    def test_the_province_reviewer_opens_a_round_for_its_communes_on_any_day(self):
        self.login(self.province_reviewer)
        for year, day in ((2025, datetime.date(2025, 7, 15)), (2026, datetime.date(2026, 12, 3))):
            with self.subTest(year=year), time_machine.travel(day, tick=False):
                response = self.client.get(URL)
                self.assertNotContains(response, MISSING)
                self.assertContains(response, "Bộ chỉ số Gia Lai")
                response = self.client.post(
                    URL,
                    {
                        "year": str(year),
                        "group": self.gia_lai.pk,
                        "framework": self.framework.pk,
                        "self_deadline": f"{year + 1}-01-15",
                    },
                )
                created = Round.objects.get(year=year)
                self.assertRedirects(response, reverse("indices:round_detail", args=[created.pk]))
                self.assertEqual(
                    list(Assessment.objects.filter(round=created).values_list("unit", flat=True)),
                    [self.tam_quan.pk],
                )

    def test_a_year_the_framework_does_not_cover_is_400(self):
        self.login(self.province_reviewer)
        response = self.client.post(
            URL,
            {
                "year": "2024",
                "group": self.gia_lai.pk,
                "framework": self.framework.pk,
                "self_deadline": "2025-01-15",
            },
        )
        self.assertContains(response, "không áp dụng cho năm 2024", status_code=400)
        self.assertFalse(Round.objects.exists())

    def test_who_may_open_a_round(self):
        self.assert_access_matrix(
            URL,
            {
                "province_reviewer": 200,
                "new_officer": 403,
                "officer": 403,
                "administrator": 403,
                "outsider": 403,
                "anonymous": 302,
            },
        )

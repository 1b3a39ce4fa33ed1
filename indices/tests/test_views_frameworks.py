"""The framework pages: list, detail, Excel download, and the import page."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.testing import PortalTestCase
from indices.frameworks import write_xlsx
from indices.models import Criterion, Framework
from indices.testing import make_framework, make_round

from .test_frameworks import sample_data


def upload(data: bytes, name: str = "bo-chi-so.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


class FrameworkPagesTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework = make_framework(cls.binh_dinh, note="Điểm minh họa")
        cls.other = make_framework(cls.gia_lai, name="Bộ chỉ số Gia Lai", years=(2025, 2026))

    def test_the_list_is_open_to_every_logged_in_user(self):
        self.assert_access_matrix(
            reverse("indices:framework_list"),
            {
                "officer": 200,
                "chairman": 200,
                "neighbour": 200,
                "reviewer": 200,
                "province_reviewer": 200,
                "new_officer": 200,
                "administrator": 200,
                "outsider": 200,
                "anonymous": 302,
            },
        )

    def test_the_list_shows_only_frameworks_of_units_the_user_reads(self):
        self.login(self.officer)
        response = self.client.get(reverse("indices:framework_list"))
        self.assertContains(response, "Bộ chỉ số thử")
        self.assertNotContains(response, "Bộ chỉ số Gia Lai")
        self.assertNotContains(response, "Nhập bộ chỉ số từ Excel")
        self.login(self.province_reviewer)
        response = self.client.get(reverse("indices:framework_list"))
        self.assertContains(response, "Bộ chỉ số Gia Lai")
        self.login(self.outsider)
        self.assertContains(self.client.get(reverse("indices:framework_list")), "Chưa có bộ chỉ số nào")

    def test_the_list_has_a_fixed_number_of_queries(self):
        self.login(self.officer)
        url = reverse("indices:framework_list")
        # session, user, the frameworks with their issuer and criteria count (one query, the
        # readable units as subqueries), the memberships for the navigation (places_of).
        with self.assertNumQueries(4):
            self.client.get(url)
        for year in (2019, 2016, 2013):
            make_framework(self.binh_dinh, name=f"Bộ chỉ số {year}", years=(year, year + 2))
        with self.assertNumQueries(4):
            response = self.client.get(url)
        self.assertContains(response, "Bộ chỉ số 2013")

    def test_the_detail_page_matrix(self):
        self.assert_access_matrix(
            reverse("indices:framework_detail", args=[self.framework.pk]),
            {
                "officer": 200,
                "chairman": 200,
                "neighbour": 200,
                "reviewer": 200,
                "province_reviewer": 200,  # Gia Lai's Sở reads Bình Định's history (its predecessor)
                "new_officer": 200,
                "administrator": 200,
                "outsider": 404,
                "anonymous": 302,
            },
        )
        self.assert_access_matrix(
            reverse("indices:framework_detail", args=[self.other.pk]),
            {"officer": 404, "administrator": 404, "province_reviewer": 200, "new_officer": 200},
        )

    def test_the_detail_page_shows_the_tree_with_rules_and_bands(self):
        self.login(self.officer)
        response = self.client.get(reverse("indices:framework_detail", args=[self.framework.pk]))
        self.assertContains(response, "Tiếp nhận trực tuyến")
        self.assertContains(response, "Tỷ lệ hồ sơ tiếp nhận trực tuyến")
        self.assertContains(response, "Điểm điều tra xã hội học")
        self.assertContains(response, '<td class="text-nowrap ps-5">1.2.1</td>', html=False)
        self.assertContains(response, "Trung bình")
        self.assertContains(response, "20,00 điểm")

    def test_the_detail_page_has_a_fixed_number_of_queries(self):
        self.login(self.officer)
        url = reverse("indices:framework_detail", args=[self.framework.pk])
        # session, user, the framework (readable, with issuer and previous), its criteria, its
        # bands, whether it is in use, the memberships for the navigation.
        with self.assertNumQueries(7):
            self.client.get(url)
        parent = Criterion.objects.get(framework=self.framework, code="2.1")
        for number in range(1, 9):
            Criterion.objects.create(
                framework=self.framework,
                parent=parent,
                code=f"2.1.{number}",
                title="Con",
                max_points=Decimal(1),
            )
        with self.assertNumQueries(7):
            response = self.client.get(url)
        self.assertContains(response, "2.1.8")

    def test_the_export_matrix_and_file(self):
        url = reverse("indices:framework_export", args=[self.framework.pk])
        self.assert_access_matrix(
            url, {"officer": 200, "neighbour": 200, "administrator": 200, "outsider": 404, "anonymous": 302}
        )
        self.login(self.officer)
        response = self.client.get(url)
        self.assertIn("attachment", response["Content-Disposition"])
        book = load_workbook(BytesIO(response.content))
        self.assertEqual(book["Tiêu chí"]["B2"].value, "Chỉ đạo, điều hành")


class FrameworkImportPageTests(PortalTestCase):
    url = "/chi-so/bo-chi-so/nhap/"

    def test_only_administrators_import(self):
        self.assert_access_matrix(
            self.url,
            {
                "officer": 403,
                "chairman": 403,
                "neighbour": 403,
                "reviewer": 403,
                "province_reviewer": 403,
                "new_officer": 403,
                "administrator": 200,
                "outsider": 403,
                "anonymous": 302,
            },
        )
        self.assert_access_matrix(
            self.url, {"officer": 403, "reviewer": 403, "anonymous": 302}, method="post", data={}
        )

    def test_a_good_file_is_previewed_then_saved(self):
        self.login(self.administrator)
        response = self.client.post(self.url, {"file": upload(write_xlsx(sample_data()))})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "tệp hợp lệ")
        self.assertContains(response, "Tiếp nhận trực tuyến")
        self.assertEqual(Framework.objects.count(), 0)
        payload = response.context["payload"]
        response = self.client.post(self.url, {"payload": payload})
        framework = Framework.objects.get()
        self.assertRedirects(response, reverse("indices:framework_detail", args=[framework.pk]))
        self.assertEqual(framework.criteria.count(), 8)
        self.assertEqual(framework.issuer, self.binh_dinh)

    def test_a_bad_file_lists_its_problems_with_sheet_row_and_column(self):
        self.login(self.administrator)
        response = self.client.post(
            self.url, {"file": upload(write_xlsx(sample_data(total_points=Decimal(25))))}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(
            response, "Thông tin, dòng 7, cột B: Các lĩnh vực cộng lại 20 điểm", status_code=400
        )
        self.assertContains(response, "không có gì được lưu", status_code=400)
        self.assertEqual(Framework.objects.count(), 0)

    def test_a_file_that_is_not_excel_is_refused(self):
        self.login(self.administrator)
        response = self.client.post(self.url, {"file": upload(b"%PDF-1.4", "bo.pdf")})
        self.assertContains(response, "không phải tệp Excel .xlsx", status_code=400)

    def test_no_file_is_a_bad_request(self):
        self.login(self.administrator)
        self.assertContains(self.client.post(self.url, {}), "Hãy chọn tệp Excel", status_code=400)

    def test_a_framework_of_another_province_is_refused(self):
        self.login(self.administrator)
        response = self.client.post(self.url, {"file": upload(write_xlsx(sample_data(era="2025")))})
        self.assertContains(response, "Bạn không quản trị Tỉnh Gia Lai", status_code=400)

    def test_a_tampered_or_foreign_payload_saves_nothing(self):
        self.login(self.administrator)
        response = self.client.post(self.url, {"payload": "abc:def"})
        self.assertContains(response, "hết hạn hoặc không hợp lệ", status_code=400)
        payload = self.client.post(self.url, {"file": upload(write_xlsx(sample_data()))}).context["payload"]
        other = type(self.administrator).objects.create_user("admin2", is_staff=True)
        from communes.models import Membership, Role

        Membership.objects.create(user=other, unit=self.binh_dinh, role=Role.ADMINISTRATOR)
        self.login(other)
        self.assertEqual(self.client.post(self.url, {"payload": payload}).status_code, 403)
        self.assertEqual(Framework.objects.count(), 0)

    def test_importing_over_a_framework_in_use_saves_a_new_version(self):
        first = make_framework(self.binh_dinh)
        make_round(first, self.hoai_nhon)
        self.login(self.administrator)
        response = self.client.post(self.url, {"file": upload(write_xlsx(sample_data()))})
        self.assertContains(response, "sẽ được lưu thành phiên bản mới")
        self.client.post(self.url, {"payload": response.context["payload"]})
        newest = Framework.objects.get(version=2)
        self.assertEqual(newest.previous, first)

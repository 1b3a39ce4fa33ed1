"""Cache-Control: nothing a logged-in person sees is kept by the browser or a shared cache
(an office PC is shared), while public pages and static files keep their caching."""

from __future__ import annotations

import shutil
import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory, SimpleTestCase, override_settings
from django.urls import reverse
from django.utils.cache import patch_cache_control

from core.middleware import PrivateCacheMiddleware
from core.testing import PortalTestCase
from dossiers.figures import Figures
from dossiers.models import Period, ProcedureField
from dossiers.services import dossier_report_save
from indices.services.assessment import evidence_upload
from indices.testing import make_framework, make_round
from reports.compose import report_compose

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
HTMX = {"HTTP_HX_REQUEST": "true"}


def directives(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Cache-Control", "").split(",") if part.strip()}


class CacheHeaderTests(PortalTestCase):
    @classmethod
    def setUpClass(cls):
        cls.media = tempfile.mkdtemp(prefix="cache-headers-")
        cls.addClassCleanup(shutil.rmtree, cls.media, ignore_errors=True)
        cls.media_override = override_settings(MEDIA_ROOT=cls.media)
        cls.media_override.enable()
        cls.addClassCleanup(cls.media_override.disable)
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        dossier_report_save(
            unit=cls.hoai_chau,
            period=Period.for_code("2023"),
            user=cls.officer,
            lines={
                ProcedureField.objects.get(name="Hộ tịch").pk: Figures(
                    received_online=10, resolved_on_time=10
                )
            },
            expected_version=0,
        )
        cls.framework = make_framework(cls.binh_dinh)
        cls.round = make_round(cls.framework, cls.hoai_nhon)
        cls.assessment = cls.round.assessments.get(unit=cls.hoai_chau)
        cls.criteria = {c.code: c for c in cls.framework.criteria.all()}
        cls.evidence = evidence_upload(
            assessment=cls.assessment,
            criterion=cls.criteria["1.1"],
            upload=SimpleUploadedFile("ke-hoach.pdf", PDF, content_type="application/pdf"),
            user=cls.officer,
        )

    def assert_not_stored(self, response):
        found = directives(response)
        self.assertTrue({"private", "no-store"} <= found, f"Cache-Control: {response.get('Cache-Control')}")
        self.assertNotIn("public", found)

    def assert_cacheable(self, response):
        self.assertNotIn("no-store", directives(response))

    def test_an_html_page(self):
        self.login(self.officer)
        response = self.client.get(reverse("communes:unit_detail", args=[self.hoai_chau.pk]))
        self.assertEqual(response.status_code, 200)
        self.assert_not_stored(response)

    def test_an_htmx_partial(self):
        self.login(self.officer)
        leaf = self.criteria["2.1"].pk
        response = self.client.post(
            reverse("indices:assessment_score_save", args=[self.assessment.pk, leaf]),
            {f"c{leaf}-self_score": "4.5", f"c{leaf}-note": ""},
            **HTMX,
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("<html", response.content.decode())
        self.assert_not_stored(response)

    def test_the_xlsx_and_csv_exports(self):
        self.login(self.officer)
        for fmt in ("xlsx", "csv"):
            with self.subTest(fmt=fmt):
                response = self.client.get(reverse("dossiers:export", args=[self.hoai_chau.pk, "2023", fmt]))
                self.assertEqual(response.status_code, 200)
                self.assertIn("attachment", response["Content-Disposition"])
                self.assert_not_stored(response)

    def test_a_report_pdf_keeps_its_header(self):
        report = report_compose(unit=self.hoai_chau, kind="tong-ket-nam", period="2023", user=self.officer)
        self.login(self.officer)
        response = self.client.get(reverse("reports:report_preview", args=[report.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assert_not_stored(response)

    def test_an_evidence_download(self):
        self.login(self.reviewer)
        response = self.client.get(reverse("indices:evidence_download", args=[self.evidence.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), PDF)
        self.assert_not_stored(response)

    def test_a_404_and_a_403_for_a_logged_in_user(self):
        self.login(self.neighbour)
        response = self.client.get(reverse("communes:unit_detail", args=[self.hoai_chau.pk]))
        self.assertEqual(response.status_code, 404)
        self.assert_not_stored(response)
        self.login(self.reviewer)
        response = self.client.get(reverse("reports:report_create", args=[self.hoai_chau.pk]))
        self.assertEqual(response.status_code, 403)
        self.assert_not_stored(response)

    def test_a_redirect(self):
        self.login(self.officer)
        response = self.client.get(reverse("home"))
        self.assertEqual(response.status_code, 302)
        self.assert_not_stored(response)

    def test_the_admin_and_the_login_pages(self):
        self.login(self.administrator)
        self.assert_not_stored(self.client.get(reverse("admin:index")))
        self.client.logout()
        self.assert_not_stored(self.client.get(reverse("login")))
        self.assert_not_stored(self.client.get(reverse("admin:login")))

    def test_the_public_results_keep_their_caching(self):
        response = self.client.get(reverse("indices:public_rounds"))
        self.assertEqual(response.status_code, 200)
        self.assert_cacheable(response)

    def test_static_files_keep_their_caching_even_for_a_logged_in_user(self):
        self.login(self.officer)
        response = self.client.get("/static/css/portal.css")
        self.assertEqual(response.status_code, 200)
        self.assert_cacheable(response)
        self.assertIn("public", directives(response))


class PrivateCacheMiddlewareTests(SimpleTestCase):
    class User:
        is_authenticated = True

    def answer(self, response: HttpResponse) -> HttpResponse:
        request = RequestFactory().get("/")
        request.user = self.User()
        return PrivateCacheMiddleware(lambda request: response)(request)

    def test_a_public_cacheable_answer_becomes_private_and_not_stored(self):
        response = HttpResponse()
        patch_cache_control(response, public=True, max_age=3600)
        self.assertEqual(directives(self.answer(response)), {"private", "no-store", "max-age=3600"})

    def test_a_stricter_header_is_not_weakened(self):
        response = HttpResponse()
        response["Cache-Control"] = "max-age=0, no-cache, no-store, must-revalidate, private"
        self.assertEqual(
            directives(self.answer(response)),
            {"max-age=0", "no-cache", "no-store", "must-revalidate", "private"},
        )

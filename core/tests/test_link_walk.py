"""Every link the portal shows opens, for every demo persona (issue 10: link only what the reader
may open).

With the demo data loaded once, each persona of README's table (and an anonymous visitor) walks the
portal from "/" as ``core.testing_links`` does: breadth first, GET only, never logout or delete,
every link answering 200 (after its redirects) or a download that works, no page showing an error.
The clock stands at 2 December 2026, so the months that are due, late or not yet open are the same
on every run. The walk runs once, for all the tests of ``LinkWalkTest``.
"""

from __future__ import annotations

import datetime
import re
import shutil
import tempfile
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.test import Client, SimpleTestCase, TestCase, override_settings
from django.urls import path

from communes.demo import USERS
from communes.models import AdministrativeUnit, Era, Level, User
from core.testing_links import BadLink, LinkWalker
from indices.models import Assessment, AssessmentStatus
from indices.services.assessment import evidence_upload
from reports.compose import report_compose
from reports.models import Meeting, ReportKind
from reports.services.issuing import report_issue

TODAY = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC)

# README's table of demo accounts, and a visitor who is not logged in.
# Gia Lai's other commune personas see the pages Tam Quan's do, each with its latest month in
# another state: a shorter walk each (their own home, list, month and index pages come first).
SHORT_WALKS = (
    "hoainhonbac.canbo",
    "hoainhonbac.chutich",
    "quynhonbac.canbo",
    "quynhonbac.chutich",
    "anlao.canbo",
    "anlao.chutich",
    "ankhe.canbo",
    "ankhe.chutich",
)
PERSONAS = [
    "hoaichau.canbo",
    "hoaichau.chutich",
    "hoaichau.phochutich",
    "hoaichaubac.canbo",
    "hoainhon.noivu",
    "gioson.canbo",
    "gioson.chutich",
    "giolinh.noivu",
    "tungchau.canbo",
    "ductho.noivu",
    "hiepduc.noivu",
    "phuochung.chutich",
    "tuyphuoc.noivu",
    "tamquan.canbo",
    "tamquan.chutich",
    *SHORT_WALKS,
    "gialai.sonoivu",
    "gialai.quantri",
    "quantri",
    "anonymous",
]

# The walk's size: about 45 s for all personas on SQLite on a 2-core machine (the superuser, with
# the admin site, stops near 190 pages by the caps, before the limit).
PAGE_LIMIT = 200  # pages per persona
SHORT_PAGE_LIMIT = 40
PER_PATTERN = 3  # pages of one URL pattern per persona (3 months of the entry grid, not 140)
DOWNLOAD_LIMIT = 4  # files per persona, of which at most PDF_LIMIT PDFs (each takes a while)
PDF_LIMIT = 1
# The lists on which links past PER_PATTERN are requested too (PROBES_PER_KIND of each kind, spread
# from the first row to the last), on the first such page a persona opens: a list is where a link
# to a neighbour's page slips in, among rows that look the same.
PROBES_PER_KIND = 6
LISTS = frozenset(
    {
        "communes:unit_list",
        "dossiers:inbox",
        "dossiers:overview",
        "dossiers:overview_country",
        "indices:round_list",
        "indices:round_detail",
        "indices:ranking_page",
        "indices:assessment_list",
        "indices:framework_list",
        "indices:public_rounds",
        "indices:public_ranking",
    }
)

# Bad links in files other helpers of issue 10 are changing, left out of the failure until their
# fixes land; then the entry must go (a test fails while an entry matches nothing).
# (persona, or None for any; a regular expression the link matches; the start of the problem; what to fix)
KNOWN_BAD: list[tuple[str | None, str, str, str]] = []

# The kinds of page the walk reaches with the demo data: fewer means a link went missing.
REACHED = {
    "communes:unit_detail",
    "communes:unit_list",
    "dossiers:entry",
    "dossiers:export",
    "dossiers:import",
    "dossiers:inbox",
    "dossiers:list",
    "dossiers:overview",
    "dossiers:overview_latest",
    "home",
    "indices:assessment_appraise",
    "indices:assessment_detail",
    "indices:assessment_list",
    "indices:assessment_submit",
    "indices:commune_results",
    "indices:evidence_download",
    "indices:framework_detail",
    "indices:framework_export",
    "indices:framework_import",
    "indices:framework_list",
    "indices:public_ranking",
    "indices:public_rounds",
    "indices:ranking_export",
    "indices:ranking_page",
    "indices:round_create",
    "indices:round_detail",
    "indices:round_list",
    "indices:round_publish",
    "indices:round_survey_template",
    "indices:round_unpublish",
    "login",
    "password_change",
    "reports:document_create",
    "reports:document_edit",
    "reports:document_import",
    "reports:document_list",
    "reports:meeting_create",
    "reports:meeting_detail",
    "reports:meeting_edit",
    "reports:meeting_list",
    "reports:plan_create",
    "reports:plan_detail",
    "reports:plan_edit",
    "reports:plan_import",
    "reports:plan_list",
    "reports:plan_task_edit",
    "reports:report_create",
    "reports:report_detail",
    "reports:report_docx",
    "reports:report_download",
    "reports:report_edit",
    "reports:report_list",
    "reports:report_preview",
    "reports:task_edit",
    "reports:task_tracker",
    "admin:index",
    "admin:communes_administrativeunit_changelist",
    "admin:communes_administrativeunit_change",
    "admin:communes_user_changelist",
    "admin:communes_user_change",
    "admin:indices_framework_change",
    "admin:indices_round_change",
    "admin:reports_report_change",
}

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def is_known(bad: BadLink) -> bool:
    return any(_matches(bad, entry) for entry in KNOWN_BAD)


def _matches(bad: BadLink, entry: tuple[str | None, str, str, str]) -> bool:
    persona, link, problem, _fix = entry
    return persona in (None, bad.persona) and re.search(link, bad.link) and bad.problem.startswith(problem)


class LinkWalkTest(TestCase):
    maxDiff = None  # the failure lists every bad link

    @classmethod
    def setUpClass(cls):
        media = tempfile.mkdtemp(prefix="link-walk-")
        cls.addClassCleanup(shutil.rmtree, media, ignore_errors=True)
        media_root = override_settings(MEDIA_ROOT=media)
        media_root.enable()
        cls.addClassCleanup(media_root.disable)
        clock = mock.patch("django.utils.timezone.now", return_value=TODAY)
        clock.start()
        cls.addClassCleanup(clock.stop)
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", verbosity=0)
        cls.add_what_people_make()
        cls.walks = {}
        for persona in PERSONAS:
            client = Client()
            if persona != "anonymous":
                client.force_login(User.objects.get(username=persona))
            walker = LinkWalker(
                client,
                persona,
                page_limit=SHORT_PAGE_LIMIT if persona in SHORT_WALKS else PAGE_LIMIT,
                per_pattern=PER_PATTERN,
                download_limit=DOWNLOAD_LIMIT,
                pdf_limit=PDF_LIMIT,
                check_every_link_on=LISTS,
                probe_per_pattern=PROBES_PER_KIND,
                anonymous=persona == "anonymous",
            )
            cls.walks[persona] = walker.run("/")

    @classmethod
    def add_what_people_make(cls) -> None:
        """What the demo leaves out and people soon make, so that the walk reaches those pages too:
        a notice of conclusions issued (its stored PDF), drafts of a commune and of a reviewer, an
        evidence file on an assessment in progress."""
        users = {user.username: user for user in User.objects.filter(username__in=PERSONAS)}

        def unit(level, code):
            return AdministrativeUnit.objects.get(era=Era.LEGACY, level=level, code=code)

        gio_son, phuoc_hung = unit(Level.COMMUNE, "19537"), unit(Level.COMMUNE, "21961")
        meeting = Meeting.objects.filter(unit=gio_son).earliest("held_on")
        chairman = users["gioson.chutich"]
        notice = report_compose(
            unit=gio_son, kind=ReportKind.CONCLUSION, period=None, user=chairman, meeting=meeting
        )
        report_issue(report=notice, user=chairman)
        report_compose(
            unit=phuoc_hung, kind=ReportKind.HALF_YEAR, period="2024-H1", user=users["phuochung.chutich"]
        )
        hoai_nhon, reviewer = unit(Level.DISTRICT, "543"), users["hoainhon.noivu"]
        report_compose(unit=hoai_nhon, kind=ReportKind.SUMMARY, period="2024", user=reviewer)
        assessment = Assessment.objects.get(unit=gio_son, status=AssessmentStatus.DRAFT)
        leaf = (
            assessment.round.framework.criteria.filter(evidence_required=True, children__isnull=True, rule="")
            .order_by("sort_key")
            .first()
        )
        evidence_upload(
            assessment=assessment,
            criterion=leaf,
            upload=SimpleUploadedFile("ke-hoach.pdf", PDF, content_type="application/pdf"),
            user=users["gioson.canbo"],
        )

    def test_the_personas_are_the_demo_accounts(self):
        self.assertEqual(sorted(PERSONAS[:-1]), sorted(user.username for user in USERS))

    def test_every_link_a_persona_sees_opens(self):
        # One line a link: "persona: link (trên the page that shows it): what is wrong".
        bad = [str(bad) for walk in self.walks.values() for bad in walk.bad if not is_known(bad)]
        self.assertEqual(bad, [])

    def test_the_walk_reaches_every_kind_of_page(self):
        reached = set().union(*(walk.patterns for walk in self.walks.values()))
        self.assertEqual(REACHED - reached, set(), "no persona reached these pages by a link")
        for persona, walk in self.walks.items():
            with self.subTest(persona=persona):
                self.assertGreaterEqual(len(walk.visited), 5 if persona == "anonymous" else 30)

    def test_a_visitor_opens_every_link_of_the_public_pages(self):
        walk = self.walks["anonymous"]
        self.assertEqual(walk.patterns["indices:public_rounds"], 1)
        self.assertGreaterEqual(walk.patterns["indices:public_ranking"], 1)
        self.assertEqual([str(bad) for bad in walk.bad], [])

    def test_each_known_bad_link_is_still_found(self):
        bad = [bad for walk in self.walks.values() for bad in walk.bad]
        for entry in KNOWN_BAD:
            with self.subTest(entry=entry[:3]):
                self.assertTrue(
                    any(_matches(found, entry) for found in bad),
                    f"{entry[:3]} no longer found: fixed? Then remove it from KNOWN_BAD.",
                )


# --- the walker itself, on a site of a few pages ------------------------------------------------

REQUESTED: list[str] = []


def _page(*links: str, text: str = "Trang"):
    def view(request, **kwargs):
        REQUESTED.append(request.get_full_path())
        anchors = "".join(f'<a href="{link}">{link}</a>' for link in links)
        return HttpResponse(f"<!doctype html><title>{text}</title><main>{text} {anchors}</main>")

    return view


def _file(content_type: str, data: bytes):
    def view(request):
        REQUESTED.append(request.get_full_path())
        return HttpResponse(data, content_type=content_type)

    return view


def _forbidden(request):
    REQUESTED.append(request.get_full_path())
    return HttpResponseForbidden("Không có quyền")


def _needs_login(request):
    REQUESTED.append(request.get_full_path())
    return redirect("/dang-nhap/?next=/rieng/")


urlpatterns = [
    path(
        "",
        _page(
            "/thang/1/",
            "/khong-co/",  # no such page
            "/cam/",
            "/rieng/",
            "/loi/",
            "/trong/",
            "/bang.csv",
            "/ban-in.pdf",
            "/accounts/logout/",
            "/muc/1/xoa/",
            "https://dichvucong.gov.vn/",
            "mailto:vanphong@example.gov.vn",
            "#noi-dung",
        ),
        name="home",
    ),
    path("dang-nhap/", _page(text="Đăng nhập"), name="login"),
    path("thang/<int:month>/", _page(*(f"/thang/{month}/" for month in range(1, 13))), name="month"),
    path("cam/", _forbidden, name="forbidden"),
    path("rieng/", _needs_login, name="private"),
    path("loi/", _page(text="Traceback (most recent call last)"), name="error"),
    path("trong/", _page(text="None"), name="none"),
    path("bang.csv", _file("text/csv; charset=utf-8", b"ma,ten\n"), name="csv"),
    path("ban-in.pdf", _file("text/html; charset=utf-8", b"<p>chua in</p>"), name="pdf"),
]


def handler404(request, exception=None):  # the portal's 404 page needs the portal's URLs
    return HttpResponse("Không tìm thấy trang", status=404)


@override_settings(ROOT_URLCONF=__name__, LOGIN_URL="login")
class LinkWalkerTest(SimpleTestCase):
    def setUp(self):
        REQUESTED.clear()
        self.walk = LinkWalker(Client(), "khach", per_pattern=3, anonymous=True).run("/")
        self.problems = {bad.link: bad.problem for bad in self.walk.bad}

    def test_it_names_each_link_that_fails_and_where_it_was_shown(self):
        self.assertEqual(
            self.problems,
            {
                "/khong-co/": "trả lời 404",
                "/cam/": "trả lời 403",
                "/rieng/": "chuyển sang trang đăng nhập: người đọc không mở được",
                "/loi/": "trang có chữ «Traceback»",
                "/trong/": "trang hiện chữ «None»",
                "/ban-in.pdf": "tải về với kiểu 'text/html; charset=utf-8', cần 'application/pdf'",
            },
        )
        self.assertEqual({bad.page for bad in self.walk.bad}, {"/"})
        self.assertEqual({bad.persona for bad in self.walk.bad}, {"khach"})

    def test_a_download_that_is_the_file_its_name_says_passes(self):
        self.assertIn("/bang.csv", REQUESTED)
        self.assertNotIn("/bang.csv", self.problems)

    def test_it_never_logs_out_deletes_or_leaves_the_site(self):
        self.assertFalse([url for url in REQUESTED if "logout" in url or "xoa" in url])
        self.assertFalse([url for url in self.walk.visited if "//" in url or "mailto" in url])

    def test_it_visits_at_most_per_pattern_pages_of_one_kind(self):
        self.assertEqual(self.walk.patterns["month"], 3)
        self.assertEqual(REQUESTED.count("/"), 1)

"""The home of a reviewing unit (a district before 7/2025, a province after): the reviewer lands on
its unit's page, whose work card links to everything it may do (inbox with its counts, overview,
board, rounds and rankings, summary report, batch printing), and every other role sees only the
links it may follow: none leads to a 403, a 404 or the login page."""

from __future__ import annotations

import datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit

import time_machine
from django.urls import reverse
from django.utils import timezone

from communes.models import Era, Kind, Level, Role
from core.testing import PortalTestCase, make_unit, make_user
from dossiers.figures import Figures
from dossiers.models import Period, ProcedureField
from dossiers.services import dossier_report_save, dossier_report_submit
from indices.testing import make_framework, make_round

# 09:00 UTC is 16:00 in Hà Nội: the same date in the portal's time zone.
TODAY = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href and href.startswith("/") and not href.startswith("/static/"):
            self.hrefs.append(href)


def links_of(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return list(dict.fromkeys(parser.hrefs))


def work_card(html: str) -> str:
    """The work card's HTML, or "" when the page has none."""
    start = html.find('aria-labelledby="work-heading"')
    if start < 0:
        return ""
    return " ".join(html[start : html.find("</section>", start)].split())


class ReviewerHomeData(PortalTestCase):
    """Gia Lai with Tam Quan and a second ward; a round of 2025 published and one of 2026 open;
    Thị xã Hoài Nhơn (legacy) with a published round of 2023."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.gia_lai.valid_from = cls.tam_quan.valid_from = datetime.date(2025, 7, 1)
        cls.gia_lai.save()
        cls.tam_quan.save()
        cls.hoai_nhon.valid_to = cls.hoai_chau.valid_to = cls.hoai_chau_bac.valid_to = datetime.date(
            2025, 6, 30
        )
        for unit in (cls.hoai_nhon, cls.hoai_chau, cls.hoai_chau_bac):
            unit.save()
        cls.tam_quan_officer = make_user("tam_quan_officer", (cls.tam_quan, Role.OFFICER))
        cls.tam_quan_chairman = make_user("tam_quan_chairman", (cls.tam_quan, Role.CHAIRMAN))
        cls.province_admin = make_user("province_admin", (cls.gia_lai, Role.ADMINISTRATOR), is_staff=True)
        cls.framework = make_framework(cls.gia_lai, years=(2025, 2030))
        cls.round_2025 = make_round(cls.framework, cls.gia_lai, year=2025)
        cls.round_2025.published_at = timezone.now()
        cls.round_2025.save(update_fields=["published_at"])
        cls.round_2026 = make_round(
            cls.framework, cls.gia_lai, year=2026, deadline=datetime.date(2027, 1, 15)
        )
        cls.legacy_framework = make_framework(cls.binh_dinh, years=(2021, 2023))
        cls.round_2023 = make_round(cls.legacy_framework, cls.hoai_nhon, year=2023)
        cls.round_2023.published_at = timezone.now()
        cls.round_2023.save(update_fields=["published_at"])
        cls.ho_tich = ProcedureField.objects.get(name="Hộ tịch")

    def send(self, unit, code: str, user):
        report = dossier_report_save(
            unit=unit,
            period=Period.for_code(code),
            user=user,
            lines={self.ho_tich.pk: Figures(received_online=5, received_in_person=1, resolved_on_time=6)},
            expected_version=0,
        )
        return dossier_report_submit(report=report, user=user, expected_version=report.version)

    def home(self, user):
        """The page ``user`` lands on from "/", followed through its redirects."""
        self.client.logout()
        if user is not None:
            self.login(user)
        return self.client.get(reverse("home"), follow=True)


@time_machine.travel(TODAY, tick=False)
class ReviewerHomeTests(ReviewerHomeData):
    def test_a_province_reviewer_lands_on_its_provinces_page_with_its_work(self):
        response = self.home(self.province_reviewer)
        self.assertEqual(
            response.redirect_chain, [(reverse("communes:unit_detail", args=[self.gia_lai.pk]), 302)]
        )
        card = work_card(response.content.decode())
        for url in (
            reverse("dossiers:inbox"),
            reverse("dossiers:overview_latest", args=[self.gia_lai.pk]),
            reverse("dossiers:board_latest", args=[self.gia_lai.pk]),
            reverse("indices:round_list"),
            reverse("indices:round_detail", args=[self.round_2026.pk]),
            reverse("indices:ranking_page", args=[self.round_2025.pk]),
            reverse("reports:report_list", args=[self.gia_lai.pk]),
            reverse("reports:batch_start", args=[self.gia_lai.pk]),
        ):
            self.assertIn(f'href="{url}"', card, url)
        self.assertIn("Công việc thẩm định", card)
        self.assertIn("Đợt đánh giá năm 2026", card)
        self.assertIn("0/1 xã, phường đã gửi tự chấm · hạn 15/01/2027", card)
        self.assertIn("Xếp hạng năm 2025", card)

    def test_the_inbox_counts_are_those_of_the_inbox(self):
        self.send(self.tam_quan, "2026-10", self.tam_quan_officer)
        response = self.home(self.province_reviewer)
        card = work_card(response.content.decode())
        # One report waiting (of October); Tam Quan has sent nothing for November, due on 2/12.
        self.assertIn("1 báo cáo chờ duyệt; 1 xã, phường chậm gửi tháng 11/2026", card)
        inbox = self.client.get(reverse("dossiers:inbox"))
        self.assertEqual(inbox.status_code, 200)
        self.assertContains(inbox, "Phường Tam Quan")

    def test_a_legacy_reviewer_lands_on_its_district_which_still_works(self):
        response = self.home(self.reviewer)
        self.assertEqual(
            response.redirect_chain, [(reverse("communes:unit_detail", args=[self.hoai_nhon.pk]), 302)]
        )
        card = work_card(response.content.decode())
        self.assertIn(f'href="{reverse("reports:batch_start", args=[self.hoai_nhon.pk])}"', card)
        self.assertIn(f'href="{reverse("reports:report_list", args=[self.hoai_nhon.pk])}"', card)
        self.assertIn(f'href="{reverse("indices:ranking_page", args=[self.round_2023.pk])}"', card)
        # Its communes ended with June 2025: the inbox's month is the latest with a report, not due now.
        self.assertIn("báo cáo chờ duyệt", card)

    def test_an_administrator_sees_no_review_work_it_may_not_do(self):
        response = self.home(self.province_admin)
        self.assertEqual(
            response.redirect_chain, [(reverse("communes:unit_detail", args=[self.gia_lai.pk]), 302)]
        )
        card = work_card(response.content.decode())
        self.assertNotIn(reverse("dossiers:inbox"), card)
        self.assertNotIn(reverse("reports:batch_start", args=[self.gia_lai.pk]), card)
        self.assertIn(f'href="{reverse("indices:framework_list")}"', card)
        self.assertIn(f'href="{reverse("admin:index")}"', card)
        self.assertIn(f'href="{reverse("indices:round_detail", args=[self.round_2026.pk])}"', card)
        # Why the batch is not linked: it is the reviewer's.
        self.assertEqual(
            self.client.get(reverse("reports:batch_start", args=[self.gia_lai.pk])).status_code, 403
        )
        # And the navigation has no inbox for it either.
        self.assertNotContains(response, f'href="{reverse("dossiers:inbox")}"')

    def test_the_navigation_leads_back_to_the_units_page(self):
        response = self.home(self.province_reviewer)
        unit_url = reverse("communes:unit_detail", args=[self.gia_lai.pk])
        self.assertContains(
            response,
            f'<a class="nav-link active" aria-current="page" href="{unit_url}">Tỉnh Gia Lai</a>',
            html=True,
        )
        inbox = self.client.get(reverse("dossiers:inbox"))
        self.assertContains(inbox, f'<a class="nav-link" href="{unit_url}">Tỉnh Gia Lai</a>', html=True)

    def test_commune_people_and_visitors_see_no_work_card(self):
        for user in (self.tam_quan_officer, self.tam_quan_chairman, self.officer):
            with self.subTest(user=user.username):
                response = self.home(user)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(work_card(response.content.decode()), "")
                self.assertNotContains(response, reverse("dossiers:inbox"))
                # The province's page is not theirs.
                url = reverse("communes:unit_detail", args=[self.gia_lai.pk])
                self.assertEqual(self.client.get(url).status_code, 404)
        self.client.logout()
        response = self.client.get(reverse("communes:unit_detail", args=[self.gia_lai.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("login")))

    def test_every_link_of_each_roles_home_opens(self):
        """The permission matrix: each role's home, and every link on it, answers 200 (after its
        redirects) and never the login page. Logout is a form, not a link."""
        self.send(self.tam_quan, "2026-10", self.tam_quan_officer)
        for persona in (
            "province_reviewer",
            "reviewer",
            "province_admin",
            "administrator",
            "tam_quan_officer",
            "tam_quan_chairman",
            "officer",
            "outsider",
        ):
            user = getattr(self, persona)
            response = self.home(user)
            self.assertEqual(response.status_code, 200, persona)
            for href in links_of(response.content.decode()):
                with self.subTest(persona=persona, href=href):
                    answer = self.client.get(href, follow=True)
                    self.assertEqual(answer.status_code, 200, f"{persona}: {href} → {answer.status_code}")
                    final = answer.redirect_chain[-1][0] if answer.redirect_chain else href
                    self.assertNotEqual(urlsplit(final).path, reverse("login"), f"{persona}: {href}")
        response = self.home(None)
        self.assertEqual(urlsplit(response.redirect_chain[-1][0]).path, reverse("login"))

    def test_a_superuser_and_a_person_of_several_units_land_on_the_list_with_each_units_page(self):
        superuser = make_user("sieu", is_superuser=True, is_staff=True)
        self.assertEqual(self.home(superuser).redirect_chain, [(reverse("communes:unit_list"), 302)])
        both = make_user("both", (self.gia_lai, Role.REVIEWER), (self.hoai_nhon, Role.REVIEWER))
        response = self.home(both)
        self.assertEqual(response.redirect_chain, [(reverse("communes:unit_list"), 302)])
        for unit in (self.gia_lai, self.hoai_nhon):
            self.assertContains(response, f'href="{reverse("communes:unit_detail", args=[unit.pk])}"')
        # A reviewer who is also a commune's officer chooses from the navigation too.
        mixed = make_user("mixed", (self.gia_lai, Role.REVIEWER), (self.tam_quan, Role.OFFICER))
        self.assertEqual(self.home(mixed).redirect_chain, [(reverse("communes:unit_list"), 302)])

    def test_a_commune_page_has_no_work_card_even_for_its_reviewer(self):
        self.login(self.province_reviewer)
        response = self.client.get(reverse("communes:unit_detail", args=[self.tam_quan.pk]))
        self.assertEqual(work_card(response.content.decode()), "")

    def test_another_provinces_unit_is_404_for_a_reviewer(self):
        other = make_unit(Era.CURRENT, Level.PROVINCE, Kind.TINH, "44", "Tỉnh Quảng Trị")
        self.login(self.province_reviewer)
        self.assertEqual(self.client.get(reverse("communes:unit_detail", args=[other.pk])).status_code, 404)


@time_machine.travel(TODAY, tick=False)
class ReviewerHomeQueryCountTests(ReviewerHomeData):
    def test_the_query_count_does_not_grow_with_communes_reports_and_rounds(self):
        url = reverse("communes:unit_detail", args=[self.gia_lai.pk])
        self.login(self.province_reviewer)
        # session, user, unit, members, predecessors, successors, readable links, child count,
        # offices; the inbox's counts, from the inbox's own selector (the first commune, the
        # calendar, the communes alive in the month twice, the month's row, its rows, the counts
        # by status, the reports waiting in other months); the unit's latest rounds with their
        # counts; the navigation's memberships.
        with self.assertNumQueries(QUERIES):
            self.client.get(url)
        for number in range(30):
            commune = make_unit(
                Era.CURRENT,
                Level.COMMUNE,
                Kind.XA,
                f"9{number:04d}",
                f"Xã Thử {number}",
                self.gia_lai,
                valid_from=datetime.date(2025, 7, 1),
            )
            officer = make_user(f"officer{number}", (commune, Role.OFFICER))
            self.send(commune, "2026-10" if number % 2 else "2026-11", officer)
        for year in (2027, 2028):
            make_round(self.framework, self.gia_lai, year=year)
        with self.assertNumQueries(QUERIES):
            response = self.client.get(url)
        self.assertContains(response, "30 báo cáo chờ duyệt; 16 xã, phường chậm gửi tháng 11/2026")

    def test_the_administrators_page_counts_flat_too(self):
        url = reverse("communes:unit_detail", args=[self.gia_lai.pk])
        self.login(self.province_admin)
        # As the reviewer's, without the inbox's counts.
        with self.assertNumQueries(ADMIN_QUERIES):
            self.client.get(url)
        for year in (2027, 2028, 2029):
            make_round(self.framework, self.gia_lai, year=year)
        with self.assertNumQueries(ADMIN_QUERIES):
            self.client.get(url)


QUERIES = 19
ADMIN_QUERIES = 11

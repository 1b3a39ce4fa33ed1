"""Work is never lost on a refusal, and nothing irreversible happens unasked, on the Biểu 06 pages.

- After a save with errors the banner names the lĩnh vực and the column of each refused cell,
  linked to it, and the first bad cell (in the order of the grid) has the focus, even without
  JavaScript (``autofocus``).
- "Gửi báo cáo" asks first, naming the period and the commune: a dialog with JavaScript, the
  same question unfolded in the page without.
- The inbox's approval of several reports lists them first: a dialog with JavaScript, a page of
  the server without (the form sends ``ask``; the dialog and that page send ``confirmed``).
"""

from __future__ import annotations

import re

from django.urls import reverse

from dossiers.figures import Figures
from dossiers.forms import cell_name
from dossiers.models import DossierReport, ProcedureField, ReportStatus
from dossiers.tests.test_views_entry import EntryTestCase
from dossiers.tests.test_views_review import ReviewTestCase


class RefusedGridTests(EntryTestCase):
    def setUp(self):
        self.dat_dai = ProcedureField.objects.get(name="Đất đai")

    def post_bad(self, cells: dict):
        self.login(self.officer)
        data = self.grid()
        for (field, column), value in cells.items():
            data[cell_name(field.pk, column)] = value
        return self.client.post(self.url(), data)

    def test_the_banner_names_the_linh_vuc_and_the_column_of_each_error_with_a_link(self):
        response = self.post_bad(
            {
                (self.chung_thuc, "received_in_person"): "-5",
                (self.ho_tich, "received_online"): "abc",
                (self.dat_dai, "pending_overdue"): "2.000.000",
            }
        )
        self.assertEqual(response.status_code, 400)
        html = response.content.decode()
        banner = html[html.index('id="entry-errors"') : html.index('class="entry-form"')]
        self.assertIn("Số liệu chưa được lưu: 3 ô cần sửa, đánh dấu đỏ trong bảng.", banner)
        items = re.findall(r'<li><a href="#([^"]+)" data-cell-link="[^"]+">([^<]+)</a>: ([^<]+)</li>', banner)
        # In the order of the grid: row by row, left to right.
        self.assertEqual(
            [(anchor, where) for anchor, where, _ in items],
            [
                (f"id_{cell_name(self.ho_tich.pk, 'received_online')}", "Hộ tịch – Trực tuyến"),
                (f"id_{cell_name(self.chung_thuc.pk, 'received_in_person')}", "Chứng thực – Trực tiếp"),
                (
                    f"id_{cell_name(self.dat_dai.pk, 'pending_overdue')}",
                    "Đất đai – Quá hạn (Số hồ sơ đang giải quyết)",
                ),
            ],
        )
        self.assertIn("“abc” không phải số nguyên", items[0][2])
        self.assertIn("“-5” là số âm", items[1][2])
        # Each link leads to a cell on the page.
        for anchor, _where, _message in items:
            self.assertIn(f'id="{anchor}"', html)

    def test_the_first_bad_cell_of_the_grid_has_the_focus_and_the_values_are_kept(self):
        response = self.post_bad(
            {(self.chung_thuc, "received_in_person"): "-5", (self.ho_tich, "carried_over"): "abc"}
        )
        html = response.content.decode()
        self.assertEqual(html.count("autofocus"), 1)
        first = re.search(r"<input[^>]*\bautofocus\b[^>]*>", html).group(0)
        self.assertIn(f'id="id_{cell_name(self.ho_tich.pk, "carried_over")}"', first)
        self.assertIn('value="abc"', first)
        self.assertIn('aria-invalid="true"', first)
        self.assertIn('value="-5"', html)
        # The cell is wide enough for its message, which is tied to the input.
        self.assertRegex(html, r'<td data-column="carried_over" class="has-error">')
        self.assertIn(f'id="id_{cell_name(self.ho_tich.pk, "carried_over")}-error"', html)

    def test_an_impossible_row_is_named_too(self):
        self.login(self.officer)
        data = self.grid(ho_tich__online_payments="5", ho_tich__dossiers_with_fees="2")
        response = self.client.post(self.url(), data)
        self.assertContains(response, ">Hộ tịch – Thanh toán trực tuyến</a>: ", status_code=400)

    def test_a_page_that_refused_nothing_focuses_nothing(self):
        self.login(self.officer)
        html = self.client.get(self.url()).content.decode()
        self.assertNotIn("autofocus", html)
        self.assertNotIn('id="entry-errors"', html)

    def test_a_stale_save_keeps_its_message_in_the_banner(self):
        self.saved()
        self.login(self.officer)
        response = self.client.post(self.url(), self.balanced(version=0))
        self.assertEqual(response.status_code, 409)
        html = response.content.decode()
        self.assertIn('id="entry-errors"', html)
        self.assertNotIn("ô cần sửa", html)


class SendConfirmationTests(EntryTestCase):
    def test_the_chairman_is_asked_naming_the_period_and_the_commune(self):
        self.login(self.chairman)
        html = self.client.get(self.url()).content.decode()
        question = "Gửi báo cáo tháng 3/2024 của Xã Hoài Châu đến cơ quan thẩm định?"
        self.assertIn(question, html)
        self.assertIn("Báo cáo tháng 3/2024 của Xã Hoài Châu sẽ được gửi đến cơ quan thẩm định.", html)
        # "Gửi báo cáo" itself sends nothing: it opens the dialog, or without JavaScript unfolds the
        # question; only the buttons under the question send.
        self.assertRegex(
            html, r'<summary class="btn btn-primary" data-confirm-dialog="send-dialog">Gửi báo cáo</summary>'
        )
        sends = [m.start() for m in re.finditer(r'<button type="submit" name="submit"', html)]
        self.assertEqual(len(sends), 2)
        start, dialog = (
            html.index('<details class="confirm-step">'),
            html.index('<dialog class="confirm-dialog" id="send-dialog"'),
        )
        self.assertTrue(start < sends[0] < dialog < sends[1])
        self.assertIn("Xác nhận gửi báo cáo tháng 3/2024", html)
        self.assertIn("js/confirm.js", html)

    def test_an_officer_is_not_asked_since_it_cannot_send(self):
        self.login(self.officer)
        html = self.client.get(self.url()).content.decode()
        self.assertNotIn('id="send-dialog"', html)
        self.assertNotIn('name="submit"', html)

    def test_the_confirmed_send_still_sends(self):
        self.login(self.chairman)
        self.client.post(self.url(), {**self.balanced(), "submit": "1"})
        self.assertEqual(DossierReport.objects.get().status, ReportStatus.SUBMITTED)


class ApprovalConfirmationTests(ReviewTestCase):
    url = reverse("dossiers:inbox_approve")

    def setUp(self):
        self.first = self.report(self.hoai_chau, Figures(received_online=1, resolved_on_time=1))
        self.second = self.report(
            self.hoai_chau_bac, Figures(received_online=1, resolved_on_time=1), code="2024-02"
        )

    def test_the_inbox_has_a_dialog_that_lists_what_is_ticked(self):
        self.login(self.reviewer)
        html = self.client.get(reverse("dossiers:inbox"), {"ky": "2024-03"}).content.decode()
        start = html.index(f'action="{self.url}?ky=2024-03"')
        form = html[start : html.index("</form>", start)]
        self.assertIn('<input type="hidden" name="ask" value="1">', form)
        ticked = f'id="report-{self.first.pk}" data-confirm-item="Xã Hoài Châu – tháng 3/2024"'
        self.assertIn(ticked, form)
        self.assertIn('data-confirm-dialog="approve-dialog"', form)
        self.assertIn('<dialog class="confirm-dialog" id="approve-dialog"', form)
        self.assertIn('name="confirmed" value="1"', form)
        self.assertIn("js/confirm.js", form)
        # The other month's report is ticked in its own month's table.
        html = self.client.get(reverse("dossiers:inbox"), {"ky": "2024-02"}).content.decode()
        self.assertIn('data-confirm-item="Xã Hoài Châu Bắc – tháng 2/2024"', html)

    def test_without_javascript_the_server_lists_them_and_approves_nothing_yet(self):
        self.login(self.reviewer)
        response = self.client.post(self.url, {"ask": "1", "report": [self.first.pk, self.second.pk]})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Duyệt 2 báo cáo?")
        self.assertContains(response, "<li>Xã Hoài Châu – tháng 3/2024</li>")
        self.assertContains(response, "<li>Xã Hoài Châu Bắc – tháng 2/2024</li>")
        self.assertContains(response, f'<input type="hidden" name="report" value="{self.first.pk}">')
        self.assertContains(response, 'name="confirmed" value="1"')
        self.assertEqual(
            set(DossierReport.objects.values_list("status", flat=True)), {ReportStatus.SUBMITTED}
        )

        response = self.client.post(
            self.url, {"report": [self.first.pk, self.second.pk], "confirmed": "1"}, follow=True
        )
        self.assertContains(response, "Đã duyệt 2 báo cáo.")
        self.assertEqual(set(DossierReport.objects.values_list("status", flat=True)), {ReportStatus.APPROVED})

    def test_confirmed_in_the_dialog_it_approves_at_once(self):
        self.login(self.reviewer)
        response = self.client.post(self.url, {"ask": "1", "confirmed": "1", "report": [self.first.pk]})
        self.assertRedirects(response, reverse("dossiers:inbox"), fetch_redirect_response=False)
        self.first.refresh_from_db()
        self.assertEqual(self.first.status, ReportStatus.APPROVED)

    def test_asking_about_a_report_out_of_reach_or_nothing_is_refused_as_before(self):
        theirs = self.report(self.phuoc_hung, Figures(received_online=1, resolved_on_time=1))
        self.login(self.reviewer)
        response = self.client.post(self.url, {"ask": "1", "report": [self.first.pk, theirs.pk]})
        self.assertEqual(response.status_code, 404)
        response = self.client.post(self.url, {"ask": "1"}, follow=True)
        self.assertContains(response, "Chưa chọn báo cáo nào để duyệt.")

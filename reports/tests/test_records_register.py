"""The register of directive documents: the list with its year × type table and filters, adding,
editing, deleting, importing from Excel, and the selectors the composer reuses."""

from __future__ import annotations

import datetime

from django.urls import reverse

from reports.models import DirectiveDocument
from reports.selectors.records import document_counts, document_counts_between

from .test_records_fixtures import READ_MATRIX, RecordsTestCase, write_matrix
from .test_records_plan import xlsx

DOCUMENT = {
    "number_symbol": "14/KH-UBND",
    "issued_on": "19/02/2021",
    "type_code": "",
    "summary": "Kế hoạch kiểm tra công tác cải cách hành chính năm 2021",
}
HEADER = ["Số, ký hiệu", "Ngày ban hành", "Loại", "Trích yếu"]


class RegisterListTests(RecordsTestCase):
    def url(self, unit=None):
        return reverse("reports:document_list", args=[(unit or self.hoai_chau).pk])

    def fill(self):
        self.make_document()
        self.make_document(symbol="03/QĐ-UBND", day=datetime.date(2021, 1, 6), type_code="QĐ")
        self.make_document(symbol="05/KH-UBND", day=datetime.date(2022, 1, 21))
        self.make_document(symbol="02/UBND-VP", day=datetime.date(2022, 2, 19), type_code="CV")

    def test_permission_matrix(self):
        self.assert_access_matrix(self.url(), READ_MATRIX)

    def test_counts_by_year_and_type(self):
        self.fill()
        self.make_document(unit=self.hoai_chau_bac)  # another commune's: not counted
        counts = document_counts(self.hoai_chau, [2020, 2021, 2022])
        self.assertEqual(counts, {2020: {}, 2021: {"KH": 1, "QĐ": 1}, 2022: {"KH": 1, "CV": 1}})
        self.login(self.reviewer)
        register = self.client.get(self.url()).context["register"]
        self.assertEqual([row["year"] for row in register.table], [2022, 2021])
        self.assertEqual([code for code, _label in register.types], ["KH", "QĐ", "CV"])
        self.assertEqual(register.table[0]["cells"], [1, 0, 1])
        self.assertEqual(register.column_totals, [2, 1, 1])
        self.assertEqual(register.total, 4)

    def test_filter_by_year_and_type(self):
        self.fill()
        self.login(self.officer)

        def symbols(query):
            return [d.number_symbol for d in self.client.get(self.url(), query).context["register"].documents]

        self.assertEqual(symbols({"nam": 2021}), ["03/KH-UBND", "03/QĐ-UBND"])
        self.assertEqual(symbols({"nam": 2022, "loai": "CV"}), ["02/UBND-VP"])
        self.assertEqual(len(symbols({"nam": "abc"})), 4)  # an invalid filter is ignored

    def test_counts_between_two_days_both_included(self):
        self.fill()
        first, last = datetime.date(2021, 1, 6), datetime.date(2022, 1, 21)
        self.assertEqual(
            document_counts_between(self.hoai_chau, first, last), {2021: {"KH": 1, "QĐ": 1}, 2022: {"KH": 1}}
        )
        inside = (first + datetime.timedelta(days=1), last - datetime.timedelta(days=1))
        self.assertEqual(document_counts_between(self.hoai_chau, *inside), {2021: {"KH": 1}})
        self.assertEqual(document_counts(self.hoai_chau, []), {})

    def test_query_count_does_not_grow_with_documents(self):
        self.fill()
        self.login(self.officer)
        # session, user, readable unit, years, counts, documents, may-write, places
        with self.assertNumQueries(8):
            self.client.get(self.url())
        for number in range(40):
            self.make_document(
                symbol=f"{100 + number}/QĐ-UBND", day=datetime.date(2023, 3, 1), type_code="QĐ"
            )
        with self.assertNumQueries(8):
            response = self.client.get(self.url())
        self.assertEqual(len(response.context["register"].documents), 44)


class RegisterWriteTests(RecordsTestCase):
    def test_create_matrix_reads_the_type_from_the_symbol(self):
        url = reverse("reports:document_create", args=[self.hoai_chau.pk])
        self.assert_access_matrix(url, write_matrix(200))
        refused = {k: v for k, v in write_matrix(302).items() if k not in ("officer", "chairman")}
        self.assert_access_matrix(url, refused, method="post", data=DOCUMENT)
        self.assertFalse(DirectiveDocument.objects.exists())
        self.assert_access_matrix(url, {"officer": 302}, method="post", data=DOCUMENT)
        document = DirectiveDocument.objects.get()
        self.assertEqual(
            (document.type_code, document.number, document.issued_on), ("KH", 14, datetime.date(2021, 2, 19))
        )

    def test_a_number_the_database_cannot_hold_is_no_number_not_a_crash(self):
        url = reverse("reports:document_create", args=[self.hoai_chau.pk])
        self.login(self.officer)
        for symbol in ("²/TB-UBND", "99999999999/TB-UBND"):
            with self.subTest(symbol=symbol):
                response = self.client.post(url, {**DOCUMENT, "number_symbol": symbol, "type_code": "TB"})
                self.assertNotEqual(response.status_code, 500)
        self.assertEqual(set(DirectiveDocument.objects.values_list("number", flat=True)), {None})

    def test_a_duplicate_in_the_same_year_is_refused(self):
        self.make_document(symbol="14/KH-UBND", day=datetime.date(2021, 3, 1))
        self.login(self.officer)
        url = reverse("reports:document_create", args=[self.hoai_chau.pk])
        response = self.client.post(url, {**DOCUMENT, "number_symbol": "14 / KH-UBND"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("đã có trong sổ", response.context["form"].errors["number_symbol"][0])
        self.assertEqual(DirectiveDocument.objects.count(), 1)
        # Numbers start again each year: 14/KH-UBND of 2022 is another document.
        self.assertEqual(self.client.post(url, {**DOCUMENT, "issued_on": "19/02/2022"}).status_code, 302)

    def test_an_unreadable_symbol_needs_a_type_and_a_bad_date_is_refused(self):
        self.login(self.officer)
        url = reverse("reports:document_create", args=[self.hoai_chau.pk])
        response = self.client.post(url, {**DOCUMENT, "issued_on": "2021/02/30"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.context["form"].errors), {"issued_on"})
        response = self.client.post(url, {**DOCUMENT, "number_symbol": "14/XYZ"})
        self.assertEqual(set(response.context["form"].errors), {"type_code"})
        self.assertFalse(DirectiveDocument.objects.exists())

    def test_edit_keeps_itself_out_of_the_duplicate_check(self):
        document = self.make_document(symbol="14/KH-UBND", day=datetime.date(2021, 2, 19))
        url = reverse("reports:document_edit", args=[document.pk])
        self.assert_access_matrix(url, write_matrix(200))
        self.assert_access_matrix(
            url, write_matrix(302), method="post", data={**DOCUMENT, "summary": "Trích yếu mới"}
        )
        document.refresh_from_db()
        self.assertEqual(document.summary, "Trích yếu mới")

    def test_delete_asks_then_deletes(self):
        document = self.make_document()
        url = reverse("reports:document_delete", args=[document.pk])
        self.assert_access_matrix(url, write_matrix(200))
        refused = {k: v for k, v in write_matrix(302).items() if k not in ("officer", "chairman")}
        self.assert_access_matrix(url, refused, method="post")
        self.assertTrue(DirectiveDocument.objects.exists())
        self.assert_access_matrix(url, {"chairman": 302}, method="post")
        self.assertFalse(DirectiveDocument.objects.exists())


class RegisterImportViewTests(RecordsTestCase):
    url = property(lambda self: reverse("reports:document_import", args=[self.hoai_chau.pk]))

    def test_matrix(self):
        self.assert_access_matrix(self.url, write_matrix(200))
        good = [HEADER, ["03/KH-UBND", "26/01/2021", "", "Kế hoạch CCHC năm 2021"]]
        refused = {k: v for k, v in write_matrix(302).items() if k not in ("officer", "chairman")}
        for persona, status in refused.items():
            self.assert_access_matrix(self.url, {persona: status}, method="post", data={"file": xlsx(good)})
        self.assertFalse(DirectiveDocument.objects.exists())

    def test_a_good_list_is_imported(self):
        self.login(self.officer)
        rows = [
            ["SỔ VĂN BẢN CHỈ ĐẠO, ĐIỀU HÀNH CCHC"],
            HEADER,
            ["03/KH-UBND", datetime.datetime(2021, 1, 26), "", "Kế hoạch CCHC năm 2021"],
            ["03/QĐ-UBND", "06/01/2021", "Quyết định", "Ban hành quy chế văn hóa công vụ"],
            ["02/UBND-VP", "19/02/2021", None, "Khắc phục tồn tại, hạn chế"],
            ["148", "21/07/2021", "QD", "Quy chế phối hợp"],
        ]
        response = self.client.post(self.url, {"file": xlsx(rows)})
        self.assertRedirects(response, reverse("reports:document_list", args=[self.hoai_chau.pk]))
        saved = dict(DirectiveDocument.objects.values_list("number_symbol", "type_code"))
        self.assertEqual(saved, {"03/KH-UBND": "KH", "03/QĐ-UBND": "QĐ", "02/UBND-VP": "CV", "148": "QĐ"})

    def test_problems_by_row_and_column_and_nothing_saved(self):
        self.make_document(symbol="03/KH-UBND", day=datetime.date(2021, 1, 26))
        self.login(self.officer)
        rows = [
            HEADER,
            ["05/KH-UBND", "28/01/2021", "", "Hợp lệ"],
            ["03/KH-UBND", "01/02/2021", "", "Đã có trong sổ"],
            ["06/KH-UBND", "31/02/2021", "", "Ngày không có thật"],
            ["07/ABC-UBND", "02/02/2021", "", "Không rõ loại"],
            ["08/KH-UBND", "02/02/2021", "Thư", "Loại lạ"],
            ["05/KH-UBND", "03/03/2021", "", "Trùng dòng 2"],
            ["", "", "", "Thiếu số và ngày"],
        ]
        response = self.client.post(self.url, {"file": xlsx(rows)})
        self.assertEqual(response.status_code, 400)
        problems = {(p.row, p.column) for p in response.context["result"].problems}
        self.assertEqual(problems, {(3, "A"), (4, "B"), (5, "C"), (6, "C"), (7, "A"), (8, "A"), (8, "B")})
        self.assertContains(response, "đã có ở dòng 2", status_code=400)
        self.assertEqual(DirectiveDocument.objects.count(), 1)

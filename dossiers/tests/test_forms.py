from django.test import SimpleTestCase

from dossiers.forms import EntryForm, cell_name, parse_figure
from dossiers.models import ProcedureField


class ParseFigureTests(SimpleTestCase):
    def test_it_reads_numbers_as_people_type_them(self):
        for text, value in [
            ("", 0),
            ("  ", 0),
            ("7", 7),
            ("1.292", 1292),
            ("1 292", 1292),
            ("12.345.678", 12345678),
        ]:
            with self.subTest(text=text):
                self.assertEqual(parse_figure(text), value)

    def test_it_refuses_what_is_not_a_whole_number(self):
        for text in ("abc", "1,5", "2.5", "12.34", "1.2345", "1e3", "--1"):
            with self.subTest(text=text), self.assertRaises(ValueError) as caught:
                parse_figure(text)
            self.assertIn("không phải số nguyên", str(caught.exception))

    def test_it_refuses_negative_numbers_saying_so(self):
        with self.assertRaises(ValueError) as caught:
            parse_figure("-3")
        self.assertIn("số âm", str(caught.exception))


class EntryFormTests(SimpleTestCase):
    fields = [ProcedureField(pk=1, name="Hộ tịch"), ProcedureField(pk=2, name="Chứng thực")]

    def form(self, **cells):
        data = {"version": "0"}
        data.update({cell_name(*key.split("__")): value for key, value in cells.items()})
        return EntryForm(data, fields=self.fields)

    def test_a_consistent_grid_gives_figures_per_field(self):
        form = self.form(**{"1__received_online": "1.184", "1__resolved_on_time": "1.184"})
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.lines()[1].received_online, 1184)
        self.assertEqual(form.lines()[2].received_total, 0)
        self.assertEqual(form.warnings, {})

    def test_an_error_sits_beside_the_cell_that_caused_it(self):
        form = self.form(**{"2__received_postal": "abc"})
        self.assertFalse(form.is_valid())
        self.assertEqual(list(form.errors), [cell_name(2, "received_postal")])

    def test_an_impossible_row_marks_the_offending_cell(self):
        form = self.form(**{"1__online_payments": "5", "1__dossiers_with_fees": "2"})
        self.assertFalse(form.is_valid())
        self.assertIn("lớn hơn số hồ sơ có thu phí", form.errors[cell_name(1, "online_payments")][0])

    def test_an_unbalanced_row_is_only_a_warning(self):
        form = self.form(**{"1__received_online": "5", "1__resolved_on_time": "3"})
        self.assertTrue(form.is_valid())
        self.assertEqual([p.field for p in form.warnings[1]], ["received_total"])

    def test_initial_values_are_written_the_vietnamese_way(self):
        from dossiers.figures import Figures

        initial = EntryForm.initial_for(self.fields, {1: Figures(received_online=1292)}, 3)
        self.assertEqual(initial[cell_name(1, "received_online")], "1.292")
        self.assertEqual(initial[cell_name(1, "carried_over")], "")
        self.assertEqual(initial["version"], 3)

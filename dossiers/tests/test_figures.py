from django.test import SimpleTestCase

from dossiers.figures import Figures, Level, check


class TotalsTests(SimpleTestCase):
    def test_totals_follow_bieu_06(self):
        f = Figures(
            received_online=10,
            received_in_person=5,
            received_postal=2,
            carried_over=3,
            resolved_early=4,
            resolved_on_time=9,
            resolved_late=1,
            pending_in_time=5,
            pending_overdue=1,
        )
        self.assertEqual(f.received_in_person_or_postal, 7)  # col 5 = in person + postal
        self.assertEqual(f.received_total, 20)  # col 3 = col 4 + col 5 + col 6
        self.assertEqual(f.resolved_total, 14)  # col 7 = col 8 + col 9 + col 10
        self.assertEqual(f.pending_total, 6)  # col 11 = col 12 + col 13

    def test_figures_add_up_field_by_field(self):
        total = Figures(received_online=1, apology_letters=1) + Figures(received_online=2, pakn_received=3)
        self.assertEqual((total.received_online, total.apology_letters, total.pakn_received), (3, 1, 3))
        self.assertEqual(sum([Figures(resolved_late=1)] * 3, Figures()).resolved_late, 3)


class RateTests(SimpleTestCase):
    def test_the_seed_000_rates_of_hoai_chau_2023(self):
        f = Figures(
            received_online=1184,
            received_in_person=108,
            resolved_early=300,
            resolved_on_time=992,
            online_payments=586,
            dossiers_with_fees=618,
        )
        self.assertEqual(f.resolved_total, 1292)
        self.assertEqual(f.online_rate_text, "91,64%")
        self.assertEqual(f.payment_rate_text, "94,82%")
        self.assertEqual(f.on_time_rate_text, "100,00%")

    def test_the_late_rate_is_late_over_resolved(self):
        self.assertEqual(Figures(resolved_on_time=671, resolved_late=58).late_rate_text, "7,96%")
        self.assertEqual(Figures(resolved_on_time=1000, resolved_late=0).late_rate_text, "0,00%")

    def test_a_rate_without_a_base_is_empty_not_zero(self):
        f = Figures()
        self.assertIsNone(f.online_rate)
        self.assertEqual(f.online_rate_text, "")
        self.assertEqual(f.payment_rate_text, "")


class CheckTests(SimpleTestCase):
    def problems(self, **values):
        return {(p.field, p.level) for p in check(Figures(**values))}

    def test_consistent_figures_have_no_problem(self):
        self.assertEqual(
            self.problems(
                received_online=5,
                resolved_on_time=4,
                pending_in_time=1,
                online_payments=2,
                dossiers_with_fees=2,
            ),
            set(),
        )

    def test_received_not_equal_to_resolved_plus_pending_is_a_warning(self):
        self.assertEqual(
            self.problems(received_online=5, resolved_on_time=3), {("received_total", Level.WARNING)}
        )

    def test_more_payments_than_dossiers_with_fees_is_an_error(self):
        self.assertIn(
            ("online_payments", Level.ERROR), self.problems(online_payments=3, dossiers_with_fees=2)
        )

    def test_more_pakn_resolved_than_received_is_an_error(self):
        self.assertIn(("pakn_resolved", Level.ERROR), self.problems(pakn_received=1, pakn_resolved=2))

    def test_more_digitised_results_than_resolved_dossiers_is_an_error(self):
        problems = self.problems(received_online=1, resolved_on_time=1, digitised_results=2)
        self.assertIn(("digitised_results", Level.ERROR), problems)

    def test_more_apologies_than_late_dossiers_is_an_error(self):
        problems = self.problems(received_online=2, resolved_late=1, pending_overdue=1, apology_letters=3)
        self.assertIn(("apology_letters", Level.ERROR), problems)
        ok = self.problems(received_online=2, resolved_late=1, pending_overdue=1, apology_letters=2)
        self.assertNotIn(("apology_letters", Level.ERROR), ok)

    def test_negative_values_are_errors(self):
        self.assertIn(("received_online", Level.ERROR), self.problems(received_online=-1))

    def test_messages_are_vietnamese_and_name_the_numbers(self):
        (problem,) = check(Figures(online_payments=3, dossiers_with_fees=2))
        self.assertEqual(
            problem.message,
            "Số giao dịch thanh toán trực tuyến (3) lớn hơn số hồ sơ có thu phí, lệ phí (2).",
        )

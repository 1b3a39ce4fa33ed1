from django.db import IntegrityError, models
from django.test import TestCase

from core.periods import PeriodSyntaxError
from dossiers.figures import COLUMN_NAMES
from dossiers.models import DossierLine, Period, ProcedureField


class CatalogueTests(TestCase):
    def test_the_common_fields_are_there_in_order(self):
        names = list(ProcedureField.objects.values_list("name", flat=True))
        self.assertEqual(len(names), 12)
        self.assertEqual(names[:3], ["Hộ tịch", "Chứng thực", "Đất đai"])
        self.assertIn("Bảo hiểm xã hội", names)

    def test_a_field_is_known_by_its_seed_names_whatever_their_diacritics(self):
        bhxh = ProcedureField.objects.get(name="Bảo hiểm xã hội")
        self.assertIn("bhxh", bhxh.match_keys())
        self.assertIn("bao hiem xa hoi", bhxh.match_keys())
        self.assertIn("bao tro xh", ProcedureField.objects.get(name="Bảo trợ xã hội").match_keys())


class PeriodModelTests(TestCase):
    def test_a_period_is_created_once_per_code(self):
        march = Period.for_code("2024-03")
        self.assertEqual(Period.for_code("2024-03"), march)
        self.assertEqual((march.code, march.label), ("2024-03", "tháng 3/2024"))
        self.assertEqual(Period.objects.count(), 1)

    def test_a_bad_code_creates_nothing(self):
        with self.assertRaises(PeriodSyntaxError):
            Period.for_code("2024-13")
        self.assertFalse(Period.objects.exists())

    def test_the_same_period_cannot_exist_twice(self):
        Period.objects.create(kind="month", year=2024, number=3)
        with self.assertRaises(IntegrityError):
            Period.objects.create(kind="month", year=2024, number=3)


class LineTests(TestCase):
    def test_the_line_stores_exactly_the_columns_of_the_figures(self):
        stored = [
            f.name for f in DossierLine._meta.get_fields() if isinstance(f, models.PositiveIntegerField)
        ]
        self.assertEqual(tuple(stored), COLUMN_NAMES)

from django.core.management import CommandError, call_command
from django.test import TestCase

from dossiers.figures import Level, check
from dossiers.models import DossierLine, DossierReport


class GenerateSyntheticTests(TestCase):
    def test_it_fills_one_province_with_consistent_figures(self):
        call_command("generate_synthetic", "--province", "52", "--months", "2", "--fields", "3", verbosity=0)
        reports = DossierReport.objects.all()
        communes = reports.values("unit").distinct().count()
        self.assertEqual(communes, 135)  # Gia Lai's 2025 communes
        self.assertEqual(reports.count(), 135 * 2)
        self.assertEqual(DossierLine.objects.count(), 135 * 2 * 3)
        for line in DossierLine.objects.all()[:200]:
            self.assertEqual([p for p in check(line.figures) if p.level == Level.ERROR], [])
            self.assertEqual(
                line.figures.received_total, line.figures.resolved_total + line.figures.pending_total
            )

    def test_it_does_not_overwrite_without_replace(self):
        args = ("generate_synthetic", "--province", "52", "--months", "1", "--fields", "1")
        call_command(*args, verbosity=0)
        with self.assertRaises(CommandError):
            call_command(*args, verbosity=0)
        call_command(*args, "--replace", verbosity=0)
        self.assertEqual(DossierReport.objects.count(), 135)

    def test_bad_arguments_are_refused(self):
        for args in (("--end", "2025"), ("--months", "0"), ("--province", "99")):
            with self.subTest(args=args), self.assertRaises(CommandError):
                call_command("generate_synthetic", *args, verbosity=0)

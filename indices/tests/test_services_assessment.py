"""The commune's self-scoring, evidence files and submission (indices.services.assessment)."""

from __future__ import annotations

import os
import shutil
import tempfile
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from core.testing import PortalTestCase
from indices.models import AssessmentStatus, Evidence, Score
from indices.services.assessment import (
    AssessmentLocked,
    NotALeaf,
    assessment_score_save,
    assessment_submit,
    evidence_delete,
    evidence_upload,
)
from indices.testing import make_framework, make_round

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
MEDIA = tempfile.mkdtemp(prefix="evidence-tests-")


def pdf(name: str = "ke-hoach.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@override_settings(MEDIA_ROOT=MEDIA)
class SelfAssessmentServiceTestCase(PortalTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.addClassCleanup(shutil.rmtree, MEDIA, ignore_errors=True)

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework = make_framework(cls.binh_dinh)
        cls.round = make_round(cls.framework, cls.hoai_nhon)
        cls.assessment = cls.round.assessments.get(unit=cls.hoai_chau)
        cls.c = {c.code: c for c in cls.framework.criteria.all()}

    def score(self, code: str) -> Score:
        return Score.objects.get(assessment=self.assessment, criterion=self.c[code])

    def save(self, code: str, value, note: str = "") -> Score:
        return assessment_score_save(
            assessment=self.assessment, criterion=self.c[code], self_score=value, note=note, user=self.officer
        )

    def attach(self, code: str, upload=None) -> Evidence:
        return evidence_upload(
            assessment=self.assessment, criterion=self.c[code], upload=upload or pdf(), user=self.officer
        )

    def lock(self) -> None:
        self.assessment.status = AssessmentStatus.SUBMITTED
        self.assessment.save(update_fields=["status"])


class ScoreSaveTests(SelfAssessmentServiceTestCase):
    def test_a_decimal_comma_and_a_decimal_point_mean_the_same(self):
        self.save("2.1", "1,75")
        self.assertEqual(self.score("2.1").self_score, Decimal("1.75"))
        self.save("2.1", "2.25")
        self.assertEqual(self.score("2.1").self_score, Decimal("2.25"))

    def test_saving_stores_the_totals_capped_per_node(self):
        self.save("2.1", "4,5")
        self.save("1.2.1", "3")
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.self_total, Decimal("7.50"))
        self.assertEqual(self.score("2.1").updated_by, self.officer)

    def test_an_empty_score_clears_the_leaf(self):
        self.save("2.1", "3")
        self.save("2.1", "")
        self.assertIsNone(self.score("2.1").self_score)
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.self_total, Decimal("0"))

    def assert_refused(self, code: str, value, words: str, note: str = "") -> None:
        self.save("2.1", "2")
        before = self.score(code)
        with self.assertRaises(ValidationError) as caught:
            self.save(code, value, note)
        self.assertIn(words, " ".join(caught.exception.messages))
        after = self.score(code)
        self.assertEqual((after.self_score, after.note), (before.self_score, before.note))
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.self_total, Decimal("2.00"))

    def test_a_score_that_is_not_a_number_is_refused(self):
        self.assert_refused("2.1", "ba", "không phải là số điểm")
        self.assert_refused("2.1", "1,2,5", "không phải là số điểm")
        self.assert_refused("2.1", "NaN", "không phải là số điểm")

    def test_a_negative_score_is_refused(self):
        self.assert_refused("2.1", "-1", "không được âm")

    def test_a_score_over_the_leaf_max_is_refused(self):
        self.assert_refused("2.1", "5,25", "vượt điểm tối đa 5 của tiêu chí 2.1")

    def test_a_score_off_the_step_is_refused(self):
        self.assert_refused("2.1", "1,8", "bội số của 0,25")

    def test_an_automatic_leaf_is_not_typed(self):
        self.assert_refused("1.2.2", "3", "tính tự động")

    def test_a_survey_leaf_is_not_typed(self):
        self.assert_refused("2.2", "3", "cơ quan thẩm định nhập")

    def test_an_evidence_required_leaf_with_points_needs_a_file_or_a_note(self):
        self.assert_refused(
            "1.1", "3", "Tiêu chí này cần tài liệu kiểm chứng: hãy tải tệp lên hoặc ghi giải trình."
        )

    def test_an_evidence_required_leaf_takes_a_note_instead_of_a_file(self):
        self.save("1.1", "3", note="Kế hoạch đang trình ký, sẽ bổ sung.")
        self.assertEqual(self.score("1.1").note, "Kế hoạch đang trình ký, sẽ bổ sung.")

    def test_an_evidence_required_leaf_with_a_file_needs_no_note(self):
        self.attach("1.1")
        self.save("1.1", "3,75")
        self.assertEqual(self.score("1.1").self_score, Decimal("3.75"))

    def test_an_evidence_required_leaf_may_score_zero_without_evidence(self):
        self.save("1.1", "0")
        self.assertEqual(self.score("1.1").self_score, Decimal("0"))

    def test_a_criterion_of_another_framework_is_not_a_leaf_here(self):
        other = make_framework(self.binh_dinh, name="Bộ khác")
        with self.assertRaises(NotALeaf):
            assessment_score_save(
                assessment=self.assessment,
                criterion=other.criteria.get(code="2.1"),
                self_score="1",
                note="",
                user=self.officer,
            )

    def test_a_parent_criterion_is_not_a_leaf(self):
        with self.assertRaises(NotALeaf):
            self.save("1.2", "1")

    def test_a_submitted_assessment_is_not_changed(self):
        self.save("2.1", "2")
        self.lock()
        with self.assertRaises(AssessmentLocked) as caught:
            self.save("2.1", "3")
        self.assertIn("đã gửi, không sửa được", caught.exception.messages[0])
        self.assertEqual(self.score("2.1").self_score, Decimal("2"))


class EvidenceServiceTests(SelfAssessmentServiceTestCase):
    def test_an_upload_is_stored_under_a_random_name_with_its_safe_original_name(self):
        evidence = self.attach("1.1", pdf("../../Kế hoạch CCHC.pdf"))
        self.assertEqual(evidence.original_name, "Kế_hoạch_CCHC.pdf")
        self.assertEqual(evidence.content_type, "application/pdf")
        self.assertEqual(evidence.size, len(PDF))
        self.assertRegex(evidence.file.name, r"^evidence/2023/[0-9a-f]{32}\.pdf$")
        self.assertTrue(os.path.exists(os.path.join(MEDIA, evidence.file.name)))
        with evidence.file.open("rb") as handle:
            self.assertEqual(handle.read(), PDF)

    def test_a_bad_file_leaves_no_row_and_no_file(self):
        before = set(_files())
        with self.assertRaises(ValidationError):
            self.attach("1.1", SimpleUploadedFile("ke-hoach.pdf", b"#!/bin/sh\n"))
        self.assertFalse(Evidence.objects.exists())
        self.assertEqual(set(_files()), before)

    def test_the_eleventh_file_of_a_leaf_is_refused(self):
        for number in range(10):
            self.attach("1.1", pdf(f"tep-{number}.pdf"))
        with self.assertRaises(ValidationError) as caught:
            self.attach("1.1")
        self.assertIn("tối đa", caught.exception.messages[0])
        self.assertEqual(Evidence.objects.count(), 10)

    def test_a_survey_leaf_takes_no_file(self):
        with self.assertRaises(ValidationError):
            self.attach("2.2")
        self.assertFalse(Evidence.objects.exists())

    def test_no_file_is_added_after_submission(self):
        self.lock()
        with self.assertRaises(AssessmentLocked):
            self.attach("1.1")
        self.assertFalse(Evidence.objects.exists())

    def test_deleting_removes_the_row_and_then_the_file(self):
        evidence = self.attach("1.1")
        path = os.path.join(MEDIA, evidence.file.name)
        with self.captureOnCommitCallbacks(execute=True):
            evidence_delete(evidence=evidence, user=self.officer)
        self.assertFalse(Evidence.objects.exists())
        self.assertFalse(os.path.exists(path))

    def test_nothing_is_deleted_after_submission(self):
        evidence = self.attach("1.1")
        self.lock()
        with self.assertRaises(AssessmentLocked):
            evidence_delete(evidence=evidence, user=self.officer)
        self.assertTrue(Evidence.objects.filter(pk=evidence.pk).exists())


def _files() -> list[str]:
    return [os.path.join(root, name) for root, _dirs, names in os.walk(MEDIA) for name in names]


class SubmitTests(SelfAssessmentServiceTestCase):
    def test_the_chairman_submits_and_the_assessment_is_locked(self):
        self.save("2.1", "4")
        assessment_submit(assessment=self.assessment, user=self.chairman)
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.status, AssessmentStatus.SUBMITTED)
        self.assertEqual(self.assessment.submitted_by, self.chairman)
        self.assertIsNotNone(self.assessment.submitted_at)
        self.assertEqual(self.assessment.self_total, Decimal("4.00"))
        with self.assertRaises(AssessmentLocked):
            assessment_submit(assessment=self.assessment, user=self.chairman)

    def test_an_officer_does_not_submit(self):
        with self.assertRaises(PermissionDenied):
            assessment_submit(assessment=self.assessment, user=self.officer)
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.status, AssessmentStatus.DRAFT)

    def test_submission_is_refused_while_an_evidence_leaf_with_points_has_neither_file_nor_note(self):
        # The state a deleted file leaves behind: points, no file, no note.
        Score.objects.filter(assessment=self.assessment, criterion=self.c["1.1"]).update(self_score=3)
        with self.assertRaises(ValidationError) as caught:
            assessment_submit(assessment=self.assessment, user=self.chairman)
        self.assertIn("1.1", caught.exception.messages[0])
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.status, AssessmentStatus.DRAFT)
        self.assertIsNone(self.assessment.submitted_at)

    def test_submission_refreshes_the_automatic_leaves(self):
        # A stale automatic score: the commune has no dossier figures for 2023, so 0 points.
        Score.objects.filter(assessment=self.assessment, criterion=self.c["1.2.2"]).update(auto_score=3)
        assessment_submit(assessment=self.assessment, user=self.chairman)
        self.assertEqual(self.score("1.2.2").auto_score, Decimal("0"))
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.self_total, Decimal("0"))

"""The admin of frameworks and rounds: scoped to the administrator's province, the whole tree
checked on save, frameworks in use read only with a new version made by an action."""

from __future__ import annotations

from django.urls import reverse

from communes.models import Membership, Role
from core.testing import PortalTestCase, make_user
from indices.models import Framework
from indices.testing import make_framework, make_round


def inline_data(framework: Framework, **changes) -> dict:
    """The POST data of the change form of ``framework`` as it stands, with ``changes`` on top."""
    data = {
        "name": framework.name,
        "issuer": framework.issuer_id,
        "year_from": framework.year_from,
        "year_to": framework.year_to,
        "legal_basis": framework.legal_basis,
        "total_points": str(framework.total_points),
        "step": str(framework.step),
        "group_level": framework.group_level,
        "note": framework.note,
    }
    bands = list(framework.bands.all())
    data.update({"bands-TOTAL_FORMS": len(bands), "bands-INITIAL_FORMS": len(bands)})
    for index, band in enumerate(bands):
        data.update(
            {
                f"bands-{index}-id": band.pk,
                f"bands-{index}-framework": framework.pk,
                f"bands-{index}-label": band.label,
                f"bands-{index}-min_points": str(band.min_points),
                f"bands-{index}-max_points": str(band.max_points),
            }
        )
    criteria = list(framework.criteria.order_by("sort_key"))
    data.update({"criteria-TOTAL_FORMS": len(criteria), "criteria-INITIAL_FORMS": len(criteria)})
    for index, criterion in enumerate(criteria):
        data.update(
            {
                f"criteria-{index}-id": criterion.pk,
                f"criteria-{index}-framework": framework.pk,
                f"criteria-{index}-code": criterion.code,
                f"criteria-{index}-title": criterion.title,
                f"criteria-{index}-max_points": str(criterion.max_points),
                f"criteria-{index}-guide": criterion.guide,
                f"criteria-{index}-rule": criterion.rule,
            }
        )
        if criterion.evidence_required:
            data[f"criteria-{index}-evidence_required"] = "on"
    data.update(changes)
    return data


class FrameworkAdminTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework = make_framework(cls.binh_dinh)
        cls.other = make_framework(cls.gia_lai, name="Bộ chỉ số Gia Lai", years=(2025, 2026))
        cls.superuser = make_user("root", is_staff=True, is_superuser=True)

    def change_url(self, framework: Framework) -> str:
        return reverse("admin:indices_framework_change", args=[framework.pk])

    def test_the_list_is_scoped_to_the_administrators_province(self):
        self.login(self.administrator)
        response = self.client.get(reverse("admin:indices_framework_changelist"))
        self.assertContains(response, "Bộ chỉ số thử")
        self.assertNotContains(response, "Bộ chỉ số Gia Lai")
        self.assertEqual(self.client.get(self.change_url(self.other)).status_code, 302)  # "does not exist"
        self.login(self.superuser)
        self.assertContains(
            self.client.get(reverse("admin:indices_framework_changelist")), "Bộ chỉ số Gia Lai"
        )

    def test_only_administrators_reach_the_framework_admin(self):
        staff_reviewer = make_user("staff_reviewer", (self.hoai_nhon, Role.REVIEWER), is_staff=True)
        self.assert_access_matrix(
            reverse("admin:indices_framework_changelist"),
            {"administrator": 200, "superuser": 200, "officer": 302, "anonymous": 302},
        )
        self.login(staff_reviewer)
        self.assertEqual(self.client.get(reverse("admin:indices_framework_changelist")).status_code, 403)

    def test_a_valid_edit_is_saved(self):
        self.login(self.administrator)
        response = self.client.post(
            self.change_url(self.framework),
            inline_data(self.framework, **{"criteria-6-title": "Kiểm tra công vụ"}),
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        self.assertEqual(self.framework.criteria.get(code="2.1").title, "Kiểm tra công vụ")

    def test_an_edit_breaking_the_sums_is_refused_with_the_message(self):
        self.login(self.administrator)
        response = self.client.post(
            self.change_url(self.framework), inline_data(self.framework, **{"criteria-3-max_points": "2"})
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Các tiêu chí con của 1.2 cộng lại 5 điểm, khác điểm tối đa 6 của 1.2")
        self.assertEqual(str(self.framework.criteria.get(code="1.2.1").max_points), "3.00")

    def test_an_edit_breaking_the_total_or_the_bands_is_refused(self):
        self.login(self.administrator)
        response = self.client.post(
            self.change_url(self.framework), inline_data(self.framework, total_points="25")
        )
        self.assertContains(response, "khác Tổng điểm 25")
        response = self.client.post(
            self.change_url(self.framework), inline_data(self.framework, **{"bands-0-min_points": "17"})
        )
        self.assertContains(response, "có khoảng điểm không thuộc mức nào")
        self.framework.refresh_from_db()
        self.assertEqual(str(self.framework.total_points), "20.00")

    def test_a_new_child_gets_its_parent_from_its_code(self):
        self.login(self.administrator)
        data = inline_data(self.framework)
        count = data["criteria-TOTAL_FORMS"]
        data.update(
            {
                "criteria-TOTAL_FORMS": count + 2,
                f"criteria-{count}-code": "2.1.1",
                f"criteria-{count}-title": "Kiểm tra định kỳ",
                f"criteria-{count}-max_points": "2.5",
                f"criteria-{count}-framework": self.framework.pk,
                f"criteria-{count + 1}-code": "2.1.2",
                f"criteria-{count + 1}-title": "Kiểm tra đột xuất",
                f"criteria-{count + 1}-max_points": "2.5",
                f"criteria-{count + 1}-framework": self.framework.pk,
            }
        )
        response = self.client.post(self.change_url(self.framework), data)
        self.assertEqual(response.status_code, 302, response.content.decode()[-3000:])
        child = self.framework.criteria.get(code="2.1.2")
        self.assertEqual((child.parent.code, child.depth, child.sort_key), ("2.1", 3, "002.001.002"))

    def test_a_framework_in_use_is_read_only_and_gets_a_new_version_by_the_action(self):
        make_round(self.framework, self.hoai_nhon)
        self.login(self.administrator)
        response = self.client.get(self.change_url(self.framework))
        self.assertContains(response, "không sửa được")
        self.assertNotContains(response, 'name="_save"')
        response = self.client.post(
            self.change_url(self.framework), inline_data(self.framework, name="Đổi tên")
        )
        self.assertEqual(response.status_code, 403)
        response = self.client.post(
            reverse("admin:indices_framework_changelist"),
            {"action": "make_new_version", "_selected_action": [self.framework.pk]},
        )
        self.assertEqual(response.status_code, 302)
        copy = Framework.objects.get(previous=self.framework)
        self.assertEqual((copy.version, copy.criteria.count(), copy.bands.count()), (2, 8, 3))
        self.assertContains(self.client.get(self.change_url(copy)), 'name="_save"')


class RoundAdminTests(PortalTestCase):
    def test_rounds_are_listed_in_scope_and_only_the_deadline_changes(self):
        framework = make_framework(self.binh_dinh)
        round_ = make_round(framework, self.hoai_nhon)
        self.login(self.administrator)
        response = self.client.get(reverse("admin:indices_round_changelist"))
        self.assertContains(response, "Thị xã Hoài Nhơn")
        url = reverse("admin:indices_round_change", args=[round_.pk])
        response = self.client.post(url, {"self_deadline": "2024-02-01", "year": "2030"})
        self.assertEqual(response.status_code, 302)
        round_.refresh_from_db()
        self.assertEqual((str(round_.self_deadline), round_.year), ("2024-02-01", 2023))
        self.assertEqual(self.client.get(reverse("admin:indices_round_add")).status_code, 403)
        other = Membership.objects.create(
            user=make_user("admin_gia_lai", is_staff=True), unit=self.gia_lai, role=Role.ADMINISTRATOR
        ).user
        self.login(other)
        self.assertNotContains(self.client.get(reverse("admin:indices_round_changelist")), "Hoài Nhơn")

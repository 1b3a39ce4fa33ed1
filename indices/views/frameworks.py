"""Frameworks: the list, one framework's tree and bands, its Excel file, and the import page.

Who reads a framework: superusers all of them; everyone else those issued by a unit it may read
(``communes.selectors.units_readable_by``) or by a unit above one (a commune's officer reads its
province's framework: it is what the commune is scored on). Only administrators import.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from communes.selectors import places_of, units_administered_by
from core.xlsx import ImportProblem

from .. import frameworks, rules
from ..frameworks import MAX_BYTES, FrameworkData
from ..models import Framework
from ..selectors.access import frameworks_readable_by, get_framework_for_user
from ..services.frameworks import Outcome, framework_import, framework_read

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_SALT = "indices.framework_import"
IMPORT_MAX_AGE = 60 * 60  # a preview is confirmed within the hour


# Pages -------------------------------------------------------------------------------------------


@login_required
def framework_list_view(request):
    """The frameworks the user may read, newest first."""
    items = (
        frameworks_readable_by(request.user)
        .select_related("issuer")
        .annotate(criteria_count=Count("criteria"))
        .order_by("-year_from", "name", "-version")
    )
    return render(
        request,
        "indices/frameworks/list.html",
        {"frameworks": items, "may_import": places_of(request.user).administers},
    )


@login_required
def framework_detail_view(request, pk: int):
    """The tree as an indented table, and the bands."""
    framework = get_framework_for_user(request.user, pk)
    criteria = list(framework.criteria.order_by("sort_key"))
    bands = list(framework.bands.order_by("-min_points"))
    rows = _tree_rows(frameworks.data_of(framework, criteria, bands).nodes)
    band_rows = [
        {
            "label": b.label,
            "low": frameworks.points_text(b.min_points),
            "high": frameworks.points_text(b.max_points),
        }
        for b in bands
    ]
    return render(
        request,
        "indices/frameworks/detail.html",
        {
            "framework": framework,
            "rows": rows,
            "bands": band_rows,
            "leaf_count": sum(1 for row in rows if row["leaf"]),
            "in_use": framework.is_in_use(),
        },
    )


@login_required
def framework_export_view(request, pk: int):
    framework = get_framework_for_user(request.user, pk)
    response = HttpResponse(frameworks.framework_xlsx(framework), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="bo-chi-so-{framework.pk}-v{framework.version}.xlsx"'
    )
    return response


@login_required
def framework_import_view(request):
    """Upload a template: a preview (the tree and facts, or every problem) first, then "Lưu"."""
    if not places_of(request.user).administers:
        raise PermissionDenied(_("Chỉ quản trị viên cấp tỉnh được nhập bộ chỉ số."))
    context: dict = {"result": None, "payload": "", "problems": [], "max_mb": MAX_BYTES // (1024 * 1024)}
    if request.method != "POST":
        return render(request, "indices/frameworks/import.html", context)

    if "payload" in request.POST:
        try:
            payload = signing.loads(request.POST["payload"], salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
        except signing.BadSignature:
            context["error"] = _("Bản xem trước đã hết hạn hoặc không hợp lệ; hãy tải tệp lên lần nữa.")
            return render(request, "indices/frameworks/import.html", context, status=400)
        if payload.get("user") != request.user.pk:
            raise PermissionDenied(_("Bản xem trước thuộc người dùng khác; không có gì được lưu."))
        data = FrameworkData.from_payload(payload["data"])
        issuer = units_administered_by(request.user).filter(pk=payload["data"]["issuer_id"]).first()
        if issuer is None:
            raise PermissionDenied(
                _("Bạn không quản trị đơn vị ban hành bộ chỉ số này; không có gì được lưu.")
            )
        try:
            imported = framework_import(data=data, issuer=issuer)
        except ValidationError as error:
            context["error"] = "; ".join(error.messages)
            return render(request, "indices/frameworks/import.html", context, status=400)
        values = {"name": imported.framework.name, "version": imported.framework.version}
        if imported.outcome == Outcome.NEW_VERSION:
            message = _(
                "Bộ chỉ số “%(name)s” đã được dùng để chấm điểm nên được lưu thành phiên bản %(version)s."
            )
        elif imported.outcome == Outcome.REPLACED:
            message = _("Đã thay nội dung bộ chỉ số “%(name)s”.")
        else:
            message = _("Đã nhập bộ chỉ số “%(name)s”.")
        messages.success(request, message % values)
        return redirect("indices:framework_detail", pk=imported.framework.pk)

    upload = request.FILES.get("file")
    if upload is None:
        context["error"] = _("Hãy chọn tệp Excel (.xlsx) của bộ chỉ số để tải lên.")
        return render(request, "indices/frameworks/import.html", context, status=400)
    if upload.size > MAX_BYTES:
        context["error"] = _("Tệp “%(name)s” lớn hơn 5 MB, không nhập.") % {"name": upload.name}
        return render(request, "indices/frameworks/import.html", context, status=400)
    result = framework_read(upload.read(), filename=upload.name)
    problems = list(result.problems)
    if result.ok and not units_administered_by(request.user).filter(pk=result.data.issuer.pk).exists():
        problems.append(
            ImportProblem(
                frameworks.INFO_SHEET,
                result.data.fact_rows.get("issuer"),
                "B",
                _("Bạn không quản trị %(unit)s nên không nhập được bộ chỉ số do đơn vị này ban hành.")
                % {"unit": result.data.issuer.name},
            )
        )
    if problems:
        context["problems"] = problems
        return render(request, "indices/frameworks/import.html", context, status=400)
    data = result.data
    context.update(
        result=result,
        data=data,
        rows=_tree_rows(data.nodes),
        bands=[
            {
                "label": b.label,
                "low": frameworks.points_text(b.min_points),
                "high": frameworks.points_text(b.max_points),
            }
            for b in data.bands
        ],
        leaf_count=len(data.leaves()),
        existing=Framework.objects.filter(
            name=data.name, issuer=data.issuer, year_from=data.year_from, year_to=data.year_to
        )
        .order_by("-version")
        .first(),
        payload=signing.dumps({"user": request.user.pk, "data": data.to_payload()}, salt=IMPORT_SALT),
    )
    if context["existing"] is not None:
        context["existing_in_use"] = context["existing"].is_in_use()
    return render(request, "indices/frameworks/import.html", context)


INDENT = {0: "", 1: "ps-3"}  # Bootstrap padding classes: no inline style under the CSP


def _tree_rows(nodes: list[frameworks.Node]) -> list[dict]:
    """The nodes in tree order with what the indented table shows."""
    parents = {node.parent_code for node in nodes}
    rows = []
    for node in sorted(nodes, key=lambda n: [int(part) for part in n.code.split(".")]):
        rule_label = ""
        if node.rule:
            try:
                parsed = rules.parse(node.rule)
            except rules.RuleError:
                parsed = None
            rule_label = parsed.label if parsed else node.rule
        rows.append(
            {
                "node": node,
                "depth": node.code.count(".") + 1,
                "leaf": node.code not in parents,
                "rule_label": rule_label,
                "points": frameworks.points_text(node.max_points),
                "indent": INDENT.get(node.code.count("."), "ps-5"),
                "anchor": "tc-" + node.code.replace(".", "-"),
            }
        )
    return rows

"""Printing many reports at once: a reviewer's summary report and the annual report of every
commune under it, as background tasks, collected in one zip.

Where the progress lives. The database backend of django-tasks keeps a task's status and return
value, not its progress, and ``reports/models.py`` has no batch model; so a batch is a folder on
the shared media storage (``MEDIA_ROOT/batches/<uuid>/``), which every app server and worker sees:

- ``batch.json``: written once when the batch starts (who, which unit and year, the list of
  reports to print with their file names);
- ``items/<key>.json`` and ``items/<key>.pdf``: written by the task that prints one report (the
  summary, or one commune's), so two workers never write the same file;
- ``items/<key>.started``: the task has begun that report ("đang in …");
- ``<zip name>``: written by whichever task finishes the last report; an exclusively created
  ``zip.lock`` makes sure only one of them writes it.

Progress is what the folder holds: done = the number of ``items/*.json``. One task per report
lets several workers share a batch (100 reports in under 2 minutes with 2 workers, see
``docs/performance.md``). A commune whose report fails is listed with its error; the others go on.

A commune that has issued its annual report for the year gets that issued PDF (the signed
document). The others get a draft composed from the data: composed, rendered, then rolled back,
so printing leaves no drafts in the communes' registers and takes none of their numbers.
"""

from __future__ import annotations

import json
import logging
import os
import time
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit, Level, User
from core.text import fold

from ..models import Report, ReportKind, ReportStatus

logger = logging.getLogger(__name__)

SUMMARY_KEY = "tong-hop"
MANIFEST = "batch.json"


class BatchError(ValueError):
    """A batch refused; the message says why, in Vietnamese."""


class BatchNotFound(LookupError):
    """No batch has this id (or the id is malformed)."""


def batches_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "batches"


def _folder(batch_id: str) -> Path:
    try:
        canonical = str(uuid.UUID(str(batch_id)))
    except ValueError as error:
        raise BatchNotFound(batch_id) from error
    return batches_root() / canonical


def _ascii_name(name: str) -> str:
    """ "Xã Hoài Châu Bắc" → "xa-hoai-chau-bac": safe in a zip on every office PC."""
    folded = fold(name)
    return "-".join("".join(ch if ch.isascii() and ch.isalnum() else " " for ch in folded).split())


def file_name(unit: AdministrativeUnit, kind: str, year: int) -> str:
    return f"{unit.code}-{_ascii_name(unit.name)}-{kind}-{year}.pdf"


def _write_json(path: Path, data: dict) -> None:
    """Write whole or not at all: a reader polling the folder never sees half a file."""
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def _write_bytes(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    temporary.write_bytes(data)
    os.replace(temporary, path)


# --- what a batch holds -------------------------------------------------------------------------


@dataclass
class Item:
    key: str
    unit_pk: int
    code: str
    name: str
    kind: str
    file: str
    started: bool = False
    done: bool = False
    ok: bool = False
    source: str = ""  # "issued" (the stored PDF) or "draft" (composed afresh)
    message: str = ""


@dataclass
class Batch:
    id: str
    unit_pk: int
    unit_name: str
    year: int
    user_pk: int | None
    created_at: str
    zip_name: str
    items: list[Item] = field(default_factory=list)
    zip_ready: bool = False
    failure: str = ""

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def done(self) -> int:
        return sum(item.done for item in self.items)

    @property
    def errors(self) -> list[Item]:
        return [item for item in self.items if item.done and not item.ok]

    @property
    def current(self) -> list[Item]:
        """The reports being printed right now (one per busy worker)."""
        return [item for item in self.items if item.started and not item.done]

    @property
    def finished(self) -> bool:
        return self.zip_ready or bool(self.failure)

    @property
    def zip_path(self) -> Path:
        return _folder(self.id) / self.zip_name


def batch_plan(*, reviewer_unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    """The communes whose annual reports a batch prints, by code (one query)."""
    from dossiers.selectors import communes_under

    return list(communes_under(reviewer_unit).order_by("code", "pk"))


def _items(reviewer_unit: AdministrativeUnit, communes: list[AdministrativeUnit], year: int) -> list[Item]:
    items = [
        Item(
            key=SUMMARY_KEY,
            unit_pk=reviewer_unit.pk,
            code=reviewer_unit.code,
            name=reviewer_unit.name,
            kind=ReportKind.SUMMARY,
            file=file_name(reviewer_unit, ReportKind.SUMMARY, year),
        )
    ]
    items += [
        Item(
            key=str(commune.pk),
            unit_pk=commune.pk,
            code=commune.code,
            name=commune.name,
            kind=ReportKind.YEAR,
            file=file_name(commune, ReportKind.YEAR, year),
        )
        for commune in communes
    ]
    return items


def batch_print(*, reviewer_unit: AdministrativeUnit, year: int, user: User) -> Batch:
    """Start printing ``reviewer_unit``'s summary report and the annual report of every commune
    under it for ``year``: write the batch's folder and enqueue one task per report. With the
    immediate backend (tests) the whole batch is printed before this returns."""
    from ..tasks import print_batch_item

    if reviewer_unit.level == Level.COMMUNE:
        raise BatchError(_("In hàng loạt chỉ dành cho cơ quan thẩm định (huyện hoặc tỉnh), không cho xã."))
    if not 2000 <= year <= timezone.localdate().year:
        raise BatchError(_("Năm in phải từ 2000 đến %(year)s.") % {"year": timezone.localdate().year})
    communes = batch_plan(reviewer_unit=reviewer_unit)
    if not communes:
        raise BatchError(_("Đơn vị này chưa có xã, phường nào để in báo cáo."))
    batch_id = str(uuid.uuid4())
    batch = Batch(
        id=batch_id,
        unit_pk=reviewer_unit.pk,
        unit_name=reviewer_unit.name,
        year=year,
        user_pk=user.pk,
        created_at=timezone.now().isoformat(),
        zip_name=f"{reviewer_unit.code}-{_ascii_name(reviewer_unit.name)}-bao-cao-{year}.zip",
        items=_items(reviewer_unit, communes, year),
    )
    folder = _folder(batch_id)
    (folder / "items").mkdir(parents=True)
    manifest = {
        "id": batch.id,
        "unit_pk": batch.unit_pk,
        "unit_name": batch.unit_name,
        "year": batch.year,
        "user_pk": batch.user_pk,
        "created_at": batch.created_at,
        "zip_name": batch.zip_name,
        "items": [
            {k: getattr(item, k) for k in ("key", "unit_pk", "code", "name", "kind", "file")}
            for item in batch.items
        ],
    }
    _write_json(folder / MANIFEST, manifest)
    for item in batch.items:
        print_batch_item.enqueue(batch_id, item.key)
    return batch


def batch_load(batch_id: str) -> Batch:
    """The batch and its progress, read from its folder. ``BatchNotFound`` for an unknown id."""
    folder = _folder(batch_id)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError, json.JSONDecodeError) as error:
        raise BatchNotFound(batch_id) from error
    items = [Item(**raw) for raw in manifest.pop("items")]
    batch = Batch(**manifest, items=items)
    for item in batch.items:
        result = folder / "items" / f"{item.key}.json"
        item.started = (folder / "items" / f"{item.key}.started").exists()
        if result.exists():
            outcome = json.loads(result.read_text(encoding="utf-8"))
            item.done, item.ok = True, outcome["ok"]
            item.source, item.message = outcome.get("source", ""), outcome.get("message", "")
    batch.zip_ready = batch.zip_path.exists()
    failure = folder / "failure.txt"
    if failure.exists():
        batch.failure = failure.read_text(encoding="utf-8")
    return batch


# --- the work of one task -----------------------------------------------------------------------


def _issued_pdf(unit_pk: int, kind: str, year: int) -> bytes | None:
    """The PDF of the latest issued version of that report, if the unit has issued one."""
    report = (
        Report.objects.filter(unit_id=unit_pk, kind=kind, period=str(year), status=ReportStatus.ISSUED)
        .exclude(pdf="")
        .order_by("-version", "-issued_at")
        .first()
    )
    if report is None:
        return None
    with report.pdf.open("rb") as handle:
        return handle.read()


class _RollBack(Exception):  # noqa: N818 - a control-flow signal, not an error
    pass


def _draft_pdf(unit: AdministrativeUnit, kind: str, year: int, user: User | AnonymousUser) -> bytes:
    """Compose a draft from the data and render it, leaving nothing behind in the database."""
    from ..compose import report_compose
    from ..documents import report_pdf

    pdf = b""
    try:
        with transaction.atomic():
            report = report_compose(unit=unit, kind=kind, period=str(year), user=user)
            pdf = report_pdf(report)
            raise _RollBack
    except _RollBack:
        pass
    return pdf


def batch_item_print(*, batch_id: str, key: str) -> bool:
    """Print one report of a batch into its folder; afterwards, when it was the last one, write
    the zip. An error is recorded for that report (the others go on). Returns whether it printed."""
    batch = batch_load(batch_id)
    item = next((item for item in batch.items if item.key == key), None)
    if item is None:
        raise BatchNotFound(f"{batch_id}/{key}")
    folder = _folder(batch_id) / "items"
    (folder / f"{key}.started").touch()
    started = time.monotonic()
    outcome: dict = {"ok": True}
    try:
        pdf = None if item.kind == ReportKind.SUMMARY else _issued_pdf(item.unit_pk, item.kind, batch.year)
        outcome["source"] = "issued" if pdf else "draft"
        if pdf is None:
            unit = AdministrativeUnit.objects.get(pk=item.unit_pk)
            # A starter removed since: the summary's draft goes without a signer's name.
            user = User.objects.filter(pk=batch.user_pk).first() or AnonymousUser()
            pdf = _draft_pdf(unit, item.kind, batch.year, user)
        _write_bytes(folder / f"{key}.pdf", pdf)
    except Exception as error:  # one commune's failure must not stop the others
        logger.exception("Batch %s: printing %s failed", batch_id, item.file)
        outcome = {"ok": False, "message": str(error) or error.__class__.__name__}
    outcome["seconds"] = round(time.monotonic() - started, 3)
    _write_json(folder / f"{key}.json", outcome)
    batch_finish(batch_id=batch_id)
    return outcome["ok"]


def batch_finish(*, batch_id: str) -> bool:
    """Write the zip once every report is done; only the first caller that finds them all done
    writes it. Returns whether this call wrote it."""
    batch = batch_load(batch_id)
    if batch.done < batch.total or batch.finished:
        return False
    folder = _folder(batch_id)
    try:
        lock = os.open(folder / "zip.lock", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return False
    os.close(lock)
    try:
        temporary = folder / f".{batch.zip_name}.{uuid.uuid4().hex}"
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for item in batch.items:
                if item.ok:
                    archive.write(folder / "items" / f"{item.key}.pdf", arcname=item.file)
            if batch.errors:
                archive.writestr("LOI-KHONG-IN-DUOC.txt", _errors_text(batch))
        os.replace(temporary, batch.zip_path)
    except OSError as error:
        logger.exception("Batch %s: writing the zip failed", batch_id)
        (folder / "failure.txt").write_text(
            _("Không ghi được tệp nén: %(error)s") % {"error": error}, encoding="utf-8"
        )
        return False
    return True


def _errors_text(batch: Batch) -> str:
    lines = [_("Các báo cáo không in được:")]
    lines += [f"- {item.code} {item.name}: {item.message}" for item in batch.errors]
    return "\n".join(lines) + "\n"

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
  ``zip.lock`` makes sure only one of them writes it;
- ``resumed.json``: the last time someone printed the missing reports again (see below).

Progress is what the folder holds: done = the number of ``items/*.json``. One task per report
lets several workers share a batch (100 reports in under 2 minutes with 2 workers, see
``docs/performance.md``). A commune whose report fails is listed with its error; the others go on.

A commune that has issued its annual report for the year gets that issued PDF (the signed
document). The others get a draft composed from the data: composed, rendered, then rolled back,
so printing leaves no drafts in the communes' registers and takes none of their numbers.

A worker that dies (killed, out of memory, or none running at all) leaves its reports "started" or
never taken, and the batch would wait forever. The folder tells when the batch last moved (the
latest change of any of its files); an unfinished batch that has not moved for
``BATCH_STALL_SECONDS`` is *stalled*, and ``batch_resume`` queues again every report without a
result. Printing a report twice is harmless: a task whose report already has its result does
nothing but try to finish the batch, files are replaced whole, and the zip lock still lets one
writer only. A stale ``zip.lock`` (its writer died) is removed by the resume, which then writes the
zip itself when no report is missing.

Old folders are removed by ``manage.py clear_batches`` (``batches_old`` / ``batch_folder_delete``).
"""

from __future__ import annotations

import contextlib
import datetime
import json
import logging
import math
import os
import shutil
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
RESUMED = "resumed.json"
ZIP_LOCK = "zip.lock"


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
    last_moved: datetime.datetime | None = None  # the latest change of any file of the batch

    @property
    def stalled(self) -> bool:
        """Unfinished, and nothing moved for ``BATCH_STALL_SECONDS``: its worker probably died."""
        if self.finished or self.last_moved is None:
            return False
        return (timezone.now() - self.last_moved).total_seconds() > settings.BATCH_STALL_SECONDS

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
    # One listing of each directory instead of a few stat calls per report: a page polls this
    # every 2 s for batches of hundreds of reports.
    names, moved = _scan(folder)
    item_names, items_moved = _scan(folder / "items")
    for item in batch.items:
        item.started = f"{item.key}.started" in item_names
        if f"{item.key}.json" in item_names:  # written whole, never removed
            outcome = json.loads((folder / "items" / f"{item.key}.json").read_text(encoding="utf-8"))
            item.done, item.ok = True, outcome["ok"]
            item.source, item.message = outcome.get("source", ""), outcome.get("message", "")
    batch.zip_ready = batch.zip_name in names
    if "failure.txt" in names:
        batch.failure = (folder / "failure.txt").read_text(encoding="utf-8")
    batch.last_moved = datetime.datetime.fromtimestamp(max(moved, items_moved), tz=datetime.UTC)
    return batch


def _scan(directory: Path) -> tuple[set[str], float]:
    """The names in ``directory``, and the latest change (Unix time) of the files among them (not
    of the directory itself: removing a file is not progress); links are not followed. A missing
    directory is empty and never changed."""
    names: set[str] = set()
    latest = 0.0
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                names.add(entry.name)
                # A temporary file may be renamed between the listing and its stat.
                with contextlib.suppress(FileNotFoundError):
                    if entry.is_file(follow_symlinks=False):
                        latest = max(latest, entry.stat(follow_symlinks=False).st_mtime)
    except (FileNotFoundError, NotADirectoryError):
        pass
    return names, latest


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
    if item.done:
        # Queued twice (a resume while a worker was only slow): the report is there already.
        batch_finish(batch_id=batch_id)
        return item.ok
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
        lock = os.open(folder / ZIP_LOCK, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
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


# --- a batch whose worker died --------------------------------------------------------------------


def batch_resume(*, batch_id: str, user: User | None = None) -> list[str]:
    """Print again the reports of a stalled batch that have no result: clear their stale "started"
    markers and queue one task each; returns their keys. With none missing (the worker writing
    the zip died), remove its stale lock and write the zip here. ``BatchError`` when the batch is
    finished or still moving; ``BatchNotFound`` for an unknown id.

    The resume is recorded in ``resumed.json`` before the tasks are queued, so the batch counts as
    moving again and a second click gets "still moving". If queueing fails halfway, the record is
    removed: the batch stays stalled and a second resume queues the missing reports again, those
    queued the first time included, which is harmless (see the module's docstring). No
    transaction around the queueing: with the immediate backend the tasks print right here, and
    one transaction over a whole batch would hold the database's write lock that long."""
    from ..tasks import print_batch_item

    batch = batch_load(batch_id)
    if batch.finished:
        raise BatchError(_("Đợt in này đã in xong, không còn báo cáo nào phải in tiếp."))
    if not batch.stalled:
        raise BatchError(
            _(
                "Đợt in này vẫn đang tiến triển (lần gần nhất lúc %(time)s). Chỉ in tiếp được khi "
                "%(minutes)s phút liền không thấy tiến triển."
            )
            % {
                "time": timezone.localtime(batch.last_moved).strftime("%H:%M"),
                "minutes": max(1, math.ceil(settings.BATCH_STALL_SECONDS / 60)),
            }
        )
    folder = _folder(batch_id)
    missing = [item.key for item in batch.items if not item.done]
    for key in missing:
        (folder / "items" / f"{key}.started").unlink(missing_ok=True)
    # Nothing moved for the stall time, so whoever took the lock to write the zip is gone. Were it
    # only slow, two writers would each replace the zip whole with the same content.
    (folder / ZIP_LOCK).unlink(missing_ok=True)
    record = folder / RESUMED
    _write_json(
        record, {"at": timezone.now().isoformat(), "user_pk": user.pk if user else None, "keys": missing}
    )
    if not missing:
        batch_finish(batch_id=batch_id)
        return missing
    try:
        for key in missing:
            print_batch_item.enqueue(batch_id, key)
    except BaseException:
        record.unlink(missing_ok=True)
        raise
    logger.info("Batch %s: resumed %s report(s)", batch_id, len(missing))
    return missing


# --- clearing old batches -------------------------------------------------------------------------


@dataclass
class OldBatch:
    folder: Path
    last_moved: datetime.datetime
    size: int  # bytes


def batches_old(*, days: int) -> list[OldBatch]:
    """The batch folders in which nothing changed for more than ``days`` days, oldest first.

    Only real folders directly in ``MEDIA_ROOT/batches`` whose name is a UUID as ``batch_print``
    writes it: anything else there (a file, a symbolic link, a folder someone put there) is never
    listed, so never deleted."""
    if days < 0:
        raise BatchError(_("Số ngày phải từ 0 trở lên."))
    root = batches_root()
    limit = timezone.now() - datetime.timedelta(days=days)
    found = []
    try:
        entries = list(os.scandir(root))
    except (FileNotFoundError, NotADirectoryError):
        return []
    for entry in entries:
        if not _is_batch_name(entry.name) or not entry.is_dir(follow_symlinks=False):
            continue
        latest, size = _tree(Path(entry.path))
        moved = datetime.datetime.fromtimestamp(latest, tz=datetime.UTC)
        if moved < limit:
            found.append(OldBatch(folder=Path(entry.path), last_moved=moved, size=size))
    return sorted(found, key=lambda old: old.last_moved)


def _is_batch_name(name: str) -> bool:
    try:
        return str(uuid.UUID(name)) == name
    except ValueError:
        return False


def _tree(folder: Path) -> tuple[float, int]:
    """The latest change (Unix time) in ``folder`` and the bytes it holds; links not followed."""
    latest, size = folder.lstat().st_mtime, 0
    for directory, _directories, files in os.walk(folder):
        for path in [directory, *(os.path.join(directory, name) for name in files)]:
            try:
                stat = os.lstat(path)
            except FileNotFoundError:
                continue
            latest = max(latest, stat.st_mtime)
            if path != directory:
                size += stat.st_size
    return latest, size


def batch_folder_delete(*, old: OldBatch) -> None:
    """Delete one folder ``batches_old`` listed. ``OSError`` when the storage refuses."""
    folder = old.folder
    if folder.parent != batches_root() or not _is_batch_name(folder.name) or folder.is_symlink():
        raise BatchError(_("%(path)s không phải thư mục của một đợt in.") % {"path": folder})
    shutil.rmtree(folder)

"""What a tài liệu kiểm chứng may be: checked by its content, not by what its name or the browser says.

Accepted: PDF, PNG and JPEG images, Word (.docx and the old .doc) and Excel (.xlsx and the old
.xls). The first bytes must say what the extension says: a PDF renamed ``.xlsx``, a shell script
renamed ``.pdf`` and ``bao-cao.pdf.exe`` are all refused. Office Open XML files are zip archives;
they are only listed (``zipfile`` never extracts here), so a zip bomb costs nothing.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_FILES_PER_LEAF = 10

PDF, PNG, JPEG, DOCX, XLSX, DOC, XLS = "pdf", "png", "jpeg", "docx", "xlsx", "doc", "xls"

CONTENT_TYPES = {
    PDF: "application/pdf",
    PNG: "image/png",
    JPEG: "image/jpeg",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    DOC: "application/msword",
    XLS: "application/vnd.ms-excel",
}
# The extension a file may carry → the kind its content must be.
EXTENSIONS = {
    "pdf": PDF,
    "png": PNG,
    "jpg": JPEG,
    "jpeg": JPEG,
    "docx": DOCX,
    "xlsx": XLSX,
    "doc": DOC,
    "xls": XLS,
}
ACCEPT = ",".join(f".{extension}" for extension in EXTENSIONS)  # for <input type="file" accept>

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Directory entries of an OLE compound file are UTF-16 names: Word keeps "WordDocument",
# Excel "Workbook" (or "Book" before Excel 97).
OLE_STREAMS = {
    DOC: ("WordDocument".encode("utf-16-le"),),
    XLS: ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le")),
}
OOXML_FOLDER = {DOCX: "word/", XLSX: "xl/"}


def max_bytes() -> int:
    return getattr(settings, "EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES)


def sniff(data: bytes) -> set[str]:
    """The kinds ``data`` is, by its content (an OLE file may be both .doc and .xls)."""
    if data.startswith(b"%PDF-"):
        return {PDF}
    if data.startswith(PNG_SIGNATURE):
        return {PNG}
    if data.startswith(b"\xff\xd8\xff"):
        return {JPEG}
    if data.startswith(OLE_SIGNATURE):
        return {kind for kind, names in OLE_STREAMS.items() if any(name in data for name in names)}
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
            return set()
        if "[Content_Types].xml" not in names:
            return set()
        return {kind for kind, folder in OOXML_FOLDER.items() if any(n.startswith(folder) for n in names)}
    return set()


def display_name(name: str) -> str:
    """A safe name to show and to send back in the download header: no folders
    (``../../etc/passwd`` → ``passwd``), no characters a file system or a header dislikes;
    Vietnamese letters kept (``Kế hoạch CCHC.pdf`` → ``Kế_hoạch_CCHC.pdf``)."""
    base = re.split(r"[\\/]", name or "")[-1].strip()
    base = "".join(character for character in base if character.isprintable())
    try:
        cleaned = get_valid_filename(base)
    except SuspiciousFileOperation:
        cleaned = ""
    cleaned = cleaned.lstrip(".")
    if not cleaned:
        cleaned = "tai-lieu"
    if len(cleaned) > 150:
        stem, _dot, extension = cleaned.rpartition(".")
        cleaned = f"{stem[: 150 - len(extension) - 1]}.{extension}"
    return cleaned


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed: its safe name, what it is, and its bytes."""

    name: str
    kind: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


def check_upload(upload) -> CheckedFile:
    """Check an uploaded file (a Django ``UploadedFile``). Raises ``ValidationError`` with a
    message that names the file and says what would be accepted."""
    name = display_name(upload.name or "")
    shown = upload.name or name
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("Tệp “%(name)s” lớn hơn %(limit)s MB, không tải lên được.")
            % {"name": shown, "limit": _megabytes(limit)},
            code="too_big",
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = EXTENSIONS.get(extension)
    if kind is None:
        raise ValidationError(
            _(
                "Tệp “%(name)s” không thuộc loại được nhận. Chỉ nhận PDF, ảnh PNG hoặc JPEG, "
                "Word (.docx, .doc) và Excel (.xlsx, .xls)."
            )
            % {"name": shown},
            code="extension",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if not data:
        raise ValidationError(_("Tệp “%(name)s” rỗng, không có nội dung.") % {"name": shown}, code="empty")
    if len(data) > limit:
        raise ValidationError(
            _("Tệp “%(name)s” lớn hơn %(limit)s MB, không tải lên được.")
            % {"name": shown, "limit": _megabytes(limit)},
            code="too_big",
        )
    if kind not in sniff(data):
        raise ValidationError(
            _(
                "Nội dung tệp “%(name)s” không phải là tệp .%(extension)s như tên tệp ghi. "
                "Hãy tải lên đúng tệp gốc (PDF, ảnh PNG hoặc JPEG, Word, Excel)."
            )
            % {"name": shown, "extension": extension},
            code="content",
        )
    return CheckedFile(name=name, kind=kind, content_type=CONTENT_TYPES[kind], data=data)


def _megabytes(limit: int) -> str:
    value = limit / (1024 * 1024)
    return f"{value:g}".replace(".", ",")

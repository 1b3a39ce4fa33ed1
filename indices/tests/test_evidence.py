"""Evidence files are checked by their content, and their names made safe (indices.evidence)."""

from __future__ import annotations

import io
import zipfile

import openpyxl
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, override_settings

from indices.evidence import OLE_SIGNATURE, PNG_SIGNATURE, check_upload, display_name, sniff

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = PNG_SIGNATURE + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
DOC = OLE_SIGNATURE + b"\x00" * 100 + "WordDocument".encode("utf-16-le") + b"\x00" * 20
XLS = OLE_SIGNATURE + b"\x00" * 100 + "Workbook".encode("utf-16-le") + b"\x00" * 20
SHELL = b"#!/bin/sh\nrm -rf ~\n"


def ooxml(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<x/>")
    return buffer.getvalue()


def xlsx() -> bytes:
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Kế hoạch"
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


class ContentCheckTests(SimpleTestCase):
    def test_each_accepted_kind_passes_with_its_own_extension(self):
        cases = [
            ("ke-hoach.pdf", PDF, "application/pdf"),
            ("anh.png", PNG, "image/png"),
            ("anh.jpg", JPEG, "image/jpeg"),
            ("anh.JPEG", JPEG, "image/jpeg"),
            (
                "bao-cao.docx",
                ooxml("word"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            ("so-lieu.xlsx", xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("cu.doc", DOC, "application/msword"),
            ("cu.xls", XLS, "application/vnd.ms-excel"),
        ]
        for name, data, content_type in cases:
            with self.subTest(name=name):
                checked = check_upload(upload(name, data))
                self.assertEqual(checked.content_type, content_type)
                self.assertEqual(checked.data, data)
                self.assertEqual(checked.size, len(data))

    def assert_refused(self, name: str, data: bytes, words: str) -> None:
        with self.assertRaises(ValidationError) as caught:
            check_upload(upload(name, data))
        self.assertIn(words, caught.exception.messages[0])

    def test_a_pdf_named_xlsx_is_refused(self):
        self.assert_refused("so-lieu.xlsx", PDF, "không phải là tệp .xlsx")

    def test_a_shell_script_renamed_pdf_is_refused(self):
        self.assert_refused("ke-hoach.pdf", SHELL, "không phải là tệp .pdf")

    def test_a_double_extension_ending_in_exe_is_refused(self):
        self.assert_refused("bao-cao.pdf.exe", PDF, "không thuộc loại được nhận")

    def test_a_name_without_extension_is_refused(self):
        self.assert_refused("bao-cao", PDF, "không thuộc loại được nhận")

    def test_a_word_file_named_xlsx_is_refused(self):
        self.assert_refused("so-lieu.xlsx", ooxml("word"), "không phải là tệp .xlsx")

    def test_an_old_excel_file_named_doc_is_refused(self):
        self.assert_refused("cu.doc", XLS, "không phải là tệp .doc")

    def test_a_zip_without_office_content_types_is_refused(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", "<x/>")
        self.assert_refused("bao-cao.docx", buffer.getvalue(), "không phải là tệp .docx")

    def test_a_broken_zip_is_refused_without_an_exception(self):
        self.assert_refused("bao-cao.docx", b"PK\x03\x04" + b"\x00" * 40, "không phải là tệp .docx")

    def test_an_empty_file_is_refused(self):
        self.assert_refused("ke-hoach.pdf", b"", "rỗng")

    @override_settings(EVIDENCE_MAX_BYTES=64)
    def test_a_file_over_the_configured_size_is_refused(self):
        self.assert_refused("ke-hoach.pdf", PDF + b"0" * 64, "lớn hơn")

    @override_settings(EVIDENCE_MAX_BYTES=64)
    def test_a_file_at_the_configured_size_passes(self):
        data = PDF + b"0" * (64 - len(PDF))
        self.assertEqual(check_upload(upload("ke-hoach.pdf", data)).size, 64)

    def test_sniff_says_nothing_of_unknown_content(self):
        self.assertEqual(sniff(SHELL), set())
        self.assertEqual(sniff(b"GIF89a"), set())


class DisplayNameTests(SimpleTestCase):
    def test_folders_are_stripped(self):
        self.assertEqual(display_name("../../etc/passwd"), "passwd")
        self.assertEqual(display_name("C:\\Users\\xa\\ke-hoach.pdf"), "ke-hoach.pdf")

    def test_vietnamese_letters_are_kept(self):
        self.assertEqual(display_name("Kế hoạch CCHC năm 2023.pdf"), "Kế_hoạch_CCHC_năm_2023.pdf")

    def test_characters_unsafe_in_a_header_are_dropped(self):
        self.assertEqual(display_name('bao"cao<1>;\r\n.pdf'), "baocao1.pdf")

    def test_a_name_of_nothing_gets_a_plain_name(self):
        self.assertEqual(display_name(""), "tai-lieu")
        self.assertEqual(display_name("../.."), "tai-lieu")

    def test_a_very_long_name_is_shortened_keeping_its_extension(self):
        name = display_name("a" * 300 + ".pdf")
        self.assertLessEqual(len(name), 150)
        self.assertTrue(name.endswith(".pdf"))

"""The base test case: a small real map and the people who use it.

Units (real codes): Tỉnh Bình Định (52) ⊃ Thị xã Hoài Nhơn (543) ⊃ Xã Hoài Châu (21649),
Xã Hoài Châu Bắc (21646); Huyện Tuy Phước (550) ⊃ Xã Phước Hưng (21961). Since
1/7/2025: Tỉnh Gia Lai (52) ⊃ Phường Tam Quan (21637), successor of Hoài Châu.

Personas:
- ``officer`` and ``chairman`` of Hoài Châu;
- ``neighbour``, officer of Hoài Châu Bắc;
- ``reviewer``, Phòng Nội vụ of Hoài Nhơn (reviews Hoài Châu and Hoài Châu Bắc only);
- ``province_reviewer``, Sở Nội vụ of Gia Lai after the reform;
- ``new_officer``, officer of Phường Tam Quan (sees Hoài Châu's history);
- ``administrator``, of the province of Bình Định;
- ``outsider``, logged in without any role; and the anonymous client.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import unittest
from types import SimpleNamespace

from django.test import TestCase

from communes.models import AdministrativeUnit, Era, Kind, Level, Membership, Role, UnitSuccession, User

PASSWORD = "mat-khau-thu-nghiem"


def make_unit(era, level, kind, code, name, parent=None, **extra) -> AdministrativeUnit:
    short_name = name.split(" ", 1)[1] if " " in name else name
    for prefix in ("Thành phố ", "Thị xã ", "Thị trấn "):
        if name.startswith(prefix):
            short_name = name[len(prefix) :]
    return AdministrativeUnit.objects.create(
        era=era, level=level, kind=kind, code=code, name=name, short_name=short_name, parent=parent, **extra
    )


def make_user(username: str, *roles: tuple[AdministrativeUnit, str], **extra) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, full_name=username.title(), **extra)
    for unit, role in roles:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


def build_world() -> SimpleNamespace:
    """Create the units and personas described above; return them by name."""
    w = SimpleNamespace()
    w.binh_dinh = make_unit(Era.LEGACY, Level.PROVINCE, Kind.TINH, "52", "Tỉnh Bình Định")
    w.hoai_nhon = make_unit(Era.LEGACY, Level.DISTRICT, Kind.THI_XA, "543", "Thị xã Hoài Nhơn", w.binh_dinh)
    w.hoai_chau = make_unit(Era.LEGACY, Level.COMMUNE, Kind.XA, "21649", "Xã Hoài Châu", w.hoai_nhon)
    w.hoai_chau_bac = make_unit(Era.LEGACY, Level.COMMUNE, Kind.XA, "21646", "Xã Hoài Châu Bắc", w.hoai_nhon)
    w.tuy_phuoc = make_unit(Era.LEGACY, Level.DISTRICT, Kind.HUYEN, "550", "Huyện Tuy Phước", w.binh_dinh)
    w.phuoc_hung = make_unit(Era.LEGACY, Level.COMMUNE, Kind.XA, "21961", "Xã Phước Hưng", w.tuy_phuoc)
    w.gia_lai = make_unit(Era.CURRENT, Level.PROVINCE, Kind.TINH, "52", "Tỉnh Gia Lai")
    w.tam_quan = make_unit(Era.CURRENT, Level.COMMUNE, Kind.PHUONG, "21637", "Phường Tam Quan", w.gia_lai)
    UnitSuccession.objects.create(predecessor=w.hoai_chau, successor=w.tam_quan)
    UnitSuccession.objects.create(predecessor=w.binh_dinh, successor=w.gia_lai)

    w.officer = make_user("officer", (w.hoai_chau, Role.OFFICER))
    w.chairman = make_user("chairman", (w.hoai_chau, Role.CHAIRMAN))
    w.neighbour = make_user("neighbour", (w.hoai_chau_bac, Role.OFFICER))
    w.reviewer = make_user("reviewer", (w.hoai_nhon, Role.REVIEWER))
    w.province_reviewer = make_user("province_reviewer", (w.gia_lai, Role.REVIEWER))
    w.new_officer = make_user("new_officer", (w.tam_quan, Role.OFFICER))
    w.administrator = make_user("administrator", (w.binh_dinh, Role.ADMINISTRATOR), is_staff=True)
    w.outsider = make_user("outsider")
    return w


class PortalTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        for name, value in vars(build_world()).items():
            setattr(cls, name, value)

    def login(self, user: User) -> None:
        self.client.force_login(user)

    def assert_access_matrix(
        self, url: str, matrix: dict[str, int], *, method: str = "get", data=None
    ) -> None:
        """Request ``url`` as each persona named in ``matrix`` and check the status code.

        The persona ``anonymous`` is the client without login.
        """
        for persona, expected in matrix.items():
            with self.subTest(persona=persona):
                self.client.logout()
                if persona != "anonymous":
                    self.login(getattr(self, persona))
                response = getattr(self.client, method)(url, data)
                self.assertEqual(response.status_code, expected, f"{persona} got {response.status_code}")


def require_tool(name: str) -> str:
    """The path of a system tool the test needs (pdftotext, pdffonts …).

    Missing, the test is skipped with the reason, unless REQUIRE_SYSTEM_TOOLS=1 (as in CI),
    where that is a failure.
    """
    path = shutil.which(name)
    if path is None:
        reason = f"{name} not found (apt-get install poppler-utils)"
        if os.environ.get("REQUIRE_SYSTEM_TOOLS") == "1":
            raise AssertionError(f"REQUIRE_SYSTEM_TOOLS=1 but {reason}")
        raise unittest.SkipTest(reason)
    return path


def pdf_text(pdf: bytes, *, layout: bool = False) -> str:
    """What ``pdftotext`` reads from ``pdf``: the text a person copies out of the document."""
    args = [require_tool("pdftotext"), *(["-layout"] if layout else []), "-", "-"]
    return subprocess.run(args, input=pdf, capture_output=True, check=True).stdout.decode()  # noqa: S603


def pdf_run(tool: str, pdf: bytes) -> str:
    """Run a poppler tool that wants a file (pdffonts, pdfinfo) on ``pdf``; return its output."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        command = [require_tool(tool), handle.name]
        return subprocess.run(command, capture_output=True, check=True, text=True).stdout  # noqa: S603

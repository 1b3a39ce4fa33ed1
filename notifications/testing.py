"""The present's small world for the notifications' tests: ``build_world`` after the reform."""

from __future__ import annotations

import datetime

from communes.models import REFORM_DATE, Era, Kind, Level, Role, User
from core.testing import PortalTestCase, make_unit, make_user


class PresentTestCase(PortalTestCase):
    """``build_world`` on its present: the district era's communes ended on 30/6/2025; Tỉnh Gia
    Lai with Phường Tam Quan (``new_officer``, ``tq_chairman``) and Phường An Nhơn
    (``an_officer``, ``an_chairman``), ``vice`` a chairman of both; Tỉnh Quảng Ngãi with Đặc khu
    Lý Sơn (``ly_officer``) and its reviewer ``qn_reviewer``. Everyone has an address
    ``<username>@example.vn``."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        ended = REFORM_DATE - datetime.timedelta(days=1)
        for unit in (cls.hoai_chau, cls.hoai_chau_bac, cls.phuoc_hung):
            unit.valid_to = ended
            unit.save()
        cls.tam_quan.valid_from = REFORM_DATE
        cls.tam_quan.save()
        cls.an_nhon = make_unit(
            Era.CURRENT,
            Level.COMMUNE,
            Kind.PHUONG,
            "21610",
            "Phường An Nhơn",
            cls.gia_lai,
            valid_from=REFORM_DATE,
        )
        cls.quang_ngai = make_unit(Era.CURRENT, Level.PROVINCE, Kind.TINH, "51", "Tỉnh Quảng Ngãi")
        cls.ly_son = make_unit(
            Era.CURRENT,
            Level.COMMUNE,
            Kind.DAC_KHU,
            "22000",
            "Đặc khu Lý Sơn",
            cls.quang_ngai,
            valid_from=REFORM_DATE,
        )
        cls.tq_chairman = make_user("tq_chairman", (cls.tam_quan, Role.CHAIRMAN))
        cls.an_officer = make_user("an_officer", (cls.an_nhon, Role.OFFICER))
        cls.an_chairman = make_user("an_chairman", (cls.an_nhon, Role.CHAIRMAN))
        cls.vice = make_user("vice", (cls.tam_quan, Role.CHAIRMAN), (cls.an_nhon, Role.CHAIRMAN))
        cls.ly_officer = make_user("ly_officer", (cls.ly_son, Role.OFFICER))
        cls.qn_reviewer = make_user("qn_reviewer", (cls.quang_ngai, Role.REVIEWER))
        for user in User.objects.all():
            user.email = f"{user.username}@example.vn"
            user.save(update_fields=["email"])
        for value in vars(cls).values():
            if isinstance(value, User):
                value.refresh_from_db()

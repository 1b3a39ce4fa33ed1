"""Reads of the accounts: the province's account list for its administrator, and each
account's state there."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from communes.models import Membership, User
from communes.selectors import places_of, users_administered_by
from core.text import fold

from .forms import AccountState
from .models import Invitation

NO_PASSWORD = Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)


def require_administrator(user: User) -> None:
    """The account pages are a provincial administrator's (or a superuser's): 403 for anyone
    else, saying so."""
    if not places_of(user).administers:
        raise PermissionDenied(_("Chỉ quản trị viên của tỉnh mới quản lý tài khoản."))


def account_for_administrator(user: User, pk: int) -> User:
    """The account ``pk`` if ``user`` administers it (``users_administered_by``), else 404: an
    account of another province is not even said to exist."""
    require_administrator(user)
    account = users_administered_by(user).filter(pk=pk).first()
    if account is None:
        raise Http404(_("Không tìm thấy tài khoản này trong phạm vi quản trị của bạn."))
    return account


@dataclass(frozen=True)
class State:
    code: str  # AccountState
    label: str
    since: datetime.datetime | None = None  # invitation sent, last login, locked

    @property
    def locked(self) -> bool:
        return self.code == AccountState.LOCKED

    @property
    def invited(self) -> bool:
        return self.code == AccountState.INVITED

    @property
    def must_change(self) -> bool:
        return self.code == AccountState.MUST_CHANGE


def account_state(user: User) -> State:
    """Where ``user`` stands: locked, invited and not yet in, to change its one-time password,
    or working. ``invited_at`` is read from the list's annotation when there."""
    if not user.is_active:
        return State(AccountState.LOCKED, _("Đã khóa"), user.deactivated_at)
    if not user.has_usable_password():
        return State(AccountState.INVITED, _("Chưa nhận lời mời"), getattr(user, "invited_at", None))
    if user.must_change_password:
        return State(AccountState.MUST_CHANGE, _("Phải đổi mật khẩu"), None)
    return State(AccountState.ACTIVE, _("Đang hoạt động"), user.last_login)


STATE_FILTERS = {
    AccountState.LOCKED: Q(is_active=False),
    AccountState.INVITED: Q(is_active=True) & NO_PASSWORD,
    AccountState.MUST_CHANGE: Q(is_active=True, must_change_password=True) & ~NO_PASSWORD,
    AccountState.ACTIVE: Q(is_active=True, must_change_password=False) & ~NO_PASSWORD,
}


def _name_matches(accounts: QuerySet[User], words: list[str]) -> list[int]:
    """The accounts whose name or username holds every folded word. SQLite folds only ASCII
    case and names have no folded column, so names are folded here: one query of (id, names)
    however many match, a few hundred short rows for a province."""
    matched = []
    for pk, username, full_name, first_name, last_name in accounts.values_list(
        "pk", "username", "full_name", "first_name", "last_name"
    ):
        text = fold(f"{username} {full_name} {first_name} {last_name}")
        if all(word in text for word in words):
            matched.append(pk)
    return matched


def account_list(*, user: User, filters: dict[str, str]) -> QuerySet[User]:
    """The accounts ``user`` administers, filtered by ``filters`` (AccountFilterForm.values):
    ``q`` (words of the name, username or unit name, with or without diacritics), ``vai_tro`` (a
    role held), ``trang_thai`` (AccountState). Each row carries its roles with their units
    (prefetched) and ``invited_at``, the last invitation's time: three queries for the page
    (the count, the rows, the roles), plus one for the names when searching."""
    accounts = users_administered_by(user)
    words = fold(filters.get("q", "")).split()
    if words:
        unit_match = Q()
        for word in words:
            unit_match &= Q(unit__search_key__contains=word)
        by_unit = Membership.objects.filter(unit_match).values("user_id")
        accounts = accounts.filter(Q(pk__in=_name_matches(accounts, words)) | Q(pk__in=by_unit))
    if filters.get("vai_tro"):
        accounts = accounts.filter(
            pk__in=Membership.objects.filter(role=filters["vai_tro"]).values("user_id")
        )
    if filters.get("trang_thai") in STATE_FILTERS:
        accounts = accounts.filter(STATE_FILTERS[filters["trang_thai"]])
    last_invitation = (
        Invitation.objects.filter(user=OuterRef("pk")).order_by("-sent_at").values("sent_at")[:1]
    )
    roles = Membership.objects.select_related("unit").order_by("unit__name", "role")
    return (
        accounts.annotate(invited_at=Subquery(last_invitation))
        .prefetch_related(Prefetch("memberships", queryset=roles))
        .order_by("full_name", "username")
    )

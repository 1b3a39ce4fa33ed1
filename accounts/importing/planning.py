"""Planning the accounts of a checked users file: the rows set against each other (duplicates, one
email for two people, one username twice), one person's rows made one account, usernames given or
generated, and those usernames and emails set against the accounts already on the portal."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit, Role, User
from core.text import fold
from core.xlsx import ImportProblem

from .checking import PUNCTUATION, CheckedRow, RowChecker, Scope, Units
from .reading import EMAIL, USERNAME, UsersFile

# The end of a generated username, by role: tamquan.canbo, tamquan.chutich, gialai.sonoivu, as
# the demo's accounts are named; a vice-chairman is tamquan.phochutich.
USERNAME_ENDINGS = {Role.OFFICER: "canbo", Role.CHAIRMAN: "chutich", Role.REVIEWER: "sonoivu"}
VICE_ENDING = "phochutich"


def username_stem(unit: AdministrativeUnit) -> str:
    """The unit's short name folded without spaces: Phường Tam Quan → "tamquan"."""
    return PUNCTUATION.sub("", fold(unit.short_name or unit.name)) or f"dv{unit.code}"


@dataclass(frozen=True)
class PlannedMembership:
    row: int
    unit: AdministrativeUnit
    role: str

    @property
    def role_label(self) -> str:
        return Role(self.role).label


@dataclass
class PlannedAccount:
    """An account the file would create, with its roles (one person on several rows, the same
    name and email, holds several)."""

    row: int
    username: str
    generated: bool
    full_name: str
    job_title: str
    email: str
    phone: str
    memberships: list[PlannedMembership] = field(default_factory=list)
    # How a generated username ends (``USERNAME_ENDINGS``), from the account's first row.
    ending: str = field(default="", repr=False)

    @property
    def invited(self) -> bool:
        """An account with an email is mailed an invitation; one without gets a one-time password."""
        return bool(self.email)

    @property
    def unit(self) -> AdministrativeUnit:
        return self.memberships[0].unit


@dataclass
class UsersReview:
    """A users file checked: the accounts it would create and every problem. Save only when ``ok``."""

    file: UsersFile
    scope: Scope
    accounts: list[PlannedAccount] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.file.readable and not self.errors

    @property
    def errors(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.level == "warning"]

    @property
    def invitations(self) -> int:
        return sum(1 for account in self.accounts if account.invited)

    @property
    def one_time_passwords(self) -> int:
        return len(self.accounts) - self.invitations


def review_users(users: UsersFile, *, scope: Scope) -> UsersReview:
    """Check every row of ``users`` within ``scope`` and plan the accounts; nothing is saved."""
    review = UsersReview(users, scope, problems=list(users.problems))
    if not users.readable:
        return review
    units = Units(scope)
    checker = RowChecker(users, scope, units, review.problems)
    rows = [checker.row(source) for source in users.rows]
    checker.elsewhere()
    review.accounts = plan_accounts(checker, [row for row in rows if row.unit is not None])
    check_taken(checker, review.accounts)
    order = {column.letter: index for index, column in enumerate(users.columns.values())}
    review.problems.sort(key=lambda p: (p.row or 0, order.get(p.column or "", -1)))
    if review.errors:
        review.accounts = []
    return review


def plan_accounts(checker: RowChecker, rows: list[CheckedRow]) -> list[PlannedAccount]:
    """The accounts of ``rows`` (those whose unit and role were told): duplicates refused, one
    person's rows (the same name and email) made one account, usernames given or generated. A row
    with a problem of its own (a bad email, say) is still compared with the others, so that one
    upload lists every problem, but makes no account."""
    seen_roles: dict[tuple, int] = {}
    emails: dict[str, CheckedRow] = {}
    usernames: dict[str, CheckedRow] = {}
    by_email: dict[str, PlannedAccount] = {}
    accounts: list[PlannedAccount] = []
    for row in rows:
        usable = row.ok
        key = (*row.person, row.unit.pk, row.role)
        if key in seen_roles:
            checker.error(
                row,
                None,
                _(
                    "trùng dòng %(first)s: cùng người (%(name)s), cùng đơn vị (%(unit)s), cùng vai trò. "
                    "Hãy xoá một trong hai dòng."
                )
                % {"first": seen_roles[key], "name": row.full_name, "unit": row.unit.name},
            )
            continue
        if row.email:
            first = emails.get(row.email.lower())
            if first is not None and first.person[0] != row.person[0]:
                checker.error(
                    row,
                    EMAIL,
                    _(
                        "email %(email)s đã ghi cho %(name)s ở dòng %(first)s. Mỗi người một email "
                        "riêng; để trống nếu người này không có email."
                    )
                    % {"email": row.email, "name": first.full_name, "first": first.number},
                )
                continue
            emails.setdefault(row.email.lower(), row)
        if row.username:
            first = usernames.get(row.username.lower())
            same_person = first is not None and bool(row.email) and first.person == row.person
            if first is not None and not same_person:
                checker.error(
                    row,
                    USERNAME,
                    _("tên đăng nhập “%(username)s” đã ghi ở dòng %(first)s. Mỗi tài khoản một tên riêng.")
                    % {"username": row.username, "first": first.number},
                )
                continue
            usernames.setdefault(row.username.lower(), row)
        account = by_email.get(row.email.lower()) if row.email else None
        if (
            account is not None
            and row.username
            and account.username
            and account.username.lower() != row.username.lower()
        ):
            checker.error(
                row,
                USERNAME,
                _(
                    "%(name)s (email %(email)s) đã có tên đăng nhập “%(username)s” ở dòng %(first)s; "
                    "một người chỉ có một tài khoản. Hãy ghi cùng một tên, hoặc để trống."
                )
                % {
                    "name": row.full_name,
                    "email": row.email,
                    "username": account.username,
                    "first": account.row,
                },
            )
            continue
        seen_roles[key] = row.number
        if not usable:
            continue
        membership = PlannedMembership(row.number, row.unit, row.role)
        if account is None:
            account = PlannedAccount(
                row=row.number,
                username=row.username,
                generated=False,
                full_name=row.full_name,
                job_title=row.job_title,
                email=row.email,
                phone=row.phone,
                ending=VICE_ENDING if row.vice else USERNAME_ENDINGS[row.role],
            )
            accounts.append(account)
            if row.email:
                by_email[row.email.lower()] = account
        else:
            account.username = account.username or row.username
            account.job_title = account.job_title or row.job_title
            account.phone = account.phone or row.phone
        account.memberships.append(membership)
    taken = {account.username.lower() for account in accounts if account.username}
    for account in accounts:
        if account.username:
            continue
        stem = f"{username_stem(account.unit)}.{account.ending}"
        candidate, number = stem, 1
        while candidate in taken:
            number += 1
            candidate = f"{stem}{number}"
        taken.add(candidate)
        account.username, account.generated = candidate, True
    return accounts


def check_taken(checker: RowChecker, accounts: list[PlannedAccount]) -> None:
    """The usernames and emails of ``accounts`` that accounts on the portal already have."""
    if not accounts:
        return
    usernames = {account.username.lower() for account in accounts}
    emails = {account.email.lower() for account in accounts if account.email}
    used_usernames = set(
        User.objects.annotate(key=Lower("username")).filter(key__in=usernames).values_list("key", flat=True)
    )
    used_emails = (
        set(User.objects.annotate(key=Lower("email")).filter(key__in=emails).values_list("key", flat=True))
        if emails
        else set()
    )
    has_column = checker.users.column(USERNAME) is not None
    for account in accounts:
        if account.username.lower() in used_usernames:
            if account.generated:
                advice = (
                    _("Hãy ghi một tên khác vào cột “Tên đăng nhập”.")
                    if has_column
                    else _("Hãy thêm cột “Tên đăng nhập” vào tệp và ghi một tên khác cho người này.")
                )
                checker.error(
                    account.row,
                    USERNAME,
                    _(
                        "tên đăng nhập tự tạo “%(username)s” đã có trên cổng (có thể %(unit)s đã có "
                        "tài khoản này). %(advice)s"
                    )
                    % {"username": account.username, "unit": account.unit.name, "advice": advice},
                )
            else:
                checker.error(
                    account.row,
                    USERNAME,
                    _("tên đăng nhập “%(username)s” đã có trên cổng. Hãy ghi một tên khác.")
                    % {"username": account.username},
                )
        if account.email and account.email.lower() in used_emails:
            checker.error(
                account.row,
                EMAIL,
                _(
                    "email %(email)s đã dùng cho một tài khoản khác trên cổng. Mỗi tài khoản một email; "
                    "nếu người này đã có tài khoản, hãy bỏ dòng này và giao thêm vai trò trong trang "
                    "quản trị."
                )
                % {"email": account.email},
            )

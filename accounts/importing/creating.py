"""Creating the accounts of a users file: all of them or none, checked again inside the transaction.

The users and their roles are inserted in bulk, so the queries do not grow with the rows (bar the
batches the database splits a large insert into: SQLite takes 999 values a statement, 62
users; PostgreSQL takes them all at once). An account with an email gets no password and an
invitation, mailed after the commit (``accounts.services.account_invite``); one without gets a
one-time password (``accounts.services.one_time_password_issue``, hashed cheaply: see
``accounts.hashers``), returned in clear here and nowhere stored.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.services import accounts_invite, one_time_password_issue
from communes.models import AdministrativeUnit, Membership, User
from core.xlsx import ImportProblem

from .checking import scope_of
from .planning import PlannedAccount, UsersReview, review_users
from .reading import UsersFile


class ImportRefused(Exception):
    """The file no longer imports (checked again at the confirmation): ``review.problems`` say why."""

    def __init__(self, review: UsersReview) -> None:
        super().__init__(review.errors[0].message if review.errors else "")
        self.review = review


@dataclass
class CreatedAccount:
    account: PlannedAccount
    user: User
    password: str | None  # the one-time password in clear, for the hand-over sheet only


@dataclass
class ImportOutcome:
    review: UsersReview
    created: list[CreatedAccount]

    @property
    def invitations(self) -> int:
        """Invitations queued: each is mailed by a background task once the transaction commits."""
        return sum(1 for item in self.created if item.password is None)

    @property
    def handover(self) -> list[CreatedAccount]:
        """The accounts with a one-time password, by unit then name: the sheet handed over on paper."""
        return sorted(
            (item for item in self.created if item.password is not None),
            key=lambda item: (item.account.unit.name, item.account.full_name, item.user.username),
        )


def users_review(
    users: UsersFile, *, province: AdministrativeUnit | None, today: datetime.date
) -> UsersReview:
    """Check ``users`` for ``province`` (the whole country when None); nothing is saved."""
    return review_users(users, scope=scope_of(province, today=today))


def users_import(
    *,
    users: UsersFile,
    province: AdministrativeUnit | None,
    created_by: User | None,
    today: datetime.date,
) -> ImportOutcome:
    """Create every account of ``users`` in ``province`` (the whole country when None), or none.

    Everything is checked again here, the province's row locked first so that two imports into
    one province run one after the other; ``ImportRefused`` when a problem appeared since the
    preview (a username or email taken meanwhile, a unit closed), nothing saved.
    """
    try:
        with transaction.atomic():
            locked = AdministrativeUnit.objects.select_for_update()
            if province is not None:
                province = locked.get(pk=province.pk)
            review = users_review(users, province=province, today=today)
            if not review.ok:
                raise ImportRefused(review)
            created = []
            for account in review.accounts:
                user = User(
                    username=account.username,
                    email=account.email,
                    full_name=account.full_name,
                    job_title=account.job_title,
                    phone=account.phone,
                    created_by=created_by,
                )
                if account.invited:
                    user.set_unusable_password()
                    password = None
                else:
                    password = one_time_password_issue(user=user, save=False)
                created.append(CreatedAccount(account, user, password))
            # SQLite (3.35+) and PostgreSQL return the new keys, which the memberships need.
            User.objects.bulk_create([item.user for item in created])
            memberships = []
            for item in created:
                for planned in item.account.memberships:
                    membership = Membership(user=item.user, unit=planned.unit, role=planned.role)
                    # membership_grant's checks without its per-row queries: the role's choice and
                    # its fit to the unit's level (already loaded).
                    membership.clean_fields(exclude=["user", "unit"])
                    membership.clean()
                    memberships.append(membership)
            Membership.objects.bulk_create(memberships)
            invited = [item.user for item in created if item.password is None]
            if invited:
                accounts_invite(users=invited, sent_by=created_by)
    except IntegrityError as error:
        # A username taken between the check and the insert (the admin site, another import).
        review = UsersReview(users, scope_of(province, today=today))
        review.problems.append(
            ImportProblem(
                users.sheet,
                None,
                None,
                _(
                    "Chưa tạo tài khoản nào: trong lúc nhập, một tên đăng nhập trong tệp vừa được tạo ở nơi "
                    "khác. Hãy tải tệp lên lần nữa để xem lại."
                ),
            )
        )
        raise ImportRefused(review) from error
    return ImportOutcome(review, created)

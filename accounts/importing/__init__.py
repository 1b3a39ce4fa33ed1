"""Accounts from one Excel: a province's officers, chairmen and reviewers in one sheet.

``reading`` finds the sheet's header by its texts and reads each row with a person as text (pure,
no database); ``checking`` checks each row on its own against the units of the province (or the
country); ``planning`` sets the rows against each other and against the accounts already there and
plans what would be created, every problem listed by row and column; ``creating`` creates it all or
nothing, checked again. The upload page (accounts/views/importing.py)
and ``import_users`` use the same three steps; the page keeps the read rows between its preview and
its confirmation as a signed payload (``UsersFile.to_payload``), as the Biểu 06 import does.
"""

from __future__ import annotations

from .checking import ROLE_WORDS, Scope, scope_of, unit_key
from .creating import CreatedAccount, ImportOutcome, ImportRefused, users_import, users_review
from .planning import PlannedAccount, PlannedMembership, UsersReview, review_users, username_stem
from .reading import MAX_BYTES, Column, SheetRow, UsersFile, read_users_file

__all__ = [
    "MAX_BYTES",
    "ROLE_WORDS",
    "Column",
    "CreatedAccount",
    "ImportOutcome",
    "ImportRefused",
    "PlannedAccount",
    "PlannedMembership",
    "Scope",
    "SheetRow",
    "UsersFile",
    "UsersReview",
    "read_users_file",
    "review_users",
    "scope_of",
    "unit_key",
    "username_stem",
    "users_import",
    "users_review",
]

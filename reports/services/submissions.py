"""Creating once per form: the same create form posted twice (a double click, a reload of the
answer, the back button, two tabs racing) creates one record, and the second post learns where
it is.

Each create form carries a random one-time token (``forms.SubmissionTokenField``). The first post
claims it, a row of ``FormSubmission`` unique per user and token, in the same transaction as the
record it creates and stores where that record lives. A post of the same token meets the unique
constraint (on PostgreSQL it waits for the first post's transaction, then fails), and is given
the first one's address instead. If the first post fails, its claim is rolled back with it, so the
form may be corrected and posted again.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone

from communes.models import User

from ..models import FormSubmission

T = TypeVar("T")


@dataclass(frozen=True)
class Submitted:
    """Where what the form created lives (``url``) and its name (``label``); ``created`` is the
    record created by this post, None when an earlier post of the same form had created it."""

    url: str
    label: str
    created: Any = None

    @property
    def again(self) -> bool:
        return self.created is None


def _prune(user: User) -> None:
    cutoff = timezone.now() - datetime.timedelta(days=FormSubmission.KEEP_DAYS)
    FormSubmission.objects.filter(user=user, created_at__lt=cutoff).delete()


@transaction.atomic
def create_once(
    *,
    user: User,
    token: str,
    create: Callable[[], T],
    url_of: Callable[[T], str],
    label_of: Callable[[T], str] = str,
) -> Submitted:
    """Run ``create`` (a service writing one record) unless the form with ``token`` was posted
    by ``user`` before. Without a token (a script, a page from before tokens) it simply creates.
    Whatever ``create`` raises comes through, and nothing of this post is kept."""
    if not token:
        record = create()
        return Submitted(url_of(record), label_of(record), record)
    try:
        with transaction.atomic():
            claim = FormSubmission.objects.create(user=user, token=token)
    except IntegrityError:
        earlier = FormSubmission.objects.filter(user=user, token=token).first()
        if earlier is not None:
            return Submitted(earlier.url, earlier.label)
        claim = FormSubmission.objects.create(user=user, token=token)  # it was just pruned
    record = create()
    claim.url = url_of(record)[:300]
    claim.label = label_of(record)[:300]
    claim.save(update_fields=["url", "label"])
    _prune(user)
    return Submitted(claim.url, claim.label, record)

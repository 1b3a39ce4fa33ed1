"""The daily reminders (``manage.py send_reminders``) and the reviewer's "Nhắc các xã chậm gửi".

On a day D, every commune alive on D (of the era in force that day: the 2025 communes since
1/7/2025) tells its active officers and chairmen of:
- ``MONTH_DUE``: the month now open, not sent, whose due date (the province's calendar,
  ``dossiers.selectors.due_date``) is D to D + ``REMINDER_DAYS_AHEAD``;
- ``MONTH_OVERDUE``: each month not sent although due, as the commune's home names them
  (``dossiers.selectors.communes_months_to_do``: the last twelve months of its life; sent means
  submitted or approved, a draft or a returned report is not sent);
- ``ROUND_DEADLINE``: its self-assessment still in draft in an unpublished round whose
  self-scoring deadline is D to D + ``REMINDER_DAYS_AHEAD``.

How often the overdue months are repeated: on the 1st, 3rd and 7th day after the due date of the
newest of them, then every 7th day (14, 21 …), each time all of them, exactly as the home lists
them. Every day would be simpler, but a commune that let months lapse (the demo's Phường Tam
Quan has nine) would get the same long list daily, forever, and its bell would fill with the
same unread rows: people learn to ignore such mail, and a reminder is only worth anything while
it is read. Most late reports come in the first week after the deadline, so that week is dense;
after it, weekly. A new month falling due starts the count again. Due soon and deadlines near
are named every day of their few days.

Each item is one ``Notification`` (``unit`` the commune, ``url`` the month's entry page or the
self-scoring page, ``day`` D); each person gets one mail that day with everything it has due,
whatever the number of its communes (``services.compose_daily``, through ``emails_queue(day=D)``).
A person who already has a reminder of D is left out, so a second run the same day writes and
mails nothing more. A commune with something due that no mail reaches (no active account, no
address, or the kind switched off) is named, with why (``UNREACHABLE``): the run prints it and the
reviewer's remind page shows it; the in-portal rows are written all the same.

The number of queries does not depend on the number of communes or people (the inserts and the
mail's updates go by 500 rows, ``services.CHUNK``).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import COMMUNE_ROLES, REFORM_DATE, AdministrativeUnit, Era, Membership, User
from core import periods

from .models import DAILY_KINDS, EmailStatus, Kind, Notification
from .services import Message, emails_give_up, emails_queue, notifications_write, opted_out

# A mail still pending after this long was lost (a task that died, the immediate backend after a
# failure): the next run mails it again. Younger ones may still be in a worker's queue.
RESEND_AFTER = datetime.timedelta(minutes=10)
# Both the daily run and the reviewer's button hold this PostgreSQL advisory lock while they
# decide whom to remind and write it, so that two of them at once do not remind the same people.
LOCK_KEY = 130_005

NO_ACCOUNT, NO_EMAIL, MAIL_OFF = "no_account", "no_email", "mail_off"
UNREACHABLE = {
    NO_ACCOUNT: gettext_lazy("chưa có tài khoản"),
    NO_EMAIL: gettext_lazy("chưa có email"),
    MAIL_OFF: gettext_lazy("đã tắt email loại này"),
}
SENT = ("submitted", "approved")


def overdue_reminder_day(late_by: int) -> bool:
    """Whether overdue months are named on a day ``late_by`` days after the newest one's due date:
    the 1st, 3rd and 7th day, then every 7th (see the module's docstring for why)."""
    return late_by in (1, 3) or (late_by > 0 and late_by % 7 == 0)


def unreachable_reason(people: list[User], kinds, off: set[tuple[int, str]]) -> str | None:
    """Why no mail of some of ``kinds`` reaches any of ``people`` (the active officers and
    chairmen of a commune; ``off`` their switched-off kinds, ``services.opted_out``), or None
    when each kind reaches someone."""
    if not people:
        return NO_ACCOUNT
    with_address = [person for person in people if person.email]
    if not with_address:
        return NO_EMAIL
    for kind in kinds:
        if all((person.pk, kind) in off for person in with_address):
            return MAIL_OFF
    return None


def era_on(day: datetime.date) -> str:
    """The era whose communes report on ``day``: the 2025 ones from 1/7/2025, the earlier before
    (a run for a past day, as the tests replay)."""
    return Era.CURRENT if day >= REFORM_DATE else Era.LEGACY


def _serialized() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The first moment of ``day`` and of the day after, in the portal's time zone."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    return start, timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    )


def entry_url(unit: AdministrativeUnit, period: periods.Period) -> str:
    return reverse("dossiers:entry", args=[unit.pk, period.code])


def _date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass
class Item:
    """One thing a commune has due on the day, as its notification says it."""

    kind: str
    title: str
    url: str
    body: str


def month_overdue_item(unit: AdministrativeUnit, month, *, reviewer: bool = False) -> Item:
    """``month`` (a ``dossiers.selectors.MonthToDo`` past its due date) of ``unit``; ``reviewer``:
    the reminder sent by the reviewer's button, which says who asks."""
    values = {
        "unit": unit.name,
        "period": month.period.label,
        "days": month.late_by,
        "due": _date(month.due),
        "status": str(month.status_label).lower(),
    }
    if reviewer:
        title = _(
            "%(unit)s: cơ quan thẩm định nhắc gửi báo cáo %(period)s, quá hạn %(days)s ngày (hạn %(due)s)"
        )
    else:
        title = _("%(unit)s: báo cáo %(period)s quá hạn %(days)s ngày (hạn %(due)s), %(status)s")
    body = _(
        "Báo cáo số liệu hồ sơ thủ tục hành chính %(period)s của %(unit)s chưa được gửi cơ quan thẩm "
        "định, đã quá hạn %(days)s ngày (hạn %(due)s). Trạng thái: %(status)s."
    )
    return Item(Kind.MONTH_OVERDUE, title % values, entry_url(unit, month.period), body % values)


def month_due_item(unit: AdministrativeUnit, month, *, day: datetime.date) -> Item:
    left = (month.due - day).days
    values = {
        "unit": unit.name,
        "period": month.period.label,
        "days": left,
        "due": _date(month.due),
        "status": str(month.status_label).lower(),
    }
    if left == 0:
        title = _("%(unit)s: báo cáo %(period)s hạn gửi hôm nay (%(due)s), %(status)s")
    else:
        title = _("%(unit)s: báo cáo %(period)s hạn gửi %(due)s (còn %(days)s ngày), %(status)s")
    body = _(
        "Báo cáo số liệu hồ sơ thủ tục hành chính %(period)s của %(unit)s cần được gửi cơ quan thẩm "
        "định chậm nhất ngày %(due)s. Trạng thái: %(status)s."
    )
    return Item(Kind.MONTH_DUE, title % values, entry_url(unit, month.period), body % values)


def round_deadline_item(unit: AdministrativeUnit, assessment, *, day: datetime.date) -> Item:
    deadline = assessment.round.self_deadline
    values = {
        "unit": unit.name,
        "year": assessment.round.year,
        "days": (deadline - day).days,
        "deadline": _date(deadline),
    }
    if deadline == day:
        title = _("%(unit)s: hôm nay (%(deadline)s) là hạn tự chấm điểm Chỉ số CCHC năm %(year)s")
    else:
        title = _("%(unit)s: hạn tự chấm điểm Chỉ số CCHC năm %(year)s là %(deadline)s (còn %(days)s ngày)")
    body = _(
        "%(unit)s chưa gửi kết quả tự chấm điểm Chỉ số CCHC năm %(year)s; hạn tự chấm là ngày "
        "%(deadline)s. Chủ tịch UBND gửi kết quả sau khi chấm đủ các tiêu chí."
    )
    url = reverse("indices:assessment_detail", args=[assessment.pk])
    return Item(Kind.ROUND_DEADLINE, title % values, url, body % values)


@dataclass
class CommuneDay:
    """A commune with something due on the day: its items and its active officers and chairmen."""

    unit: AdministrativeUnit
    items: list[Item]
    people: list[User]
    unreachable: str | None = None

    @property
    def unreachable_label(self) -> str:
        return str(UNREACHABLE[self.unreachable]) if self.unreachable else ""


@dataclass
class DayPlan:
    """What ``send_reminders`` does on ``day``: read by ``reminders_for_day``, written by
    ``reminders_send``."""

    day: datetime.date
    communes_alive: int = 0
    communes: list[CommuneDay] = field(default_factory=list)  # those with something due
    messages: list[Message] = field(default_factory=list)  # the rows to write (new ones only)
    mails: int = 0  # people who get the day's mail
    skipped: int = 0  # people already reminded on ``day``, left out
    resend: list[int] = field(default_factory=list)  # pending rows of earlier failures, mailed again
    give_up: list[int] = field(default_factory=list)  # pending rows not to be mailed any more
    mail_today: bool = False  # rows of ``day`` still to be mailed, new or from an earlier run

    @property
    def counts(self) -> Counter:
        return Counter(message.kind for message in self.messages)

    @property
    def people(self) -> int:
        return len({message.recipient.pk for message in self.messages})

    @property
    def unreachable(self) -> list[CommuneDay]:
        return [commune for commune in self.communes if commune.unreachable]


def reminders_for_day(*, day: datetime.date, days_ahead: int | None = None) -> DayPlan:
    """Whom to remind of what on ``day`` (see the module's docstring); reads only. A fixed number of
    queries: the communes, the calendars, the reports, the assessments, the officers and
    chairmen, their switched-off mails, who was reminded on ``day`` already, who was reminded by a
    reviewer's button that day, and the mails pending from earlier failures."""
    plan = DayPlan(day)
    _reminders(plan, days_ahead=settings.REMINDER_DAYS_AHEAD if days_ahead is None else days_ahead)
    _pending(plan)
    return plan


def _reminders(plan: DayPlan, *, days_ahead: int) -> None:
    """The communes with something due on ``plan.day``, and the rows to write."""
    from dossiers.selectors import communes_months_to_do
    from indices.models import Assessment, AssessmentStatus

    day = plan.day
    last = day + datetime.timedelta(days=days_ahead)
    units = list(
        AdministrativeUnit.objects.communes()
        .filter(era=era_on(day))
        .valid_on(day)
        .select_related("parent__parent")
        .order_by("search_key", "pk")
    )
    plan.communes_alive = len(units)
    if not units:
        return
    months = communes_months_to_do(units, today=day)
    rounds: dict[int, list] = {}
    for assessment in (
        Assessment.objects.filter(
            unit__in=[unit.pk for unit in units],
            status=AssessmentStatus.DRAFT,
            round__published_at__isnull=True,
            round__self_deadline__range=(day, last),
        )
        .select_related("round")
        .order_by("round__self_deadline", "pk")
    ):
        rounds.setdefault(assessment.unit_id, []).append(assessment)

    for unit in units:
        items = []
        overdue = [month for month in months[unit.pk] if month.late_by > 0]
        if overdue and overdue_reminder_day(overdue[-1].late_by):
            items += [month_overdue_item(unit, month) for month in overdue]
        items += [
            month_due_item(unit, month, day=day)
            for month in months[unit.pk]
            if month.late_by <= 0 and month.status not in SENT and day <= month.due <= last
        ]
        items += [round_deadline_item(unit, assessment, day=day) for assessment in rounds.get(unit.pk, [])]
        if items:
            plan.communes.append(CommuneDay(unit, items, []))
    if not plan.communes:
        return

    by_unit = {commune.unit.pk: commune for commune in plan.communes}
    for membership in (
        Membership.objects.filter(unit__in=list(by_unit), role__in=COMMUNE_ROLES, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__username", "pk")
    ):
        people = by_unit[membership.unit_id].people
        if all(person.pk != membership.user_id for person in people):
            people.append(membership.user)
    everyone = {person.pk: person for commune in plan.communes for person in commune.people}
    off = opted_out(everyone.values())
    for commune in plan.communes:
        commune.unreachable = unreachable_reason(commune.people, {item.kind for item in commune.items}, off)

    already = set(
        Notification.objects.filter(day=day, kind__in=DAILY_KINDS)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    start, end = day_bounds(day)
    by_reviewer = set(
        Notification.objects.filter(
            kind=Kind.MONTH_OVERDUE, day__isnull=True, created_at__gte=start, created_at__lt=end
        )
        .order_by()
        .values_list("recipient_id", "url")
    )
    mailed = set()
    for commune in plan.communes:
        for person in commune.people:
            if person.pk in already:
                continue
            for item in commune.items:
                if item.kind == Kind.MONTH_OVERDUE and (person.pk, item.url) in by_reviewer:
                    continue  # the reviewer's button reminded it of this month today
                plan.messages.append(
                    Message(person, item.kind, item.title, item.url, item.body, commune.unit, day)
                )
                if person.email and (person.pk, item.kind) not in off:
                    mailed.add(person.pk)
    plan.skipped = len(already & set(everyone))
    plan.mails = len(mailed)


def _pending(plan: DayPlan) -> None:
    """Sort the mails still pending from before: those of ``plan.day`` go with the day's mail; a
    notification's mail lost or failed earlier (older than ``RESEND_AFTER``) is mailed again,
    unless its recipient is locked now, it was tried ``NOTIFICATION_EMAIL_ATTEMPTS`` times, or it
    is an earlier day's reminder that today's names again (today's mail says it)."""
    today_named = {(message.recipient.pk, message.url) for message in plan.messages}
    cutoff = timezone.now() - RESEND_AFTER
    rows = (
        Notification.objects.filter(email_status=EmailStatus.PENDING)
        .filter(Q(day=plan.day) | Q(created_at__lt=cutoff))
        .order_by()
    )
    plan.mail_today = plan.mails > 0
    for pk, recipient_id, url, day, attempts, active in rows.values_list(
        "pk", "recipient_id", "url", "day", "email_attempts", "recipient__is_active"
    ):
        if day == plan.day:
            plan.mail_today = plan.mail_today or active
            if not active:
                plan.give_up.append(pk)
        elif (
            not active
            or attempts >= settings.NOTIFICATION_EMAIL_ATTEMPTS
            or (day is not None and (recipient_id, url) in today_named)
        ):
            plan.give_up.append(pk)
        else:
            plan.resend.append(pk)


def reminders_send(*, day: datetime.date, dry_run: bool = False, days_ahead: int | None = None) -> DayPlan:
    """Write the day's reminders and, once committed, mail them (one mail per person) with the
    mails pending from earlier failures. ``dry_run``: only ``reminders_for_day``, nothing written."""
    if dry_run:
        return reminders_for_day(day=day, days_ahead=days_ahead)
    with transaction.atomic():
        _serialized()
        plan = reminders_for_day(day=day, days_ahead=days_ahead)
        notifications_write(plan.messages, mail=False)
        emails_give_up(plan.give_up)
        if plan.mail_today or plan.resend:
            emails_queue(ids=plan.resend, day=day if plan.mail_today else None)
    return plan


@dataclass
class Reminded:
    """What the reviewer's button did: ``people`` reminded in ``communes`` communes now; the
    late communes no mail reaches (``dossiers.selectors.Reminder.unreachable``); ``period`` None:
    the user reviews no commune."""

    period: periods.Period | None
    is_due: bool = False
    late: int = 0
    people: int = 0
    communes: int = 0
    unreachable: list = field(default_factory=list)


def late_communes_remind(*, user: User, period: periods.Period | None, today: datetime.date) -> Reminded:
    """ "Gửi nhắc nhở ngay": remind the officers and chairmen of the communes late with ``period``
    (``dossiers.selectors.inbox_reminders``, recomputed now and scoped to ``user``: nothing the
    form says decides who is reminded) of that month, in the portal and by mail after the commit.
    A person already reminded of that month today (by this button or the daily run) is not
    reminded again."""
    from dossiers.selectors import inbox_reminders

    with transaction.atomic():
        _serialized()
        listing = inbox_reminders(user=user, period=period, today=today)
        result = Reminded(listing.period, listing.is_due, late=len(listing.reminders))
        messages = []
        for reminder in listing.reminders:
            people = reminder.to_remind
            if people:
                item = month_overdue_item(reminder.unit, reminder.month, reviewer=True)
                messages += [
                    Message(person, item.kind, item.title, item.url, item.body, reminder.unit)
                    for person in people
                ]
                result.communes += 1
            if reminder.unreachable:
                result.unreachable.append(reminder)
        result.people = len({message.recipient.pk for message in messages})
        notifications_write(messages)
    return result

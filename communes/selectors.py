"""Reads about units and people, and the access rules every view goes through.

Who may read what (DESIGN.md "Who uses it"):
- officers and chairmen read their own communes and those communes' predecessors;
- reviewers and administrators read the units under the unit they hold the role in,
  and the predecessors of those units;
- superusers read everything.
Only officers and chairmen write a commune's data; only reviewers review it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    COMMUNE_ROLES,
    SUPERVISING_ROLES,
    AdministrativeUnit,
    Level,
    Membership,
    Role,
    UnitSuccession,
    User,
)


def _unit_ids(user: User, roles: tuple[str, ...]) -> QuerySet:
    return Membership.objects.filter(user=user, role__in=roles).values("unit_id")


def _under(unit_ids: QuerySet) -> Q:
    """The units in ``unit_ids`` and every unit below them (at most two levels down)."""
    return Q(pk__in=unit_ids) | Q(parent_id__in=unit_ids) | Q(parent__parent_id__in=unit_ids)


def units_readable_by(user: User) -> QuerySet[AdministrativeUnit]:
    """Every unit ``user`` may read, as one query."""
    if not user.is_authenticated or not user.is_active:
        return AdministrativeUnit.objects.none()
    if user.is_superuser:
        return AdministrativeUnit.objects.all()
    own = _unit_ids(user, COMMUNE_ROLES)
    supervised = _unit_ids(user, SUPERVISING_ROLES)
    predecessors = UnitSuccession.objects.filter(
        Q(successor_id__in=own)
        | Q(successor_id__in=supervised)
        | Q(successor__parent_id__in=supervised)
        | Q(successor__parent__parent_id__in=supervised)
    ).values("predecessor_id")
    return AdministrativeUnit.objects.filter(Q(pk__in=own) | _under(supervised) | Q(pk__in=predecessors))


def units_writable_by(user: User) -> QuerySet[AdministrativeUnit]:
    """The communes whose data ``user`` enters: those where it is an officer or chairman."""
    if not user.is_authenticated or not user.is_active:
        return AdministrativeUnit.objects.none()
    return AdministrativeUnit.objects.filter(pk__in=_unit_ids(user, COMMUNE_ROLES))


def units_reviewed_by(user: User) -> QuerySet[AdministrativeUnit]:
    """The communes ``user`` reviews as Phòng Nội vụ (district) or Sở Nội vụ (province)."""
    if not user.is_authenticated or not user.is_active:
        return AdministrativeUnit.objects.none()
    reviewed = _unit_ids(user, (Role.REVIEWER,))
    return AdministrativeUnit.objects.communes().filter(
        Q(parent_id__in=reviewed) | Q(parent__parent_id__in=reviewed)
    )


def units_administered_by(user: User) -> QuerySet[AdministrativeUnit]:
    """The units under the provinces where ``user`` is an administrator (all for a superuser)."""
    if not user.is_authenticated or not user.is_active:
        return AdministrativeUnit.objects.none()
    if user.is_superuser:
        return AdministrativeUnit.objects.all()
    return AdministrativeUnit.objects.filter(_under(_unit_ids(user, (Role.ADMINISTRATOR,))))


def users_administered_by(user: User) -> QuerySet[User]:
    """The accounts ``user`` may see, pick and change in the admin site.

    A superuser: everyone. A provincial administrator: the accounts that are not superusers, hold no
    role outside its provinces, and either hold a role inside them or were created by it and have no
    role yet. So an account that also works for another province (a reviewer given a role here as
    well) stays out of reach: its password and its other roles belong to that province.
    """
    if not user.is_authenticated or not user.is_active:
        return User.objects.none()
    if user.is_superuser:
        return User.objects.all()
    units = units_administered_by(user)
    inside = Membership.objects.filter(unit__in=units).values("user_id")
    outside = Membership.objects.exclude(unit__in=units).values("user_id")
    any_role = Membership.objects.values("user_id")
    return User.objects.filter(
        Q(pk__in=inside) | (Q(created_by=user) & ~Q(pk__in=any_role)), is_superuser=False
    ).exclude(pk__in=outside)


def get_unit_for_user(user: User, pk: int, *, write: bool = False) -> AdministrativeUnit:
    """The unit ``pk``: 404 when ``user`` may not see it, 403 when it may see but not write."""
    unit = units_readable_by(user).select_related("parent__parent").filter(pk=pk).first()
    if unit is None:
        raise Http404(_("Không tìm thấy đơn vị."))
    if write and not units_writable_by(user).filter(pk=pk).exists():
        raise PermissionDenied(_("Bạn không có quyền nhập liệu cho đơn vị này."))
    return unit


class UnitNotFound(LookupError):
    """No unit, or more than one, answers to a code; the message says which and how to choose."""


def unit_by_code(code: str, *, era: str | None = None) -> AdministrativeUnit:
    """The unit with the official ``code`` (of ``era`` when given). Codes repeat across eras
    (Quảng Trị is 44 after 2025, Quảng Bình was), so an ambiguous code needs the era."""
    units = AdministrativeUnit.objects.filter(code=code).select_related("parent__parent")
    if era:
        units = units.filter(era=era)
    found = list(units[:5])
    if not found:
        if era:
            raise UnitNotFound(
                _("Không có đơn vị mã %(code)s trong giai đoạn %(era)s.") % {"code": code, "era": era}
            )
        raise UnitNotFound(_("Không có đơn vị mã %(code)s.") % {"code": code})
    if len(found) > 1:
        names = "; ".join(f"{u.name} ({u.get_era_display()})" for u in found)
        raise UnitNotFound(
            _("Mã %(code)s ứng với nhiều đơn vị: %(names)s. Hãy thêm --era legacy hoặc --era 2025.")
            % {"code": code, "names": names}
        )
    return found[0]


def roles_in(user: User, unit: AdministrativeUnit) -> set[str]:
    """The roles ``user`` holds in ``unit`` itself (one query)."""
    if not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user, unit=unit).values_list("role", flat=True))


def province_of(unit: AdministrativeUnit) -> AdministrativeUnit:
    """The province a unit belongs to (itself for a province). Uses the loaded parents."""
    while unit.parent_id is not None:
        unit = unit.parent
    return unit


@dataclass
class UserPlaces:
    """What the navigation and the home page need to know about a user, from one query."""

    communes: list[AdministrativeUnit] = field(default_factory=list)
    supervised: list[Membership] = field(default_factory=list)
    is_superuser: bool = False
    # The bell's count, read in the same query as the memberships (None: the user has none, and
    # ``notifications.selectors.unread_count`` counts apart).
    unread_notifications: int | None = None

    @property
    def supervises(self) -> bool:
        return bool(self.supervised) or self.is_superuser

    @property
    def administers(self) -> bool:
        return self.is_superuser or any(m.role == Role.ADMINISTRATOR for m in self.supervised)

    @property
    def reviews(self) -> bool:
        """Whether the user reviews communes (has an inbox with something in it)."""
        return any(m.role == Role.REVIEWER for m in self.supervised)

    @property
    def supervised_units(self) -> list[AdministrativeUnit]:
        """The units the user reviews or administers, each once (a person may hold both roles)."""
        units: list[AdministrativeUnit] = []
        for membership in self.supervised:
            if membership.unit not in units:
                units.append(membership.unit)
        return units


def places_of(user: User) -> UserPlaces:
    """The user's communes and supervised units, cached on the user object for the request."""
    cached = getattr(user, "_cchc_places", None)
    if cached is not None:
        return cached
    places = UserPlaces(is_superuser=user.is_superuser)
    if user.is_authenticated:
        from notifications.selectors import unread_count_expression

        memberships = (
            Membership.objects.filter(user=user)
            .select_related("unit__parent")
            .annotate(unread_notifications=unread_count_expression(user))
        )
        for membership in memberships.order_by("unit__name", "role"):
            places.unread_notifications = membership.unread_notifications
            if membership.role in COMMUNE_ROLES:
                if membership.unit not in places.communes:
                    places.communes.append(membership.unit)
            else:
                places.supervised.append(membership)
    user._cchc_places = places
    return places


def unit_list(*, user: User, filters: dict | None = None):
    """The communes ``user`` may read, filtered; returns the bound FilterSet."""
    from .filters import UnitFilter

    communes = units_readable_by(user).communes().select_related("parent")
    places = places_of(user)
    default_eras = {unit.era for unit in places.communes} | {m.unit.era for m in places.supervised}
    # Always bound, even to an empty query: an unbound FilterSet skips the default era.
    return UnitFilter(
        filters or {}, queryset=communes.order_by("parent__name", "name"), default_eras=default_eras
    )


@dataclass
class RoundLinks:
    """A round of the unit's index on its home: what its reader may open of it."""

    round: object  # indices.models.Round
    opens_page: bool  # the round's page (reviewers and administrators)
    opens_ranking: bool  # its ranking (published, or the reader sees it before publication)


@dataclass
class UnitWork:
    """The work card of a reviewing unit's home (a district before 7/2025, a province after):
    what its reader may do there, each a link the template shows only when it may be followed.

    ``reviews``: a reviewer of the unit (inbox, batch printing, composing the summary report);
    ``administers``: an administrator of the unit or a superuser (rounds, frameworks, admin site).
    Everyone who reads the unit opens its overview, board and issued summary reports."""

    reviews: bool
    administers: bool
    waiting: int = 0  # reports sent and waiting for the reviewer, every period
    late: int = 0  # communes late with the inbox's month
    late_period: object = None  # core.periods.Period of that month, or None
    late_is_due: bool = False
    rounds: list[RoundLinks] = field(default_factory=list)

    @property
    def opens_rounds(self) -> bool:
        return self.reviews or self.administers


ROUNDS_ON_HOME = 3


def _inbox_counts(user: User, today) -> tuple[int, int, object, bool]:
    """(waiting, late, the month, whether it is due) as the inbox page counts them: its own
    selector, so the home and the inbox never disagree. A fixed number of queries."""
    from dossiers.selectors import inbox_for

    inbox = inbox_for(user=user, period=None, today=today)
    if inbox.period is None:
        return 0, 0, None, False
    waiting = inbox.counts.get("submitted", 0) + inbox.waiting_elsewhere
    return waiting, inbox.counts.get("overdue", 0), inbox.period, inbox.is_due


def unit_work(*, user: User, unit: AdministrativeUnit, roles: set[str]) -> UnitWork | None:
    """The work card of ``unit``'s home for ``user`` (``roles``: its roles in the unit itself);
    None for a commune, whose home has its own buttons. A fixed number of queries whatever the
    number of communes: the inbox's counts (reviewers only) and the unit's latest rounds, each
    with whether the user opens its pages."""
    if unit.level == Level.COMMUNE:
        return None
    from django.db.models import Count, Exists, OuterRef
    from django.utils import timezone

    from indices.models import AssessmentStatus, Round
    from indices.selectors.appraisal import rounds_for_round_pages

    reviews = Role.REVIEWER in roles
    work = UnitWork(reviews=reviews, administers=user.is_superuser or Role.ADMINISTRATOR in roles)
    if reviews:
        work.waiting, work.late, work.late_period, work.late_is_due = _inbox_counts(
            user, timezone.localdate()
        )
    rounds = (
        Round.objects.filter(group=unit)
        .select_related("framework")
        .annotate(
            opens_page=Exists(rounds_for_round_pages(user).filter(pk=OuterRef("pk"))),
            assessed=Count("assessments"),
            sent=Count("assessments", filter=~Q(assessments__status=AssessmentStatus.DRAFT)),
        )
        .order_by("-year", "-pk")[:ROUNDS_ON_HOME]
    )
    # Who opens a round's pages (its reviewer, an administrator of its group or above, a
    # superuser) is who sees its ranking before publication (``may_see_unpublished``).
    work.rounds = [
        RoundLinks(r, opens_page=r.opens_page, opens_ranking=r.is_published or r.opens_page) for r in rounds
    ]
    return work


@dataclass
class CommuneWork:
    """The work card of a commune's home for its own officer or chairman, on ``today``: the
    months not sent although due and the month now open (``dossiers.selectors.commune_months_to_do``),
    its assessments in rounds not yet published, and its plan and tasks of the year."""

    today: object  # datetime.date
    months: list  # dossiers.selectors.MonthToDo
    submits: bool  # a chairman: sends what the officer entered
    assessments: list  # indices.models.Assessment, with their round
    plan: object  # reports.selectors.records.PlanProgress
    plan_text: str  # "17/24 nhiệm vụ (71%)"
    plan_late: int  # plan tasks past their date, not done
    tasks_late: int  # meeting conclusions' tasks past their date, not done


def commune_work(*, unit: AdministrativeUnit, roles: set[str], today) -> CommuneWork | None:
    """None unless the reader is the commune's officer or chairman, or for a commune that no
    longer exists. A fixed number of queries."""
    if unit.level != Level.COMMUNE or not roles & {Role.OFFICER, Role.CHAIRMAN}:
        return None
    if unit.valid_to and unit.valid_to < today:
        return None
    from dossiers.selectors import commune_months_to_do
    from indices.models import Assessment
    from reports.selectors.records import open_tasks, plan_progress, progress_text

    plan = plan_progress(unit, today.year)
    return CommuneWork(
        today=today,
        months=commune_months_to_do(unit, today=today),
        submits=Role.CHAIRMAN in roles,
        assessments=list(
            Assessment.objects.filter(unit=unit, round__published_at__isnull=True)
            .select_related("round")
            .order_by("-round__year")
        ),
        plan=plan,
        plan_text=progress_text(plan.done, plan.total),
        plan_late=sum(1 for task in plan.open_tasks if task.due_on and task.due_on < today),
        tasks_late=open_tasks(unit).filter(due_on__lt=today).count(),
    )


@dataclass
class UnitHome:
    unit: AdministrativeUnit
    members: list[Membership]
    offices: list
    predecessors: list[AdministrativeUnit]
    successors: list[AdministrativeUnit]
    readable_ids: set[int]
    child_count: int
    roles: list[str]
    work: UnitWork | None = None
    commune_work: CommuneWork | None = None


def unit_home(*, user: User, unit: AdministrativeUnit) -> UnitHome:
    """Everything a unit's home page shows, in a fixed number of queries."""
    members = list(
        Membership.objects.filter(unit=unit).select_related("user").order_by("role", "user__full_name")
    )
    predecessors = list(unit.predecessors.select_related("parent").order_by("name"))
    successors = list(unit.successors.select_related("parent").order_by("name"))
    linked = [u.pk for u in predecessors + successors]
    readable_ids = (
        set(units_readable_by(user).filter(pk__in=linked).values_list("pk", flat=True)) if linked else set()
    )
    child_count = unit.children.count() if unit.level != Level.COMMUNE else 0
    own_roles = {m.role for m in members if m.user_id == user.pk}
    return UnitHome(
        unit=unit,
        members=members,
        offices=list(unit.offices.all()),
        predecessors=predecessors,
        successors=successors,
        readable_ids=readable_ids,
        child_count=child_count,
        roles=[m.get_role_display() for m in members if m.user_id == user.pk],
        work=unit_work(user=user, unit=unit, roles=own_roles),
        commune_work=commune_work(unit=unit, roles=own_roles, today=timezone.localdate()),
    )


def commune_people(unit: AdministrativeUnit) -> list[User]:
    """The active officers and chairmen of ``unit``: who hears of its reports and deadlines."""
    return commune_people_by_unit([unit]).get(unit.pk, [])


def commune_people_by_unit(units: Iterable[AdministrativeUnit | int]) -> dict[int, list[User]]:
    """unit id → its active officers and chairmen (each once), for many communes in one query: a
    province's round opens for 100–170 communes at once."""
    ids = [unit if isinstance(unit, int) else unit.pk for unit in units]
    people: dict[int, dict[int, User]] = defaultdict(dict)
    if not ids:
        return {}
    memberships = (
        Membership.objects.filter(unit_id__in=ids, role__in=COMMUNE_ROLES, user__is_active=True)
        .select_related("user")
        .order_by("unit_id", "user_id")
    )
    for membership in memberships:
        people[membership.unit_id].setdefault(membership.user_id, membership.user)
    return {unit_id: list(users.values()) for unit_id, users in people.items()}


def reviewers_of(unit: AdministrativeUnit) -> list[User]:
    """The active reviewers of ``unit``: those of its district before 2025, of its province since
    (a reviewer's membership is on the unit above the commune, or the one above that)."""
    above = AdministrativeUnit.objects.filter(Q(children=unit) | Q(children__children=unit)).values("pk")
    return list(
        User.objects.filter(
            is_active=True, memberships__unit__in=above, memberships__role=Role.REVIEWER
        ).distinct()
    )

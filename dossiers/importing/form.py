"""The layout of form Biểu số 06/VPCP/KSTT as read (DOMAIN.md §1), and what reading a file gives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.xlsx import ImportProblem
from dossiers.figures import Figures, Level

if TYPE_CHECKING:
    from .identity import FileIdentity

ERROR = Level.ERROR.value
WARNING = Level.WARNING.value

HEADER_SEARCH_ROWS = 50  # title blocks take ten rows or so
HEADER_DEPTH = 3  # header rows below the one naming the lĩnh vực column

# Columns of the form (1-based, as printed) and the figures they hold. Column 5 is "in person and
# postal": it is stored as in person, postal stays 0.
FORM_FIELDS = {
    4: "received_online",
    5: "received_in_person",
    6: "carried_over",
    8: "resolved_early",
    9: "resolved_on_time",
    10: "resolved_late",
    12: "pending_in_time",
    13: "pending_overdue",
}
NUMBER_COLUMNS = range(3, 14)

# Optional columns after column 13, recognised by their folded header text: every group of
# alternatives must match a whole word run. Checked in this order, first match wins.
EXTRA_RULES: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("online_payments", (("thanh toan truc tuyen",),)),
    ("dossiers_with_fees", (("thu phi",),)),
    ("digitised_results", (("so hoa",),)),
    ("apology_letters", (("xin loi",),)),
    ("pakn_received", (("pakn", "phan anh"), ("tiep nhan",))),
    ("pakn_resolved", (("pakn", "phan anh"), ("giai quyet",))),
)


@dataclass(frozen=True)
class ImportedRow:
    sheet: str
    row: int
    field_id: int
    field_name: str
    figures: Figures


@dataclass
class ImportResult:
    """The lĩnh vực rows read and everything wrong with the file.

    ``rows`` holds every row whose lĩnh vực was recognised (once) and whose cells are all whole
    numbers; save them only when ``ok``.
    """

    rows: list[ImportedRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    # What the title block says the file is (``identity.FileIdentity``); None when no table was found.
    identity: FileIdentity | None = None

    @property
    def ok(self) -> bool:
        return not any(problem.level == ERROR for problem in self.problems)

    @property
    def errors(self) -> list[ImportProblem]:
        return [problem for problem in self.problems if problem.level == ERROR]

    @property
    def warnings(self) -> list[ImportProblem]:
        return [problem for problem in self.problems if problem.level == WARNING]

"""The report composer: a draft report with its document facts, its sections prefilled from the
data in the plain administrative Vietnamese of the seeds, and the snapshot of its figures.

``report_compose`` creates the draft; ``snapshot_build`` recomputes the figures of a report (the
"Cập nhật số liệu" button of a draft, and issuing). The sections' text is written once, at
composing: afterwards it belongs to the people who edit it.

The snapshot (the shared format the document renderer reads)::

    {"tables": {NAME: {"caption", "header" (rows of {"text", "colspan", "rowspan"}), "rows",
                       "total" (or None), "numeric"}},
     "charts": {NAME: "<svg …>"}, "facts": {key: str}}

Every cell is already written the Vietnamese way ("1.292", "91,64%").
"""

from .draft import ComposeError, next_number, report_compose, snapshot_build

__all__ = ["ComposeError", "next_number", "report_compose", "snapshot_build"]

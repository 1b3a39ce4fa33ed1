"""Writes of the index, one module per stage: ``rounds`` (opening, totals, automatic leaves,
publishing), ``assessment`` (the commune's self-scoring and evidence), ``appraisal`` (the
reviewer's), ``frameworks`` (import, validation and versions of a framework)."""

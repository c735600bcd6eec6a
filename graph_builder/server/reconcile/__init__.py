"""A W3C Reconciliation Service API (0.2) for `hospital-kg serve` at /reconcile, so that
OpenRefine can match a spreadsheet column of names against the graph's entities.

`index` reads the graph's entities, names, places and ties through the query workers,
`names` (with names.yaml) makes the forms names are compared in, `matching` reads and
answers queries, `preview` draws an entity's card, `service` is the routes.
"""

from __future__ import annotations

from .matching import Limits
from .service import Reconciliation

__all__ = ["Limits", "Reconciliation"]

"""``add``: put a validated workbook's figures into ``data/kpis/<source_id>.csv`` as one transaction.

An analyst makes a template for the new fiscal year, types the figures (with the source, location and
verbatim quote), validates it, and adds it. A changed figure is never overwritten — it is kept as a
revision from its own (newer) source, and the analysis uses the latest. What the add wrote is recorded
in the ledger (``data/ledger/<add_id>.json``) so that ``remove`` takes back exactly that.
"""

from __future__ import annotations

from pathlib import Path

from .. import config
from ..errors import ExtractError
from .journal import commit_files, transaction
from .rows import Changes, compare, format_value
from .stage import stage_update

__all__ = ["Changes", "add_extract", "compare", "format_value"]


def add_extract(path: str | Path) -> Changes:
    """Validate ``path`` and put its rows into ``data/kpis/<source_id>.csv`` (one file per source).

    Runs the staged build of ``validate`` (:func:`stage_update`) under the update lock and raises
    :class:`ExtractError` with the same problems ``validate`` lists (file, row and column of the workbook).
    New source records from the 出典一覧 sheet are appended to ``data/sources.csv``; revised values are
    kept from both sources (see ``load_kpis``). Every file, and the ledger entry, is replaced in one
    journaled transaction: a failure or a kill leaves ``data/`` wholly as before or wholly as after.
    ``changes.add_id`` names the ledger entry (``None`` when nothing was written).
    """
    with transaction("add"):
        staged = stage_update(path)
        if staged.problems:
            raise ExtractError(staged.problems)
        changes = staged.changes
        changes.add_id = None
        if staged.files:
            commit_files(config.DATA_DIR, staged.files)
            changes.add_id = staged.entry["add_id"]
    return changes

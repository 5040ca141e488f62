"""The ledger of adds: what each ``add`` wrote into ``data/``, so that ``remove`` takes back exactly that.

One JSON file per add, ``data/ledger/<add_id>.json``, written in the same transaction as the rows::

    {"add_id": "20261206T171500-3f2a9c1e", "time": "2026-12-06T17:15:00Z",
     "workbook": "fy2025.xlsx", "workbook_sha256": "3f2a…",
     "files": [{"path": "kpis/x.csv", "created": true, "rows": [{"row": 2, "line": "chigasaki,…\\n"}]},
               {"path": "sources.csv", "created": false, "rows": [{"row": 7, "line": "x,…\\n"}]}]}

``row`` is the row as the analyst sees it (header = row 1) and ``line`` the exact text appended. An add
that writes nothing leaves no entry, so there is nothing to remove after it.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

from .. import config

LEDGER_DIR_NAME = "ledger"
"""The folder of ledger entries inside ``data/``."""


def ledger_dir() -> Path:
    return config.DATA_DIR / LEDGER_DIR_NAME


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def new_entry(workbook: str | Path, files: list[dict]) -> dict:
    """A ledger entry for an add of ``workbook`` that appended ``files`` (path, created, rows)."""
    digest = file_sha256(workbook)
    now = time.gmtime()
    return {"add_id": f"{time.strftime('%Y%m%dT%H%M%S', now)}-{digest[:8]}",
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", now), "workbook": Path(workbook).name,
            "workbook_sha256": digest, "files": files}


def entry_path(entry: dict) -> Path:
    return ledger_dir() / f"{entry['add_id']}.json"


def entry_bytes(entry: dict) -> bytes:
    return (json.dumps(entry, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def entries() -> list[dict]:
    """Every ledger entry, oldest first."""
    folder = ledger_dir()
    if not folder.is_dir():
        return []
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def entries_of_workbook(workbook: str | Path) -> list[dict]:
    """The adds of exactly this workbook (same SHA-256), oldest first."""
    digest = file_sha256(workbook)
    return [e for e in entries() if e["workbook_sha256"] == digest]


def entry_by_id(add_id: str) -> dict | None:
    return next((e for e in entries() if e["add_id"] == add_id), None)


def sources_added() -> dict[str, str]:
    """source_id → the add that registered it in sources.csv."""
    out = {}
    for e in entries():
        for f in e["files"]:
            if f["path"] == "sources.csv":
                for r in f["rows"]:
                    out[r["line"].split(",", 1)[0].strip('"')] = e["add_id"]
    return out

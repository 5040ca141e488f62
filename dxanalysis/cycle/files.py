"""Files of ``data/`` as the cycle writes them: several files replaced as one change, and the CSV records they hold."""

from __future__ import annotations

import csv
import os
import re
import tempfile
from pathlib import Path

from .. import config


def _replace_files(files: dict[Path, bytes | None]) -> None:
    """Put every file in place (``None``: delete it) via temporary files; on any failure restore every file."""
    backups = {p: (p.read_bytes() if p.exists() else None) for p in files}
    temps: dict[Path, Path] = {}
    try:
        for p, data in files.items():
            if data is None:
                continue
            p.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
            temps[p] = Path(name)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
        for p, data in files.items():
            if data is None:
                p.unlink(missing_ok=True)
            else:
                os.replace(temps[p], p)
                del temps[p]
    except BaseException:
        for p, old in backups.items():
            if old is None:
                p.unlink(missing_ok=True)
            elif not p.exists() or p.read_bytes() != old:
                p.write_bytes(old)
        raise
    finally:
        for t in temps.values():
            t.unlink(missing_ok=True)


# ---------------------------------------------------------------- remove (undo an add)

def _csv_records(path: Path) -> tuple[list[str], str, list[tuple[int, dict, str]]]:
    """Header, the header's raw text, and (row, record, raw text) per record (header = row 1), so kept rows
    can be written back byte for byte."""
    text = path.read_bytes().decode("utf-8")
    lines = re.findall(r"[^\n]*\n|[^\n]+$", text)
    reader = csv.reader(lines)
    header = next(reader, [])
    head_end = reader.line_num
    out, prev = [], head_end
    for i, rec in enumerate(reader):
        out.append((i + 2, dict(zip(header, rec)), "".join(lines[prev:reader.line_num])))
        prev = reader.line_num
    return header, "".join(lines[:head_end]), out


def _source_references(skip: set[Path]) -> dict[str, set[str]]:
    """source_id → the files under data/ (other than sources.csv and ``skip``) that still cite it."""
    refs: dict[str, set[str]] = {}
    for p in sorted(config.DATA_DIR.rglob("*.csv")):
        if p.resolve() == config.SOURCES_CSV.resolve() or p in skip or "raw" in p.relative_to(config.DATA_DIR).parts:
            continue  # raw copies (national files, some not UTF-8) cite no source_id
        with open(p, encoding="utf-8-sig", errors="replace", newline="") as f:
            reader = csv.reader(f)
            header = next(reader, [])
            if "source_id" not in header:
                continue
            j = header.index("source_id")
            for rec in reader:
                if len(rec) > j:
                    refs.setdefault(rec[j], set()).add(str(p.relative_to(config.DATA_DIR)))
    return refs

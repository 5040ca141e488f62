"""マイナンバーカード交付状況 (総務省, as CSV by Code for Japan): 46 snapshots of cards **issued** per municipality."""

from __future__ import annotations

import csv
import functools
import io as _io
import logging
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..errors import Problem
from .codes import _code_list
from .common import (
    CARDS,
    NationalLoadReport,
    _copy,
    _path,
    _raise,
    _raw_dir,
    _signature,
)

log = logging.getLogger(__name__)

CARD_HEADER = ["算出基準日", "都道府県名", "市区町村名", "総数（人口）", "交付枚数", "人口に対する交付枚数率",
               "人口算出基準日", "交付件数基準日", "団体コード"]
CARD_RATE_TOLERANCE = 0.05
"""The published rate (one decimal) must be within rounding of 交付枚数 ÷ 総数 × 100."""
CARD_NAME_PREFIX = re.compile(r"^(?:.+[郡島])?$")
"""What may precede the code list's name in a card file: a 郡 (宮古郡多良間村) or an island (三宅島三宅村)."""


# ---------------------------------------------------------------- card issuance

@functools.lru_cache(maxsize=4)
def _cards_cached(raw_dir: Path, signature: tuple) -> pd.DataFrame:
    codes = _code_list(raw_dir)
    problems: list[Problem] = []
    df, members = _read_card_snapshots(_path(raw_dir, "card_issuance"), problems)
    _raise(problems)
    df, resolved = _card_codes(df, codes, problems)
    nums = _card_checks(df, codes, problems)
    _raise(problems)
    name_of = dict(zip(codes["lg_code"], codes["name_ja"]))
    out = pd.DataFrame({
        "lg_code": df["lg_code"],
        "municipality_ja": _per_unique(df["lg_code"], name_of.get),
        "prefecture": df["都道府県名"],
        "date": _per_unique(df["算出基準日"], _iso_date),
        "population": nums["総数（人口）"],
        "cards_issued": nums["交付枚数"],
        "issued_rate": nums["人口に対する交付枚数率"],
        "source_id": pd.Series(CARDS, index=df.index, dtype="str"),
        "raw_rate": df["人口に対する交付枚数率"],
        "row": df["_row"].astype("int64"),
        "file": df["_file"],
        "name_as_published": df["市区町村名"],
        "raw_code": df["団体コード"],
        "code_resolved_by_name": df["団体コード"].eq("<NA>").to_numpy(dtype=bool),
        "population_date": _per_unique(df["人口算出基準日"], _iso_date),
        "issued_date": _per_unique(df["交付件数基準日"], _iso_date),
    })
    out.attrs["resolved_codes"] = resolved
    report = NationalLoadReport(files=[Path(m).name for m in members], cells_read=len(out),
                                values_loaded=int(out["cards_issued"].notna().sum()), codes_resolved=len(resolved))
    out.attrs["load_report"] = report
    if len(resolved):
        log.info("card issuance: %d <NA> codes resolved by name and prefecture", len(resolved))
    return out


def _per_unique(s: pd.Series, fn, dtype: str = "str") -> pd.Series:
    """``s.map(fn)`` computed once per distinct value (80,086 card rows hold ~1,750 codes, 46 dates)."""
    idx, uniq = pd.factorize(s, use_na_sentinel=False)
    values = pd.Series([fn(u) for u in uniq.tolist()], dtype=dtype)
    return values.take(idx).set_axis(s.index)


def _iso_date(text: str) -> str:
    """``2022/12/31`` → ``2022-12-31`` (anything else is returned unchanged and fails the date check)."""
    return text.replace("/", "-")


CARD_TEXT_COLUMNS = [c for c in CARD_HEADER if c not in ("総数（人口）", "交付枚数")]
"""Read as text: the rate (kept as published in ``raw_rate``), the code (``<NA>``), dates and names."""


def _read_card_snapshots(zpath: Path, problems: list[Problem]) -> tuple[pd.DataFrame, list[str]]:
    """All snapshots of the zip as one frame with ``_file``, ``_row`` (1-based line) and ``_date`` (from the name).

    The bodies are joined and parsed by one ``read_csv`` (the 46 files share one header, checked
    file by file); counts are checked per file before parsing.
    """
    try:
        with zipfile.ZipFile(zpath) as z:
            members = sorted(n for n in z.namelist() if n.lower().endswith(".csv"))
            datas = [z.read(m) for m in members]
    except (OSError, zipfile.BadZipFile) as exc:
        problems.append(Problem(zpath.name, None, None, None, "unreadable_file", str(exc)[:200]))
        return pd.DataFrame(), []
    bodies, spans = [], []
    for member, data in zip(members, datas):
        first, _, body = data.partition(b"\n")
        try:
            header = next(csv.reader([first.decode("utf-8-sig").rstrip("\r")]))
        except (UnicodeDecodeError, StopIteration) as exc:
            problems.append(Problem(member, 1, None, None, "national_header_mismatch", str(exc)[:200]))
            continue
        if header != CARD_HEADER:
            problems.append(Problem(member, 1, None, ",".join(header), "national_header_mismatch",
                                    "expected " + ",".join(CARD_HEADER)))
            continue
        if body and not body.endswith(b"\n"):
            body += b"\n"
        n = body.count(b"\n")  # one record per line: no field of these files holds a line break (checked below)
        if n != config.N_MUNICIPALITIES:
            problems.append(Problem(member, None, None, n, "national_count",
                                    f"{n} municipality rows, expected {config.N_MUNICIPALITIES}"))
        bodies.append(body)
        spans.append((member, n))
    if problems:
        return pd.DataFrame(), members
    try:
        df = pd.read_csv(_io.BytesIO(b"".join(bodies)), header=None, names=CARD_HEADER, encoding="utf-8",
                         dtype={c: "str" for c in CARD_TEXT_COLUMNS}, keep_default_na=False, skip_blank_lines=False,
                         low_memory=False)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        problems += _card_shape_problems(members, bodies, str(exc))
        return pd.DataFrame(), members
    counts = np.array([n for _, n in spans])
    if len(df) != counts.sum():
        problems += _card_shape_problems(members, bodies, f"{len(df)} records for {counts.sum()} lines")
        return pd.DataFrame(), members
    which = np.repeat(np.arange(len(spans)), counts)
    stems = [Path(m).stem for m, _ in spans]
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    df["_which"] = which
    df["_file"] = pd.Series([m for m, _ in spans], dtype="str").take(which).set_axis(df.index)
    df["_row"] = np.arange(len(df)) - starts[which] + 2
    dates = [f"{t[:4]}-{t[4:6]}-{t[6:8]}" if len(t) == 8 and t.isdigit() else "" for t in stems]
    df["_date"] = np.array(dates, dtype=object)[which]
    return df, members


def _card_shape_problems(members: list[str], bodies: list[bytes], detail: str) -> list[Problem]:
    """Where the joined parse failed: lines whose field count is not the header's, file by file."""
    out = []
    for member, body in zip(members, bodies):
        text = body.decode("utf-8", errors="replace")
        for i, rec in enumerate(csv.reader(_io.StringIO(text, newline=""))):
            if len(rec) != len(CARD_HEADER):
                out.append(Problem(member, i + 2, None, ",".join(rec)[:80], "national_bad_cell",
                                   f"{len(rec)} fields, expected {len(CARD_HEADER)}"))
    return out or [Problem(members[0] if members else "", None, None, None, "national_bad_cell", detail[:200])]


def _card_code(raw: str) -> str:
    """団体コード as written (an integer, leading zero lost) → the 6-digit code; "" if not digits."""
    return raw.zfill(6) if raw.isdigit() and 5 <= len(raw) <= 6 else ""


def _card_codes(df: pd.DataFrame, codes: pd.DataFrame, problems: list[Problem]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``lg_code`` from 団体コード; ``<NA>`` resolved by name + prefecture (and listed)."""
    raw = df["団体コード"]
    lg = _per_unique(raw, _card_code)
    na = raw.eq("<NA>").to_numpy(dtype=bool)
    bad = lg.eq("").to_numpy(dtype=bool) & ~na
    for r in df.index[bad]:
        problems.append(Problem(df.at[r, "_file"], int(df.at[r, "_row"]), "団体コード", raw[r], "national_bad_cell",
                                "expected the 6-digit code written as an integer, or <NA>"))
    resolved = []
    by_pref: dict[str, list[tuple[str, str]]] = {}
    for code, pref, name in zip(codes["lg_code"].tolist(), codes["prefecture"].tolist(), codes["name_ja"].tolist()):
        by_pref.setdefault(pref, []).append((code, name))
    found: dict[tuple[str, str], list[str]] = {}
    for pos in np.flatnonzero(na):
        r = df.index[pos]
        pref, pub = df.at[r, "都道府県名"], df.at[r, "市区町村名"]
        if (pref, pub) not in found:
            found[pref, pub] = [c for c, n in by_pref.get(pref, []) if _same_name(pub, n)]
        cand = found[pref, pub]
        if len(cand) != 1:
            problems.append(Problem(df.at[r, "_file"], int(df.at[r, "_row"]), "団体コード", raw[r],
                                    "national_unresolved_code", f"{pref} {pub}: {len(cand)} candidate(s) in the code list"))
            continue
        resolved.append({"file": df.at[r, "_file"], "row": int(df.at[r, "_row"]), "prefecture": pref,
                         "name_as_published": pub, "raw_code": raw[r], "lg_code": cand[0], "_pos": pos})
    if resolved:
        lg = lg.copy()
        lg.iloc[[x["_pos"] for x in resolved]] = [x["lg_code"] for x in resolved]  # one write, not one per row
    resolved_df = pd.DataFrame(resolved, columns=["file", "row", "prefecture", "name_as_published", "raw_code", "lg_code"])
    resolved_df = resolved_df.astype({"file": "str", "prefecture": "str", "name_as_published": "str", "raw_code": "str",
                                      "lg_code": "str", "row": "int64"})
    return df.assign(lg_code=lg), resolved_df


def _same_name(published: str, name: str) -> bool:
    """The card files' name is the code list's, possibly after a 郡 or island prefix (宮古郡多良間村, 三宅島三宅村)."""
    return published == name or (published.endswith(name) and bool(CARD_NAME_PREFIX.match(published[: -len(name)])))


def _card_checks(df: pd.DataFrame, codes: pd.DataFrame, problems: list[Problem]) -> dict[str, pd.Series]:
    """Codes in the code list and unique per file; prefecture and name agree; numbers read and agree.

    Text columns are Python objects here: each check works on the distinct values (``pd.factorize``)
    and spreads the answer back with numpy. Returns the three numeric columns as floats.
    """
    def at(r, col):
        return df.at[r, col]

    def add(mask, column: str, code: str, detail) -> None:
        for r in df.index[np.asarray(mask, dtype=bool)]:
            problems.append(Problem(at(r, "_file"), int(at(r, "_row")), column,
                                    at(r, column) if column in df else None, code, detail(r)))

    pref_of = dict(zip(codes["lg_code"].tolist(), codes["prefecture"].tolist()))
    name_of = dict(zip(codes["lg_code"].tolist(), codes["name_ja"].tolist()))
    lg = df["lg_code"]
    li, lu = pd.factorize(lg)  # Arrow strings: factorize and take stay in Arrow
    lu = lu.tolist()
    has = np.array([c != "" for c in lu], dtype=bool)[li]
    known = np.array([c in name_of for c in lu], dtype=bool)[li]
    add(has & ~known, "団体コード", "national_code_mismatch",
        lambda r: f"{at(r, '都道府県名')} {at(r, '市区町村名')}: not in the code list")
    ok = has & known
    pref = pd.Series([pref_of.get(c, "") for c in lu], dtype="str").take(li).set_axis(df.index)
    add(ok & pref.ne(df["都道府県名"]).to_numpy(dtype=bool), "都道府県名", "national_name_mismatch",
        lambda r: f"the code list has {pref_of.get(lg[r])} for {lg[r]}")
    pi, pu = pd.factorize(df["市区町村名"])
    pu = pu.tolist()
    pair = pi.astype("int64") * len(lu) + li
    pk, pinv = np.unique(pair, return_inverse=True)
    same = np.array([_same_name(pu[k // len(lu)], name_of.get(lu[k % len(lu)], "")) for k in pk], dtype=bool)[pinv]
    add(ok & ~same, "市区町村名", "national_name_mismatch", lambda r: f"the code list has {name_of[lg[r]]} for {lg[r]}")
    key = df["_which"].to_numpy(dtype="int64") * (len(lu) + 1) + li
    add(has & pd.Series(key).duplicated().to_numpy(), "団体コード", "national_duplicate_code",
        lambda r: f"{lg[r]} appears twice in the file")
    di, du = pd.factorize(df["算出基準日"])
    du = du.tolist()
    iso = np.array([_iso_date(d) for d in du], dtype=object)[di]
    add(iso != df["_date"].to_numpy(dtype=object), "算出基準日", "national_inconsistent",
        lambda r: f"the file is named for {at(r, '_date') or '?'}")
    nums = {}
    for col, pattern in (("総数（人口）", r"\d+"), ("交付枚数", r"\d+"), ("人口に対する交付枚数率", r"\d+(?:\.\d+)?")):
        good, nums[col] = _card_number(df[col], pattern)
        add(~good, col, "national_bad_cell", lambda r: "expected a non-negative number")
    pop, issued, rate = (nums[c].to_numpy() for c in ("総数（人口）", "交付枚数", "人口に対する交付枚数率"))
    with np.errstate(divide="ignore", invalid="ignore"):
        off = (pop > 0) & (np.abs(100 * issued / pop - rate) > CARD_RATE_TOLERANCE + 1e-9)
    off |= (pop == 0) | (issued > pop)
    add(off, "人口に対する交付枚数率", "national_inconsistent",
        lambda r: f"交付枚数 {at(r, '交付枚数')} ÷ 総数 {at(r, '総数（人口）')}")
    return nums


def _card_number(s: pd.Series, pattern: str) -> tuple[np.ndarray, pd.Series]:
    """(readable mask, float values): an integer column read by the C parser is all digits already."""
    if pd.api.types.is_integer_dtype(s):
        return s.ge(0).to_numpy(), s.astype("float64")
    i, u = pd.factorize(s if s.dtype == "str" else s.astype("str"))
    u = u.tolist()
    ok_u = np.array([isinstance(t, str) and re.fullmatch(pattern, t) is not None for t in u], dtype=bool)
    val_u = np.array([float(t) if k else np.nan for t, k in zip(u, ok_u)], dtype="float64")
    return ok_u[i], pd.Series(val_u[i], index=s.index)


def load_card_issuance(*, raw_dir: str | Path | None = None) -> pd.DataFrame:
    """My Number cards ISSUED (交付), one row per municipality × snapshot (46 snapshots, 2017-03 … 2022-12).

    Columns: ``lg_code``, ``municipality_ja`` (the code list's name), ``prefecture``, ``date``
    (YYYY-MM-DD, 算出基準日), ``population`` and ``cards_issued`` (as published), ``issued_rate``
    (%, as published), ``source_id``, ``raw_rate``, ``row`` (1-based line in the snapshot), ``file``
    (the snapshot), ``name_as_published``, ``raw_code`` (団体コード as written), ``code_resolved_by_name``,
    ``population_date`` (人口算出基準日), ``issued_date`` (交付件数基準日).
    ``attrs["resolved_codes"]`` lists the ``<NA>`` codes resolved by name and prefecture.

    These are cards issued, not cards held (保有, the dashboard's ``my_number_card_holding_rate``):
    never join the two into one series.

    >>> cards = load_card_issuance()
    >>> cards["date"].nunique(), len(cards.attrs["resolved_codes"])
    (46, 34)
    """
    rd = _raw_dir(raw_dir)
    return _copy(_cards_cached(rd.resolve(), _signature(rd, ("card_issuance", "localgov", "prefectures"))))

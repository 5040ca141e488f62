"""The suggest rehearsal (issue 21): next year's document made from this year's text, then
``source add`` → ``suggest`` → confirm → ``validate`` → ``add``, measured.

The document is SYNTHETIC: this year's text with every era/FY/calendar year moved one ahead and every
other number changed (digits drawn with a fixed seed, same shape: ``1,050`` → ``3,817``, ``15%`` → ``62%``;
month and day numbers are kept so that dates stay dates), rendered as a real PDF with an embedded Japanese
font. It lives in a temporary folder only; the steps run on ``config`` paths pointed at a temporary copy of
the data (never the real ``data/``).

Measured: of last year's rows of the source (direct actuals of the year before) whose sentence reappears,
the share that receive the right candidate (the changed number in the place of last year's value), and the
number of confident candidates with a wrong value.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd

from dxanalysis.cli import main
from dxanalysis.cycle.suggest import REVIEW_COLUMN, Masked, value_position
from dxanalysis.io.cells import normalize_text
from pdfdoc import write_text_pdf

YEAR = re.compile(r"(令和|平成|R|FY)(\s*)(元|\d{1,4})|(?<!\d)((?:19|20)\d\d)(?=年)")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
WRAP = 70
"""Characters per PDF line (a longer line is wrapped, never inside a number)."""
LINES_PER_PAGE = 45


def next_year_text(text: str, seed: int) -> str:
    """``text`` (normalised) with years moved one ahead and every other number changed (deterministic per number)."""
    out = []
    for line in normalize_text_lines(text):
        years = {m.start(): m for m in YEAR.finditer(line)}
        parts, at = [], 0
        for m in NUMBER.finditer(line):
            if m.start() < at:
                continue
            year = next((y for s, y in years.items() if s <= m.start() < y.end()), None)
            parts.append(line[at:m.start()])
            nxt = line[m.end():m.end() + 1]
            parts.append(str(int(m.group()) + 1) if year else m.group() if nxt in ("月", "日") else _changed(m.group(), seed))
            at = m.end()
        parts.append(line[at:])
        out.append("".join(parts).replace("令和元", "令和2"))
    return "\n".join(out)


def normalize_text_lines(text: str) -> list[str]:
    return [normalize_text(line) for line in text.splitlines() if normalize_text(line)]


def _changed(number: str, seed: int) -> str:
    """The same shape with other digits (first digit not 0, never the same number), drawn from a seeded hash."""
    digest = hashlib.sha256(f"{seed}:{number}".encode()).digest()
    digits, k = [], 0
    for ch in number:
        if ch.isdigit():
            d = digest[k % len(digest)] % 10
            if not digits and d == 0:
                d = 1 + digest[(k + 7) % len(digest)] % 9
            digits.append(str(d))
            k += 1
        else:
            digits.append(ch)
    new = "".join(digits)
    return new if new != number else new[:-1] + str((int(new[-1]) + 1) % 10)


def pdf_pages(text: str) -> list[list[str]]:
    """The text as PDF pages: lines wrapped at ``WRAP`` characters (never inside a number), ``LINES_PER_PAGE`` a page."""
    lines = []
    for line in text.splitlines():
        while len(line) > WRAP:
            cut = WRAP
            while cut > WRAP // 2 and (line[cut - 1].isdigit() or line[cut] in "0123456789,.%"):
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return [lines[i:i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]


@dataclass
class Outcome:
    """What the rehearsal measured."""

    rows: int = 0
    """last year's rows of the source whose sentence reappears in the new document"""
    right: int = 0
    wrong: list = field(default_factory=list)
    missed: list = field(default_factory=list)
    candidates: int = 0
    pages: int = 0
    steps: dict = field(default_factory=dict)
    added: int = 0

    @property
    def share(self) -> float:
        return self.right / self.rows if self.rows else float("nan")


def truths(kpis: pd.DataFrame, source_id: str, fiscal_year: int, new_text: str, seed: int) -> dict:
    """(municipality, indicator) → the right FY value: last year's quote, changed like the text, read where the value stood."""
    old = kpis[(kpis["source_id"] == source_id) & (kpis["kind"] == "actual") & (kpis["fiscal_year"] == fiscal_year - 1)
               & kpis["derivation"].isna() & kpis["quote"].notna() & kpis["value"].notna()]
    out = {}
    for r in old.itertuples(index=False):
        changed = next_year_text(r.quote, seed)
        if changed.replace(" ", "") not in new_text.replace(" ", "").replace("\n", ""):
            continue  # its sentence does not reappear (e.g. it runs over a line we changed differently)
        q_old, q_new = Masked.of(normalize_text(r.quote)), Masked.of(normalize_text(changed))
        pos = value_position(q_old, float(r.value))
        if pos is not None and q_old.masked == q_new.masked:
            s, e = q_new.spans[pos]
            out[(r.municipality, r.indicator)] = float(q_new.text[s:e].replace(",", ""))
    return out


def rehearse(text: str, kpis: pd.DataFrame, *, source_id: str, new_id: str, fiscal_year: int, work: Path,
             seed: int = 2026) -> Outcome:
    """Run the whole path on ``config`` paths that point at a copy of the data; return what was measured."""
    new_text = next_year_text(text, seed)
    pages = pdf_pages(new_text)
    pdf = write_text_pdf(pages, work / f"{new_id}.pdf")
    out = Outcome(pages=len(pages))
    expected = truths(kpis, source_id, fiscal_year, new_text, seed)
    out.rows = len(expected)
    out.steps["source add"] = main(["source", "add", str(pdf), "--id", new_id, "--title",
                                    f"（架空・synthetic）{fiscal_year + 1 - 2018}年度 進捗管理報告書", "--publisher", "茅ヶ崎市",
                                    "--date", f"{fiscal_year + 1}-12"])
    book = work / "suggested.xlsx"
    out.steps["suggest"] = main(["suggest", "--source", new_id, "--fiscal-year", str(fiscal_year), str(book)])
    got = suggested_values(book)
    out.candidates = len(got)
    for key, value in got.items():
        if key in expected and expected[key] != value or key not in expected:
            out.wrong.append((key, value, expected.get(key)))
    out.right = sum(1 for key, value in expected.items() if got.get(key) == value)
    out.missed = sorted(set(expected) - set(got))
    out.steps["validate before confirming"] = main(["validate", "--no-compare", str(book)])
    confirm(book)
    out.steps["validate"] = main(["validate", "--no-compare", str(book)])
    out.steps["add"] = main(["add", str(book)])
    return out


def suggested_values(book: Path) -> dict:
    """(municipality slug, indicator) → value of every row marked 要確認."""
    from dxanalysis.io.catalogue import load_municipalities

    slug = {v: k for k, v in load_municipalities()["name_ja"].items()}
    ws = openpyxl.load_workbook(book)["入力"]
    header = [c.value for c in ws[1]]
    mark, value = header.index(REVIEW_COLUMN), header.index("値")
    return {(slug[r[0]], r[1]): float(r[value]) for r in ws.iter_rows(min_row=2, values_only=True) if r[mark]}


def confirm(book: Path) -> None:
    """What the analyst does after comparing each row with the document: clear 要確認 (here: every row)."""
    wb = openpyxl.load_workbook(book)
    ws = wb["入力"]
    mark = [c.value for c in ws[1]].index(REVIEW_COLUMN)
    for row in ws.iter_rows(min_row=2):
        row[mark].value = None
    wb.save(book)

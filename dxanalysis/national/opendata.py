"""The open-data surveys of FY2020 (令和2年度, 内閣官房 IT総合戦略室) and FY2024 (令和6年度, デジタル庁) as tidy
answers: one row per municipality, survey and question, every answer traced to its file, row and column.

Two surveys with **different questions**: R2 [No.2] asks *when* open data is or will be published (one option is
「オープンデータをすでに公開している」); R6 Q3 asks whether the body *is working on* open data. They are two
self-reported statuses, never one series.

- R2 (``r2_survey_answers.csv``): two header rows (question, answer option), one column per option, ``○`` =
  chosen; a question without options is one free-text column. Col 1 = 6-digit code with check digit.
  **Source defect**: 福岡県 苅田町 carries 東大和市's code ``132209``; it is re-keyed to ``406210`` by its name
  (prefecture + name, unique in the code list) and the row says so in ``repaired``. A name written with a
  character variant (梼原町 for the code list's 檮原町, :data:`NAME_VARIANTS`) is accepted as that municipality.
- R6 (``…questionnaire_outline_04.csv``): one column per question; col 2 = the 6-digit code written without its
  leading zero (zero-padded here); multi-select answers joined by ``;`` (stray spaces/TABs around the parts are
  trimmed in ``answer``; ``raw`` keeps the cell as published).

Both: col ``提出状況`` / ``状態`` is 提出済 / 未提出 / 未確認. A non-submitter's answers are **missing**
(``answer`` NaN, ``missing_reason`` ``not_submitted`` / ``not_confirmed``), never "no"; a submitter's blank is
``no_answer``. The 47 prefectural governments are left out (counted in ``attrs["prefectures_excluded"]``).
"""

from __future__ import annotations

import csv
import functools
import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import Problem
from .codes import _code_list
from .common import COUNT, _copy, _path, _raise, _raw_dir, _signature

OPENDATA_SURVEYS = {
    2020: ("opendata_r2", "opendata_survey_r2_2020", "opendata_survey_r2_2020/r2_survey_answers.csv"),
    2024: ("opendata_r6", "opendata_survey_r6_2024",
           "opendata_survey_r6_2024/20250210_resources_data_questionnaire_outline_04.csv"),
}
"""survey year → (raw-file key in config.NATIONAL_RAW_FILES, source_id, member of the bundled zip)."""
STATUS_MISSING = {"提出済": None, "未提出": "not_submitted", "未確認": "not_confirmed"}
"""The submission status as published → the reason an answer is missing (None: submitted)."""
CHOSEN = "○"
"""How R2 marks a chosen option."""
NAME_VARIANTS = {"梼原町": "檮原町"}
"""Names R2 writes with another character than the code list (R2 → code list)."""
OPENDATA_COLUMNS = ["lg_code", "municipality_ja", "survey_year", "question_id", "question_text", "answer",
                    "status", "missing_reason", "raw", "file", "row", "column", "repaired", "source_id"]
R2_QUESTION = re.compile(r"^\[(No\.\d+)\]")
R6_QUESTION = re.compile(r"^(Q\d+)")


def _rows(raw_dir: Path, year: int) -> tuple[list[list[str]], list[int]]:
    """The records of a survey file and the 1-based line each starts on (cells may hold line breaks)."""
    key, _, member = OPENDATA_SURVEYS[year]
    try:
        with zipfile.ZipFile(_path(raw_dir, key)) as z:
            text = z.read(member).decode("utf-8-sig")
        reader = csv.reader(io.StringIO(text, newline=""))
        rows, starts, end = [], [], 0
        for cells in reader:
            rows.append(cells)
            starts.append(end + 1)
            end = reader.line_num
        return rows, starts
    except (OSError, KeyError, zipfile.BadZipFile, UnicodeDecodeError, csv.Error) as exc:
        _raise([Problem(member, None, None, None, "unreadable_file", str(exc)[:200])])
    return [], []


def _r2_questions(head: list[str], options: list[str]) -> list[tuple[str, str, list[int]]]:
    """(question id, question text, its columns) per question of R2's two header rows."""
    out: list[tuple[str, str, list[int]]] = []
    for j in range(3, len(head)):
        if head[j]:
            m = R2_QUESTION.match(head[j])
            out.append((m.group(1) if m else f"col{j + 1}", head[j].strip(), [j]))
        elif out:
            out[-1][2].append(j)
    return out


def _r2_answer(cells: list[str], options: list[str], cols: list[int]) -> str:
    if len(cols) == 1 and not options[cols[0]]:
        return cells[cols[0]].strip()
    return ";".join(options[j] if cells[j] == CHOSEN else f"{options[j]}: {cells[j].strip()}"
                    for j in cols if cells[j].strip())


def _r6_answer(cell: str) -> str:
    return ";".join(p.strip() for p in cell.split(";") if p.strip())


def _survey_table(raw_dir: Path, year: int) -> list[dict]:
    """One record per respondent: code, name, status and row, plus its answers {question id: (text, cols, answer, raw)}."""
    rows, starts = _rows(raw_dir, year)
    _, _, member = OPENDATA_SURVEYS[year]
    if year == 2020:
        head, options, body, first = rows[0], rows[1], rows[2:], 2
        questions = _r2_questions(head, options)
        code_at, name_at, status_at = 0, 1, 2
    else:
        head, body, first = rows[0], rows[1:], 1
        questions = [(R6_QUESTION.match(h).group(1) if R6_QUESTION.match(h) else f"col{j + 1}", h.strip(), [j])
                     for j, h in enumerate(head) if j >= 6]
        code_at, name_at, status_at = 1, 2, 5
    problems: list[Problem] = []
    out = []
    for i, cells in enumerate(body):
        if not any(cells):
            continue
        line = starts[first + i]
        if len(cells) != len(head):
            problems.append(Problem(member, line, None, len(cells), "national_bad_cell",
                                    f"{len(cells)} cells, the header has {len(head)}"))
            continue
        answers = {qid: (text, cols, _r2_answer(cells, options, cols) if year == 2020 else _r6_answer(cells[cols[0]]),
                         "|".join(cells[j] for j in cols)) for qid, text, cols in questions}
        out.append({"code": cells[code_at].strip(), "name": cells[name_at].strip(), "status": cells[status_at].strip(),
                    "row": line, "answers": answers, "file": member})
    _raise(problems)
    return out


def _match_codes(records: list[dict], codes: pd.DataFrame, year: int) -> list[dict]:
    """Municipal records keyed to the code list (prefectures dropped); the R2 code defect repaired by name."""
    member = OPENDATA_SURVEYS[year][2]
    name_of = dict(zip(codes["lg_code"], codes["prefecture"] + " " + codes["name_ja"]))
    by_name = {v: k for k, v in name_of.items()}
    counts = pd.Series([r["code"].zfill(6) for r in records]).value_counts()
    problems, out = [], []
    for r in records:
        code = r["code"].zfill(6)
        if not (COUNT.fullmatch(code) and len(code) == 6):
            problems.append(Problem(member, r["row"], "1", r["code"], "national_code_mismatch", "not a code"))
            continue
        if code[2:5] == "000":
            continue  # a prefectural government
        name = _code_list_name(r["name"])
        repaired = ""
        if name != name_of.get(code) and counts[code] > 1 and name in by_name:
            repaired = (f"code {code} in the file is {name_of.get(code)}'s; re-keyed to {by_name[name]} by the "
                        f"name {r['name']}")
            code = by_name[name]
        elif name != name_of.get(code):
            problems.append(Problem(member, r["row"], "2", r["name"], "national_name_mismatch",
                                    f"code {code}: the code list has {name_of.get(code, 'no municipality')!r}"))
            continue
        if r["status"] not in STATUS_MISSING:
            problems.append(Problem(member, r["row"], "提出状況" if year == 2020 else "状態", r["status"], "national_bad_cell",
                                    f"expected one of {list(STATUS_MISSING)}"))
        out.append(dict(r, lg_code=code, repaired=repaired))
    seen = pd.Series([r["lg_code"] for r in out])
    for code in sorted(set(seen[seen.duplicated()])):
        problems.append(Problem(member, None, "1", code, "national_duplicate_code", name_of[code]))
    for code in sorted(set(codes["lg_code"]) - set(seen)):
        problems.append(Problem(member, None, "1", code, "national_code_mismatch",
                                f"{name_of[code]} of the code list has no row"))
    _raise(problems)
    return out


def _code_list_name(name: str) -> str:
    """A survey's '都道府県 市区町村' name as the code list writes it (:data:`NAME_VARIANTS` replaced)."""
    for variant, standard in NAME_VARIANTS.items():
        name = name.replace(variant, standard)
    return name


def _tidy(records: list[dict], year: int, name_of: dict[str, str]) -> pd.DataFrame:
    source_id = OPENDATA_SURVEYS[year][1]
    out = []
    for r in records:
        reason = STATUS_MISSING[r["status"]]
        for qid, (text, cols, answer, raw) in r["answers"].items():
            missing = reason or (None if answer else "no_answer")
            column = str(cols[0] + 1) if len(cols) == 1 else f"{cols[0] + 1}-{cols[-1] + 1}"
            out.append((r["lg_code"], name_of[r["lg_code"]], year, qid, text, np.nan if missing else answer, r["status"],
                        missing, raw, r["file"], r["row"], column, r["repaired"], source_id))
    return pd.DataFrame(out, columns=OPENDATA_COLUMNS)


@functools.lru_cache(maxsize=2)
def _opendata_cached(raw_dir: Path, signature: tuple) -> pd.DataFrame:
    codes = _code_list(raw_dir)
    name_of = dict(zip(codes["lg_code"], codes["name_ja"]))
    parts, excluded = [], {}
    for year in OPENDATA_SURVEYS:
        records = _survey_table(raw_dir, year)
        matched = _match_codes(records, codes, year)
        excluded[year] = len(records) - len(matched)
        parts.append(_tidy(matched, year, name_of))
    df = pd.concat(parts, ignore_index=True)
    df = df.astype({c: "str" for c in ("lg_code", "municipality_ja", "question_id", "question_text", "status", "raw",
                                       "file", "column", "repaired", "source_id")})
    df = df.astype({"survey_year": "int64", "row": "int64"})
    df.attrs["prefectures_excluded"] = excluded
    return df


def load_opendata_surveys(*, raw_dir: str | Path | None = None) -> pd.DataFrame:
    """Every municipality's answers to the FY2020 and FY2024 open-data surveys, one row per municipality, survey
    and question (:data:`OPENDATA_COLUMNS`).

    ``answer`` is the chosen option(s) (``;``-joined) or the text written, NaN where missing
    (``missing_reason``: ``not_submitted`` / ``not_confirmed`` — the body did not answer the survey —
    or ``no_answer``); ``raw`` the cell(s) as published (R2's option cells ``|``-joined), ``file``, ``row``
    (1-based line) and ``column`` (1-based, ``8-12`` for R2's option columns) where they are; ``repaired``
    says why a code was changed (R2's 苅田町), else empty.

    >>> od = load_opendata_surveys()
    >>> od.groupby("survey_year")["lg_code"].nunique().to_dict()
    {2020: 1741, 2024: 1741}
    """
    rd = _raw_dir(raw_dir)
    keys = ("localgov", "prefectures", *(k for k, _, _ in OPENDATA_SURVEYS.values()))
    return _copy(_opendata_cached(rd.resolve(), _signature(rd, keys)))

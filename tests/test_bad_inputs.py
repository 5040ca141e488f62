"""The bad-input corpus: each file must produce exactly its expected (row, column, error code) list."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from dxanalysis import ERROR_CODES, ExtractError, check_kpis, load_kpis

BAD = Path(__file__).parent / "fixtures" / "bad"
EXPECTED = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))


def test_corpus_is_large_and_mixed():
    assert sum(bool(e) for e in EXPECTED.values()) >= 30
    assert sum(n.endswith(".xlsx") for n in EXPECTED) >= 8
    assert sorted(p.name for p in BAD.iterdir() if p.suffix in (".csv", ".xlsx")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_exact_report(name):
    result = check_kpis(BAD / name)
    got = sorted(([p.row, p.column, p.code] for p in result.problems), key=str)
    assert got == sorted(EXPECTED[name], key=str)
    assert result.report.balanced


BAD_NAMES = sorted(n for n, e in EXPECTED.items() if e)


@pytest.mark.parametrize("name", BAD_NAMES)
def test_message_names_file_row_and_column(name):
    with pytest.raises(ExtractError) as exc:
        load_kpis(BAD / name)
    message = str(exc.value)
    assert name in message
    for row, column, code in EXPECTED[name]:
        assert code in message
        if row is not None:
            assert f"row {row}, column {column}" in message


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_problem_has_bilingual_message_and_hint(name):
    for p in check_kpis(BAD / name).problems:
        en, ja, hint_en, hint_ja = ERROR_CODES[p.code]
        assert en and ja and hint_en and hint_ja
        assert hint_en in str(p) and hint_ja in str(p)


@pytest.mark.parametrize("name, values", [
    ("number_formats_ok.csv", {2024: 5000.0, 2023: 5000.0, 2022: 10_000_000.0, 2021: 30_000.0}),
    ("fullwidth_municipality_ok.csv", {2024: 761.0, 2023: 761.0, 2022: 761.0}),
])
def test_good_files_in_the_corpus_load_exact_values(name, values):
    kpis = load_kpis(BAD / name)
    assert set(kpis["municipality"]) == {"chigasaki"}
    assert kpis.set_index("fiscal_year")["value"].to_dict() == values


def test_placeholders_are_kept_as_missing_never_zero():
    kpis = load_kpis(BAD / "placeholders_only_ok.csv")
    assert len(kpis) == 7 and kpis["value"].isna().all()
    assert kpis.attrs["load_report"].values_missing == 7


def test_closest_name_is_suggested():
    [p] = check_kpis(BAD / "japanese_headers_cp932.csv").problems
    assert p.value == "茅ヶ先市" and "茅ヶ崎市" in p.detail


def test_duplicate_names_both_rows():
    [p] = check_kpis(BAD / "conflicting_duplicate.csv").problems
    assert p.row == 3 and "row 2" in p.detail and "761" in p.detail


def test_unsafe_workbooks_are_refused_quickly():
    for name in ("zip_bomb.xlsx", "billion_laughs.xlsx"):
        start = time.perf_counter()
        [p] = check_kpis(BAD / name).problems
        assert p.code == "unsafe_file"
        assert time.perf_counter() - start < 2.0


def test_fixture_files_are_current(tmp_path, monkeypatch):
    """The committed CSVs and expectations are what make_bad_inputs.py writes."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("mk", BAD.parent / "make_bad_inputs.py")
    mk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mk)
    monkeypatch.setattr(mk, "HERE", tmp_path)
    mk.main()
    assert (tmp_path / "expected.json").read_text(encoding="utf-8") == (BAD / "expected.json").read_text(encoding="utf-8")
    for csv_file in BAD.glob("*.csv"):
        assert (tmp_path / csv_file.name).read_bytes() == csv_file.read_bytes(), csv_file.name

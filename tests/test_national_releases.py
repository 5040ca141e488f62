"""``dxanalysis national add`` / ``remove`` (cycle.national_release, national.releases; issue 23 point 4, partly).

Every release here is SYNTHETIC: built by the test from the bundled 2024-07-12 tables (a changed value, a
merged municipality, a renamed row, a CP932 copy) in a temporary copy of data/national — never in data/.
"""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import pytest

from dxanalysis import cli, config, national
from dxanalysis.cycle.national_release import apply_release_change, plan_add_release, plan_remove_release
from dxanalysis.errors import ExtractError

from conftest import tree_bytes

DX = "dx_dashboard_20240712/municipal_dx_status.csv"
USAGE = "dx_dashboard_20240712/municipal_online_application_rates.csv"
PUBLISHER = {DX: "市区町村毎のDX進捗状況_市区町村比較.csv", USAGE: "市区町村毎のDX進捗状況_行政手続のオンライン申請率.csv"}
ZIP_NAME = "20250101_resources_govdashboard_local_governmentdx_table_01.zip"  # SYNTHETIC release date
CHIGASAKI_COL = 700  # 1-based column of 茅ヶ崎市 in both tables (test_national.COL)
CARD_ROW = 12  # municipal_dx_status.csv line of マイナンバーカードの保有状況 (茅ヶ崎市: 76%)


@pytest.fixture
def national_copy(tmp_path, monkeypatch) -> Path:
    """A writable copy of data/national standing in for it (config paths point at it)."""
    nat = Path(shutil.copytree(config.NATIONAL_DIR, tmp_path / "national"))
    monkeypatch.setattr(config, "NATIONAL_DIR", nat)
    monkeypatch.setattr(config, "NATIONAL_RAW_DIR", nat / "raw")
    monkeypatch.setattr(config, "NATIONAL_SOURCES_CSV", nat / "sources.csv")
    monkeypatch.setattr(config, "NATIONAL_MANIFEST_CSV", nat / "manifest.csv")
    monkeypatch.setattr(config, "NATIONAL_INDICATORS_CSV", nat / "indicators.csv")
    return nat


def bundled(rel: str) -> str:
    return (config.NATIONAL_RAW_DIR / rel).read_bytes().decode("utf-8-sig")


def release_zip(folder: Path, edit=lambda rel, text: text, encoding: str = "utf-8-sig") -> Path:
    """A SYNTHETIC release zip with the publisher's table names, each table edited by ``edit(rel, text)``."""
    path = folder / ZIP_NAME
    with zipfile.ZipFile(path, "w") as z:
        for rel, name in PUBLISHER.items():
            z.writestr(f"csv/{name}", edit(rel, bundled(rel)).encode(encoding))
    return path


def set_cell(text: str, row: int, col: int, value: str) -> str:
    lines = text.split("\r\n")
    cells = lines[row - 1].split(",")
    assert cells[col - 1] == "76%"  # the bundled value, read from the file
    cells[col - 1] = value
    lines[row - 1] = ",".join(cells)
    return "\r\n".join(lines)


def refused(path: Path) -> list[tuple]:
    with pytest.raises(ExtractError) as info:
        plan_add_release(path)
    return [(p.file, p.row, p.code) for p in info.value.problems]


def test_a_release_with_changed_values_is_stored_byte_for_byte_and_removed_again(national_copy, tmp_path):
    before = tree_bytes(national_copy)
    path = release_zip(tmp_path, lambda rel, text: set_cell(text, CARD_ROW, CHIGASAKI_COL, "78%") if rel == DX else text)
    change = plan_add_release(path)
    apply_release_change(change)
    stored = national_copy / "raw" / "dx_dashboard_20250101" / "municipal_dx_status.csv"
    with zipfile.ZipFile(path) as z:
        assert stored.read_bytes() == z.read(f"csv/{PUBLISHER[DX]}")
    src = national.load_national_sources()
    rec = src.loc["digital_agency_dx_dashboard_20250101"]
    assert (rec["release_date"], rec["attribution"]) == (
        "2025-01-01", "デジタル庁『自治体DXの取組に関するダッシュボード』（2025年1月1日公開）を加工して作成")
    assert rec["sha256"].split("|")[0] == hashlib.sha256(stored.read_bytes()).hexdigest()
    man = national.load_national_manifest()
    assert man.loc[man["source_id"] == rec.name, "original_path"].tolist() == [f"csv/{n}" for n in PUBLISHER.values()]
    assert national.verify_national_raw() == []
    # the loader reads it: the changed cell, its own source, periods not established (the catalogue is 2024-07-12's)
    new = national.load_national(release="20250101")
    card = new.query("lg_code == '142077' and indicator == 'my_number_card_holding_rate'").iloc[0]
    assert (card["value"], card["raw"], card["release"], card["source_id"], card["period_basis"]) == (
        78.0, "78%", "20250101", "digital_agency_dx_dashboard_20250101", "unknown")
    assert card["file"] == "dx_dashboard_20250101/municipal_dx_status.csv"
    both = national.load_national(release="all")
    assert both.groupby("release").size().to_dict() == {"20240712": 116647, "20250101": 116647}
    assert set(national.load_national()["release"]) == {"20240712"}
    with pytest.raises(ExtractError, match="already"):
        plan_add_release(path)
    apply_release_change(plan_remove_release("20250101"))
    assert tree_bytes(national_copy) == before


def test_a_merged_municipality_is_refused_not_shifted(national_copy, tmp_path):
    def drop_last_municipality(rel, text):  # 1,740 columns: as if two municipalities had merged
        lines = [line.split(",") for line in text.split("\r\n")]
        return "\r\n".join(",".join(c[:1742] + c[1743:]) if len(c) >= 1743 else ",".join(c) for c in lines)
    assert refused(release_zip(tmp_path, drop_last_municipality)) == [
        ("csv/" + PUBLISHER[DX], 1, "national_count"), ("csv/" + PUBLISHER[USAGE], 1, "national_count")]
    assert not (national_copy / "raw" / "dx_dashboard_20250101").exists()


def test_a_renamed_row_is_refused_with_file_row_and_column(national_copy, tmp_path):
    path = release_zip(tmp_path, lambda rel, text: text.replace(",CIOの任命,", ",CIO（最高情報責任者）の任命,", 1))
    with pytest.raises(ExtractError) as info:
        plan_add_release(path)
    p = info.value.problems[0]
    assert (p.file, p.code, p.value) == ("csv/" + PUBLISHER[DX], "national_header_mismatch", "CIO（最高情報責任者）の任命")
    assert p.row is not None and p.column is not None


def test_a_cp932_copy_is_stored_as_it_is_and_read_like_the_utf8_one(national_copy, tmp_path):
    path = release_zip(tmp_path, encoding="cp932")  # Shift_JIS, as Japanese publishers often write CSV
    apply_release_change(plan_add_release(path))
    stored = national_copy / "raw" / "dx_dashboard_20250101" / "municipal_dx_status.csv"
    assert stored.read_bytes() == bundled(DX).encode("cp932")  # byte for byte, not converted
    new, old = national.load_national(release="20250101"), national.load_national()
    assert new["raw"].tolist() == old["raw"].tolist() and new["value"].equals(old["value"])


def test_a_file_in_neither_encoding_is_refused(national_copy, tmp_path):
    path = tmp_path / ZIP_NAME
    with zipfile.ZipFile(path, "w") as z:
        for rel, name in PUBLISHER.items():
            z.writestr(f"csv/{name}", bundled(rel).encode("utf-16"))
    assert refused(path)[0][1:] == (None, "unreadable_file")


def test_the_cli_adds_refuses_and_removes_without_tracebacks(national_copy, tmp_path, capsys):
    before = tree_bytes(national_copy)
    path = release_zip(tmp_path)
    assert cli.main(["national", "add", str(path)]) == 0
    assert "release 20250101: 2 tables verified (116,647 cells)" in capsys.readouterr().out
    assert cli.main(["national", "add", str(tmp_path / "missing.zip")]) == 1
    renamed = tmp_path / "dashboard.zip"
    renamed.write_bytes(path.read_bytes())
    assert cli.main(["national", "add", str(renamed)]) == 1  # the release date is not in the name
    assert "--release YYYYMMDD" in capsys.readouterr().out
    assert cli.main(["national", "remove", "20240712", "--yes"]) == 1  # the bundled release stays
    assert cli.main(["national", "remove", "20250101"]) == 1  # no terminal, no --yes: refused
    assert cli.main(["national", "remove", "20250101", "--yes"]) == 0
    assert tree_bytes(national_copy) == before


def test_notebook_06_shows_the_change_per_comparable_indicator(national_copy, tmp_path):
    from dxanalysis import summaries

    cities = summaries.city_rows(national.load_all_municipalities(), ["chigasaki", "hadano", "minamiboso"])
    catalogue = national.load_national_indicators()
    one = summaries.release_change_table(national.load_national(release="all"), cities, catalogue, lang="ja")
    assert one.data.empty and one.caption.startswith("ダッシュボードは 2024-07-12 版だけが入っています。")
    path = release_zip(tmp_path, lambda rel, text: set_cell(text, CARD_ROW, CHIGASAKI_COL, "78%") if rel == DX else text)
    apply_release_change(plan_add_release(path))
    table = summaries.release_change_table(national.load_national(release="all"), cities, catalogue, lang="ja")
    assert table.caption == ("2024-07-12 版 → 2025-01-01 版: 行見出しと単位が同じ 201 組（市×指標）のうち 1 組で値が"
                             "変わりました。比較できない指標: なし。")
    assert table.data[["municipality", "value_from", "value_to", "change"]].values.tolist() == [["茅ヶ崎市", 76.0, 78.0, 2.0]]

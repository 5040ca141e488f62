"""``dxanalysis national add`` / ``remove`` (cycle.national_release, national.releases; issue 23 point 4, partly).

Every release here is SYNTHETIC: built by the test from the bundled 2024-07-12 tables (a changed value, a
merged municipality, a renamed row, a CP932 copy, XLSX copies in a zip with CP932 member names) in a temporary
copy of data/national — never in data/.
"""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import pandas as pd
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
    assert national.load_national().equals(both)  # the default holds every release
    assert both.attrs["load_report"].cells_read == 2 * 116647 and both.attrs["load_report"].balanced
    assert set(national.load_national(release="latest")["release"]) == {"20250101"}
    assert set(national.load_national(release="20240712")["release"]) == {"20240712"}
    with pytest.raises(ExtractError, match="already"):
        plan_add_release(path)
    original = stored.read_bytes()  # a stored release is hash-checked at load, like the bundled one
    stored.write_bytes(original.replace("78%".encode(), "79%".encode(), 1))
    with pytest.raises(ExtractError) as info:
        national.load_national()
    assert [(p.file, p.code) for p in info.value.problems] == [
        ("dx_dashboard_20250101/municipal_dx_status.csv", "national_hash_mismatch")]
    stored.write_bytes(original)
    apply_release_change(plan_remove_release("20250101"))
    assert tree_bytes(national_copy) == before


def merge_into_neighbour(column: int):
    """SYNTHETIC merger: the municipality at 1-based ``column`` is dropped from every row (merged into a neighbour)."""
    def edit(rel, text):
        lines = [line.split(",") for line in text.split("\r\n")]
        return "\r\n".join(",".join(c[:column - 1] + c[column:]) if len(c) >= column else ",".join(c) for c in lines)
    return edit


def test_a_merged_municipality_is_refused_naming_its_code_never_shifted(national_copy, tmp_path):
    # 茅ヶ崎市 (column 700) merged away: 1,740 columns; every later municipality would shift by one
    with pytest.raises(ExtractError) as info:
        plan_add_release(release_zip(tmp_path, merge_into_neighbour(CHIGASAKI_COL)))
    problems = info.value.problems
    assert [(p.file, p.row, p.code) for p in problems] == [
        ("csv/" + PUBLISHER[DX], 1, "national_count"), ("csv/" + PUBLISHER[USAGE], 1, "national_count")]
    assert "1,740 municipality columns, the code list has 1,741: a merger or split" in problems[0].detail
    assert "not in the release: 142077 茅ヶ崎市 (神奈川県)" in problems[0].detail
    assert "never shifted" in problems[0].detail
    assert not (national_copy / "raw" / "dx_dashboard_20250101").exists()


def test_a_merger_of_a_repeated_name_names_the_right_code(national_copy, tmp_path):
    # 伊達市 is in 北海道 and in 福島県: the one that disappears is named by its code, not by its name
    header = bundled(DX).split("\r\n")[0].split(",")
    date = [i + 1 for i, name in enumerate(header) if name == "伊達市"][-1]  # the 福島県 one
    with pytest.raises(ExtractError) as info:
        plan_add_release(release_zip(tmp_path, merge_into_neighbour(date)))
    assert "not in the release: 072133 伊達市 (福島県)" in info.value.problems[0].detail


def test_a_split_municipality_is_refused_naming_the_new_column(national_copy, tmp_path):
    def split(rel, text):  # SYNTHETIC split: a new column 南茅ヶ崎市 after 茅ヶ崎市, with 茅ヶ崎市's cells
        lines = [line.split(",") for line in text.split("\r\n")]
        out = []
        for c in lines:
            if len(c) >= CHIGASAKI_COL:
                c = c[:CHIGASAKI_COL] + ["南茅ヶ崎市" if c is lines[0] else c[CHIGASAKI_COL - 1]] + c[CHIGASAKI_COL:]
            out.append(",".join(c))
        return "\r\n".join(out)
    with pytest.raises(ExtractError) as info:
        plan_add_release(release_zip(tmp_path, split))
    detail = info.value.problems[0].detail
    assert detail.startswith("1,742 municipality columns, the code list has 1,741: a merger or split")
    assert "not in the code list: column 701 南茅ヶ崎市" in detail and "not in the release" not in detail


def test_a_renamed_row_is_loaded_and_named_not_comparable(national_copy, tmp_path):
    from dxanalysis import summaries

    path = release_zip(tmp_path, lambda rel, text: text.replace(",CIOの任命,", ",CIO（最高情報責任者）の任命,", 1))
    apply_release_change(plan_add_release(path))
    new = national.load_national(release="20250101")
    cio = new.query("lg_code == '142077' and indicator == 'cio_appointed'").iloc[0]
    assert cio["row_label"] == "CIO（最高情報責任者）の任命" and cio["value"] == 1.0
    changes = summaries.release_changes(national.load_national(), ["142077"])
    row = changes.set_index("indicator").loc["cio_appointed"]
    assert (bool(row["comparable"]), row["reason"]) == (False, "row label changed: CIOの任命 → CIO（最高情報責任者）の任命")
    assert pd.isna(row["change"])  # never a change computed across a changed label
    assert changes.set_index("indicator").loc["my_number_card_holding_rate", "comparable"]
    cities = summaries.city_rows(national.load_all_municipalities(), ["chigasaki"])
    table = summaries.release_change_table(national.load_national(), cities, national.load_national_indicators())
    assert table.caption.endswith("比較できない指標（行見出しか単位が変わった、または一方の版にない: 定義が変わったかもしれず、"
                                  "変化は計算しません）: CIOの任命。")  # by its name, not its id
    assert table.data["指標"].tolist() == ["CIOの任命"]
    en = summaries.release_change_table(national.load_national(), cities, national.load_national_indicators(), lang="en")
    assert en.caption.endswith("the definition may have changed, so no change is computed): CIO appointed.")
    assert table.data["比較できない理由"].tolist() == ["行見出しが変わった: CIOの任命 → CIO（最高情報責任者）の任命"]
    assert en.data["why not comparable"].tolist() == ["row label changed: CIOの任命 → CIO（最高情報責任者）の任命"]
    assert "True" not in table.to_html() and "False" not in table.to_html()  # no repr on the page


def test_the_bundled_release_still_refuses_a_renamed_row(tmp_path):
    raw = Path(shutil.copytree(config.NATIONAL_RAW_DIR, tmp_path / "raw"))  # not the bundled folder: no hash check
    target = raw / DX
    target.write_bytes(target.read_bytes().replace(",CIOの任命,".encode(), ",CIO（最高情報責任者）の任命,".encode(), 1))
    with pytest.raises(ExtractError) as info:
        national.load_national(raw_dir=raw, release="20240712")  # the catalogue describes this release's labels
    assert [(p.row, p.code, p.value) for p in info.value.problems] == [
        (2, "national_header_mismatch", "CIO（最高情報責任者）の任命")]


def test_rows_that_moved_are_refused_not_read_by_position(national_copy, tmp_path):
    def swap_ai_and_rpa(rel, text):  # SYNTHETIC: rows 9 (AI) and 10 (RPA) change places, labels and cells
        if rel != DX:
            return text
        lines = text.split("\r\n")
        lines[8], lines[9] = lines[9], lines[8]
        return "\r\n".join(lines)
    problems = refused(release_zip(tmp_path, swap_ai_and_rpa))
    assert problems == [("csv/" + PUBLISHER[DX], 9, "national_header_mismatch"),
                        ("csv/" + PUBLISHER[DX], 10, "national_header_mismatch")]


def test_an_empty_row_label_is_refused(national_copy, tmp_path):
    path = release_zip(tmp_path, lambda rel, text: text.replace(",CIOの任命,", ",,", 1))
    assert ("csv/" + PUBLISHER[DX], 2, "national_header_mismatch") in refused(path)


def test_a_cp932_copy_is_stored_as_it_is_and_read_like_the_utf8_one(national_copy, tmp_path):
    path = release_zip(tmp_path, encoding="cp932")  # Shift_JIS, as Japanese publishers often write CSV
    apply_release_change(plan_add_release(path))
    stored = national_copy / "raw" / "dx_dashboard_20250101" / "municipal_dx_status.csv"
    assert stored.read_bytes() == bundled(DX).encode("cp932")  # byte for byte, not converted
    new, old = national.load_national(release="20250101"), national.load_national(release="20240712")
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
    assert "release 20250101: 2 tables verified (CSV; 116,647 cells)" in capsys.readouterr().out
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
    assert table.data[["市区町村", "旧版", "新版", "旧版の値", "新版の値", "変化"]].values.tolist() == [
        ["茅ヶ崎市", "2024-07-12", "2025-01-01", 76.0, 78.0, 2.0]]


# ---------------------------------------------------------------- XLSX tables (and CP932 member names)

SHEETS = {DX: "市区町村比較", USAGE: "行政手続のオンライン申請率"}  # SYNTHETIC Japanese sheet names


def xlsx_bytes(text: str, sheet: str, edit=None, typed: bool = True) -> bytes:
    """A SYNTHETIC workbook of one table as a spreadsheet holds it: percentages as numbers formatted as %, counts
    as numbers, the rest as text (``typed=False``: every cell as text, read by the fast reader); ``edit(ws)`` may
    damage it afterwards."""
    import io as io_
    from decimal import Decimal

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for line in text.split("\r\n"):
        if not line:
            continue
        ws.append([None if c == "" else c for c in line.split(",")])
    for row in ws.iter_rows(min_row=2, min_col=3) if typed else ():
        for cell in row:
            v = cell.value
            if isinstance(v, str) and v[:-1].replace(".", "", 1).isdigit() and v.endswith("%"):
                cell.value = float(Decimal(v[:-1]) / 100)
                cell.number_format = "0%" if "." not in v else "0.0%"
            elif isinstance(v, str) and v.isdigit():
                cell.value = int(v)
    if edit:
        edit(ws)
    buf = io_.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def cp932_zip(path: Path, members: dict[str, bytes]) -> Path:
    """A zip whose member names are CP932 bytes without the UTF-8 flag, as Japanese Windows tools write them."""
    placeholders = {}
    with zipfile.ZipFile(path, "w") as z:
        for i, (name, data) in enumerate(members.items()):
            raw = name.encode("cp932")
            placeholder = (chr(ord("Q") + i) * len(raw)).encode("ascii")
            placeholders[placeholder] = raw
            z.writestr(placeholder.decode("ascii"), data)
    blob = path.read_bytes()
    for placeholder, raw in placeholders.items():
        assert blob.count(placeholder) == 2  # the local header and the central directory
        blob = blob.replace(placeholder, raw)
    path.write_bytes(blob)
    with zipfile.ZipFile(path) as z:
        assert all(not (i.flag_bits & 0x800) for i in z.infolist())  # really unflagged
    return path


def xlsx_member(rel: str) -> str:
    return "xlsx/" + PUBLISHER[rel].removesuffix(".csv") + ".xlsx"


def test_xlsx_tables_in_a_zip_with_cp932_names_are_read_as_displayed_and_stored_as_found(national_copy, tmp_path):
    def merge_groups(ws):  # a spreadsheet merges each group label (column A) over its rows, as publishers do
        ws.merge_cells("A2:A8")
        ws.merge_cells("A9:A11")
        ws.merge_cells("A12:A16")
        assert ws["A3"].value is None
    members = {xlsx_member(DX): xlsx_bytes(bundled(DX), SHEETS[DX], merge_groups),  # openpyxl: merges, % formats
               xlsx_member(USAGE): xlsx_bytes(bundled(USAGE), SHEETS[USAGE], typed=False)}  # calamine: plain text
    from dxanalysis.io.xlsx import needs_openpyxl
    (tmp_path / "u.xlsx").write_bytes(members[xlsx_member(USAGE)])
    assert not needs_openpyxl(tmp_path / "u.xlsx")
    path = cp932_zip(tmp_path / ZIP_NAME, members)
    change = plan_add_release(path)
    assert "2 tables verified (XLSX; 116,647 cells)" in str(change)
    apply_release_change(change)
    folder = national_copy / "raw" / "dx_dashboard_20250101"
    assert sorted(p.name for p in folder.iterdir()) == ["municipal_dx_status.xlsx",
                                                         "municipal_online_application_rates.xlsx"]
    assert (folder / "municipal_dx_status.xlsx").read_bytes() == members[xlsx_member(DX)]  # byte for byte
    man = national.load_national_manifest()
    assert man.loc[man["source_id"] == "digital_agency_dx_dashboard_20250101", "original_path"].tolist() == list(members)
    assert national.verify_national_raw() == []
    new, old = national.load_national(release="20250101"), national.load_national(release="20240712")
    assert new["raw"].tolist() == old["raw"].tolist()  # 0.042 formatted 0.0% reads 4.2%, as the CSV writes it
    assert new["value"].equals(old["value"]) and new["missing_reason"].equals(old["missing_reason"])
    assert new["row_label"].tolist() == old["row_label"].tolist()  # the trailing space of a label kept
    assert new["file"].iloc[0] == "dx_dashboard_20250101/municipal_dx_status.xlsx"


def test_the_publishers_csv_and_xlsx_are_both_verified_stored_and_must_agree(national_copy, tmp_path):
    members = {"csv/" + PUBLISHER[rel]: bundled(rel).encode("utf-8-sig") for rel in PUBLISHER}
    members |= {xlsx_member(rel): xlsx_bytes(bundled(rel), SHEETS[rel]) for rel in PUBLISHER}
    change = plan_add_release(cp932_zip(tmp_path / ZIP_NAME, members))
    assert "2 tables verified (CSV/XLSX; 116,647 cells)" in str(change)
    apply_release_change(change)
    folder = national_copy / "raw" / "dx_dashboard_20250101"
    assert len(list(folder.iterdir())) == 4
    assert national.load_national(release="20250101")["file"].iloc[0].endswith(".csv")  # the CSV is read

    def other(ws):
        ws.cell(row=CARD_ROW, column=CHIGASAKI_COL).value = 0.78  # 茅ヶ崎市 76% in the CSV
    def unrounded(ws):  # a workbook may keep the fraction its 0% format shows rounded: 76.49 % is the CSV's 76 %
        ws.cell(row=CARD_ROW, column=CHIGASAKI_COL).value = 0.7649
    members[xlsx_member(DX)] = xlsx_bytes(bundled(DX), SHEETS[DX], unrounded)
    assert "CSV/XLSX" in str(plan_add_release(cp932_zip(tmp_path / "20250202_x.zip", members)))  # accepted
    members[xlsx_member(DX)] = xlsx_bytes(bundled(DX), SHEETS[DX], other)
    with pytest.raises(ExtractError) as info:
        plan_add_release(cp932_zip(tmp_path / "20250202_x.zip", members))
    p, = info.value.problems
    assert (p.file, p.row, p.column, p.value, p.code) == (
        xlsx_member(DX) + ", sheet 市区町村比較", CARD_ROW, "ZX / 700 (茅ヶ崎市)", "78%", "national_inconsistent")
    assert "'76%'" in p.detail


def test_a_damaged_xlsx_is_refused_with_file_sheet_row_and_column(national_copy, tmp_path):
    def damage(ws):
        ws.cell(row=CARD_ROW, column=CHIGASAKI_COL).value = "=1/0"  # a formula where the publisher wrote a value
        ws.cell(row=CARD_ROW, column=CHIGASAKI_COL + 1).value = "78 %"  # a cell no unit reads
    members = {xlsx_member(rel): xlsx_bytes(bundled(rel), SHEETS[rel], damage if rel == DX else None)
               for rel in PUBLISHER}
    with pytest.raises(ExtractError) as info:
        plan_add_release(cp932_zip(tmp_path / ZIP_NAME, members))
    where = [(p.file, p.row, p.column, p.code) for p in info.value.problems]
    assert where == [(xlsx_member(DX) + ", sheet 市区町村比較", CARD_ROW, "ZX / 700 (茅ヶ崎市)", "national_bad_cell")]
    # the formula is found first; with it fixed, the unreadable text is named in the same way
    members[xlsx_member(DX)] = xlsx_bytes(bundled(DX), SHEETS[DX],
                                          lambda ws: setattr(ws.cell(row=CARD_ROW, column=CHIGASAKI_COL + 1), "value", "78 %"))
    with pytest.raises(ExtractError) as info:
        plan_add_release(cp932_zip(tmp_path / ZIP_NAME, members))
    p, = info.value.problems
    assert (p.file, p.row, p.column, p.value, p.code) == (
        xlsx_member(DX) + ", sheet 市区町村比較", CARD_ROW, "ZY / 701 (逗子市)", "78 %", "national_bad_cell")
    members[xlsx_member(DX)] = members[xlsx_member(DX)][:5000]  # a truncated download
    with pytest.raises(ExtractError) as info:
        plan_add_release(cp932_zip(tmp_path / ZIP_NAME, members))
    assert [(p.file, p.code) for p in info.value.problems] == [(xlsx_member(DX), "unreadable_file")]
    assert not (national_copy / "raw" / "dx_dashboard_20250101").exists()


def test_a_folder_with_one_table_as_cp932_csv_and_the_other_as_xlsx(national_copy, tmp_path):
    folder = tmp_path / "download"
    folder.mkdir()
    (folder / PUBLISHER[DX]).write_bytes(bundled(DX).encode("cp932"))
    (folder / "municipal_online_application_rates.xlsx").write_bytes(xlsx_bytes(bundled(USAGE), SHEETS[USAGE]))
    (folder / "~$municipal_online_application_rates.xlsx").write_bytes(b"Excel's lock file, not a table")
    change = plan_add_release(folder, release="20250101")
    assert "2 tables verified (CSV/XLSX; 116,647 cells)" in str(change)  # one form: each table loaded once
    apply_release_change(change)
    stored = sorted(p.name for p in (national_copy / "raw" / "dx_dashboard_20250101").iterdir())
    assert stored == ["municipal_dx_status.csv", "municipal_online_application_rates.xlsx"]
    new, old = national.load_national(release="20250101"), national.load_national(release="20240712")
    assert new["raw"].tolist() == old["raw"].tolist()
    assert national.stored_releases() == ["20240712", "20250101"]

"""Notebook 06 after ``dxanalysis national add`` of a SYNTHETIC second release (issue 23: "makes notebook 06 show a
change per comparable indicator"): built by the test from the bundled tables — 茅ヶ崎市's card holding 76 % → 78 %,
the row CIOの任命 renamed — in a temporary copy of data/national (never data/), and notebook 06 run on it in Japanese.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from dxanalysis import config
from dxanalysis.cycle.national_release import apply_release_change, plan_add_release

NOTEBOOK = config.PROJECT_DIR / "notebooks" / "06_national_context.ipynb"
DX = "dx_dashboard_20240712/municipal_dx_status.csv"
USAGE = "dx_dashboard_20240712/municipal_online_application_rates.csv"


def synthetic_release(folder: Path) -> Path:
    def text(rel):
        return (config.NATIONAL_RAW_DIR / rel).read_bytes().decode("utf-8-sig")
    lines = text(DX).split("\r\n")
    cells = lines[11].split(",")
    assert cells[699] == "76%"  # 茅ヶ崎市's card holding, line 12, column 700
    cells[699] = "78%"
    lines[11] = ",".join(cells)
    lines[1] = lines[1].replace(",CIOの任命,", ",CIO（最高情報責任者）の任命,", 1)
    path = folder / "20250101_resources_govdashboard_local_governmentdx_table_01.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("csv/municipal_dx_status.csv", "\r\n".join(lines).encode("utf-8-sig"))
        z.writestr("csv/municipal_online_application_rates.csv", text(USAGE).encode("utf-8-sig"))
    return path


def test_notebook_06_shows_the_change_and_the_renamed_row_of_a_second_release(tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    from nbclient import NotebookClient

    nat = Path(shutil.copytree(config.NATIONAL_DIR, tmp_path / "national"))
    paths = {"NATIONAL_DIR": nat, "NATIONAL_RAW_DIR": nat / "raw", "NATIONAL_SOURCES_CSV": nat / "sources.csv",
             "NATIONAL_MANIFEST_CSV": nat / "manifest.csv", "NATIONAL_INDICATORS_CSV": nat / "indicators.csv"}
    for name, value in paths.items():
        monkeypatch.setattr(config, name, value)
    apply_release_change(plan_add_release(synthetic_release(tmp_path)))

    nb = nbformat.read(NOTEBOOK, as_version=4)
    redirect = "\n".join([
        "import os",
        f"os.environ['DXANALYSIS_FIGURES'] = {str(tmp_path / 'figures')!r}",
        f"os.environ['DXANALYSIS_REPORTS'] = {str(tmp_path / 'reports')!r}",
        "from pathlib import Path",
        "from dxanalysis import config",
        *(f"config.{name} = Path({str(value)!r})" for name, value in paths.items()),
    ])
    nb.cells.insert(0, nbformat.v4.new_code_cell(redirect))
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            outputs.append(data.get("text/markdown") or data.get("text/html") or out.get("text", ""))
    page = "\n".join(outputs)
    assert ("2024-07-12 版 → 2025-01-01 版: 行見出しと単位が同じ 198 組（市×指標）のうち 1 組で値が変わりました。"
            in page)
    assert re.search(r"比較できない指標（[^）]*）: CIOの任命。", page)
    assert "行見出しが変わった: CIOの任命 → CIO（最高情報責任者）の任命" in page
    # ranks and shares are of the newest release, its period said in Japanese, never the 2024-07-12 one's
    assert "時点は資料から確定できない（2025-01-01 版）" in page
    assert "not established (release" not in page  # (the source table quotes the source record as stored)
    assert not (config.PROJECT_DIR / "data" / "national" / "raw" / "dx_dashboard_20250101").exists()

"""Stage 4 — the yearly cycle: what an analyst does each fiscal year to bring new figures into ``data/``.

- ``template``: the entry workbook with the expected rows pre-filled (``dxanalysis template``)
- ``add``: stage, check and write a workbook's rows into ``data/kpis`` (``dxanalysis add``)
- ``remove``: take back what an add wrote (``dxanalysis remove``)
- ``files``: replacing several files of ``data/`` as one change, and the CSV records they hold
"""

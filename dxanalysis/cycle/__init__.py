"""Stage 4 — the yearly cycle: what an analyst does each fiscal year to bring new figures into ``data/``.

- ``template``: the entry workbook with the expected rows pre-filled (``dxanalysis template``)
- ``add``: stage, check and write a workbook's rows into ``data/kpis`` (``dxanalysis add``)
- ``remove``: take back what an add wrote (``dxanalysis remove``)
- ``stage``: the staged build that validate checks and add writes (``rows``: the cells of new rows)
- ``lock``, ``journal``: one update at a time, its files replaced as one change a kill cannot split
- ``ledger``: what each add wrote, so that remove takes back exactly that
- ``files``: data/ CSV files read as the loader reads them and written back in their own encoding
"""

"""Stage 1 — reading files and cells, and the one writer.

One reader per format behind one public function (:func:`dxanalysis.io.tables.read_raw`):

- ``cells``: cell text as the analyst sees it (normalisation, formulas, error cells, yes/no)
- ``numbers``: the strict number grammar (``約1.1万件`` → 11000, approximate)
- ``dates``: fiscal years, era dates (令和/平成), dates in text
- ``csv`` / ``xlsx``: the two file formats (encoding decided once; workbooks opened safely)
- ``text``: :func:`~dxanalysis.io.text.read_text_file` — a source document's text, with the CSV reader's encoding decision
- ``rows``: raw rows → a frame of text cells (header search, blank rows)
- ``tables``: :func:`read_raw` — every raw table of an extract file, nothing judged yet
- ``catalogue``: the bundled catalogue files (indicators, municipalities, sources)
- ``write``: the one writer of every CSV and XLSX the project produces

Nothing here imports a higher stage (``tests/test_layout.py``).
"""

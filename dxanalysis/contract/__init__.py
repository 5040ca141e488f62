"""Stage 2 — the data contract: check raw tables and assemble the tidy KPI table.

- ``columns``: vectorised parsing of a column's distinct cells and the problem collector
- ``validate``: row checks of one raw table (:func:`validate_raw`)
- ``years``: how each fiscal year is known (``year_basis``)
- ``rules``: checks across rows and files (duplicates, source dates and ids, large changes)
- ``load``: read → validate → assemble: :func:`load_kpis`, :func:`check_kpis`
- ``records``: record-level tables (telework log, adoption milestones, reference figures)
- ``citations``: source records of the city documents and the national files, for captions
"""

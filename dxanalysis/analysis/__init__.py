"""Stage 3 — analysis of the tidy tables: verbs that take a frame first and return a new one.

- ``series``: selecting series, year-on-year change, CAGR, index, coverage, report-year helpers
- ``targets``: targets against actuals (status, required growth, trajectory, FTE conversion)
- ``adoption``: when each city adopted each tool
- ``peers``: the national yardstick (peer groups, ranks with ties, medians with n, supply vs usage)
- ``narrate``: sentences computed from the data, in Japanese and English
- ``kpi_summaries``, ``national_summaries``, ``survey_summaries``: the tables and sentences the notebooks show
  (gathered in ``summaries``)
- ``metrics``: all the verbs above in one namespace (``from dxanalysis import metrics``)
"""

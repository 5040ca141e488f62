"""Stage 5 — presentation: style, chart families, figure books, the report and the notebook set-up.

- ``style``: colours, fonts, labels and legends — the one visual grammar every chart uses
- ``layout``: captions, wrapping, the layout check and :func:`save_figure` (PNG, SVG, data, sidecar)
- chart families, each ``plot_x(df, *, ..., ax=None) -> Axes``: ``trends`` (KPI series over the years),
  ``timelines`` (events: telework log, adoption), ``comparisons`` (the cities among all municipalities)
- ``panels``: grids of charts the notebooks draw in one figure
- ``plot``: every chart function in one namespace (``from dxanalysis import plot``)
- ``manifest``: figure sidecars, build manifests and the data hash
- ``figbook``: the PDF figure books; ``report``: run the notebooks and write ``reports/``
- ``notebook``: the shared set-up of every notebook; ``explore``: the explorer's widgets
"""

"""Record-level tables and reference figures shipped beside the KPI extracts.

>>> log = load_telework_log()
>>> len(log), int(log["days"].sum())
(34, 146)
"""

from __future__ import annotations

import pandas as pd

from . import config


TELEWORK_PURPOSE_GROUPS = {
    "在宅勤務": "在宅勤務",
    "研修": "研修・出張", "研修会": "研修・出張", "自治大": "研修・出張", "市町村アカデミー": "研修・出張",
    "出張": "研修・出張", "シンポジウム 出張": "研修・出張", "出張時に使用するため": "研修・出張",
    "スマホ教室": "外出先での業務", "ヒアリング": "外出先での業務", "現地訪問打合せ": "外出先での業務",
    "外出安房郡市内": "外出先での業務",
}
"""Our grouping of the log's free-text purposes (an analytical choice, not source data); others → その他."""
PURPOSE_GROUP_EN = {"在宅勤務": "home working", "研修・出張": "training / business trip",
                    "外出先での業務": "field work", "その他": "other / unspecified"}


def load_telework_log() -> pd.DataFrame:
    """The 南房総市 FY2024 telework-PC usage log (令和6年度テレワークPC利用実績), one row per record.

    Columns: ``record_no``, ``purpose``, ``start_date``, ``end_date`` (datetime), ``days``
    (calendar days from start to end inclusive), ``month`` (start month, ``YYYY-MM``),
    ``source_id`` and ``quote`` (the verbatim table row).
    """
    df = pd.read_csv(config.RECORDS_DIR / "minamiboso_telework_log_fy2024.csv", dtype=str, keep_default_na=False,
                     encoding="utf-8")
    if df["record_no"].duplicated().any():
        raise ValueError("telework log: duplicate record_no")
    start = pd.to_datetime(df["start_date"], format="%Y-%m-%d")
    end = pd.to_datetime(df["end_date"], format="%Y-%m-%d")
    if (end < start).any():
        raise ValueError("telework log: a record ends before it starts")
    return df.assign(record_no=df["record_no"].astype("int64"), start_date=start, end_date=end,
                     days=(end - start).dt.days + 1, month=start.dt.strftime("%Y-%m"),
                     purpose_group=df["purpose"].map(TELEWORK_PURPOSE_GROUPS).fillna("その他"))


def load_reference() -> pd.DataFrame:
    """Figures a city's document cites about others (national surveys, the prefecture): never the city's own.

    Loaded and validated like the KPI extracts, from ``data/reference``; ``municipality``
    is ``national`` or ``chiba``.
    """
    from .load import load_kpis

    return load_kpis(sorted(config.REFERENCE_DIR.glob("*.csv")))

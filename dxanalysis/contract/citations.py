"""Who published each source, when, where it can be found and what attribution it requires.

One table for every figure caption, the report index and the PDF figure book: the
municipal documents of ``data/sources.csv`` and, when it exists, the national files of
``data/national/sources.csv`` (whose records carry ``attribution``, ``licence``, ``url`` and
``release_date``). Columns one file lacks are empty text, never guessed.

>>> src = all_sources()
>>> src.at["chigasaki_dx_policy_2023", "date"], "URL" in src.at["chigasaki_dx_policy_2023", "found_at_en"]
('2023-03', True)
>>> caption_part("minamiboso_dx_status_2025")
'南房総市「南房総市DX推進方針の取り組み状況等について」(2025-03)'
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import config
from ..io.catalogue import _read_table, load_municipalities

COLUMNS = ("source_id", "title", "publisher", "date", "url", "found_at_ja", "found_at_en", "attribution", "licence",
           "note")
"""The columns every source record has here (missing ones are empty text)."""


TEXT_FIELDS = ("title", "publisher", "reference_period", "licence", "attribution")
"""Fields a source record may carry in both languages (``data/source_texts.csv``: ``<field>_ja``, ``<field>_en``)."""


def source_texts_csv() -> Path:
    """``data/source_texts.csv``: the team's Japanese and English wording of source fields that one file has in one
    language only (the records themselves, and their quotes and numbers, stay as they are)."""
    return config.DATA_DIR / "source_texts.csv"


def national_sources_csv() -> Path:
    """``config.NATIONAL_SOURCES_CSV`` (a function, so tests can point it elsewhere)."""
    return config.NATIONAL_SOURCES_CSV


def _read(path: Path) -> pd.DataFrame:
    df = _read_table(path).fillna("")
    if "date" not in df.columns and "release_date" in df.columns:
        df["date"] = df["release_date"]
    elif "release_date" in df.columns:
        df["date"] = df["date"].where(df["date"] != "", df["release_date"])
    for col in COLUMNS:
        if col not in df.columns:
            df[col] = ""
    return df[list(COLUMNS)]


def all_sources(paths: list[Path] | None = None) -> pd.DataFrame:
    """Every source record, keyed by ``source_id`` (municipal first, then national).

    Raises:
        ValueError: a ``source_id`` appears twice.
    """
    if paths is None:
        paths = [config.SOURCES_CSV] + [p for p in [national_sources_csv()] if p.exists()]
    df = pd.concat([_read(Path(p)) for p in paths], ignore_index=True)
    dup = df["source_id"][df["source_id"].duplicated()]
    if len(dup):
        raise ValueError(f"source_id defined twice: {sorted(set(dup))}")
    texts = source_texts_csv()
    if texts.exists():
        extra = _read_table(texts).fillna("")
        df = df.merge(extra, on="source_id", how="left")
    for col in (f"{f}_{lang}" for f in TEXT_FIELDS for lang in ("ja", "en")):
        df[col] = df[col].fillna("") if col in df.columns else ""
    return df.set_index("source_id", drop=False).rename_axis(None)


def source_text(rec: pd.Series, field: str, lang: str, *, fallback: str | None = None) -> str:
    """A source field in the reader's language: ``<field>_<lang>`` when the team wrote one, else the record's own.

    >>> src = all_sources()
    >>> source_text(src.loc["localgovjp"], "licence", "ja"), source_text(src.loc["localgovjp"], "licence", "en")
    ('CC0 1.0（パブリックドメイン提供）', 'CC0 1.0 (public domain dedication)')
    """
    own = rec.get(field, "") if fallback is None else fallback
    return rec.get(f"{field}_{'ja' if lang == 'ja' else 'en'}", "") or own


def publisher_text(rec: pd.Series, lang: str) -> str:
    """A source's publisher for a reader. In English without the team's rendering (a source added later), a
    municipality's English name with the published name in brackets, else the published name in 『』.

    >>> publisher_text(pd.Series({"publisher": "茅ヶ崎市 企画部"}), "en"), publisher_text(pd.Series({"publisher": "某社"}), "en")
    ('Chigasaki (茅ヶ崎市 企画部)', '『某社』')
    """
    own = rec.get("publisher", "") or ""
    english = source_text(rec, "publisher", lang)
    if lang == "ja" or (english and english != own):
        return english
    for name_ja, name_en in load_municipalities()[["name_ja", "name_en"]].itertuples(index=False):
        if own.startswith(name_ja):
            return f"{name_en} ({own})"
    return f"『{own}』" if own else ""


def title_text(rec: pd.Series, lang: str) -> str:
    """A source's title for a reader: 『title』 in Japanese; in English its rendering with the title in 『』.

    >>> title_text(all_sources().loc["chigasaki_dx_policy_2023"], "en")
    'Chigasaki City digitalisation policy (『茅ヶ崎市デジタル化推進方針』)'
    """
    own, english = source_text(rec, "title", "ja"), source_text(rec, "title", "en")
    return f"『{own}』" if lang == "ja" or english == own else f"{english} (『{own}』)"


def document_name(source_ids: str, lang: str, sources: pd.DataFrame | None = None) -> str:
    """The documents behind ``source_ids`` (comma-separated) by their titles (:func:`title_text`), never by id;
    '' for none."""
    src = all_sources() if sources is None else sources
    ids = [s for s in str(source_ids).split(",") if s and s in src.index]
    return ("、" if lang == "ja" else "; ").join(title_text(src.loc[s], lang) for s in ids)


def reader_source(source_id: str, lang: str = "ja", sources: pd.DataFrame | None = None) -> dict[str, str]:
    """What a source list shows of one source, in ``lang``: ``name`` (publisher and title), ``date``,
    ``attribution``, ``licence`` (:func:`source_text`), ``where`` (the recorded note on where it is found, without
    the URL) and ``url`` (a web address, shown once as a link).

    >>> r = reader_source("localgovjp", "ja")
    >>> r["licence"], r["url"], r["url"] in r["where"]
    ('CC0 1.0（パブリックドメイン提供）', 'https://github.com/code4fukui/localgovjp', False)
    """
    src = all_sources() if sources is None else sources
    rec, ja = src.loc[source_id], lang == "ja"
    publisher = publisher_text(rec, lang)
    name = f"{publisher}「{source_text(rec, 'title', 'ja')}」" if ja else f"{publisher}, {title_text(rec, 'en')}"
    url = rec["url"] if rec["url"].startswith(("http://", "https://")) else ""
    found = rec["found_at_ja" if ja else "found_at_en"] or rec["found_at_en"] or rec["found_at_ja"]
    if not url and rec["url"] and rec["url"] not in found:
        found = f"{rec['url']} {found}".strip()
    if not found and not url:
        found = "所在の記録なし" if ja else "no record of where it is found"
    return {"name": name, "date": rec["date"], "attribution": source_text(rec, "attribution", lang),
            "licence": source_text(rec, "licence", lang), "where": found, "url": url}


def caption_part(source_id: str, sources: pd.DataFrame | None = None, lang: str = "ja") -> str:
    """``publisher「title」(date)``, or the attribution text the source requires, when it has one — in ``lang``
    (:func:`source_text`; in English the publisher's English name and the title's rendering, the Japanese title
    and a required Japanese credit kept in 『』/「」).

    >>> caption_part("chigasaki_dx_policy_2023", lang="en")
    'Chigasaki City, Planning Department, Digital Promotion Division: Chigasaki City digitalisation policy (『茅ヶ崎市デジタル化推進方針』) (2023-03)'
    """
    src = all_sources() if sources is None else sources
    rec = src.loc[source_id]
    date = rec["date"] if rec["date"] != "not established" else ("公表日不明" if lang == "ja" else "date not established")
    if rec["attribution"]:
        credit = source_text(rec, "attribution", lang)
        dated = not rec["date"] or rec["date"] in credit or rec["date"][:4] in credit
        return credit if dated else f"{credit} ({date})"
    if lang == "ja":
        return f"{source_text(rec, 'publisher', 'ja')}「{rec['title']}」({date})"
    return f"{publisher_text(rec, 'en')}: {title_text(rec, 'en')} ({date})"


def where_found(source_id: str, lang: str = "ja", sources: pd.DataFrame | None = None) -> str:
    """Where a reader finds the document: its URL when one is recorded, and the recorded note on it."""
    src = all_sources() if sources is None else sources
    rec = src.loc[source_id]
    found = rec["found_at_ja" if lang == "ja" else "found_at_en"] or rec["found_at_en"] or rec["found_at_ja"]
    if rec["url"] and rec["url"] not in found:
        found = f"{rec['url']} {found}".strip()
    return found or ("所在の記録なし" if lang == "ja" else "no record of where it is found")

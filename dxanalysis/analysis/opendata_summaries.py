"""Notebook 06, open data at two surveys (FY2020, FY2024): each city's self-reported status beside its
類似団体, prefecture and the nation — two surveys with different questions, never joined into one series (issue 23)."""

from __future__ import annotations

import pandas as pd

from ..national.opendata import OPENDATA_SURVEYS
from .class_summaries import similar_group_label
from .kpi_summaries import _ja, city_names
from .peers import peer_group

OPENDATA_STATUS = {2020: ("No.2", "オープンデータをすでに公開している"), 2024: ("Q3", "取組んでいる")}
"""survey year → (question id, the answer counted): R2 [No.2] asks when open data is or will be published
(one option: already publishing); R6 Q3 asks whether the body is working on open data."""
OPENDATA_SOURCE_IDS = [source_id for _, source_id, _ in OPENDATA_SURVEYS.values()]
"""The source records of the two surveys (data/national/sources.csv)."""
SURVEY_WORDS = {
    "ja": {2020: "令和2年度調査 [No.2]（公開開始予定時期）", 2024: "令和6年度調査 Q3（オープンデータに取り組んでいるか）",
           "city": "市自身", "national": "全国", "missing": "回答なし（調査に未提出）", "no_answer": "この問いに回答なし"},
    "en": {2020: "FY2020 survey [No.2] (when open-data publishing starts)",
           2024: "FY2024 survey Q3 (is the body working on open data)",
           "city": "the city", "national": "nation", "missing": "no answer (did not submit the survey)",
           "no_answer": "no answer to this question"},
}
"""How the surveys, the scopes and a missing answer are named to a reader."""
ANSWERS_EN = {"オープンデータをすでに公開している": "already publishing open data", "未計画": "not planned",
              "2020年度中": "during FY2020", "2021年上期": "first half of 2021", "2021年下期": "second half of 2021",
              "取組んでいる": "working on it", "取組んでいない": "not working on it"}
"""English for the answers of the two questions of :data:`OPENDATA_STATUS`."""
OPENDATA_STATUS_COLUMNS = ["municipality", "scope", "members", "r2_answer", "r2_answered", "r2_published",
                           "r2_share", "r2_not_submitted", "r6_answer", "r6_answered", "r6_working", "r6_share",
                           "r6_not_submitted"]
"""The columns of :func:`opendata_status_table`: per survey its own counts, side by side, never subtracted."""


def _answer_word(row: pd.Series, lang: str) -> str:
    w = SURVEY_WORDS[lang]
    if pd.isna(row["answer"]):
        return w["no_answer"] if row["missing_reason"] == "no_answer" else w["missing"]
    return row["answer"] if _ja(lang) else ANSWERS_EN.get(row["answer"], row["answer"])


def _survey_counts(key: pd.DataFrame, members: set[str], year: int) -> tuple[int, int, float, int]:
    """Answered, counted (the :data:`OPENDATA_STATUS` answer), its share of those answered (%), not submitted."""
    rows = key[(key["survey_year"] == year) & key["lg_code"].isin(members)]
    answered = int(rows["answer"].notna().sum())
    yes = int((rows["answer"] == OPENDATA_STATUS[year][1]).sum())
    not_submitted = int(rows["missing_reason"].isin(["not_submitted", "not_confirmed"]).sum())
    return answered, yes, (yes / answered * 100 if answered else float("nan")), not_submitted


def opendata_status_table(surveys: pd.DataFrame, municipalities: pd.DataFrame, cities: pd.DataFrame, *,
                          lang: str = "ja") -> pd.DataFrame:
    """Per city (:func:`city_rows`) and scope — the city, its 類似団体, its prefecture, the nation — the answers
    to the two questions of :data:`OPENDATA_STATUS` (:func:`dxanalysis.load_opendata_surveys`): how many
    answered, how many gave the counted answer and its share of those who answered (non-submitters are out of
    the denominator and counted apart); on the city's own row its answer in words."""
    ja, w = _ja(lang), SURVEY_WORDS[lang]
    key = pd.concat([surveys[(surveys["survey_year"] == y) & (surveys["question_id"] == q)]
                     for y, (q, _) in OPENDATA_STATUS.items()])
    everyone = set(municipalities["lg_code"])
    rows = []
    for code, name in city_names(cities, lang).items():
        peers = peer_group(municipalities, lg_code=code, rule="similar_group")
        home = peers[peers["is_self"]].iloc[0]
        cls = similar_group_label(home["similar_group"], lang)
        pref = municipalities.loc[municipalities["prefecture"] == home["prefecture"], "lg_code"]
        scopes = {w["city"]: {code}, (f"類似団体（{cls}）" if ja else f"similar municipalities ({cls})"): set(peers["lg_code"]),
                  (home["prefecture"] if ja else home["prefecture_en"]): set(pref), w["national"]: everyone}
        own = key[key["lg_code"] == code].set_index("survey_year")
        for scope, members in scopes.items():
            r2, r6 = (_survey_counts(key, members, y) for y in OPENDATA_STATUS)
            mine = scope == w["city"]
            rows.append([name, scope, len(members), _answer_word(own.loc[2020], lang) if mine else "", *r2[:3], r2[3],
                         _answer_word(own.loc[2024], lang) if mine else "", *r6[:3], r6[3]])
    return pd.DataFrame(rows, columns=OPENDATA_STATUS_COLUMNS)


def _shares(peers: pd.Series, nation: pd.Series, counted: str, survey: str, ja: bool) -> str:
    """``類似団体（…） 23 / 23 団体（100.0%）、全国 924 / 1,668 団体（55.4%）`` — counts of those who answered."""
    parts = [f"{r['scope']} {r[counted]:,} / {r[survey + '_answered']:,}" + (" 団体" if ja else "") +
             f"（{r[survey + '_share']:.1f}%）" if ja else
             f"{r['scope']} {r[counted]:,} of {r[survey + '_answered']:,} ({r[survey + '_share']:.1f}%)"
             for r in (peers, nation)]
    return ("、" if ja else "; ").join(parts)


def opendata_texts(table: pd.DataFrame, lang: str = "ja") -> list[str]:
    """One sentence per city of :func:`opendata_status_table` (its answers at both surveys and the shares of its
    類似団体 and the nation), and one on what the two surveys are."""
    ja, w = _ja(lang), SURVEY_WORDS[lang]
    lines = []
    for name, rows in table.groupby("municipality", sort=False):
        own, peers, nation = rows.iloc[0], rows.iloc[1], rows.iloc[-1]
        r2, r6 = _shares(peers, nation, "r2_published", "r2", ja), _shares(peers, nation, "r6_working", "r6", ja)
        if ja:
            lines.append(f"**{name}**: {w[2020]}は「{own['r2_answer']}」（回答した団体のうち「すでに公開」: {r2}）。"
                         f"{w[2024]}は「{own['r6_answer']}」（回答した団体のうち「取り組んでいる」: {r6}）。")
        else:
            lines.append(f"**{name}**: {w[2020]}: {own['r2_answer']} (already publishing, of those answering: {r2}). "
                         f"{w[2024]}: {own['r6_answer']} (working on it, of those answering: {r6}).")
    nation = table.iloc[-1]
    lines.append(f"二つの調査は問いが異なるため、一つの系列にはしません。調査に回答しなかった団体（全国で令和2年度 "
                 f"{nation['r2_not_submitted']}、令和6年度 {nation['r6_not_submitted']}）は欠測とし、「取り組んでいない」には数えません。"
                 if ja else
                 f"The two surveys ask different questions, so they are not joined into one series. Municipalities that "
                 f"did not answer (nationally {nation['r2_not_submitted']} in FY2020, {nation['r6_not_submitted']} in "
                 f"FY2024) are missing, not counted as 'no'.")
    return lines

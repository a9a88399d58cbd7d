"""New record files with every field and a comment on what belongs in it (`hosakan new`)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from knowledge.schema import FOLDERS, RECORD_ID

_COMMON_HEAD = """---
id: {id}
kind: {kind}
title: ""                 # how the record is cited, e.g. 大洲市 CDO補佐官の募集
summary: ""               # optional: one sentence, shown when a question just names the record
"""
_COMMON_TAIL = """as_of:                    # when the facts were true: 2021, 2021-01 or 2021-10-15 (shown as 「2021年1月時点」)
as_of_note:               # why the date is what it is, or 「出典記事に掲載日の記載なし」
reviewed: {today}          # the date you checked this record against its source
source:
  title: ""               # the source article or report, as it is titled
  publisher:              # publisher (or leave empty)
  author:                 # author (or leave empty)
  url:                    # https://… when the source gives one
  seed:                   # the seed file it was curated from, if any
tags: []                  # extra words to find the record by
---
"""
TEMPLATES = {
    "case": _COMMON_HEAD + """municipality: ""          # 「大洲市」; a prefecture's own case repeats its name
prefecture: ""            # 「愛媛県」
reading: ""               # the municipality's reading in kana only: おおずし
romaji:                   # optional: Ozu City
roles: []                 # one or more roles from glossary.yaml: [CIO補佐官]
appointment_forms: []     # forms from glossary.yaml, only when the source says: [任期付職員]
position:                 # 役職・級 as written
department:               # 所属 as written
term:                     # 任期 as written
compensation: []          # - as_written: 月額 273,800円   (as the source writes it)
                          #   role: CDO補佐官            (optional)
                          #   amount_yen: 273800          (a number, or 60万円 / 8,366千円)
                          #   period: month               (year | month | contract | total)
work_style:               # as_written: 週2日程度のテレワーク   onsite_days_per_week: 1   remote: true
duties: []                # the duties, as written, one per item
selection:                # 選考 as written
recruitment_period:       # 募集期間 as written
""" + _COMMON_TAIL + """## 概要
（出典の事実と短い引用を「## 見出し」ごとに書きます。記事の全文は書きません。）
""",
    "roundtable": _COMMON_HEAD + """date: {today}             # the day of the round-table
forum: ""                 # 東京都・区市町村CIOフォーラム
municipalities: []        # the places taking part: [清瀬市, 東京都]
participants:             # one entry per person; key is the name used as a speaker heading
  - key: ""               # 宮坂
    name: ""              # 宮坂 学
    role: ""              # 東京都CIO
    organisation:         # 東京都
    reading:              # optional: みやさか まなぶ
    romaji:               # optional: Miyasaka Manabu
""" + _COMMON_TAIL + """## 話題
### 話者のkey
（発言の要旨。話題は「## 話題」、発言は「### key」で始めます。）
""",
    "reference": _COMMON_HEAD + """publisher:                # 総務省
""" + _COMMON_TAIL + """## 見出し
（資料の記述や数値を、資料のとおりに書きます。表はMarkdownの表で：1行が1つの節になります。）

| 項目 | 値 |
|---|---|
| 例 | 83.9% |
""",
}


def scaffold(knowledge_dir: Path, kind: str, record_id: str, today: date | None = None) -> Path:
    """Write a new record file; refuses an unknown kind, a bad id or an existing file."""
    if kind not in TEMPLATES:
        raise ValueError(f"種類は {'・'.join(TEMPLATES)} のどれかを指定してください")
    if not re.match(RECORD_ID, record_id):
        raise ValueError("id は半角の小文字英字・数字・ハイフンだけで書いてください（例：ozu-city-cdo-hosakan）")
    path = Path(knowledge_dir) / FOLDERS[kind] / f"{record_id}.md"
    if path.exists():
        raise FileExistsError(f"{path} は既にあります。別の id にしてください")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TEMPLATES[kind].format(id=record_id, kind=kind, today=(today or date.today()).isoformat()),
                    encoding="utf-8")
    return path

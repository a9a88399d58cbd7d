"""New record files with every field and a comment on what belongs in it (`hosakan new`)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from hosakan.knowledge.schema import FOLDERS, RECORD_ID

_COMMON_HEAD = """---
id: {id}
kind: {kind}
title: ""                 # 引用するときの名前（例：大洲市 CDO補佐官の募集）
summary: ""               # 任意：1文の要約。記録の名前だけを聞かれたときの答えになります
"""
_COMMON_TAIL = """as_of:                    # その事実がいつの時点か：2021、2021-01、2021-10-15（2021年1月、令和3年1月 も可。「2021年1月時点」と表示）
as_of_note:               # 時点の根拠、または時点がない理由（例：出典記事に掲載日の記載なし）
reviewed: {today}          # 出典と照らし合わせて確かめた日
source:
  title: ""               # 出典の記事・資料の題名（そのまま）
  publisher:              # 発行元（なければ空のまま）
  author:                 # 著者（なければ空のまま）
  url:                    # 出典に URL があれば https://…
  seed:                   # 元にした seed ファイル名（あれば）
tags: []                  # 検索で見つけてほしい追加の語
---
"""  # noqa: E501 - the file `hosakan new` writes, line for line
TEMPLATES = {
    "case": _COMMON_HEAD + """municipality: ""          # 「大洲市」。都道府県自身の事例は都道府県名をもう一度
prefecture: ""            # 「愛媛県」
reading: ""               # 自治体名の読み。かなだけで：おおずし
romaji:                   # 任意：英語での書き方（Ozu City）
roles: []                 # glossary.yaml の役職から1つ以上：[CIO補佐官]
appointment_forms: []     # glossary.yaml の任用形態から。出典に書かれているときだけ：[任期付職員]
position:                 # 役職・級（出典のとおり）
department:               # 所属（出典のとおり）
term:                     # 任期（出典のとおり）
compensation: []          # - as_written: 月額 273,800円   （出典の書き方のまま）
                          #   role: CDO補佐官            （任意）
                          #   amount_yen: 273800          （数、または 60万円 ／ 8,366千円）
                          #   period: month               （year 年額 | month 月額 | contract 契約額 | total 総額）
work_style:               # as_written: 週2日程度のテレワーク   onsite_days_per_week: 1   remote: true
duties: []                # 職務。出典のとおり、1項目に1つ
selection:                # 選考（出典のとおり）
recruitment_period:       # 募集期間（出典のとおり）
""" + _COMMON_TAIL + """## 概要
（出典の事実と短い引用を「## 見出し」ごとに書きます。記事の全文は書きません。）
""",
    "roundtable": _COMMON_HEAD + """date: {today}             # 座談会の日
forum: ""                 # 東京都・区市町村CIOフォーラム
municipalities: []        # 参加した自治体：[清瀬市, 東京都]
participants:             # 1人に1項目。key は発言の見出し（### key）に使う名前
  - key: ""               # 宮坂
    name: ""              # 宮坂 学
    role: ""              # 東京都CIO
    organisation:         # 東京都
    reading:              # 任意：みやさか まなぶ
    romaji:               # 任意：Miyasaka Manabu
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

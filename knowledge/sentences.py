"""What the knowledge layer says to maintainers: the problems with a record file, its front matter,
a source document's sidecar, a file that is not read, a date that never was, a pay or a term not
read for sure, a TODO left in a draft, the file `hosakan new` writes and the comments `hosakan
draft` writes; and the one label of a record officials read from here, its date (``as_of``).

Strings and the small functions that fill them, nothing else: no parsing. The layers above read
them here too (knowledge/ imports nothing of bot/, where the other sentences are)."""

from __future__ import annotations

from datetime import date

# -- a file in the knowledge folder that is not read (knowledge/files.py) --------------------
LINK = "リンク（シンボリックリンク）は読みません。リンク先のファイルをコピーして置いてください"
HARD_LINK = "ほかの場所と同じ中身を共有するファイル（ハードリンク）は読みません。コピーして置いてください"
NOT_A_FILE = "通常のファイルではありません（名前付きパイプ・デバイスなど）。ファイルを置いてください"
NO_PERMISSION = "読む権限がありません。Hosakan を動かすユーザーが読めるようにしてください（例：chmod 644）"
NO_PERMISSION_FOLDER = ("フォルダーの中を見る権限がありません。Hosakan を動かすユーザーが開けるようにしてください"
                        "（例：chmod 755）")
FILE_FIELD = "(ファイル)"  # the field named for a file left out of a listing
NAME_NOT_UTF8 = ("ファイル名の文字コードが UTF-8 ではありません（Windows で作った zip をそのまま展開すると起きます）。"
                 "名前を付け直してください")
NAME_CONTROL_CHARACTER = "ファイル名に制御文字（改行・エスケープなど）が入っています。名前を付け直してください"
FILE_VANISHED = "ファイルが見つかりません（読む間に消されたか、名前が変わりました）"


def unreadable(why: str) -> str:
    return f"読めません（{why}）"


# -- a file that is read, but not as text or not as a list of items --------------------------
NOT_UTF8 = "UTF-8 の文字として読めません。文字コードを UTF-8 にして保存してください"
NOT_ITEMS = "「項目名: 値」の行を並べて書いてください"


def too_large(size: int, limit: int) -> str:
    return f"{size:,} バイトあり、上限の {limit:,} バイトを超えています"


def record_too_large(size: int, limit: int) -> str:
    return (f"{size:,} バイトあり、上限の {limit:,} バイト"
            "（HOSAKAN_MAX_RECORD_BYTES）を超えています。記事全体ではなく事実だけを書いてください")


# -- a record file (knowledge/loader.py) ------------------------------------------------------
NO_FRONT_MATTER = "先頭に、2つの「---」の行で挟んだ項目（front matter）が必要です"
EMPTY_BODY = "本文が空です。項目（front matter）の下に事実を書いてください"
FILLED_BY_HOSAKAN = "Hosakan が自動で入れる項目です。front matter から消してください"
NO_RECORDS = "記録がありません（cases/・roundtables/・references/ に .md ファイルを置きます）"
# what a case's fields that take the glossary's names hold, as a maintainer calls them
GLOSSARY_FIELDS = {"roles": "役職", "appointment_forms": "任用形態"}


def glossary_variant(what: str, value: str, named: list[str]) -> str:
    """A role or form written as one of the glossary's variants: the names to write instead."""
    return (f"知られていない{what}「{value}」です。"
            f"glossary.yaml では「{'」「'.join(named)}」の言い換え"
            "（質問に使う語）なので、"
            f"記録には「{'」か「'.join(named)}」と書いてください")


def not_in_glossary(what: str, value: str, known: list[str]) -> str:
    return (f"知られていない{what}「{value}」です。"
            f"次のどれかを書いてください（新しい{what}なら glossary.yaml に加えます）："
            f"{'、'.join(known)}")


def speaker_not_participant(speaker: str, keys: list[str]) -> str:
    return (f"発言者の見出し「### {speaker}」が participants にいません"
            f"（participants の key：{'、'.join(keys)}）")


def wrong_folder(kind: str, folder: str) -> str:
    return f"kind が {kind} の記録は {folder}/ フォルダーに置いてください"


def duplicate_id(record_id: str, elsewhere: object) -> str:
    return f"id「{record_id}」が重複しています（{elsewhere} でも使われています）"


# -- a value the schema refuses, by pydantic's error type (knowledge/problems.py) -------------
WRITE_DATE = "日付を YYYY-MM-DD の形で書いてください"
WRITE_INTEGER = "整数で書いてください"
WRITE_NUMBER = "数で書いてください"
WRITE_BOOLEAN = "true か false で書いてください"
WRITE_TEXT = "文字で書いてください"
WRITE_INDENTED_ITEMS = "下の行に「項目名: 値」を字下げして書いてください"
WRITE_SLUG = "半角の小文字英字・数字・ハイフンだけで書いてください"
PLAIN_ERRORS = {  # pydantic's error types, said for a maintainer (Japanese first, the field name as written)
    "missing": "必須の項目がありません",
    "extra_forbidden": "知られていない項目です（項目名の綴りを確かめてください）",
    "string_too_short": "空にはできません",
    "too_short": "少なくとも1つ書いてください",
    "string_pattern_mismatch": WRITE_SLUG,
    "literal_error": "決められた値のどれかを書いてください",
    "date_from_datetime_parsing": WRITE_DATE,
    "date_parsing": WRITE_DATE,
    "date_type": WRITE_DATE,
    "int_parsing": WRITE_INTEGER,
    "float_parsing": WRITE_NUMBER,
    "bool_parsing": WRITE_BOOLEAN,
    "list_type": "一覧（1行に1つ「- 項目」）で書いてください",
    "string_type": WRITE_TEXT,
    "union_tag_invalid": "case・roundtable・reference のどれかを書いてください",
    "union_tag_not_found": "必須の項目がありません（case・roundtable・reference のどれか）",
    "model_type": WRITE_INDENTED_ITEMS,
    "model_attributes_type": WRITE_INDENTED_ITEMS,
    "dict_type": WRITE_INDENTED_ITEMS,
    "greater_than_equal": "小さすぎます",
    "less_than_equal": "大きすぎます",
    "int_from_float": WRITE_INTEGER,
    "int_type": WRITE_INTEGER,
    "float_type": WRITE_NUMBER,
    "bool_type": WRITE_BOOLEAN,
    "date_from_datetime_inexact": "時刻は書かず、日付だけを YYYY-MM-DD の形で書いてください",
}
PLAIN_FALLBACK = "この値は使えません。docs/maintainers.md の「項目の説明」で書き方を確かめてください"


def one_of(plain: str, expected: str) -> str:
    return f"{plain}：{expected}"


def within(plain: str, bound: object, at_least: bool) -> str:
    return f"{plain}（{bound} {'以上' if at_least else '以下'}で書いてください）"


# -- YAML that does not read (knowledge/front_matter.py) --------------------------------------
# What a YAML mistake in the front matter is, said for a maintainer. Each is shown after
# ``yaml_unreadable``; {key} is the field name on that line (``UNNAMED_KEY`` where it has none).
YAML_MISTAKES = {
    "full_width_colon": "「{key}」の後ろが全角のコロン（：）です。半角のコロンと半角スペースにしてください（{key}: …）",
    "empty_list": "「[]」は空の一覧という意味なので、次の行からの「- 」の項目と一緒には書けません。"
                  "「[]」を消して「{key}:」だけにし、項目はその下に「  - 」で書いてください",
    "empty_mapping": "「{{}}」は空という意味なので、次の行からの字下げした項目と一緒には書けません。"
                     "「{{}}」を消して「{key}:」だけにしてください",
    "value_and_list": "「{key}:」の後ろに値があるのに、次の行から「- 」の一覧が続いています。"
                      "一覧にするなら値を消して「{key}:」だけにしてください（メモなら「#」で始めます）",
    "dash_misaligned": "一覧の「- 」の位置がそろっていません。"
                       "上の「- 」と同じく半角スペース{expected}個で字下げしてください",
    "tab": "行頭の字下げにタブ文字が使われています。"
           "タブは使えないので、半角スペースで字下げしてください（同じ階層は同じ数）",
    "unclosed_quote": "引用符（{quote}）が閉じていません。"
                      "値の終わりにも {quote} を書いてください（例：{key}: {quote}…{quote}）",
    "text_after_quote": "引用符で囲んだ値（{quote}…{quote}）の後ろに文字が続いています。値全体を引用符で囲んでください",
    "colon_in_value": "値の中に「: 」があります。値全体を \"…\" で囲んでください（例：{key}: \"{value}\"）",
    "too_deep": "字下げが深すぎます。前の行「{previous}」には値が書いてあるので、その下に字下げした行は置けません。"
                "同じ階層の項目なら、前の行と同じく半角スペース{expected}個にそろえてください",
    "indentation": "字下げ（半角スペース{found}個）が、上の行「{previous}」（{expected}個）とそろっていません。"
                   "同じ階層の項目は同じ数の半角スペースで始めてください",
    "missing_colon": "「項目名: 値」のコロン（:）がありません。項目名の後ろに半角のコロンと半角スペースを書いてください"
                     "（本文なら、front matter の終わりの「---」の行より下に書きます）",
    "unclosed_bracket": "「{open}」が「{close}」で閉じていません。"
                        "同じ行のうちに「{close}」で閉じてください（一覧なら [A, B]）",
    "special_start": "値の先頭の「{char}」は YAML の記号として読まれます。値全体を \"…\" で囲んでください",
    "control_character": "目に見えない制御文字（{code}）が入っています。"
                         "その文字を消してください（別のソフトから貼り付けたときに入ります）",
    "alias": "「*{name}」は YAML の別名（「&{name}」を付けた値の繰り返し）です。Hosakan では別名を使えないので、"
             "値をそのまま書いてください",
    "nesting": "入れ子が深すぎます（{limit}段まで）。字下げや括弧（[ ]・{{ }}）の入れ子を浅くしてください",
    "unreadable": "この行のあたりが読めません。"
                  "コロンの後ろの半角スペース、字下げ、引用符や括弧の閉じ忘れを確かめてください",
    "unreadable_after": "この行か、その前の行「{previous}」のあたりが読めません。"
                        "コロンの後ろの半角スペース、字下げ、引用符や括弧の閉じ忘れを確かめてください",
}
UNNAMED_KEY = "項目名"  # {key} in a mistake on a line that names no field
TAB_SHOWN = "<タブ>"  # a tab in a quoted line, made visible


def yaml_unreadable(number: int, line: str) -> str:
    """The head of every YAML mistake: the line, as written, and its number in the file."""
    return f"YAML として読めません（{number}行目「{line}」）："


# -- dates (knowledge/dates.py) ---------------------------------------------------------------
# examples of every accepted form, for messages that say what can be written
DATE_FORMS = "2026、2026-01、2026-01-15、2026年1月、2026年1月15日、2026/1、2026/1/15、令和8年1月、令和元年5月1日、R8.1"
# why a date written in a date's shape never was: the words inside the parentheses of ``no_such_date``
WESTERN_YEAR_ONE = "西暦は1年から"
MONTHS_OF_A_YEAR = "月は1月から12月まで"


def era_first_year(era: str, year: int) -> str:
    return f"{era}は元年（{year}年）から"


def days_of_month(year: int, month: int, days: int) -> str:
    return f"{year}年{month}月は{days}日まで"


def era_first_day(era: str, day: date) -> str:
    return f"{era}は{day.year}年{day.month}月{day.day}日から"


def no_such_date(written: str, reason: str) -> str:
    return f"{written} は存在しない日付です（{reason}）"


# -- a record's values (knowledge/schema.py) --------------------------------------------------
HTTP_URL_SAID = "http:// か https:// で始まり、空白と <>| を含まないアドレスを書いてください"
DAY_EMPTY = "日付が空です。YYYY-MM-DD（例：2026-01-15）の形で書いてください"
READING_NOT_KANA = "読みはかなだけで書いてください（例：おおずし）"


def day_without_day(value: object) -> str:
    return f"「{value}」には日がありません。日まで書いてください（例：2026-01-15、2026年1月15日、令和8年1月15日）"


def correct_date(why_not: str) -> str:
    """A date that never was (``no_such_date``), with what to do."""
    return f"{why_not}。正しい日付を書いてください"


def day_unreadable(value: object) -> str:
    return (f"「{value}」を日付として読めません。次のどれかの形で、日まで書いてください："
            "2026-01-15、2026年1月15日、2026/1/15、令和8年1月15日、R8.1.15")


def yen_unreadable(value: object) -> str:
    return f"「{value}」を円の金額として読めません（例：600000 や 60万円）"


def as_of_dotted(value: float) -> str:
    return (f"点で区切った時点（{value}）は数として読まれ、月が分かりません"
            "（2026.10 も 2026.1 になります）。2026-10 か 2026年10月 の形で書いてください")


def as_of_unreadable(value: object) -> str:
    return (f"時点「{value}」を日付として読めません。次のどれかの形で書いてください：{DATE_FORMS}"
            "（和暦は明治・大正・昭和・平成・令和）")


def reviewed_in_future(day: date, today: date) -> str:
    return (f"reviewed が未来の日付です（{day.isoformat()}、今日は {today.isoformat()}）。"
            "出典と照らし合わせて確かめた日を書いてください")


# the date a record's facts were true, as officials read it (Record.as_of_label)
AS_OF_NOT_STATED = "時点の記載なし"


def as_of(written: str, note: str | None) -> str:
    """``written``: the date as officials read it (2021年1月); ``note``: the record's as_of_note."""
    return f"{written}時点" + (f"（{note}）" if note else "")


# -- a source document's sidecar (knowledge/sidecar.py) ---------------------------------------
SIDECAR_FIELD = "(説明ファイル)"  # the field named for a problem with the sidecar as a whole
ONE_TEXT = "1つの文字で書いてください（「- 」の一覧や字下げした項目は使えません）"
SIDECAR_NOT_ITEMS = "「項目: 値」の行を並べて書いてください（例：title: 令和8年度 CIO補佐官の募集）"
SIDECAR_URL_EXAMPLE = "（例：url: https://www.city.example.lg.jp/dx/cio.html）"


def read_as_boolean(word: str) -> str:
    return f"{word} として読まれました。文字として書くなら \"…\" で囲んでください"


def read_as_number(value: float) -> str:
    return f"数（{value}）として読まれ、書いたとおりに残りません。\"…\" で囲んでください"


def one_url(count: int) -> str:
    return (f"URL は1つだけ書いてください（{count}個あります）。文書を公開しているページの"
            "アドレスを1つ「url: https://…」と書き、ほかは「#」で始まるメモにしてください")


def published_dotted(value: float) -> str:
    return (f"点で区切った日付（{value}）は数として読まれ、月が分かりません。"
            "2026-10-01 か 2026年10月1日 の形で書いてください")


def published_never_was(why_not: str) -> str:
    return f"{why_not}。文書に書かれた公表日を確かめてください"


def date_unreadable(value: object) -> str:
    return f"「{value}」を日付として読めません。次のどれかの形で書いてください：{DATE_FORMS}"


def sidecar_unknown_field(fields: tuple[str, ...]) -> str:
    return (f"知られていない項目です。説明ファイルに書けるのは {'・'.join(fields)} です"
            "（項目名の綴りを確かめてください。メモは「#」で始めます）")


def sidecar_too_large(size: int, limit: int, fields: tuple[str, ...]) -> str:
    return (f"{size:,} バイトあり、説明ファイルの上限 {limit:,} バイトを超えています。"
            f"{'・'.join(fields)} だけを書いてください")


# -- a pay or a term not read for sure (knowledge/amounts.py): said in a draft's TODO and in a
# ranking's note --------------------------------------------------------------------------------
PAY_RANGE = "金額に幅があるため、1つの額に決まりません"
PAY_NO_AMOUNT = "金額を1つの額として読み取れません"
PAY_NO_PERIOD = "年額か月額かが書かれていないため、年額に直せません"
PAY_BY_DAY = "日額・時給で書かれていて、年額に直せません"
PAY_MISMATCH = "記載の金額と、記録の金額（amount_yen）が合いません"
TERM_NO_START = "始まりの日が書かれていないため、月数が決まりません"
TERM_REVERSED = "終わりの日が始まりの日より前に書かれています"
TERM_YEARS_ONLY = "年だけで月が書かれていないため、月数が決まりません"
TERM_CEILING = "上限（最長・以内）だけが書かれていて、実際の期間が決まりません"
TERM_DISAGREE = "日付の期間と、書かれた年数・月数が合いません"
TERM_UNREADABLE = "月数に直せる期間が書かれていません"
TERM_TOO_LONG = "日付の期間が5年を超えていて、任期として確かではありません"
TERM_END_YEAR = "終わりの日の年（元号）が決まらないため、月数が決まりません"


# -- a draft's TODOs, which `hosakan validate` refuses (knowledge/todos.py) -------------------
BODY_TODO = "<!-- TODO: hosakan draft の下書きです。出典と照らし合わせて直し、この行を消してください -->"


def todo_left(what: str) -> str:
    return f"下書きの TODO が残っています（{what}）。埋めてから、その TODO の行を消してください"


# -- `hosakan new`: the file it writes, by kind, and why it writes none (knowledge/scaffold.py) --
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
RECORD_TEMPLATES = {
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
NEW_RECORD_ID = f"id は{WRITE_SLUG}（例：ozu-city-cdo-hosakan）"


def new_record_kinds(kinds: object) -> str:
    return f"種類は {'・'.join(kinds)} のどれかを指定してください"


def new_record_exists(path: object) -> str:
    return f"{path} は既にあります。別の id にしてください"


# -- `hosakan draft`: the comments it writes above the values it drafts (knowledge/draft*.py) --
def evidence(sentence: str) -> str:
    """The comment above a drafted value: the notice's sentence it came from."""
    return f"# 根拠: {sentence}"


def reading_from_places(name: str, prefecture: str) -> str:
    return f"{name}（{prefecture}）の読み：knowledge/places.tsv から"


ROMAJI_GUESSED = "読みからの案です。自治体の英語表記を確かめてください"
AS_OF_FROM_METADATA = "文書の公表日（メタデータ）から"
TITLE_FROM_DOCUMENT = "文書の題名から"
URL_FROM_DOCUMENT = "文書の URL から"
TERM_MONTHS_UNREAD = "任期の月数は読み取れません"
TERM_RENEWAL = {True: "、更新・再任の記載あり", False: "、更新なし", None: ""}  # after the term's months
PAY_PERIOD_NOTES = {"day": "日額", "hour": "時給"}  # a pay the schema's periods cannot hold
PAY_TAX_NOTES = {"included": "消費税込み", "excluded": "消費税抜き"}
PAY_RANGE_NO_AMOUNT = "金額に幅があるため amount_yen は空"


def term_months(months: int) -> str:
    return f"任期 {months}か月"


def id_guessed(place: str, role: str, record_id: str) -> str:
    return f"{place}・{role}からの案です。ほかの記録と重ならないか確かめ、ファイル名も {record_id}.md にします"


def prefecture_guessed(place: str, prefecture: str) -> str:
    return f"「{place}」は複数の都道府県にあります。{prefecture}でよいか確かめてください"


def role_not_in_glossary(written: str) -> str:
    return (f"出典の職名「{written}」は用語集（glossary.yaml）にありません。役職がこれでよいか"
            "確かめてください（新しい役職なら glossary.yaml に加えます）")


def term_not_months(doubt: str) -> str:
    return (f"任期を月数として読めません（{doubt}）。"
            "任期の順位には入らず、記載のまま示されます。"
            "出典のとおりでよければ、この TODO の行だけを消します")


def pay_not_yearly(doubts: list[str]) -> str:
    return (f"報酬を年額に直せません（{'／'.join(doubts)}）。"
            "報酬の順位には入らず、記載のまま示されます。"
            "金額（amount_yen）と period を確かめ、よければこの TODO の行だけを消します")


_OPTIONAL = "（出典になければ、この TODO の行だけを消します）"
# the TODO above each field a draft could not fill, by field ("source.title" for source's)
DRAFT_MISSING = {
    "id": "id を決めてください（半角の小文字英字・数字・ハイフン：ozu-city-cdo-hosakan）。ファイル名も id.md にします",
    "title": "引用するときの名前を書いてください（例：大洲市（愛媛県）CDO補佐官の募集）",
    "summary": "1文の要約を書いてください（要らなければ空のまま、この TODO の行だけを消します）",
    "municipality": "自治体名が見つかりませんでした。出典の自治体を書いてください",
    "prefecture": "都道府県を書いてください",
    "reading": "自治体名の読みを、かなだけで書いてください",
    "romaji": "任意：英語での書き方を書いてください" + _OPTIONAL,
    "roles": "役職が見つかりませんでした。glossary.yaml の役職から1つ以上選んでください",
    "appointment_forms": "任用形態が見つかりませんでした。"
                         "書かれていれば glossary.yaml の任用形態から選んでください" + _OPTIONAL,
    "position": "役職・級が見つかりませんでした" + _OPTIONAL,
    "department": "所属（配属先）が見つかりませんでした" + _OPTIONAL,
    "term": "任期・契約期間が見つかりませんでした" + _OPTIONAL,
    "compensation": "報酬・予定価格が見つかりませんでした" + _OPTIONAL,
    "work_style": "勤務形態（登庁の日数・テレワーク）が見つかりませんでした" + _OPTIONAL,
    "duties": "職務・業務内容が見つかりませんでした" + _OPTIONAL,
    "selection": "選考・審査の方法が見つかりませんでした" + _OPTIONAL,
    "recruitment_period": "募集期間・応募締切が見つかりませんでした" + _OPTIONAL,
    "as_of": "文書の日付が見つかりませんでした。時点を書くか、as_of_note に時点がない理由を書いてください",
    "reviewed": "出典と照らし合わせて確かめた日を YYYY-MM-DD で書いてください",
    "source.title": "出典の題名を書いてください",
    "source.publisher": "発行元を書いてください" + _OPTIONAL,
    "source.url": "出典の URL があれば https://… を書いてください" + _OPTIONAL,
    "onsite_days_per_week": "週あたりの登庁日数が読み取れませんでした。"
                            "分かれば数で書いてください（月1回程度なら 0.25）" + _OPTIONAL,
}
QUALIFICATION_MISSING = ("応募資格が見つかりませんでした。出典に応募資格・参加資格があれば「- 応募資格：…」として"
                         "「## 募集内容」に書き、なければこの行だけを消してください")
# what the drafted body says where the notice gave nothing to draft it from
OVERVIEW_TO_WRITE = "（出典の趣旨・目的を書きます）"
FACTS_TO_WRITE = "（出典の募集内容を書きます）"

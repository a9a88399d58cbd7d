"""Every sentence Hosakan says, in one place: answers, refusals, help, buttons, notices.

Functions take the facts and return plain text; adapters escape it for their markup. Nothing
here knows a platform.
"""

from __future__ import annotations

EXAMPLES = (
    "大阪府のCIO補佐官の任期は？",
    "業務委託でCIO補佐官を置いた例は？",
    "座談会で東京都CIOは研修について何と言っていた？",
    "市町村アンケートで人材をみつけられない割合は？",
)
FOLLOW_UP_EXAMPLES = ("勤務日数は？", "奈良市は？", "報酬が一番高い募集は？", "大阪府と奈良市の任期を比べて")

# -- labels (buttons, headings) ------------------------------------------------------------
ANSWER = "回答"
EVIDENCE = "根拠："
SHOW_EVIDENCE = "根拠を表示"
SUGGESTIONS = "参考になりそうな候補："
HELPFUL = "👍"
UNHELPFUL = "👎"
HELPFUL_LABEL = "役に立った"
UNHELPFUL_LABEL = "役に立たなかった"
MORE = "他の候補"
SHARE = "チャンネルに共有"
ESCALATE = "担当者に聞く"
OPEN_SOURCE = "出典を開く"
HELP_TITLE = "Hosakanの使い方"
WELCOME = "はじめまして。Hosakan（補佐官）です。"
ESCALATED_TITLE = "担当者への質問"
ORIGINAL_ANSWER = "元の回答"


# -- reading the question ------------------------------------------------------------------
EMPTY = "ご質問が空でした。知りたいことを日本語で入力してください（例：「大阪府のCIO補佐官の任期は？」）。"
UNREADABLE_LINE = "この行は UTF-8 の文字として読めませんでした。文字コードを UTF-8 にしてください。"
MEANINGLESS = (
    "質問の意味が読み取れませんでした。"
    "知りたいことを言葉で入力してください（例：「大阪府のCIO補佐官の任期は？」）。"
)
UNREADABLE = "ご質問の内容を読み取れませんでした。文字で質問を入力してください（例：「奈良県のCIOの月収は？」）。"


def too_long(length: int, limit: int) -> str:
    return f"ご質問が長すぎます（{length:,}文字）。{limit}文字以内で、知りたいことを一つに絞ってお尋ねください。"


def understood(readings: list[str]) -> str:
    """readings: 「大洲市（入力：大須市）」"""
    return "、".join(readings) + "として回答します。"


def role_adapted(place: str, asked: list[str], have: list[str]) -> str:
    return (
        f"{place}の記録には{'・'.join(asked)}がないため、{place}の記録"
        f"（{'・'.join(have)}）についてお答えします。"
        if have
        else f"{place}の記録には{'・'.join(asked)}がありません。"
    )


def context(label: str) -> str:
    return f"（{label}について）"


# -- refusals ------------------------------------------------------------------------------
def out_of_scope(coverage: str) -> str:
    return ("申し訳ありません。ご質問に当てはまる情報はナレッジベースに見つかりませんでした。"
            f"Hosakanがお答えできるのは、自治体のCIO・CDO・CIO補佐官などの任用事例（{coverage}）、"
            "東京都・区市町村CIOフォーラムの座談会、総務省資料のデジタル人材に関する調査や任用形態です。")


def unknown_place(places: list[str], coverage: str, suggestions: bool) -> str:
    named = "、".join(f"「{p}」" for p in dict.fromkeys(places))
    text = (
        f"申し訳ありません。{named}の事例はナレッジベースに見つかりませんでした。"
        f"登録されている自治体は {coverage} です。"
    )
    return text + ("参考までに、ご質問に近い他の自治体の情報を示します。" if suggestions else "")


def missing_role(names: str, asked: str, have: str) -> str:
    return (f"申し訳ありません。{names}の記録には{asked}の記載がありません"
            f"（{names}の記録にある役職：{have}）。下に{names}の記録を示します。")


def no_case(names: str, asked: str, coverage: str) -> str:
    return (
        f"申し訳ありません。{names}の{asked}の記録はナレッジベースにありません"
        f"（{names}は座談会などで言及されるのみで、任用事例の記録はありません）。"
        f"事例の記録がある自治体は {coverage} です。"
    )


def unstated(names: str, missing: list[str], instead: list[str]) -> str:
    return (f"{names}の記録には" + "、".join(missing) + "の記載がありません"
            + (f"（{'／'.join(instead)}）" if instead else "") + "。下に記録の該当箇所を示します。")


def stated_instead(periods: list[str], amounts: list[str]) -> str:
    return "記載があるのは" + "・".join(periods) + "です：" + "。".join(amounts)


# -- direct answers, comparisons and rankings ----------------------------------------------
def case_line(municipality: str, body: str, as_of: str) -> str:
    return f"【{municipality}】{body}〔{as_of}〕"


def case_text(name: str, fact: str, quoted: bool, as_of: str | None, source: str | None) -> str:
    """One case of an answer as plain text, with what it cites: 【大阪府】任期：2年（出典：…、2022年時点）"""
    cited = "、".join(x for x in (source and f"出典：{source}", as_of) if x)
    return f"【{name}】" + (f"「{fact}」" if quoted else fact) + (f"（{cited}）" if cited else "")


def undated(notes: list[str]) -> str:
    """Said once under an answer whose sources give no date (instead of after every item)."""
    return f"※ 時点を示していない項目は、出典に時点の記載がありません（{'／'.join(notes)}）。"


NO_DATE_CELL = "—"


def row_numbers(numbers: list[int]) -> str:
    """1・3・4・5 → 「1、3〜5行目」"""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return "、".join(f"{r[0]}〜{r[-1]}" if len(r) > 2 else "、".join(map(str, r)) for r in runs) + "行目"


def rows_source(rows: str, label: str) -> str:
    return f"出典（{rows}）：{label}"


def source_summary(title: str, as_of: str) -> str:
    """A place only source documents cover, asked about in general: which documents there are."""
    return f"・原資料「{title}」〔{as_of}〕"


def unstated_in_sources(names: str, words: str) -> str:
    """A place's source documents do not state what was asked."""
    return f"{names}の原資料には{words}の記載がありません。下に原資料の該当しそうな箇所を示します。"


def quoted(where: str, sentence: str, as_of: str) -> str:
    """A sentence of a record, quoted as it stands: 【酒田市】「…月1回の室内会議に参加し…」〔…〕"""
    return f"【{where}】「{sentence}」〔{as_of}〕"


FILTER_REMOTE = "テレワーク（リモートワーク）ができる"
FILTER_MONTHLY = "報酬が月額で示されている"
FILTER_YEARLY = "報酬が年額で示されている"
FILTER_RENEWABLE = "任期の更新・再契約・再委嘱がありうる"
FILTER_PREFECTURES = "都道府県の"
FILTER_MUNICIPALITIES = "市町村の"


def filter_onsite(days: str) -> str:
    return f"登庁（出勤）が週{days}日以下の"


def filter_onsite_monthly(times: str) -> str:
    return f"登庁（出勤）が月{times}回程度以下の"


def filtered_cases(label: str, count: int) -> str:
    return f"{label}事例は{count}件です。"


def no_case_matches(label: str) -> str:
    return f"{label}事例は、ナレッジベースの記録には見つかりませんでした。"


def listed_cases(label: str, count: int) -> str:
    return f"{label}の事例は{count}件あります。"


def listed_case(municipality: str, body: str, as_of: str) -> str:
    return f"・{municipality}：{body}〔{as_of}〕"


def compared(names: list[str], what: str) -> str:
    return f"{'・'.join(names)}の{what}を比べました（表のとおり。時点は各行に、出典は表の下に示します）。"


def ranked_first(what: str, direction: str, who: str, figure: str) -> str:
    return f"{what}が最も{direction}のは{who}で、{figure}です。"


def ranked_at_least(what: str, bound: str, count: int) -> str:
    return f"{what}が{bound}の事例は{count}件です。" if count else f"{what}が{bound}の事例は見つかりませんでした。"


def not_ranked(what: str, names: list[str], reason: str) -> str:
    return f"{'・'.join(names)}は順位に含めていません（{what}：{reason}）。"


def not_read(who: str, what: str, written: str, reason: str) -> str:
    """A value stated but not read for sure, under a table: shown as written, left out of the order."""
    shown = written if len(written) <= 40 else written[:39] + "…"
    return f"{who}の{what}「{shown}」は、{reason}（記載のまま示し、順位・換算には使っていません）。"


def monthly_bound(written: str, yearly: str) -> str:
    return f"月額で{written}（年額換算{yearly}）"


NOTHING_TO_RANK = "比べられる記載のある事例が見つかりませんでした。"
PAY_BASIS = (
    "報酬は年額に換算しています：月額は12倍、年額はそのまま。記載にない賞与・手当は加えていません。"
    "業務委託の契約額は個人の報酬ではないため換算しません。"
)
TERM_BASIS = (
    "任期は記載の最初の期間を月数にしたものです"
    "（日付で書かれた期間は始まりの日から終わりの日までの月数。更新・再契約は含みません）。"
)
ONSITE_BASIS = "出勤は週あたりの日数です（月1回程度は週0.25日）。"
NOT_STATED = "記載なし"
NOT_READ = "数値にしていません（記載のとおり・理由は表の下）"
PER_YEAR = "年額"
PER_MONTH_TIMES_12 = "月額×12"
CONTRACT = "契約額（報酬ではない）"
COLUMN_PLACE = "自治体"
COLUMN_ROLE = "役職"
COLUMN_RANK = "順位"
COLUMN_AS_OF = "時点"
COLUMN_PAY = "報酬（年額換算）"
COLUMN_PAY_WRITTEN = "報酬（記載）"
COLUMN_PAY_OR_PRICE_WRITTEN = "報酬・契約額（記載）"
COLUMN_TERM = "任期（月数）"
COLUMN_TERM_WRITTEN = "任期（記載）"
COLUMN_ONSITE = "出勤（週）"
COLUMN_WORK_WRITTEN = "勤務形態（記載）"


# -- paging --------------------------------------------------------------------------------
def more_title(question: str, first: int, last: int) -> str:
    return f"「{question}」の他の候補（{first}〜{last}件目）"


def no_more(shown: int) -> str:
    return (f"他の候補はもうありません（これまでに{shown}件を示しました）。" if shown
            else "他の候補はありません。")


NOTHING_TO_PAGE = "先に質問をしてください。「もっと」「他の候補」で、直前の質問の続きの候補を示します。"


# -- help ----------------------------------------------------------------------------------
def help_text(*, admin: bool = False) -> str:
    examples = "\n".join(f"・{q}" for q in EXAMPLES)
    follow = "」「".join(FOLLOW_UP_EXAMPLES)
    text = ("Hosakan（補佐官）は、自治体のCIO・CDO・CIO補佐官などの任用事例、CIOフォーラムの座談会、"
            "総務省資料のデジタル人材に関する調査について、出典つきでお答えします。\n"
            f"質問の例：\n{examples}\n"
            f"続けて「{follow}」のように聞くと、直前の話題を引き継ぎます（30分で忘れます）。\n"
            "ひらがな・カタカナ・ローマ字・英語でも質問できます。答えには出典と「いつ時点の情報か」を添えます。\n"
            "コマンド：more／もっと（他の候補）、リセット（新しい会話）、help（この説明）")
    if admin:
        text += "\n管理者コマンド：reindex（インデックス更新）、stats（利用状況）、gaps（答えられなかった質問）"
    return text


CONSOLE_COMMANDS = "exit／終了（チャットを終わる）、clear／リセット（新しい会話）"
CONSOLE_MORE = "他の候補は「もっと」と入力すると表示します。"
CONSOLE_CONTINUED = "（前の回答の続きです）"
CONTINUED = "（続き）"


def console_folded(cases: int, rows: int, evidence: int) -> str:
    """Under an answer folded to the terminal's height: what is left, and how to see it."""
    left = "、".join(part for part in (cases and f"回答の残り{cases}件", rows and f"表の残り{rows}行",
                                       evidence and f"根拠{evidence}件") if part) or "注記"
    return f"画面に収まらない続き（{left}）は「もっと」と入力すると表示します。"


NEW_CONVERSATION = "新しい会話を始めました。前の話題は引き継ぎません。"
NOTHING_TO_EXIT = "終了の操作は要りません。続けて質問するか、「リセット」で新しい会話を始められます。"
SLACK_USAGE = "使い方：`@hosakan 質問` ／ スレッドでは続けて質問 ／ DMで質問 ／ `/hosakan 質問`（自分だけに表示）"
TEAMS_USAGE = "チャネルでは @Hosakan に続けて質問を、個人チャットではそのまま質問を送ってください。"


# -- feedback, sharing, escalation, admin --------------------------------------------------
def thanks(helpful: bool) -> str:
    return "フィードバックありがとうございました。" + ("" if helpful else "いただいた声は回答の改善に活かします。")


def asked(question: str) -> str:
    return f"質問：{question}"


def shared_by(who: str, question: str) -> str:
    return f"{who} さんが共有した回答です。質問：{question}"


def forwarded(who: str, question: str) -> str:
    return f"{who} さんから質問が転送されました：{question}"


def source(label: str, as_of: str | None = None) -> str:
    return f"出典：{label}" + (f"、{as_of}" if as_of else "")


ROW_SOURCES = "出典（行ごと）："


def escalated(contact: str | None) -> str:
    """What the asker is told after 担当者に聞く, where the question went to a maintainers' channel."""
    if contact:
        return f"{contact}に質問を転送しました。{contact}からお答えします。"
    return (
        "質問をナレッジベースの担当者に転送しました。"
        "答えはナレッジベースに反映され、同じ質問に答えられるようになります。"
    )


def escalation_details(asker: str, hit_ids: list[str], where: str) -> str:
    shown = "、".join(hit_ids) if hit_ids else "（回答できませんでした）"
    return f"質問者：{asker}　示した根拠：{shown}　{where}".rstrip()


def answered_summary(question: str, count: int) -> str:
    return f"「{question[:60]}」への回答です（根拠{count}件）。"


NOT_FOUND = "見つかりませんでした。"
ADMIN_ONLY = "申し訳ありません。このコマンドは管理者のみ実行できます。"
NOT_OURS = "このボタンの内容を読み取れませんでした。もう一度質問してください。"


def apology(error_id: str) -> str:
    return (
        "申し訳ありません。回答の作成中にエラーが発生しました。"
        f"時間をおいてもう一度お試しください（エラーID：{error_id}）。"
    )


def reindex_failed(count: int, lines: list[str]) -> str:
    return (
        f"記録に問題があるため、インデックスを更新しませんでした（{count}件）。"
        "現在のインデックスで回答を続けます。\n"
        + "\n".join(lines)
    )


def reindex_unchanged(generation: str, records: int, passages: int) -> str:
    return f"記録に変更はありませんでした。{generation}（記録{records}件、節{passages}件）で回答を続けます。"


def reindexed(generation: str, records: int, passages: int, seconds: float, changes: str) -> str:
    return f"インデックスを更新しました（{generation}）：記録{records}件、節{passages}件、{seconds:.1f}秒。{changes}"


def index_stats(generation: str, records: int, passages: int, built_at: str) -> str:
    return f"インデックス：{generation}（記録{records}件、節{passages}件、作成 {built_at}）"


def usage_stats(asked_count: int, share: float, unanswered: int) -> str:
    return f"直近30日：質問{asked_count}件、回答できた割合{share:.0%}、回答できなかった質問{unanswered}件。"


NO_HISTORY = "質問の記録が有効になっていません。"
NO_GAPS = "直近30日に回答できなかった質問はありません。"


def gaps(lines: list[str]) -> str:
    return "直近30日に回答できなかった質問（似た質問はまとめています）：\n" + "\n".join(lines)


# -- the HTTP API (adapters/api): every refusal a client gets, in JSON -----------------------
API_UNAUTHORIZED = (
    "認証が必要です。Authorization: Bearer <トークン> を付けてください"
    "（トークンは HOSAKAN_API_TOKENS）。"
)
API_NOT_JSON = "本文は UTF-8 の JSON オブジェクトで送ってください（Content-Type: application/json）。"
API_NO_ANSWER = "その回答は見つかりません（IDが違うか、保存期間を過ぎています）。"
API_UNAVAILABLE = "回答の記録を今は読めません。しばらくしてからもう一度お試しください。"


def api_rate_limited(seconds: int) -> str:
    return f"リクエストが多すぎます。{seconds}秒後にもう一度お試しください。"


def api_bad_field(name: str, wanted: str) -> str:
    return f"「{name}」には{wanted}を指定してください。"


HTTP_NOT_FOUND = "そのURLはありません。"
HTTP_METHOD = "このURLはその方法（HTTPメソッド）では使えません。"
HTTP_MALFORMED = "リクエストを読めませんでした（本文の圧縮・文字コード・形式を確かめてください）。"
HTTP_TOO_DEEP = "JSON の入れ子が深すぎます。"
def wrong_user(folder: str, owner: str) -> str:
    return (f"{folder} の所有者は {owner} です。{owner} として実行してください（例：sudo -u {owner} hosakan …。"
            "サーバーでは /usr/local/bin/hosakan を通して sudo hosakan …）。")


HTTP_HOST = "このサーバーはこのホスト名では受け付けません（HOSAKAN_ALLOWED_HOSTS）。"
HTTP_NOT_PROXIED = (
    "このサーバーには、決められたリバースプロキシを通してアクセスしてください"
    "（HOSAKAN_TRUSTED_PROXIES）。"
)
HTTP_INTERNAL = "サーバー内部でエラーが起きました。担当者にお知らせください。"
HTTP_DUPLICATE_HEADER = "同じ利用者ヘッダーが複数あります。"
HTTP_HEADER_TOO_LARGE = "ヘッダーが長すぎます（1つのヘッダーは 8,190 バイトまで。トークンが正しいか確かめてください）。"
HTTP_URL_TOO_LONG = "URL が長すぎます（8,190 バイトまで）。"
HTTP_TOO_SLOW = "リクエストの本文が時間内に届きませんでした（30秒まで）。もう一度送ってください。"


def http_refused(status: int) -> str:
    """The reason for a refusal aiohttp itself raised (404, 405, 413 …)."""
    return {404: HTTP_NOT_FOUND, 405: HTTP_METHOD}.get(status, HTTP_MALFORMED)


def api_too_large(limit: int) -> str:
    return f"本文が大きすぎます（上限 {limit:,} バイト）。"


# -- the web chat (adapters/web): the page's own words; answers use the sentences above -----
WEB_TITLE = "Hosakan（補佐官）"
WEB_TAGLINE = (
    "自治体のCIO・CDO・CIO補佐官の事例、CIOフォーラムの座談会、総務省資料について、"
    "出典と時点つきでお答えします。"
)
WEB_NOSCRIPT = "このページを使うには JavaScript を有効にしてください。"
WEB_EXAMPLES = "質問の例（押すとそのまま質問します）"
WEB_SIGN_IN = "サインイン"
WEB_SIGN_OUT = "サインアウト"
WEB_SIGN_IN_LEAD = "Hosakanを使うには、担当部署から知らされた合言葉を入力してください。"
WEB_CODE = "合言葉"
WEB_WRONG_CODE = "合言葉が違います。もう一度入力してください。"
WEB_SIGNED_OUT = "サインインしていないか、有効期限が切れました。サインインし直してください。"
WEB_NO_USER = "シングルサインオンを経由していないため、このページは開けません。庁内ポータルからアクセスしてください。"
WEB_LOCAL_ONLY = ("このページは、まだ庁内のネットワークに公開する設定になっていません。"
                  "システムの担当者にお知らせください（設定の方法はサーバーのログに出ています）。")
WEB_CROSS_SITE = "このページ以外からの送信は受け付けません。"
WEB_NOT_FOUND = "ページが見つかりません。"


def web_escalated(contact: str | None) -> str:
    """What the web page says after 担当者に聞く: the question is recorded for the maintainers."""
    if contact:
        return f"質問を記録しました。{contact}が確認してお答えします。"
    return "質問をナレッジベースの担当者向けに記録しました。担当者が確認し、答えをナレッジベースに反映します。"


WEB_LABELS = {  # what the page's script says and shows; the script holds no sentence of its own
    "question": "質問", "placeholder": "例：大阪府のCIO補佐官の任期は？", "send": "送信",
    "keys": (
        "Enterで送信、Shift+Enterで改行。"
        "続けて「任期は？」「奈良市は？」のように聞くと、直前の話題を引き継ぎます。"
    ),
    "new_conversation": "新しい会話", "new_conversation_done": NEW_CONVERSATION,
    "conversation": "会話", "waiting": "回答を作成しています…", "answered": "回答しました。", "asked": "質問",
    "answer": ANSWER, "more": MORE, "open_source": OPEN_SOURCE, "source": "出典：",
    "permalink": "この回答へのリンク", "copy": "リンクをコピー", "show_evidence": SHOW_EVIDENCE,
    "copy_answer": "回答を文章でコピー",
    "copied_answer": "回答を出典つきの文章としてコピーしました（メールや起案に貼り付けられます）。",
    "scrolls": "表は横にスクロールできます →", "before": "その前の質問",
    "copied": "リンクをコピーしました。", "shared": "リンクで共有された回答です。",
    "opens_new_tab": "（新しいタブで開きます）",
    "offline": "サーバーと通信できませんでした。ネットワークを確かめて、もう一度お試しください。",
    "sign_in_again": "サインインし直す", "error_id": "エラーID", "actions": "この回答への操作",
}


# -- the command line: what a maintainer reads ------------------------------------------------
def no_knowledge(path: str) -> str:
    return (f"記録のフォルダー（{path}）がありません。`hosakan init` でデータディレクトリを作ってください"
            "（同梱の記録を最初のナレッジベースとしてコピーし、インデックスを作ります）。")


def init_in_checkout(path: str) -> str:
    return (f"ソースのチェックアウトでは、チェックアウトの記録（{path}）をそのまま使います。"
            "別の場所にデータディレクトリを作るときは `hosakan init DIR` か HOSAKAN_HOME を指定してください。")


def initialised(root: str, copied: int, named: bool) -> str:
    text = (
        f"データディレクトリ {root} を用意しました（同梱の記録を{copied}件コピー。既にあったファイルはそのまま）。\n"
        f"・記録：{root}/knowledge　・設定：{root}/.env　・インデックスとデータベースもここに置きます。\n"
    )
    if named:
        text += (
            f"このディレクトリを使うには HOSAKAN_HOME={root} を設定するか、"
            f"`hosakan --home {root} …` としてください。\n"
        )
    return text + (
        "試してみる：hosakan ask \"大阪府のCIO補佐官の任期は？\""
        "　／　チャット：hosakan chat　／　サーバー：hosakan serve"
    )


ENV_TEMPLATE = """\
# Hosakan の設定（このファイルは所有者だけが読めます）。行頭の # を外して値を入れてください。
# 設定の一覧と意味は README の「The `hosakan` command」を見てください。
#
# 待ち受けるアドレスとポート（既定 127.0.0.1:3978。127.0.0.1 以外では Web 画面にアクセス制御が必要）
# HOSAKAN_HOST=127.0.0.1
# HOSAKAN_PORT=3978
#
# Web 画面のアクセス制御（どちらか）：シングルサインオンのプロキシが付けるヘッダー名／共有の合言葉
# HOSAKAN_WEB_USER_HEADER=X-Forwarded-User
# HOSAKAN_WEB_ACCESS_CODE=
#
# HTTP API のトークン（カンマ区切り、各16文字以上。例：openssl rand -hex 24）
# HOSAKAN_API_TOKENS=
#
# 複数台で動かすときの共有データベースと、全台で同じにする利用者IDのソルト
# HOSAKAN_DATABASE_URL=postgresql+psycopg://hosakan@db.example.lg.jp/hosakan
# HOSAKAN_USER_ID_SALT=
#
# Slack／Teams
# SLACK_BOT_TOKEN=
# SLACK_SIGNING_SECRET=
# MicrosoftAppId=
# MicrosoftAppPassword=
"""


NO_BUNDLED_UPDATES = "同梱の記録はデータディレクトリのものと同じです。"
BUNDLED_NEW = "新しい記録"
BUNDLED_CHANGED = "内容が変わった記録"
COPY_BUNDLED = "をコピーしますか（データディレクトリの同じファイルは置き換わります）"
BUNDLED_NONE_COPIED = (
    "何もコピーしませんでした。"
    "コピーするには hosakan init --update を端末で実行するか、--yes を付けてください。"
)
BUNDLED_NEWER = ("同梱の記録に、データディレクトリにない更新があります。hosakan init --update で確かめてコピーできます"
                 "（確かめるまでは、今の記録で答えます）。")


def bundled_updates(count: int) -> str:
    return f"パッケージに同梱の記録のうち、データディレクトリのものと違うものが{count}件あります："


def bundled_copied(count: int) -> str:
    return f"同梱の記録{count}件をコピーし、インデックスを作り直しました。"


def backed_up(path: str, manifest: dict) -> str:
    held = [f"記録と原資料 {manifest['knowledge']}件"] + [label for key, label in (
        ("salt", "ソルト"), ("env", ".env")) if manifest.get(key)]
    if manifest.get("database") == "sqlite":
        held.insert(0, "データベース")
    text = f"バックアップを {path} に書きました（{'、'.join(held)}）。"
    if manifest.get("database") == "external":
        text += (
            "データベースは PostgreSQL なので含めていません。"
            "pg_dump で別に保存してください（例：pg_dump -Fc hosakan > hosakan.dump）。"
        )
    elif manifest.get("database") is None:
        text += "データベースはまだありません（質問を記録すると作られます）。"
    if manifest.get("secrets_left_out"):
        text += (
            f".env の秘密の値（{'、'.join(manifest['secrets_left_out'])}）は含めていません"
            "（含めるときは --with-secrets）。"
        )
    return text + "このファイルには質問の記録が入ります。所有者だけが読める場所に保管してください。"


def backup_failed(why: str) -> str:
    return f"バックアップを書けませんでした：{why}"


def backup_too_large(size: str, limit: str) -> str:
    return f"大きすぎます（{size}。hosakan restore が戻せるのは1ファイル {limit} まで）。別に保管してください"


def backup_left_out(files: list[str]) -> str:
    shown = "、".join(files[:20]) + (f" ほか{len(files) - 20}件" if len(files) > 20 else "")
    return f"knowledge フォルダーのうち次の{len(files)}件はバックアップに含めていません：{shown}"


def restored(root: str, manifest: dict, indexed: bool = True) -> str:
    text = f"{root} にバックアップ（{manifest.get('created', '')}）を戻し、インデックスを作り直しました。"
    if not indexed:
        text = (f"{root} にバックアップ（{manifest.get('created', '')}）を戻しましたが、記録に問題があるため"
                "インデックスは作れませんでした。上の記録を直してから hosakan index を実行してください"
                "（それまで質問には答えられません）。")
    if manifest.get("secrets_left_out"):
        text += f".env の {'、'.join(manifest['secrets_left_out'])} は元の値を設定し直してください。"
    if manifest.get("database") == "external":
        text += "データベースは PostgreSQL だったため含まれていません。pg_restore で戻してください。"
    return text


# why hosakan restore left an archive member out (shown after its name)
SKIPPED_WHY = {"absolute": "絶対パス", "outside": "「..」で外を指すパス", "link": "リンク", "device": "デバイス",
               "not_file": "通常のファイルではありません", "unknown": "バックアップが書かない名前",
               "postgres": "設定のデータベースが PostgreSQL のため"}
ENV_PATH_DISABLED = "hosakan restore が無効にしました（別の場所のパス）"
RESTORE_INTERRUPTED = "中断しました。戻し先は元のままです。"


def restore_skipped(members: list[str]) -> str:
    shown = "、".join(members[:20]) + (f" ほか{len(members) - 20}件" if len(members) > 20 else "")
    return f"アーカイブのうち次の{len(members)}件は戻していません：{shown}"


def restore_paths_disabled(keys: list[str]) -> str:
    return (f"アーカイブの .env の {'、'.join(keys)} は別の場所を指していたため、行頭に # を付けて無効にしました"
            "（記録・インデックス・データベースは、今の設定の場所に戻しました）。")


def problems_found(count: int) -> str:
    return f"記録に問題が{count}件あります（ファイル: 項目: 内容）："


BUILD_WAITING = "別の hosakan index が実行中です。終わるのを待っています…"


BUILD_CHANGE_LABELS = {"added": "追加", "changed": "変更", "removed": "削除"}


def built(mode: str, records: int, passages: int, seconds: float, generation: str) -> str:
    how = {"full": "全体", "incremental": "変更分のみ"}.get(mode, mode)
    return f"インデックスを作りました（{how}）：記録{records}件、節{passages}件、{seconds:.2f}秒 → {generation}"


def vectors_resumed(resumed: int, embedded: int) -> str:
    return f"止まった前回の作成で計算済みだったベクトル{resumed}件を使い、残りの{embedded}件だけを計算しました。"


INDEX_INTERRUPTED = "中断しました。インデックスは前のまま使えます。"
INDEX_INTERRUPTED_FIRST = "中断しました。インデックスはまだ作られていません。"
VECTORS_KEPT = "計算済みのベクトルは保存してあります。次の hosakan index は、その続きから計算します。"


def sources_indexed(count: int) -> str:
    return f"原資料（knowledge/sources）{count}件を含みます。"


def sources_skipped(count: int) -> str:
    return f"読めない原資料が{count}件あります（索引に入れず、ほかはそのまま使います）："


BUILDING_FIRST = "インデックスがまだないので、先に作ります。"
INDEX_STALE = "インデックスを作った後に記録が変わっています。hosakan index で更新してください。"


def index_up_to_date(records: int, passages: int) -> str:
    return f"インデックスは最新です（記録{records}件、節{passages}件）。"


INDEX_NOT_REBUILT = "インデックスは作り直していません。これまでのインデックス（あれば）で回答を続けます。"


def index_not_written(disk_full: bool, why: str) -> str:
    """A build that could not write its files (a full disk, a folder it may not write)."""
    cause = (
        "ディスクの空きが足りません。空きを作ってから" if disk_full else f"書き込めませんでした（{why}）。直してから"
    )
    return f"インデックスを作れませんでした：{cause}もう一度 hosakan index を実行してください。{INDEX_NOT_REBUILT}"


def index_busy(why: str) -> str:
    return f"別の hosakan index が実行中です（{why}）。終わってからもう一度実行してください。"


def record_created(path: str) -> str:
    return f"{path} を作りました。項目を埋めてから hosakan validate で確かめてください。"


def records_valid(count: int, folder: str) -> str:
    return f"{count}件の記録すべてに問題はありません（{folder}）。"


def serve_platform(name: str, on: bool, why: str) -> str:
    return f"{name}：{'有効' if on else '無効'} — {why}"


def semantic_state(state: str) -> str:
    return f"意味検索（semantic search）：{state}"


def serve_workers(count: int) -> str:
    if count <= 1:
        return "回答の処理：このプロセスで答えます（HOSAKAN_WORKERS=1）"
    return f"回答の処理：{count}個のワーカープロセスで並行して答えます（HOSAKAN_WORKERS、0 = CPU コア数）"


def listening(address: str, notes: list[str]) -> str:
    return f"{address} で待ち受けています（/healthz）" + "".join(f"。{note}" for note in notes)


WEB_AT = "Web チャットは /"


STOPPED = "停止しました。"


def cannot_listen(address: str, why: str) -> str:
    return f"{address} で待ち受けできません（{why}）。--host / --port（HOSAKAN_HOST / HOSAKAN_PORT）を変えてください。"


LISTEN_PROBLEMS = {"in_use": "ほかのプログラムが使っています", "not_here": "このマシンのアドレスではありません",
                   "denied": "権限がありません", "other": "開けません"}


def teams_package_failed(why: str) -> str:
    return f"Teams アプリのパッケージを作れません：{why}"


def teams_package_written(path: str) -> str:
    return (
        f"Teams アプリのパッケージを {path} に書きました。"
        "Teams の「アプリ → アプリを管理 → アプリをアップロード」で登録してください。"
    )


BAD_FORMAT = "--format には table・json・csv のどれかを指定してください。"


def report_heading(days: int, until: str, asked_count: int, share: float) -> str:
    return f"直近{days}日（{until}まで）：質問{asked_count}件、回答できた割合{share:.0%}"


REPORT_SECTIONS = {
    "unanswered": ("回答できなかった質問（多い順、似た質問はまとめています）", ("質問", "回数", "ほかの言い方")),
    "worst_rated": ("👎が多かった回答", ("質問", "👎", "👍")),
    "most_cited": ("よく引用された記録", ("記録", "引用回数")),
    "never_cited": ("一度も引用されなかった記録", ("記録",)),
    "escalated": ("担当者への質問（担当者に聞く）", ("質問", "日時（日本時間）", "送信元", "送り先")),
    "changed_sources": ("見直した後に原資料が変わった記録", ("記録", "見直した日", "原資料が変わった日", "原資料")),
    "uncurated_sources": ("まだどの記録も引いていない原資料（記録にする候補）", ("原資料", "自治体", "ファイル")),
}


def stale_section(months: int) -> tuple[str, tuple[str, ...]]:
    return f"{months}か月以上見直していない記録", ("記録", "見直した日", "ID")


def unreadable_questions(path: str, why: str) -> str:
    return f"質問セットを読めません（{path}）：{why}"


def eval_title(name: str) -> str:
    return f"Hosakan の評価（{name}）"


EVAL_COLUMNS = ("種類", "質問数", "Recall@1", "Recall@3", "MRR", "回答を控えた正解率", "直接の回答の正解率")
STRESS_SET = "記録から生成したストレスセット"


def eval_missed(kind: str, question: str, answered: bool) -> str:
    return f"取りこぼし [{kind}] {question} → {'回答した' if answered else '回答しなかった'}"


def eval_below(recall3: float, minimum: float) -> str:
    return f"Recall@3 が {recall3:.3f} で、下限の {minimum} を下回りました。"


def eval_direct_below(accuracy: float, minimum: float) -> str:
    return f"直接の回答の正解率が {accuracy:.3f} で、下限の {minimum} を下回りました。"


def eval_wrong_direct(kind: str, question: str, direct: str | None) -> str:
    return f"直接の回答が違う [{kind}] {question} → {direct or '（直接の回答なし）'}"


JST = "日本時間"


# -- Slack's AI-assistant surface (adapters/slack/assistant.py, bot/prompts.py) ---------------
ASSISTANT_GREETING = "こんにちは。自治体のCIO・CDO・CIO補佐官の事例について、出典つきでお答えします。"
ASSISTANT_PROMPTS_TITLE = "たとえば、こんな質問ができます"
ASSISTANT_THINKING = "調べています…"
# suggested questions, one for each fact a case record may state ({place}: a municipality, {role}: its role)
SUGGESTED_QUESTIONS = {
    "term": "{place}の{role}の任期は？",
    "compensation": "{place}の{role}の報酬は？",
    "work_style": "{place}の{role}の勤務形態は？",
    "selection": "{place}の{role}の選考方法は？",
}


# -- `hosakan eval`: the comparison with the previous run of the same set (bot/eval_history.py) --
EVAL_FIRST_RUN = (
    "この質問セットの前回の結果がないため、比べられません"
    "（今回の結果を保存しました。次の実行から前回と比べます）。"
)
EVAL_METRICS = {"recall@1": "Recall@1", "recall@3": "Recall@3", "mrr": "MRR", "direct_accuracy": "直接の回答の正解率"}
EVAL_OVERALL = "全体"


def _eval_set_change(added: int, removed: int) -> str:
    if not (added or removed):
        return ""
    return f"質問セットが変わりました（追加 {added}問・削除 {removed}問）。"


def eval_nothing_changed(when: str, common: int, added: int, removed: int) -> str:
    return (
        f"前回（{when} 日本時間）から変わったところはありません"
        f"（{_eval_set_change(added, removed)}両方にある {common}問で比べました）。"
    )


def eval_compared_heading(when: str, common: int, added: int, removed: int) -> str:
    return f"前回（{when} 日本時間）との比較：{_eval_set_change(added, removed)}両方にある {common}問で比べます。"


def eval_figure_change(kind: str, metric: str, before: float, now: float) -> str:
    change = now - before
    digits = 3 if abs(change) >= 0.0005 else 4
    sign = "+" if change > 0 else "−"
    label = EVAL_OVERALL if kind == "overall" else kind
    return f"  {label} {EVAL_METRICS.get(metric, metric)}：{before:.3f} → {now:.3f}（{sign}{abs(change):.{digits}f}）"


def eval_worse_heading(count: int) -> str:
    return f"悪くなった質問（{count}問）："


def eval_better_heading(count: int) -> str:
    return f"良くなった質問（{count}問）："


def eval_rank(rank: int | None) -> str:
    return f"{rank}位" if rank else "見つからず"


def eval_right(right: bool) -> str:
    return "正解" if right else "不正解"


def eval_state_change(before: str, now: str) -> str:
    return f"{before} → {now}"


def eval_direct_change(before: bool, now: bool) -> str:
    return f"直接の回答 {'正しい' if before else '誤り'} → {'正しい' if now else '誤り'}"


def eval_question_change(kind: str, question: str, after: list[str], parts: list[str]) -> str:
    context = f"（「{after[-1]}」の続き）" if after else ""
    return f"  [{kind}] {question}{context}：" + "、".join(parts)


def eval_previous_unreadable(path: str) -> str:
    return f"前回の評価の結果（{path}）が読めないため、比べません（今回の結果で置き換えます）。"


def eval_not_saved(path: str, error: str) -> str:
    return f"評価の結果を保存できませんでした（{path}：{error}）。次の実行では比べられません。"


# -- hosakan draft: a case record drafted from a notice (adapters/cli.py, knowledge/draft.py) ----
def draft_cut(used: int, total: int) -> str:
    return (
        f"文書が長いため、先頭の{used:,}文字（全{total:,}文字）から下書きを作りました。"
        "募集要項の部分だけのファイルにすると、全体から作れます。"
    )


def draft_no_file(path: str) -> str:
    return f"{path} が見つかりません。募集要項・公募型プロポーザルの文書のファイルを指定してください。"


def draft_unreadable(path: str, reason: str) -> str:
    return f"{path} を読めません：{reason}"


def draft_exists(path: str) -> str:
    return f"{path} は既にあります。上書きはしないので、別のファイル名を指定してください。"


def draft_written(path: str, todos: int) -> str:
    return (f"{path} に下書きを書きました。「# 根拠:」の文を出典と照らし合わせ、TODO {todos}件を埋めてから"
            "（埋めたら TODO の行を消します）hosakan validate で確かめてください。TODO が残っている間は通りません。")


def draft_printed(todos: int) -> str:
    return (
        f"下書きを出力しました（TODO {todos}件）。"
        "--output drafts/ID.md で作業用のファイルに書き、TODO を埋めてから"
        "knowledge/cases/ に移して hosakan validate で確かめてください"
        "（TODO の残った記録が knowledge/cases/ にあると、インデックスを作り直せません）。"
    )

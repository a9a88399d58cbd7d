"""What officials read, on every surface: answers, refusals, help, buttons, notices, the console's
notes. Functions take the facts and return plain text; adapters escape it for their markup. Nothing
here knows a platform."""

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


LAST_SAID = "直前の発言"  # what a follow-up about the sentence just quoted is read about (言ったのは誰？)


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


# the asked kind of answer, named when a record holds none of it (「小松島市の記録には「頻度」の記載がありません」)
ASKED_KINDS = {"percent": "割合", "amount": "金額", "frequency": "頻度", "age": "年齢", "count": "数",
               "period": "期間", "date": "時期", "name": "氏名",
               "contractor": "受託した事業者"}


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


def document_date(title: str, in_era: str | None, western: str, enacted: bool) -> str:
    """When a document (a 例規) is dated: 「…要綱」の施行日：令和6年4月1日（2024年4月1日）."""
    when = f"{in_era}（{western}）" if in_era else western
    return f"「{title}」の{'施行日' if enacted else '日付'}：{when}"


def chapter(title: str, label: str, name: str, first: str, last: str) -> str:
    """A 章 of a 例規 and its articles: 「…規程」の第6章 システム監査（第22条―第23条）."""
    return f"「{title}」の{label} {name}（{first if first == last else f'{first}―{last}'}）"


def chapters(title: str, lines: list[tuple[str, str, str, str]]) -> str:
    """A 例規's table of contents: 「…規程」は全8章：第1章 総則（第1条）、第2章 …."""
    listed = "、".join(f"{label} {name}（{first if first == last else f'{first}―{last}'}）"
                       for label, name, first, last in lines)
    return f"「{title}」は全{len(lines)}章：{listed}"


def near_fact(words: list[str]) -> str:
    """The lead of an answer whose sentence states the fact in other words than the asked ones."""
    return "ご質問の" + "・".join(f"「{w}」" for w in words) + "という記載はありません。近い記載："


def unstated_in_sources(names: str, words: str) -> str:
    """A place's source documents do not state what was asked."""
    return f"{names}の原資料には{words}の記載がありません。下に原資料の該当しそうな箇所を示します。"


def participant(role: str, name: str) -> str:
    """Who held a post at a round-table, as its list of participants gives them."""
    return f"{role}は{name}氏です（座談会の出席者）。"


def source_of(label: str, url: str | None = None) -> str:
    """Where a record's facts are from, asked for itself (この記事を書いたのは？, 出典は？)."""
    return f"出典は{label}です。" + (f"掲載先：{url}" if url else "")


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


def compared_more(count: int) -> str:
    return f"ほかに{count:,}件の事例があります。県・役職・任用形態で絞ると比べやすくなります。"


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


# -- Slack's AI-assistant surface (adapters/slack/assistant.py, bot/chat/prompts.py) ---------------
ASSISTANT_GREETING = "こんにちは。自治体のCIO・CDO・CIO補佐官の事例について、出典つきでお答えします。"
ASSISTANT_PROMPTS_TITLE = "たとえば、こんな質問ができます"
ASSISTANT_THINKING = "調べています…"
# Slack's agent view and every Slack answer: what the reply is (Slack asks AI apps to label automated replies)
QUOTED_NOT_GENERATED = "🤖 Hosakan の自動回答：ナレッジベースの記録を引用しています（生成AIの文章ではありません）"

# a Slack message past its 50 blocks: the rest is left out (the footnotes and buttons stay)
FOLDED = "長い回答のため、ここから先の表示を省略しました。質問を絞り込むと続きを表示できます。"
# Slack's 👎 dialog: why the answer did not help (each a choice; the asker may add words of their own)
REASON_TITLE = "フィードバック"
REASON_INTRO = "👎を記録しました。よろしければ、役に立たなかった理由を教えてください（任意）。"
REASON_CHOICE = "理由"
REASON_NOTE = "詳しく（任意）"
REASON_SEND = "送信"
REASON_CLOSE = "閉じる"
REASONS = ("別の自治体・別の事例の答えだった", "聞いたことに答えていない", "情報が古い", "出典・根拠がわかりにくい",
           "その他")
REASON_THANKS = "ありがとうございました。いただいた理由は、記録の見直しに使います。"
# suggested questions, one for each fact a case record may state ({place}: a municipality, {role}: its role)
SUGGESTED_QUESTIONS = {
    "term": "{place}の{role}の任期は？",
    "compensation": "{place}の{role}の報酬は？",
    "work_style": "{place}の{role}の勤務形態は？",
    "selection": "{place}の{role}の選考方法は？",
}

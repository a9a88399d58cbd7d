"""What a client of the HTTP API and the web chat's own page read: every refusal in JSON, and the
page's words (answers on the page use the officials' sentences)."""

from __future__ import annotations

from hosakan.bot.sentences.officials import ANSWER, MORE, NEW_CONVERSATION, OPEN_SOURCE, SHOW_EVIDENCE

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

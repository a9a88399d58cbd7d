"""What an AI assistant (and the official using it) reads over MCP (adapters/mcp): the server's
instructions, each tool's and argument's description — in Japanese and in English, since the
assistant may be either — and the tools' own refusals. Answers themselves use the officials'
sentences; a malformed argument is told as the HTTP API tells it (``http_replies.api_bad_field``)."""

from __future__ import annotations

QUOTED = ("結果はすべて、担当者が確認したナレッジベースの記録（と原資料）の文をそのまま引用したもので、"
          "生成した文章ではありません。事実には、それが正しかった時点（as_of）と出典（citation）が付きます。"
          "利用者に伝えるときは、出典と時点を添えてください。")
QUOTED_EN = ("Every result quotes curated records (and their source documents) word for word: it is not "
             "generated text. Each fact carries the date it was true (as_of) and its citation; pass both on "
             "when you use it.")

INSTRUCTIONS = (
    "Hosakan（補佐官）：自治体のCIO・CDO・CIO補佐官などの任用事例、東京都・区市町村CIOフォーラムの座談会、"
    "総務省のデジタル人材に関する資料について答えるナレッジベースです。" + QUOTED
    + "質問には ask、引用できる箇所の検索には search、id で全文を読むには fetch を使ってください。\n"
    "Hosakan is a knowledge base of Japanese municipalities' CIO, CDO and CIO-adviser (CIO補佐官) "
    "appointments, the Tokyo CIO forum's round-table and the MIC report on digital talent. " + QUOTED_EN
    + " Use ask for a question, search for citable passages, and fetch to read one by its id."
)

ASK = (
    "ナレッジベースに質問し、直接の答え（direct_answer）か、答えられない理由（refusal と message）を、"
    "根拠のパッセージ（hits：出典 citation・時点 as_of・URL）つきで返します。記録に書かれていないことは"
    "「記載がない」と答え、推測はしません。" + QUOTED + "\n"
    "Ask the knowledge base a question (Japanese works best; English is understood) and get the direct "
    "answer (direct_answer) or why it cannot be answered (refusal, message), with the passages it rests on "
    "(hits: citation, as_of date, URL). A fact no record states is said to be not stated, never guessed. "
    + QUOTED_EN
)
ASK_QUESTION = ("質問（例：奈良県のCIOの月収は？）。\n"
                "The question, e.g. 奈良県のCIOの月収は？ (What is Nara Prefecture's CIO paid a month?).")
ASK_CONVERSATION = ("会話の名前（任意）。同じ名前で続けて聞くと、前の質問の続きとして答えます（例：「任期は？」）。\n"
                    "Optional conversation name: questions under one name are one conversation, so a "
                    "follow-up such as 任期は？ (and the term?) keeps the earlier topic.")

SEARCH = (
    "言葉や質問で、ナレッジベースの記録と原資料から引用できるパッセージを探します（答えは決めません）。"
    "各パッセージに doc_id、種類（kind：case 事例・roundtable 座談会・reference 資料・source 原資料）、"
    "関係する自治体（places）、時点（as_of）、出典（citation：URL、または文書名とページ）が付きます。"
    "doc_id を fetch に渡すと全文を読めます。" + QUOTED + "\n"
    "Search the curated records and source documents for citable passages; no answer is decided. Each "
    "passage has a doc_id, its kind (case, roundtable, reference, source), the places it is about, the date "
    "it was true (as_of) and a citation (URL, or document and page). Pass a doc_id to fetch to read it "
    "whole. " + QUOTED_EN
)
SEARCH_QUERY = "探す言葉か質問（例：CIO補佐官 報酬 月額）。\nWords or a question to search for."
SEARCH_LIMIT = "返すパッセージの数（1〜10、省略時は5）。\nHow many passages to return (1-10, default 5)."

FETCH = (
    "search や ask が返した id で、パッセージ1つの全文（doc_id、例：nara-pref-cio-dx-manager#05）か、"
    "記録・原資料の全体（record_id：パッセージの一覧）を、出典と時点つきで返します。" + QUOTED + "\n"
    "Read one passage whole by its doc_id (e.g. nara-pref-cio-dx-manager#05), or a whole record or source "
    "document by its record_id (its passages in order), as search or ask returned them, with citation and "
    "date. " + QUOTED_EN
)
FETCH_ID = "パッセージの doc_id、または記録の record_id。\nA passage's doc_id, or a record's record_id."

# -- the tools' refusals --------------------------------------------------------------------------
NO_SUCH_ID = ("その id のパッセージ・記録・原資料はありません。search や ask が返した doc_id か record_id を"
              "指定してください。")
NOTHING_FOUND = "その言葉に当てはまる記載は、ナレッジベースに見つかりませんでした。"
NOT_READY = "MCP の受け付けを準備しています。数秒後にもう一度お試しください。"


def unknown_tool(name: str, known: list[str]) -> str:
    return f"「{name[:64]}」というツールはありません（使えるのは {'・'.join(known)} です）。"


# -- `hosakan serve`'s start-up line for /mcp -------------------------------------------------------
def serving(tokens: int, per_minute: int) -> str:
    return f"/mcp：HTTP API と同じベアラートークン{tokens}個、各1分に{per_minute}回まで（API と合わせて）"

"""What the indexer says: to maintainers, the changes a build made (the admin chat command
`reindex` says them), the field named for a source document that is not read and why it is not;
to officials, how a source document is dated. Strings and
the small functions that fill them, nothing else; a record's own problems are knowledge's
(knowledge/sentences.py)."""

from __future__ import annotations

SOURCE_FIELD = "(原資料)"  # the field named for a source document that is not read, and why
BUILD_CHANGE_LABELS = {"added": "追加", "changed": "変更", "removed": "削除"}
NOTHING_CHANGED = "変更はありませんでした。"
ALL_REBUILT = "全件を作り直しました。"


def build_changes(incremental: bool, changes: dict[str, list[str]]) -> str:
    """The files a build added, changed and removed (``changes``, by ``BUILD_CHANGE_LABELS``' keys),
    five of each by name."""
    parts = [f"{BUILD_CHANGE_LABELS[change]}{len(names)}件（{'、'.join(names[:5])}{'…' if len(names) > 5 else ''}）"
             for change, names in changes.items() if names]
    return ("差分更新：" if incremental else "全件を作り直しました：") + "、".join(parts)


# -- a source document left out, and why (hosakan index, validate and the chat's reindex name it) --
UNSUPPORTED_FORMAT = "対応していない形式です（PDF・HTML・Word（.docx）・テキスト・Markdown に対応）"
EMPTY_FILE = "空のファイルです"
NO_TEXT_IN_PDF = "文字を取り出せません（画像だけの PDF などは、文字の入った版を置いてください）"
NO_BODY = "本文がありません"
OUT_OF_MEMORY = "大きすぎて読めません（メモリが足りません）。文書を分けて置いてください"
NESTED_TOO_DEEP = "入れ子が深すぎて読めません。別の形式（PDF など）で置いてください"
ENCRYPTED = "暗号化（パスワード保護）されています。保護のない版を置いてください"
UNKNOWN_ENCODING = "文字コードがわかりません（UTF-8 か Shift_JIS で保存し直してください）"


def file_too_large(size: int, limit: int) -> str:
    return f"ファイルが大きすぎます（{size:,}バイト、上限 {limit:,}バイト）"


def text_too_long(length: int, more: bool, limit: int) -> str:
    return f"本文が長すぎます（{length:,}文字{'以上' if more else ''}、上限 {limit:,}文字）。文書を分けて置いてください"


def unreadable(error: str) -> str:
    return f"読めませんでした（{error}）。壊れていないか、別の形式で置き直せないか確かめてください"


def broken_sidecar(name: str, said: str) -> str:
    return f"説明ファイル {name} に問題があります：{said}"


def too_many_pages(pages: int, limit: int) -> str:
    return f"ページが多すぎます（{pages:,}ページ、上限 {limit:,}ページ）。文書を分けて置いてください"


def not_a_pdf(error: str) -> str:
    return f"PDF として読めません（壊れているか、PDF ではありません：{error}）"


def too_many_tags(tags: int, limit: int) -> str:
    return f"HTML のタグが多すぎます（約{tags:,}個、上限 {limit:,}個）。文書を分けるか、PDF などで置いてください"


def not_a_docx(error: str) -> str:
    return f"Word（.docx）として読めません（{error}）"


def too_many_members(members: int, limit: int) -> str:
    return f"Word（.docx）の中のファイルが多すぎます（{members:,}個、上限 {limit:,}個）"


def inflates_too_large(inflated: int, limit: int, markup_limit: int) -> str:
    return (f"Word（.docx）を展開すると大きすぎます（{inflated:,}バイト、"
            f"上限 {limit:,}バイト、画像を除いて {markup_limit:,}バイト）")


# -- when a source document's facts were true, as an answer shows it --
DOCUMENT_UNDATED = "資料に日付の記載なし"


def document_of(day: str) -> str:
    """A document dated by its sidecar or its own text: 「2026年1月15日の資料」."""
    return f"{day}の資料"

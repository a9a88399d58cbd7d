"""What the indexer says to maintainers: the changes a build made (the admin chat command
`reindex` says them), and the field named for a source document that is not read. Strings and
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

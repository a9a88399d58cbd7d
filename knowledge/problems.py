"""Problem: one thing wrong with one file (a record, the glossary, a sidecar), shared by the loader, the
front-matter reader and the sidecar reader; ``describe`` says a pydantic error in plain Japanese."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one record file, in words a maintainer understands."""

    path: Path
    field: str
    message: str
    line: int | None = None  # the line in the file (1 is the first ---), where one is to blame

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.field}: {self.message}"


_PLAIN = {  # pydantic's error types, said for a maintainer (Japanese first, the field name as written)
    "missing": "必須の項目がありません",
    "extra_forbidden": "知られていない項目です（項目名の綴りを確かめてください）",
    "string_too_short": "空にはできません",
    "too_short": "少なくとも1つ書いてください",
    "string_pattern_mismatch": "半角の小文字英字・数字・ハイフンだけで書いてください",
    "literal_error": "決められた値のどれかを書いてください",
    "date_from_datetime_parsing": "日付を YYYY-MM-DD の形で書いてください",
    "date_parsing": "日付を YYYY-MM-DD の形で書いてください",
    "date_type": "日付を YYYY-MM-DD の形で書いてください",
    "int_parsing": "整数で書いてください",
    "float_parsing": "数で書いてください",
    "bool_parsing": "true か false で書いてください",
    "list_type": "一覧（1行に1つ「- 項目」）で書いてください",
    "string_type": "文字で書いてください",
    "union_tag_invalid": "case・roundtable・reference のどれかを書いてください",
    "union_tag_not_found": "必須の項目がありません（case・roundtable・reference のどれか）",
    "model_type": "下の行に「項目名: 値」を字下げして書いてください",
    "model_attributes_type": "下の行に「項目名: 値」を字下げして書いてください",
    "dict_type": "下の行に「項目名: 値」を字下げして書いてください",
    "greater_than_equal": "小さすぎます",
    "less_than_equal": "大きすぎます",
    "int_from_float": "整数で書いてください",
    "int_type": "整数で書いてください",
    "float_type": "数で書いてください",
    "bool_type": "true か false で書いてください",
    "date_from_datetime_inexact": "時刻は書かず、日付だけを YYYY-MM-DD の形で書いてください",
}
_PLAIN_FALLBACK = "この値は使えません。docs/maintainers.md の「項目の説明」で書き方を確かめてください"


def describe(error: dict) -> str:
    """What is wrong with a value, from one of pydantic's errors: our validators' own Japanese, or
    the type of error said for a maintainer (never pydantic's English)."""
    if error["type"] == "value_error":
        return str(error["ctx"]["error"])
    plain = _PLAIN.get(error["type"])
    if plain is None:
        return _PLAIN_FALLBACK  # never pydantic's English
    if error["type"] == "literal_error":
        return f"{plain}：{error['ctx']['expected']}"
    if error["type"] in ("greater_than_equal", "less_than_equal"):
        bound = error["ctx"].get("ge", error["ctx"].get("le"))
        return f"{plain}（{bound} {'以上' if error['type'] == 'greater_than_equal' else '以下'}で書いてください）"
    return plain

"""The OpenAPI 3.1 document of /api/v1, served at /api/v1/openapi.json."""

from __future__ import annotations

from functools import cache

from hosakan.adapters.http import MAX_BODY, NO_NUL

MAX_CONVERSATION = 200  # characters of a client's conversation name

_ERROR = {"$ref": "#/components/schemas/Error"}


def _responses(ok: dict, *codes: int) -> dict:
    described = {400: "本文が JSON オブジェクトでない、または項目の型・長さが違う", 401: "トークンがない・違う",
                 404: "その回答はない（IDが違う、または保存期間を過ぎた）", 413: "本文が大きすぎる",
                 429: "リクエストが多すぎる（Retry-After 秒後に再試行）", 503: "一時的に答えられない"}
    responses = {"200": ok}
    for code in codes:
        responses[str(code)] = {"description": described[code], "content": {"application/json": {"schema": _ERROR}}}
    return responses


@cache
def document() -> dict:
    hit = {"type": "object", "properties": {
        "doc_id": {"type": "string", "description": "記録ID#段落番号"}, "kind": {"type": "string"},
        "title": {"type": "string"}, "snippet": {"type": "string"},
        "citation": {"type": "string", "description": "出典と、その事実がいつの時点のものか"},
        "url": {"type": ["string", "null"]}, "score": {"type": "number"},
        "text": {"type": "string", "description": "snippet から ** を除いた本文"},
        "marks": {"type": "array", "description": "text の中で質問の語に当たった範囲 [開始, 終了)",
                  "items": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2}},
        "section": {"type": "string", "description": "記録の中の節"}, "speaker": {"type": ["string", "null"]},
        "source": {"type": "string", "description": "出典の記事・資料（著者）"},
        "as_of": {"type": "string", "description": "その事実がいつの時点のものか"}}}
    answer = {"type": "object", "required": ["question", "answered"], "properties": {
        "answer_id": {"type": ["string", "null"],
                      "description": "回答の固定リンク用ID（/a/<id>、GET /api/v1/answers/<id>）"},
        "question": {"type": ["string", "null"]}, "answered": {"type": "boolean"},
        "direct_answer": {"type": ["string", "null"]}, "message": {"type": ["string", "null"]},
        "context": {"type": ["string", "null"], "description": "続きの質問が前の質問から受け継いだもの"},
        "table": {"type": ["object", "null"]}, "hits": {"type": "array", "items": hit},
        "page": {"type": "integer", "description": "候補の何ページ目か（0：最初の回答）"},
        "first": {"type": "integer", "description": "hits の最初の候補の番号"},
        "carried": {"type": ["object", "null"], "description": "続きの質問が受け継いだ話題（自治体・役職など）"}}}
    bearer = [{"bearer": []}]
    return {
        "openapi": "3.1.0",
        "info": {"title": "Hosakan API", "version": "1",
                 "description": "自治体のCIO・CDO・CIO補佐官の事例を、出典と時点つきで答えます。"},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "HOSAKAN_API_TOKENS のトークン"}},
            "schemas": {
                "Answer": answer,
                "Error": {"type": "object", "required": ["error", "message"], "properties": {
                    "error": {"type": "string"}, "message": {"type": "string", "description": "日本語の説明"}}},
            },
        },
        "paths": {
            "/api/v1/ask": {"post": {
                "summary": "質問する", "security": bearer,
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["question"], "properties": {
                        "question": {"type": "string", "minLength": 1, "maxLength": MAX_BODY, "pattern": NO_NUL},
                        "conversation": {"type": ["string", "null"], "minLength": 1, "maxLength": MAX_CONVERSATION,
                                         "pattern": NO_NUL,
                                         "description": "同じ名前の質問は一つの会話"
                                                        "（続きの質問が前の質問を受け継ぐ）"}}}}}},
                "responses": _responses({"description": "回答（答えられないときも answered=false で200）",
                                         "content": {"application/json": {
                                             "schema": {"$ref": "#/components/schemas/Answer"}}}},
                                        400, 401, 413, 429, 503)}},
            "/api/v1/feedback": {"post": {
                "summary": "回答を評価する（👍/👎）", "security": bearer,
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["answer_id", "helpful"], "properties": {
                        "answer_id": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": NO_NUL},
                        "helpful": {"type": "boolean"}}}}}},
                "responses": _responses({"description": "記録した", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"ok": {"type": "boolean"}, "message": {"type": "string"}}}}}},
                    400, 401, 404, 413, 429, 503)}},
            "/api/v1/answers/{answer_id}": {"get": {
                "summary": "固定リンクの回答を読む", "security": bearer,
                "parameters": [{"name": "answer_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": _responses({"description": "回答", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Answer"}}}}, 401, 404, 429, 503)}},
        },
    }

"""The HTTP API's settings: the bearer tokens clients present, and how often each may ask."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode

from hosakan.bot.settings import CONFIG, comma_separated


class ApiSettings(BaseSettings):
    model_config = CONFIG

    api_tokens: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="bearer tokens (comma-separated, each at least 16 characters); "
                                          "none = the API is off")
    api_requests_per_minute: int = Field(default=60, ge=1, le=100_000, description="per token")

    _split = field_validator("api_tokens", mode="before")(comma_separated)

    @field_validator("api_tokens")
    @classmethod
    def _long_enough(cls, tokens: list[str]) -> list[str]:
        if any(len(token) < 16 for token in tokens):
            raise ValueError("16 文字以上のトークンをカンマ区切りで指定してください"
                             "（例：openssl rand -hex 24 の出力）。")
        return tokens

    def mode(self) -> tuple[str, str]:
        if not self.api_tokens:
            return "off", "HOSAKAN_API_TOKENS が設定されていません"
        return "on", f"/api/v1：ベアラートークン{len(self.api_tokens)}個、各1分に{self.api_requests_per_minute}回まで"

"""The web chat's settings: who may open it when `serve` listens beyond this machine.

On a loopback address the page is open to whoever sits at the machine. On any other address it
needs a single-sign-on proxy that names the user in a header (HOSAKAN_WEB_USER_HEADER) or a shared
access code (HOSAKAN_WEB_ACCESS_CODE); with neither it stays off, and `serve` says why.
"""

from __future__ import annotations

import re

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings

from hosakan.bot.settings import CONFIG, is_loopback

HEADER_NAME = r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$"  # an HTTP field name (RFC 9110 token)


class WebSettings(BaseSettings):
    model_config = CONFIG

    web: bool = Field(default=True, description="false = no web chat even where it could run")
    web_user_header: str | None = Field(
        default=None,
        description="the header a trusted single-sign-on proxy sets to the signed-in user (e.g. X-Forwarded-User)")
    web_access_code: SecretStr | None = Field(default=None, description="a shared code to sign in with (8+ characters)")
    web_session_hours: int = Field(default=12, ge=1, le=24 * 30, description="how long a sign-in lasts")
    web_sign_ins_per_minute: int = Field(default=5, ge=1, le=1000, description="sign-in attempts per address")

    @field_validator("web_user_header")
    @classmethod
    def _header_name(cls, name: str | None) -> str | None:
        if name is None:
            return None
        if len(name) > 100 or not re.fullmatch(HEADER_NAME, name):
            raise ValueError("HTTP ヘッダーの名前（英数字とハイフン、例：X-Forwarded-User）を指定してください。")
        return name

    @field_validator("web_access_code")
    @classmethod
    def _long_enough(cls, code: SecretStr | None) -> SecretStr | None:
        if code is not None and len(code.get_secret_value().strip()) < 8:
            raise ValueError("8 文字以上の合言葉を指定してください。")
        return code

    def mode(self, host: str) -> tuple[str, str]:
        """("header" | "code" | "local" | "off", why)."""
        if not self.web:
            return "off", "HOSAKAN_WEB=false で止めています"
        if self.web_user_header:
            return "header", f"シングルサインオンのプロキシが {self.web_user_header} ヘッダーで示す利用者だけ"
        if self.web_access_code is not None:
            return "code", f"共有の合言葉でサインイン（有効 {self.web_session_hours} 時間）"
        if is_loopback(host):
            return "local", f"このマシンからだけ開けます（{host}）"
        return "off", (f"{host} はループバックではありません：Web チャットを開くには HOSAKAN_WEB_USER_HEADER"
                       "（シングルサインオンのプロキシ）か HOSAKAN_WEB_ACCESS_CODE（共有の合言葉）を設定してください")

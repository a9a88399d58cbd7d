"""The web chat's settings: who may open it when `serve` listens beyond this machine.

On a loopback address the page is open to whoever sits at the machine. On any other address it
needs a single-sign-on proxy that names the user in a header (HOSAKAN_WEB_USER_HEADER) or a shared
access code (HOSAKAN_WEB_ACCESS_CODE); with neither it stays off, and `serve` says why.
"""

from __future__ import annotations

import re

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings

from adapters.teams.settings import is_loopback
from bot.settings import CONFIG

HEADER_NAME = r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$"  # an HTTP field name (RFC 9110 token)


class WebSettings(BaseSettings):
    model_config = CONFIG

    web: bool = Field(default=True, description="false = no web chat even where it could run")
    web_user_header: str | None = Field(
        default=None, description="the header a trusted single-sign-on proxy sets to the signed-in user (e.g. X-Forwarded-User)")
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
            return "off", "HOSAKAN_WEB=false"
        if self.web_user_header:
            return "header", f"users named by the {self.web_user_header} header of the single-sign-on proxy"
        if self.web_access_code is not None:
            return "code", f"sign-in with the shared access code, {self.web_session_hours} h per sign-in"
        if is_loopback(host):
            return "local", f"open to this machine only ({host})"
        return "off", (f"{host} is not a loopback address: set HOSAKAN_WEB_USER_HEADER (a single-sign-on proxy) "
                       "or HOSAKAN_WEB_ACCESS_CODE (a shared access code) to open the web chat there")

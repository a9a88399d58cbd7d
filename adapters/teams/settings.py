"""Teams' settings: the Bot Framework credentials (MicrosoftAppId … as Microsoft names them, also
with the HOSAKAN_ prefix), the app package's details, who may run the admin commands, and where
「担当者に聞く」 goes.

Closed by default: Teams is off unless the credentials are set, or the Bot Framework Emulator's
unauthenticated local mode is asked for (HOSAKAN_TEAMS_LOCAL=true, on 127.0.0.1 only). Replies go
only to a serviceUrl on the allowlist: the Bot Connector's hosts, loopback in local mode, and
the URLs in HOSAKAN_TEAMS_SERVICE_URLS."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode

from hosakan.bot.settings import CONFIG, comma_separated, is_loopback


def _microsoft(name: str, prefixed: str) -> AliasChoices:
    return AliasChoices(name, f"HOSAKAN_{prefixed}")


# The hosts Microsoft's Bot Connector sends from: Teams (public cloud, GCC, GCC High, DoD) and
# the Bot Framework channels (Web Chat, Direct Line and their regional hosts).
CONNECTOR_HOSTS = ("smba.trafficmanager.net", "smba.infra.gcc.teams.microsoft.com",
                   "smba.infra.gov.teams.microsoft.us", "smba.infra.dod.teams.microsoft.us")
CONNECTOR_DOMAINS = (".botframework.com",)


class TeamsSettings(BaseSettings):
    model_config = CONFIG

    microsoft_app_id: str | None = Field(
        default=None, validation_alias=_microsoft("MicrosoftAppId", "MICROSOFT_APP_ID"))
    microsoft_app_password: str | None = Field(
        default=None, validation_alias=_microsoft("MicrosoftAppPassword", "MICROSOFT_APP_PASSWORD"))
    microsoft_app_type: str = Field(
        default="MultiTenant", validation_alias=_microsoft("MicrosoftAppType", "MICROSOFT_APP_TYPE"))
    microsoft_app_tenant_id: str | None = Field(
        default=None, validation_alias=_microsoft("MicrosoftAppTenantId", "MICROSOFT_APP_TENANT_ID"))
    teams_openid_metadata_url: str | None = Field(
        default=None, description="where Bot Framework token signing keys are read (default: Microsoft's)")
    teams_admins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Teams users (AAD object ids or user ids, comma-separated) allowed reindex, stats, gaps")
    teams_escalation_conversation: str | None = Field(
        default=None, description="Teams conversation id (a maintainers' channel) for 「担当者に聞く」")
    teams_app_name: str = "Hosakan"
    teams_app_version: str = "1.0.0"
    teams_developer_name: str = "Hosakan project"
    teams_developer_url: str = "https://example.org/hosakan"

    teams_local: bool = Field(default=False, description="the Bot Framework Emulator's local mode: no token "
                                                          "check, 127.0.0.1 only, replies to loopback only")
    teams_service_urls: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="serviceUrl prefixes replies may go to besides the Bot Connector's "
                                          "(comma-separated, e.g. a sovereign cloud's)")

    _split = field_validator("teams_admins", "teams_service_urls", mode="before")(comma_separated)

    def mode(self, host: str) -> tuple[str, str]:
        """("auth" | "local" | "off", why): tokens checked, the Emulator's local mode, or off."""
        app_id, password = self.microsoft_app_id, self.microsoft_app_password
        if app_id and password:
            return "auth", f"アプリ {app_id}（{self.microsoft_app_type}）の Bot Framework トークンを確かめます"
        if app_id or password:
            return "off", "MicrosoftAppId と MicrosoftAppPassword の両方を設定してください"
        if not self.teams_local:
            return "off", ("MicrosoftAppId／MicrosoftAppPassword が設定されていません"
                           "（Emulator で試すなら HOSAKAN_TEAMS_LOCAL=true）")
        if is_loopback(host):
            return "local", ("Bot Framework Emulator 用のローカルモード（HOSAKAN_TEAMS_LOCAL）："
                             "トークンを確かめません。127.0.0.1 だけ")
        return "off", (f"{host} では HOSAKAN_TEAMS_LOCAL を使えません：認証のないローカルモードは 127.0.0.1 だけです。"
                       "代わりに MicrosoftAppId／MicrosoftAppPassword を設定してください")

    def may_reply_to(self, service_url: str, mode: str) -> bool:
        """Whether replies may go to ``service_url``: the Bot Connector's hosts over https,
        loopback in local mode, or a URL under one listed in HOSAKAN_TEAMS_SERVICE_URLS."""
        try:
            parts = urlsplit(service_url)
        except ValueError:
            return False
        host = (parts.hostname or "").lower()
        under = service_url.rstrip("/") + "/"
        if any(under.startswith(allowed.rstrip("/") + "/") for allowed in self.teams_service_urls):
            return True
        if mode == "local":
            return parts.scheme in ("http", "https") and is_loopback(host)
        return parts.scheme == "https" and (host in CONNECTOR_HOSTS or host.endswith(CONNECTOR_DOMAINS))

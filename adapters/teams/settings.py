"""Teams' settings: the Bot Framework credentials (MicrosoftAppId … as Microsoft names them, also
with the HOSAKAN_ prefix), the app package's details, who may run the admin commands, and where
「担当者に聞く」 goes."""

from __future__ import annotations

import ipaddress
from typing import Annotated

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode

from bot.settings import CONFIG, comma_separated


def _microsoft(name: str, prefixed: str) -> AliasChoices:
    return AliasChoices(name, f"HOSAKAN_{prefixed}")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class TeamsSettings(BaseSettings):
    model_config = CONFIG

    microsoft_app_id: str | None = Field(default=None, validation_alias=_microsoft("MicrosoftAppId", "MICROSOFT_APP_ID"))
    microsoft_app_password: str | None = Field(
        default=None, validation_alias=_microsoft("MicrosoftAppPassword", "MICROSOFT_APP_PASSWORD"))
    microsoft_app_type: str = Field(default="MultiTenant", validation_alias=_microsoft("MicrosoftAppType", "MICROSOFT_APP_TYPE"))
    microsoft_app_tenant_id: str | None = Field(
        default=None, validation_alias=_microsoft("MicrosoftAppTenantId", "MICROSOFT_APP_TENANT_ID"))
    teams_openid_metadata_url: str | None = Field(
        default=None, description="where Bot Framework token signing keys are read (default: Microsoft's)")
    teams_admins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Teams users (AAD object ids or user ids, comma-separated) allowed reindex, stats, gaps")
    teams_escalation_conversation: str | None = Field(
        default=None, description="Teams conversation id (a maintainers' channel) for 「担当者に聞く」")
    teams_app_name: str = "Hosakan"
    teams_app_version: str = "1.0.0"
    teams_developer_name: str = "Hosakan project"
    teams_developer_url: str = "https://example.org/hosakan"

    _split = field_validator("teams_admins", mode="before")(comma_separated)

    def mode(self, host: str) -> tuple[str, str]:
        """("auth" | "local" | "off", why): tokens checked, the Emulator's local mode, or off."""
        app_id, password = self.microsoft_app_id, self.microsoft_app_password
        if app_id and password:
            return "auth", f"Bot Framework tokens checked for app {app_id} ({self.microsoft_app_type})"
        if app_id or password:
            return "off", "set both MicrosoftAppId and MicrosoftAppPassword"
        if is_loopback(host):
            return "local", "local mode for the Bot Framework Emulator: no token check, 127.0.0.1 only"
        return "off", (f"no MicrosoftAppId/MicrosoftAppPassword: the unauthenticated local mode is refused on "
                       f"{host}; set the credentials, or listen on 127.0.0.1")

"""Settings from environment variables (and a .env file), all prefixed HOSAKAN_ except the
platforms' own conventional names (SLACK_BOT_TOKEN ...), which also work with the prefix."""

from __future__ import annotations

from pathlib import Path

from typing import Annotated

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

CHECKOUT = Path(__file__).resolve().parent.parent


def _either(name: str) -> AliasChoices:
    return AliasChoices(name, f"HOSAKAN_{name}")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HOSAKAN_", env_file=".env", extra="ignore", populate_by_name=True)

    knowledge_dir: Path = Field(default=CHECKOUT / "knowledge")
    index_dir: Path = Field(default=CHECKOUT / "var" / "index")
    database_url: str = Field(default=f"sqlite:///{CHECKOUT / 'var' / 'hosakan.db'}",
                              description="where questions, feedback and escalations are recorded (any SQLAlchemy URL)")
    user_id_salt: str = Field(default="hosakan", description="secret salt for the hashed user ids")
    question_retention_days: int = Field(default=90, ge=1, description="days question text is kept")
    stale_review_months: int = Field(default=12, ge=1, description="records not reviewed for this long are listed by report")
    max_question_chars: int = Field(default=500, ge=20)
    hits: int = Field(default=3, ge=1, le=10)
    semantic: bool | None = Field(default=None, description="embed passages for hybrid search: unset = when the "
                                                             "semantic extra is installed, false = never")

    slack_admins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Slack user ids (comma-separated) allowed to run reindex, stats, gaps")
    teams_admins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Teams users (AAD object ids or user ids, comma-separated) allowed the same")
    escalation_contact: str = Field(default="ナレッジベースの担当者", description="who follows up (told to the asker)")
    slack_escalation_channel: str | None = Field(default=None, description="Slack channel id for 「担当者に聞く」")
    teams_escalation_conversation: str | None = Field(
        default=None, description="Teams conversation id (a maintainers' channel) for 「担当者に聞く」")

    host: str = "127.0.0.1"
    port: int = Field(default=3978, ge=0, le=65535, description="0 picks a free port")

    slack_bot_token: str | None = Field(default=None, validation_alias=_either("SLACK_BOT_TOKEN"))
    slack_signing_secret: str | None = Field(default=None, validation_alias=_either("SLACK_SIGNING_SECRET"))
    slack_app_token: str | None = Field(default=None, validation_alias=_either("SLACK_APP_TOKEN"))
    slack_api_url: str = Field(default="https://slack.com/api/", description="base of every Slack Web API call")

    microsoft_app_id: str | None = Field(default=None, validation_alias=AliasChoices("MicrosoftAppId", "HOSAKAN_MICROSOFT_APP_ID"))
    microsoft_app_password: str | None = Field(
        default=None, validation_alias=AliasChoices("MicrosoftAppPassword", "HOSAKAN_MICROSOFT_APP_PASSWORD"))
    microsoft_app_type: str = Field(default="MultiTenant", validation_alias=AliasChoices("MicrosoftAppType", "HOSAKAN_MICROSOFT_APP_TYPE"))
    microsoft_app_tenant_id: str | None = Field(
        default=None, validation_alias=AliasChoices("MicrosoftAppTenantId", "HOSAKAN_MICROSOFT_APP_TENANT_ID"))
    teams_openid_metadata_url: str | None = Field(
        default=None, description="where Bot Framework token signing keys are read (default: Microsoft's)")
    teams_app_name: str = "Hosakan"
    teams_app_version: str = "1.0.0"
    teams_developer_name: str = "Hosakan project"
    teams_developer_url: str = "https://example.org/hosakan"


    @field_validator("slack_admins", "teams_admins", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value


def get_settings() -> Settings:
    return Settings()

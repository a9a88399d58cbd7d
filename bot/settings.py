"""Settings from environment variables (and a .env file), all prefixed HOSAKAN_ except the
platforms' own conventional names (SLACK_BOT_TOKEN ...), which also work with the prefix."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

CHECKOUT = Path(__file__).resolve().parent.parent


def _either(name: str) -> AliasChoices:
    return AliasChoices(name, f"HOSAKAN_{name}")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HOSAKAN_", env_file=".env", extra="ignore", populate_by_name=True)

    knowledge_dir: Path = Field(default=CHECKOUT / "knowledge")
    index_dir: Path = Field(default=CHECKOUT / "var" / "index")
    feedback_log: Path = Field(default=CHECKOUT / "var" / "feedback.jsonl")
    user_id_salt: str = Field(default="hosakan", description="salt for the hashed user ids in the feedback log")
    max_question_chars: int = Field(default=500, ge=20)
    hits: int = Field(default=3, ge=1, le=10)

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


def get_settings() -> Settings:
    return Settings()

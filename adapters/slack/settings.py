"""Slack's settings: the app's credentials (Slack's own variable names, SLACK_BOT_TOKEN …, also
with the HOSAKAN_ prefix), who may run the admin commands, and where 「担当者に聞く」 goes."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode

from hosakan.bot.settings import CONFIG, comma_separated, either


class SlackSettings(BaseSettings):
    model_config = CONFIG

    slack_bot_token: str | None = Field(default=None, validation_alias=either("SLACK_BOT_TOKEN"))
    slack_signing_secret: str | None = Field(default=None, validation_alias=either("SLACK_SIGNING_SECRET"))
    slack_app_token: str | None = Field(default=None, validation_alias=either("SLACK_APP_TOKEN"))
    slack_api_url: str = Field(default="https://slack.com/api/", description="base of every Slack Web API call")
    slack_admins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Slack user ids (comma-separated) allowed to run reindex, stats, gaps")
    slack_escalation_channel: str | None = Field(default=None, description="Slack channel id for 「担当者に聞く」")

    _split = field_validator("slack_admins", mode="before")(comma_separated)

    def mode(self) -> tuple[str, str]:
        """("http" | "socket" | "off", why)."""
        if not self.slack_bot_token:
            return "off", "SLACK_BOT_TOKEN が設定されていません"
        if self.slack_app_token:
            return "socket", "ソケットモード（Socket Mode、SLACK_APP_TOKEN）"
        if self.slack_signing_secret:
            return "http", "HTTP モード（/slack/events）"
        return "off", "SLACK_SIGNING_SECRET（HTTP モード）か SLACK_APP_TOKEN（ソケットモード）を設定してください"

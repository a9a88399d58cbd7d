"""Settings from environment variables (and a .env file), prefixed HOSAKAN_. Each platform's
credentials live beside its adapter (adapters/<platform>/settings.py)."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

CHECKOUT = Path(__file__).resolve().parent.parent


def either(name: str) -> AliasChoices:
    """A platform's conventional name (SLACK_BOT_TOKEN), which also works with the prefix."""
    return AliasChoices(name, f"HOSAKAN_{name}")


def comma_separated(value: object) -> object:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


CONFIG = SettingsConfigDict(env_prefix="HOSAKAN_", env_file=".env", extra="ignore", populate_by_name=True)


class Settings(BaseSettings):
    model_config = CONFIG

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

    context_minutes: int = Field(default=30, ge=1, description="minutes of silence after which a conversation "
                                                               "forgets what it was about")
    escalation_contact: str = Field(default="ナレッジベースの担当者", description="who follows up (told to the asker)")

    host: str = "127.0.0.1"
    port: int = Field(default=3978, ge=0, le=65535, description="0 picks a free port")


def load_settings(kind: type[BaseSettings]) -> BaseSettings:
    """Settings of ``kind`` from the environment; a bad value ends the program with one line
    naming its environment variable, never a traceback."""
    try:
        return kind()
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "?"
        field = kind.model_fields.get(name)
        alias = field.validation_alias.choices[0] if field is not None and isinstance(field.validation_alias, AliasChoices) \
            else f"HOSAKAN_{name.upper()}"
        raise SystemExit(f"設定が正しくありません：環境変数 {alias}（{first['msg']}）") from None


def get_settings() -> Settings:
    return load_settings(Settings)

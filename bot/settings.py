"""Settings from environment variables (and a .env file), all prefixed HOSAKAN_ except the
platforms' own conventional names."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

CHECKOUT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HOSAKAN_", env_file=".env", extra="ignore")

    knowledge_dir: Path = Field(default=CHECKOUT / "knowledge")
    index_dir: Path = Field(default=CHECKOUT / "var" / "index")
    max_question_chars: int = Field(default=500, ge=20)
    hits: int = Field(default=3, ge=1, le=10)


def get_settings() -> Settings:
    return Settings()

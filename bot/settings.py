"""Settings from environment variables (and a .env file), prefixed HOSAKAN_. Each platform's
credentials live beside its adapter (adapters/<platform>/settings.py).

A bad value ends the command with one Japanese line naming the environment variable and what it
accepts (exit status 2), never a traceback: checked here, before anything opens the value.
"""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path
from typing import Annotated, get_args

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from hosakan.bot.operations.home import env_files, home
from hosakan.indexer.word_vectors import USE_FROM as WORDS_FROM
from hosakan.knowledge.loader import MAX_RECORD_BYTES


def either(name: str) -> AliasChoices:
    """A platform's conventional name (SLACK_BOT_TOKEN), which also works with the prefix."""
    return AliasChoices(name, f"HOSAKAN_{name}")


def is_loopback(host: str) -> bool:
    """Whether a host name or address is this machine's own (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def comma_separated(value: object) -> object:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


CONFIG = SettingsConfigDict(env_prefix="HOSAKAN_", env_file=".env", extra="ignore", populate_by_name=True)


class Settings(BaseSettings):
    model_config = CONFIG

    # the data directory (bot/operations/home.py: HOSAKAN_HOME, a checkout's var/, or ~/.local/share/hosakan)
    # and its parts
    home: Path = Field(default_factory=lambda: home().root,
                       description="the data directory: records, index, database, salt, .env")
    knowledge_dir: Path = Field(default_factory=lambda: home().knowledge)
    index_dir: Path = Field(default_factory=lambda: home().index)
    database_url: str = Field(default_factory=lambda: f"sqlite:///{home().database}",
                              description="where questions, feedback and escalations are recorded (any SQLAlchemy URL)")
    user_id_salt: str | None = Field(default=None, min_length=16,
                                     description="secret salt for the hashed user ids; unset = a random one "
                                                 "generated once and kept beside the database")
    question_retention_days: int = Field(default=90, ge=1, description="days question text is kept")
    kept_answers_mb: int = Field(default=200, ge=1, description="megabytes of kept answers (permalinks) at most; "
                                                                "beyond, the oldest are deleted each hour")
    stale_review_months: int = Field(default=12, ge=1,
                                     description="records not reviewed for this long are listed by report")
    max_question_chars: int = Field(default=500, ge=20)
    max_record_bytes: int = Field(default=MAX_RECORD_BYTES, ge=1_000,
                                  description="a record file larger than this is refused")
    hits: int = Field(default=3, ge=1, le=10)
    semantic: bool | None = Field(default=None, description="embed passages for hybrid search: unset = when the "
                                                             "semantic extra is installed, false = never")
    word_vectors_from: int = Field(default=WORDS_FROM, ge=0, description="passages from which an index is embedded "
                                   "by its words (fast) instead of by the model (about 40 passages/s)")

    context_minutes: int = Field(default=30, ge=1, description="minutes of silence after which a conversation "
                                                               "forgets what it was about")
    escalation_contact: str | None = Field(default=None, description="who answers a question passed on with "
                                                                  "担当者に聞く (told to the asker; "
                                                                  "unset: the maintainers)")

    workers: int = Field(default=0, ge=0, le=64, description="processes that answer questions in serve (0 = one per "
                                                             "CPU core; 1 = answer in the serving process)")
    host: str = "127.0.0.1"
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="on a loopback address, host names served besides localhost and "
                                          "loopback addresses (comma-separated; e.g. the name a reverse proxy "
                                          "passes on)")
    port: int = Field(default=3978, ge=0, le=65535, description="0 picks a free port")
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="the reverse proxies in front of serve, by address or network "
                                          "(comma-separated, e.g. 127.0.0.2 or 10.1.2.0/24); set, any other peer is "
                                          "refused, loopback /healthz excepted")

    _split = field_validator("allowed_hosts", "trusted_proxies", mode="before")(comma_separated)

    def build_options(self) -> dict:
        """What every build started from these settings is given (indexer.build.build)."""
        return {"semantic": self.semantic, "max_record_bytes": self.max_record_bytes,
                "words_from": self.word_vectors_from}

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        try:
            return [str(ipaddress.ip_network(item, strict=False)) for item in value]
        except ValueError:
            raise ValueError("IP アドレスかネットワーク（例 127.0.0.2、10.1.2.0/24）"
                             "をカンマ区切りで指定してください。") from None

    @field_validator("index_dir", "knowledge_dir")
    @classmethod
    def _a_folder(cls, value: Path) -> Path:
        if value.exists() and not value.is_dir():
            raise ValueError("ファイルではなくフォルダーのパスを指定してください。")
        return value

    @field_validator("database_url")
    @classmethod
    def _a_database(cls, value: str) -> str:
        """The URL parses and its driver is installed: found now, not at the first question."""
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError, NoSuchModuleError

        try:
            url = make_url(value)
            url.get_dialect().import_dbapi()
        except NoSuchModuleError:
            raise ValueError("知られていないデータベースです。"
                             "sqlite:/// などの SQLAlchemy の URL を指定してください。") from None
        except (ArgumentError, ValueError):
            raise ValueError("SQLAlchemy の URL（例 sqlite:///var/hosakan.db）を指定してください。") from None
        except ImportError as missing:
            raise ValueError(f"データベースのドライバー（{missing.name}）が入っていません。ドライバーを入れるか、"
                             "sqlite:/// の URL を指定してください。") from None
        return value


_ACCEPTS = {int: "整数", float: "数", bool: "true または false", Path: "パス", str: "文字列"}


def accepts(field) -> str:
    """What a field accepts, in words: 「1〜10 の整数」."""
    kinds = [a for a in (get_args(field.annotation) or (field.annotation,)) if a is not type(None)]
    kind = next((_ACCEPTS[k] for k in kinds if k in _ACCEPTS), None)
    if kinds and getattr(kinds[0], "__origin__", None) is list:
        kind = "カンマ区切りの一覧"
    low = next((m.ge for m in field.metadata if getattr(m, "ge", None) is not None), None)
    high = next((m.le for m in field.metadata if getattr(m, "le", None) is not None), None)
    shortest = next((m.min_length for m in field.metadata if getattr(m, "min_length", None) is not None), None)
    bound = ""
    if low is not None and high is not None:
        bound = f"{low}〜{high} の"
    elif low is not None:
        bound = f"{low} 以上の"
    elif high is not None:
        bound = f"{high} 以下の"
    elif shortest is not None:
        bound = f"{shortest} 文字以上の"
    return bound + (kind or "値")


def variable(kind: type[BaseSettings], name: str) -> str:
    """The environment variable a field is read from (its first alias, else HOSAKAN_NAME)."""
    field = kind.model_fields.get(name)
    if field is not None and isinstance(field.validation_alias, AliasChoices):
        return str(field.validation_alias.choices[0])
    return f"HOSAKAN_{name.upper()}"


def bad_setting(kind: type[BaseSettings], error: ValidationError) -> str:
    """One line for the first bad value: the variable and what it accepts (never the value: it may be a secret)."""
    first = error.errors()[0]
    name = str(first["loc"][0]) if first["loc"] else "?"
    field = kind.model_fields.get(name)
    where = f"設定が正しくありません：環境変数 {variable(kind, name)}"
    if first["type"] == "value_error":
        return f"{where}：{first['ctx']['error']}"
    return f"{where} には「{accepts(field) if field is not None else '正しい値'}」を指定してください。"


def load_settings(kind: type[BaseSettings]) -> BaseSettings:
    """Settings of ``kind`` from the environment; a bad value ends the program with one line on
    stderr naming its environment variable and what it accepts, exit status 2."""
    try:
        return kind(_env_file=env_files())
    except ValidationError as error:
        sys.stderr.write(bad_setting(kind, error) + "\n")
        raise SystemExit(2) from None


def get_settings() -> Settings:
    return load_settings(Settings)

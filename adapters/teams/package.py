"""The Teams app package: manifest.json and the two icons, zipped, for side-loading or the
organisation's app catalogue. Manifest schema v1.17."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from hosakan.adapters.teams.settings import TeamsSettings

MANIFEST_VERSION = "1.17"
SCHEMA = f"https://developer.microsoft.com/en-us/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
ICONS = Path(__file__).resolve().parent
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
SCOPES = ["personal", "team", "groupChat"]


class PackageError(ValueError):
    """The settings do not describe a Teams app yet."""


def manifest(settings: TeamsSettings) -> dict:
    app_id = settings.microsoft_app_id or ""
    if not GUID.match(app_id):
        raise PackageError("MicrosoftAppId must be the bot's Microsoft App ID (a GUID) from its Azure Bot registration")
    if not re.match(r"^\d+\.\d+\.\d+$", settings.teams_app_version):
        raise PackageError("HOSAKAN_TEAMS_APP_VERSION must look like 1.0.0")
    name = settings.teams_app_name[:30]
    return {
        "$schema": SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": settings.teams_app_version,
        "id": app_id,
        "developer": {
            "name": settings.teams_developer_name[:32],
            "websiteUrl": settings.teams_developer_url,
            "privacyUrl": settings.teams_developer_url,
            "termsOfUseUrl": settings.teams_developer_url,
        },
        "name": {"short": name, "full": f"{name}（補佐官）自治体CIO・CDO事例アシスタント"[:100]},
        "description": {
            "short": "自治体のCIO・CDO・CIO補佐官の事例を出典つきで答えます"[:80],
            "full": ("Hosakan（補佐官）は、自治体のCIO・CDO・CIO補佐官などの任用事例、CIOフォーラムの座談会、"
                     "総務省資料のデジタル人材に関する調査について、出典と時点を添えて答えるアシスタントです。"
                     "チャネルでは @Hosakan に続けて、個人チャットではそのまま質問してください。")[:4000],
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#1D4E89",
        "bots": [{
            "botId": app_id,
            "scopes": SCOPES,
            "supportsFiles": False,
            "isNotificationOnly": False,
            "commandLists": [{"scopes": SCOPES, "commands": [
                {"title": "help", "description": "使い方と質問の例を表示します"},
                {"title": "大阪府のCIO補佐官の任期は？", "description": "事例の質問の例"},
            ]}],
        }],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [],
    }


def write_package(settings: TeamsSettings, target: Path) -> Path:
    content = manifest(settings)
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(content, ensure_ascii=False, indent=2))
        archive.write(ICONS / "color.png", "color.png")
        archive.write(ICONS / "outline.png", "outline.png")
    return target

"""Hosakan as a Teams bot on the Bot Framework endpoint /api/messages.

Every botbuilder import lives in this package, so moving to the Microsoft 365 Agents SDK
(`microsoft-agents-hosting-*`, the same Activity protocol) is a change to this one module.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import uuid

from aiohttp import web
from botbuilder.core import CardFactory, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ActivityTypes
from botframework.connector.auth import AuthenticationConstants
from cachetools import TTLCache

from adapters.teams import cards
from bot.service import Hosakan, Reply
from bot.settings import Settings

log = logging.getLogger("hosakan.teams")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def teams_mode(settings: Settings) -> tuple[str, str]:
    """("auth" | "local" | "off", why)."""
    app_id, password = settings.microsoft_app_id, settings.microsoft_app_password
    if app_id and password:
        return "auth", f"Bot Framework tokens checked for app {app_id} ({settings.microsoft_app_type})"
    if app_id or password:
        return "off", "set both MicrosoftAppId and MicrosoftAppPassword"
    if is_loopback(settings.host):
        return "local", "local mode for the Bot Framework Emulator: no token check, 127.0.0.1 only"
    return "off", (f"no MicrosoftAppId/MicrosoftAppPassword: the unauthenticated local mode is refused on "
                   f"{settings.host}; set the credentials, or listen on 127.0.0.1")


class _Configuration:
    """The attribute names botbuilder's configuration-based authentication reads."""

    def __init__(self, settings: Settings, mode: str):
        authenticated = mode == "auth"
        self.APP_ID = settings.microsoft_app_id if authenticated else ""
        self.APP_PASSWORD = settings.microsoft_app_password if authenticated else ""
        self.APP_TYPE = settings.microsoft_app_type if authenticated else "MultiTenant"
        self.APP_TENANTID = settings.microsoft_app_tenant_id if authenticated else None
        if settings.teams_openid_metadata_url:
            # Signing keys read from elsewhere (staging, tests); everything else stays the public cloud's.
            self.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL = settings.teams_openid_metadata_url
            self.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL = settings.teams_openid_metadata_url
            self.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER = AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
            self.TO_CHANNEL_FROM_BOT_LOGIN_URL = AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL
            self.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE = AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
            self.OAUTH_URL = AuthenticationConstants.OAUTH_URL


def card_reply(card: dict, text: str) -> Activity:
    return Activity(type=ActivityTypes.message, text=text, text_format="plain",
                    attachments=[CardFactory.adaptive_card(card)])


class HosakanTeamsBot(TeamsActivityHandler):
    """Questions from channel mentions and 1:1 chats; card actions; one welcome per conversation."""

    def __init__(self, bot: Hosakan):
        self.bot = bot
        self.escalation = bot.settings.teams_escalation_conversation
        self.welcomed: TTLCache = TTLCache(maxsize=10_000, ttl=30 * 24 * 3600)

    def _asker(self, turn_context: TurnContext):
        user = turn_context.activity.from_property
        return self.bot.asker("teams", (user.aad_object_id or user.id) if user else "")

    async def _answer(self, turn_context: TurnContext, text: str) -> None:
        reply: Reply = await asyncio.to_thread(self.bot.handle, text, self._asker(turn_context))
        if reply.kind == "help":
            await turn_context.send_activity(card_reply(cards.help_card(), "Hosakanの使い方"))
        elif reply.kind == "notice":
            await turn_context.send_activity(card_reply(cards.notice_card(reply.text), reply.text[:200]))
        else:
            card = cards.answer_card(reply.answer, escalate=self.escalation is not None)
            await turn_context.send_activity(card_reply(card, cards.summary_text(reply.answer)))

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if isinstance(activity.value, dict) and "hosakan" in activity.value:
            await self._on_card_action(turn_context, activity.value)
            return
        text = TurnContext.remove_recipient_mention(activity) if activity.entities else activity.text
        await self._answer(turn_context, text or "")

    async def _on_card_action(self, turn_context: TurnContext, data: dict) -> None:
        action, question = data.get("hosakan"), str(data.get("q", ""))
        hit_ids = [str(h) for h in data.get("h", []) if isinstance(h, str)]
        if action in (cards.ACTION_UP, cards.ACTION_DOWN):
            await asyncio.to_thread(self.bot.feedback, self._asker(turn_context), question, hit_ids,
                                    action == cards.ACTION_UP)
            thanks = "フィードバックありがとうございました。" + ("" if action == cards.ACTION_UP else "いただいた声は回答の改善に活かします。")
            await turn_context.send_activity(card_reply(cards.notice_card(thanks), thanks))
        elif action == cards.ACTION_MORE:
            answer = await asyncio.to_thread(self.bot.ask, question)
            if not answer.more:
                await turn_context.send_activity(card_reply(cards.notice_card("他の候補はありません。"), "他の候補はありません。"))
                return
            others = answer.model_copy(update={"direct_answer": None, "message": None, "understood": None,
                                               "hits": answer.more, "more": []})
            await turn_context.send_activity(card_reply(cards.answer_card(others, title=f"「{question}」の他の候補"),
                                                        f"「{question[:60]}」の他の候補です。"))
        elif action == "ask":
            await self._answer(turn_context, question)
        elif action == cards.ACTION_ESCALATE and self.escalation:
            await self._escalate(turn_context, question, hit_ids)

    async def _escalate(self, turn_context: TurnContext, question: str, hit_ids: list[str]) -> None:
        """Post the question to the maintainers' conversation and tell the asker who follows up."""
        activity = turn_context.activity
        user = activity.from_property
        where = activity.conversation.id if activity.conversation else ""
        card = cards.escalation_card(question, hit_ids, user.name if user else "", where)
        connector = turn_context.turn_state.get(turn_context.adapter.BOT_CONNECTOR_CLIENT_KEY)
        forwarded = Activity(type=ActivityTypes.message, text=f"担当者への質問：{question[:200]}", text_format="plain",
                             attachments=[CardFactory.adaptive_card(card)])
        await connector.conversations.send_to_conversation(self.escalation, forwarded)
        if self.bot.history is not None:
            asker = self._asker(turn_context)
            await asyncio.to_thread(self.bot.history.record_escalation, "teams", asker.user_id, question, hit_ids,
                                    f"teams:{self.escalation}")
        thanks = f"{self.bot.settings.escalation_contact}に質問を転送しました。担当者からご連絡します。"
        await turn_context.send_activity(card_reply(cards.notice_card(thanks), thanks))

    async def on_teams_members_added(self, teams_members_added, team_info, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        bot_joined = any(member.id == activity.recipient.id for member in teams_members_added)
        conversation = activity.conversation.id if activity.conversation else ""
        if bot_joined and conversation not in self.welcomed:
            self.welcomed[conversation] = True
            await turn_context.send_activity(card_reply(cards.help_card(welcome=True), "はじめまして。Hosakan（補佐官）です。"))


class TeamsEndpoint:
    """The /api/messages endpoint: botbuilder's CloudAdapter in front of HosakanTeamsBot."""

    def __init__(self, settings: Settings, bot: Hosakan, mode: str):
        authentication = ConfigurationBotFrameworkAuthentication(_Configuration(settings, mode))
        self.adapter = CloudAdapter(authentication)
        self.adapter.on_turn_error = self._on_turn_error
        self.bot = HosakanTeamsBot(bot)
        self.authenticated = mode == "auth"

    async def _on_turn_error(self, turn_context: TurnContext, error: Exception) -> None:
        error_id = uuid.uuid4().hex[:8]
        log.error("Teams turn failed (error id %s)", error_id, exc_info=error)
        text = f"申し訳ありません。回答の作成中にエラーが発生しました。時間をおいてもう一度お試しください（エラーID：{error_id}）。"
        try:
            await turn_context.send_activity(card_reply(cards.notice_card(text), text))
        except Exception:  # the connector itself may be what failed
            log.exception("could not send the apology for error %s", error_id)

    async def _authenticate(self, request: web.Request) -> None:
        """Check the bearer token before the turn. botbuilder 4.17.1 checks it again in process(),
        but answers a token with a bad signature or endorsement with a 500, not a 401."""
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            raise web.HTTPUnauthorized()
        try:
            activity = Activity().deserialize(await request.json())
            await self.adapter.bot_framework_authentication.authenticate_request(activity, header)
        except Exception as error:  # any failure to prove the sender is Microsoft's is a refusal
            log.warning("refused a Teams request: %s", error)
            raise web.HTTPUnauthorized() from None

    async def messages(self, request: web.Request) -> web.StreamResponse:
        if self.authenticated and "application/json" in request.headers.get("Content-Type", ""):
            await self._authenticate(request)
        return await self.adapter.process(request, self.bot)

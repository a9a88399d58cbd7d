"""Hosakan as a Teams bot on the Bot Framework endpoint /api/messages: wiring and transport only.

Every botbuilder import lives in this module and inbound.py, and what they touch is the Activity
protocol itself (render.py builds each message's JSON; inbound.py reads fields by their protocol
names), so moving to the Microsoft 365 Agents SDK (`microsoft-agents-hosting-aiohttp`, the same
protocol on the same endpoint) is a change to this package alone.
"""

from __future__ import annotations

import asyncio
import logging
from http import HTTPStatus
from urllib.parse import urlsplit

from aiohttp import web
from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ActivityTypes, Attachment, Entity
from botframework.connector.auth import AuthenticationConstants
from cachetools import TTLCache
from msrest.serialization import Model

from hosakan.adapters.http import parse_json
from hosakan.adapters.teams import inbound, render
from hosakan.adapters.teams.settings import TeamsSettings
from hosakan.adapters.turns import in_turn
from hosakan.bot.chat.conversation import Conversation
from hosakan.bot.events import Apology, Forward, Notice, Reply, Shown
from hosakan.bot.sentences import officials

log = logging.getLogger("hosakan.teams")


class _Configuration:
    """The attribute names botbuilder's configuration-based authentication reads."""

    def __init__(self, settings: TeamsSettings, mode: str):
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


class _Entity(Entity):
    """An entity sent as given: botbuilder's Entity keeps only ``type`` when it is serialised, and a
    citation entity is all ``@type``, ``@context``, ``citation``."""

    _attribute_map = {**Entity._attribute_map, "additional_properties": {"key": "", "type": "{object}"}}

    def __init__(self, fields: dict):
        super().__init__(type=fields.get("type"))
        self.additional_properties = {k: v for k, v in fields.items() if k != "type"}


def activity_of(message: dict) -> Activity:
    """A message's JSON (render.py) as botbuilder's Activity."""
    return Activity(
        type=ActivityTypes.message, text=message.get("text"), text_format=message.get("textFormat"),
        attachments=[Attachment(content_type=a["contentType"], content=a["content"])
                     for a in message.get("attachments", [])] or None,
        entities=[_Entity(e) for e in message.get("entities", [])] or None,
        channel_data=message.get("channelData"),
    )


def invoke_response(status: int) -> InvokeResponse:
    """An invoke's answer: the status and an empty JSON object (Teams wants nothing more after a
    vote). The body is a schema model, not a dict: CloudAdapter 4.17.1 serialises it once more."""
    return InvokeResponse(status=int(status), body=Model())


class HosakanTeamsBot(TeamsActivityHandler):
    """Questions from channel mentions and chats; card buttons; one welcome per conversation."""

    def __init__(self, conversation: Conversation, settings: TeamsSettings):
        self.conversation = conversation
        self.settings = settings
        self.escalation = settings.teams_escalation_conversation
        self.welcomed: TTLCache = TTLCache(maxsize=10_000, ttl=30 * 24 * 3600)

    async def _send(self, turn_context: TurnContext, reply: Reply) -> None:
        message = render.render(reply, escalate=self.escalation is not None)
        sent = await turn_context.send_activity(activity_of(message))
        if render.takes_feedback(message) and sent is not None and sent.id:
            # Teams' 👍/👎 name only this message: keep what the vote needs (the question, the
            # hits, the carried topic) under its id, in the database every replica reads
            key = inbound.message_key(turn_context.activity.conversation.id, sent.id)
            await asyncio.to_thread(self.conversation.guarded, lambda: self._keep(key, reply))

    def _keep(self, key: str, reply: Reply) -> Reply:
        history = self.conversation.history
        if history is not None and isinstance(reply, Shown):
            kept = self.conversation.keep(reply, reply.answer.question)
            history.keep_message(key, kept["answer_id"])
        return reply

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        """Teams' 👍/👎 (``message/submitAction``): recorded with the 👎's reason, answered 200 with
        nothing posted in the chat. A vote on a message Hosakan keeps no answer for (another bot's,
        or past the retention period) is 200 with nothing recorded; an invoke that is not a vote, or
        one Hosakan does not take, is 400. Never a 5xx."""
        activity = turn_context.activity
        if activity.name != inbound.FEEDBACK_INVOKE:
            return invoke_response(HTTPStatus.BAD_REQUEST)
        vote = inbound.vote(activity)
        if vote is None:
            log.warning("refused a Teams feedback invoke that is not a like or dislike on a message")
            return invoke_response(HTTPStatus.BAD_REQUEST)
        asker = inbound.asker(activity, self.settings)
        where = inbound.conversation_of(activity)
        if not await in_turn(asker, self._vote, vote, asker, where):
            log.info("a Teams vote on a message Hosakan keeps no answer for: nothing recorded")
        return invoke_response(HTTPStatus.OK)

    def _vote(self, vote: inbound.Vote, asker, where: str) -> bool:
        """Record a vote against the answer its message shows; False when there is none to find."""
        history = self.conversation.history
        if history is None:
            return False
        try:
            kept = history.kept_message(vote.message)
        except Exception as error:  # noqa: BLE001 - the database cannot say: nothing recorded, logged with an id
            self.conversation.apology(error)
            return False
        if kept is None:
            return False
        action = self.conversation.action_on(kept, "up" if vote.helpful else "down")
        return not isinstance(self.conversation.act(action, asker, where, reason=vote.reason), Apology)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if inbound.is_action(activity):
            action, asker, where = inbound.action(activity, self.settings)
            reply = await in_turn(asker, self.conversation.act, action, asker, where)
            if isinstance(reply, Forward):
                reply = await self._forward(turn_context, reply)
        else:
            question = inbound.question(activity, self.settings)
            reply = await in_turn(question.asker, self.conversation.ask, question)
        await self._send(turn_context, reply)

    async def _forward(self, turn_context: TurnContext, reply: Forward) -> Reply:
        """Post the question to the maintainers' conversation; then tell the asker who follows up."""
        if not self.escalation:  # a stale button: nowhere to forward it, so never say it was
            return Notice(officials.NOT_OURS)
        where = inbound.conversation_of(turn_context.activity).removeprefix("teams:")
        connector = turn_context.turn_state.get(turn_context.adapter.BOT_CONNECTOR_CLIENT_KEY)
        await connector.conversations.send_to_conversation(
            self.escalation, activity_of(render.escalation_message(reply, where)))

        def record() -> Reply:
            reply.record(f"teams:{self.escalation}")
            return Notice(reply.notice)

        return await asyncio.to_thread(self.conversation.guarded, record)

    async def on_teams_members_added(self, teams_members_added, team_info, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        bot_joined = any(member.id == activity.recipient.id for member in teams_members_added)
        conversation = activity.conversation.id if activity.conversation else ""
        if bot_joined and conversation not in self.welcomed:
            self.welcomed[conversation] = True
            await self._send(turn_context, self.conversation.help(inbound.asker(activity, self.settings), welcome=True))


def _activity(body: object) -> Activity | None:
    """The activity in a request body, or None when it is not one Hosakan can answer: every
    activity from the Bot Connector has a type, a serviceUrl and a conversation id."""
    conversation = body.get("conversation") if isinstance(body, dict) else None
    if not (isinstance(body, dict) and isinstance(body.get("type"), str) and isinstance(body.get("serviceUrl"), str)
            and isinstance(conversation, dict) and isinstance(conversation.get("id"), str) and conversation["id"]):
        return None
    try:
        return Activity().deserialize(body)
    except Exception:  # noqa: BLE001 - msrest raises its own kinds for every shape it cannot read
        return None


def refused(status: int, why: str) -> web.Response:
    return web.json_response({"error": why}, status=status)


class TeamsEndpoint:
    """The /api/messages endpoint: botbuilder's CloudAdapter in front of HosakanTeamsBot, behind
    the checks botbuilder leaves out. A malformed request gets 400, an unproven sender 401, a
    serviceUrl off the allowlist 403 (no reply is sent there); never 500."""

    def __init__(self, conversation: Conversation, settings: TeamsSettings, mode: str):
        authentication = ConfigurationBotFrameworkAuthentication(_Configuration(settings, mode))
        self.adapter = CloudAdapter(authentication)
        self.adapter.on_turn_error = self._on_turn_error
        self.bot = HosakanTeamsBot(conversation, settings)
        self.settings = settings
        self.mode = mode

    async def _on_turn_error(self, turn_context: TurnContext, error: Exception) -> None:
        apology = self.bot.conversation.apology(error)
        try:
            if turn_context.activity.type == ActivityTypes.invoke:  # a vote: nothing in the chat, and no 5xx
                await turn_context.send_activity(Activity(type=ActivityTypes.invoke_response,
                                                          value=invoke_response(HTTPStatus.BAD_REQUEST)))
                return
            await turn_context.send_activity(activity_of(render.render(apology)))
        except Exception:  # the connector itself may be what failed
            log.exception("could not send the apology for error %s", apology.error_id)

    async def _authenticated(self, activity: Activity, request: web.Request) -> bool:
        """Check the bearer token before the turn. botbuilder 4.17.1 checks it again in process(),
        but answers a token with a bad signature or endorsement with a 500, not a 401."""
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return False
        try:
            await self.adapter.bot_framework_authentication.authenticate_request(activity, header)
        except Exception as error:  # noqa: BLE001 - any failure to prove the sender is Microsoft's is a refusal
            log.warning("refused a Teams request: %s", type(error).__name__)
            return False
        return True

    async def messages(self, request: web.Request) -> web.StreamResponse:
        if "application/json" not in request.headers.get("Content-Type", ""):
            return refused(400, "expected application/json")
        activity = _activity(parse_json(await request.read()))
        if activity is None:
            return refused(400, "not a Bot Framework activity (type, serviceUrl and conversation.id are needed)")
        if self.mode == "auth" and not await self._authenticated(activity, request):
            return refused(401, "unauthorized")
        if not self.settings.may_reply_to(activity.service_url, self.mode):
            log.warning("refused a Teams request whose serviceUrl (%s) is not on the allowlist",
                        urlsplit(activity.service_url).hostname or "?")
            return refused(403, "serviceUrl not allowed (HOSAKAN_TEAMS_SERVICE_URLS)")
        key = f"teams:{activity.conversation.id}:{activity.id}" if activity.id else None
        if key and not await asyncio.to_thread(self.bot.conversation.first_delivery, key):
            log.info("ignoring a repeated delivery")
            return web.Response(status=200)
        try:
            return await self.adapter.process(request, self.bot)
        except Exception as error:  # noqa: BLE001 - a request botbuilder cannot take is the sender's fault
            self.bot.conversation.apology(error)  # logs it with an error id
            return refused(400, "the activity could not be processed")

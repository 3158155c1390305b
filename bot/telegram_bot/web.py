"""`policybot serve`: the bot as a webhook server (Starlette on uvicorn, one process).

    POST /telegram (and the path of WEBHOOK_URL)   Telegram's updates
    GET  /healthz                                  200 while the bot runs, else 503

The PTB application is started and stopped inside the ASGI lifespan, so on SIGTERM
uvicorn stops taking requests, the lifespan drains the updates already acknowledged,
and only then does the process exit. facts.db, the question log and the inbox are
opened around the server, before uvicorn starts, so that a bad FACTS_DB or STATE_DB is
one clear line and exit status 2; they close after the lifespan has drained.

An update is acknowledged only once it is stored in the inbox (503 when it cannot be:
Telegram sends it again), and the updates a crash left unhandled are handled first at
start-up (intake.py). An update sent twice (Telegram retries when our 200 got lost) is
acknowledged both times and answered once.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import FrameType
from urllib.parse import urlsplit

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update

from bot.answering.responder import Responder
from bot.config import Settings
from bot.errors import StoreError
from bot.inbox import Inbox
from bot.state import QuestionLog
from bot.telegram_bot import application as telegram_app
from bot.telegram_bot import logs
from bot.telegram_bot.application import OpenResponder
from bot.telegram_bot.delivery import Delivery
from bot.telegram_bot.intake import Intake

WEBHOOK_PATH = "/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1 << 20  # bytes; Telegram's updates are a few kilobytes
STARTUP_FAILURE = 3  # the exit status `uvicorn.run` uses for the same case

log = logging.getLogger(__name__)


class Webhook:
    """The PTB application behind the webhook routes, running while the lifespan lasts."""

    def __init__(
        self,
        settings: Settings,
        responder: Responder,
        questions: QuestionLog | None = None,
        delivery: Delivery | None = None,
        *,
        inbox: Inbox,
    ) -> None:
        self.settings = settings
        self.intake = Intake(inbox)
        builder = telegram_app.application_builder(settings, delivery, self.intake)
        self.application = builder.updater(None).build()
        handlers = telegram_app.Handlers(responder, questions, settings.admin_ids)
        handlers.register(self.application)

    @asynccontextmanager
    async def lifespan(self, _: Starlette) -> AsyncIterator[None]:
        application = self.application
        async with application:
            await telegram_app.set_commands(application.bot)
            await self._set_webhook()
            await self.intake.replay(application.bot)  # before any request is taken
            await application.start()
            try:
                yield
            finally:
                await application.stop()

    async def _set_webhook(self) -> None:
        url, secret = self.settings.webhook_url, self.settings.webhook_secret
        if secret is None:
            log.warning("WEBHOOK_SECRET is not set: anyone who finds the URL can send updates")
        if url is None:
            log.info("WEBHOOK_URL is not set; not calling setWebhook")
            return
        await self.application.bot.set_webhook(
            url,
            secret_token=secret.value if secret else None,
            allowed_updates=telegram_app.ALLOWED_UPDATES,
        )

    async def health(self, request: Request) -> Response:
        running = self.application.running
        return PlainTextResponse("ok" if running else "stopped", 200 if running else 503)

    async def receive(self, request: Request) -> Response:
        """Check the secret, store and queue the update, then acknowledge it."""
        secret = self.settings.webhook_secret
        if secret is not None:
            given = request.headers.get(SECRET_HEADER, "").encode()
            if not hmac.compare_digest(given, secret.value.encode()):
                return Response(status_code=403)
        if not self.application.running:
            return Response(status_code=503)  # Telegram retries later
        body = await _read_body(request, MAX_BODY)
        if body is None:
            return Response(status_code=413)
        try:
            data = json.loads(body)
            update = Update.de_json(data, self.application.bot) if isinstance(data, dict) else None
        except (ValueError, TypeError, KeyError):
            update = None
        if update is None:
            return Response(status_code=400)
        try:
            await self.intake.receive(update, body.decode("utf-8", "replace"))
        except StoreError as exc:
            log.error("could not store update %s: %s", update.update_id, exc)
            return Response(status_code=503)  # Telegram sends it again later
        return Response(status_code=200)


async def _read_body(request: Request, limit: int) -> bytes | None:
    """The request body, or None when it is longer than `limit` bytes."""
    if int(request.headers.get("content-length") or 0) > limit:
        return None
    body = bytearray()
    async for part in request.stream():
        body += part
        if len(body) > limit:
            return None
    return bytes(body)


def create_app(
    settings: Settings,
    responder: Responder,
    questions: QuestionLog | None = None,
    delivery: Delivery | None = None,
    *,
    inbox: Inbox,
) -> Starlette:
    """The ASGI app: webhook routes and health check around one PTB application.

    `questions`, when given, and `inbox` must stay open while the app runs; `delivery`
    defaults to Telegram's limits."""
    webhook = Webhook(settings, responder, questions, delivery, inbox=inbox)
    paths = {WEBHOOK_PATH}
    if settings.webhook_url:
        paths.add(urlsplit(settings.webhook_url).path or "/")
    routes = [Route(p, webhook.receive, methods=["POST"]) for p in sorted(paths)]
    routes.append(Route("/healthz", webhook.health, methods=["GET"]))
    return Starlette(routes=routes, lifespan=webhook.lifespan)


def serve(settings: Settings, open_responder: OpenResponder) -> None:
    """`policybot serve`: listen on $PORT until SIGINT or SIGTERM."""
    logs.configure(settings)
    # uvicorn re-raises SIGTERM after its graceful shutdown; by then the bot has
    # stopped, so the signal means a clean exit rather than death by signal (143).
    signal.signal(signal.SIGTERM, _exit_cleanly)
    asyncio.run(_serve(settings, open_responder))


async def _serve(settings: Settings, open_responder: OpenResponder) -> None:
    async with (
        open_responder(settings.facts_db) as responder,
        telegram_app.question_log(settings) as questions,
        Inbox(settings.state_db) as inbox,
    ):
        config = uvicorn.Config(
            create_app(settings, responder, questions, inbox=inbox),
            host="0.0.0.0",  # a container must listen beyond loopback
            port=settings.port,
            lifespan="on",
            log_config=None,
            proxy_headers=True,
        )
        server = uvicorn.Server(config)
        await server.serve()
        if not server.started:
            raise SystemExit(STARTUP_FAILURE)


def _exit_cleanly(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)

"""`policybot serve`: the bot as a webhook server (Starlette on uvicorn, one process).

    POST <the path of WEBHOOK_URL>   Telegram's updates; nothing else takes them
    GET  /healthz                    200 while the bot runs, else 503

WEBHOOK_URL and WEBHOOK_SECRET are both required. A request without the exact secret
token gets 403 before its body is read; a body that is not a valid update gets a 4xx
(bodies.py); each refusal is one line in the log, never a traceback.

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
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import FrameType

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.answering.responder import Responder
from bot.config import Settings
from bot.conversations import ChatContexts
from bot.errors import StoreError
from bot.feedback.log import FeedbackLog
from bot.inbox import Inbox
from bot.state import QuestionLog
from bot.telegram_bot import application as telegram_app
from bot.telegram_bot import logs
from bot.telegram_bot.application import OpenResponder
from bot.telegram_bot.bodies import Refusal, update_from
from bot.telegram_bot.delivery import Delivery
from bot.telegram_bot.intake import Intake

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
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
        contexts: ChatContexts | None = None,
        feedback: FeedbackLog | None = None,
    ) -> None:
        self.hook = settings.webhook()
        self.intake = Intake(inbox)
        builder = telegram_app.application_builder(settings, delivery, self.intake)
        self.application = builder.updater(None).build()
        followups = telegram_app.Followups(contexts)
        handlers = telegram_app.Handlers(
            responder, questions, settings.admin_ids, followups=followups, feedback=feedback
        )
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
        await self.application.bot.set_webhook(
            self.hook.url,
            secret_token=self.hook.secret.value,
            allowed_updates=telegram_app.ALLOWED_UPDATES,
        )

    async def health(self, request: Request) -> Response:
        running = self.application.running
        return PlainTextResponse("ok" if running else "stopped", 200 if running else 503)

    async def receive(self, request: Request) -> Response:
        """Check the secret first, then the body; store and queue the update, then
        acknowledge it."""
        try:
            if not self.hook.secret.matches(request.headers.get(SECRET_HEADER, "")):
                raise Refusal(403, "the secret token is missing or wrong")
            if not self.application.running:
                return Response(status_code=503)  # Telegram retries later
            update = await update_from(request, self.application.bot)
        except Refusal as refusal:
            log.warning("webhook request refused with %d: %s", refusal.status, refusal.reason)
            return Response(status_code=refusal.status)
        try:
            await self.intake.receive(update)
        except StoreError as exc:
            log.error("could not store update %s: %s", update.update_id, exc)
            return Response(status_code=503)  # Telegram sends it again later
        return Response(status_code=200)


def create_app(
    settings: Settings,
    responder: Responder,
    questions: QuestionLog | None = None,
    delivery: Delivery | None = None,
    *,
    inbox: Inbox,
    contexts: ChatContexts | None = None,
    feedback: FeedbackLog | None = None,
) -> Starlette:
    """The ASGI app: webhook routes and health check around one PTB application.

    `questions`, `contexts` and `feedback`, when given, and `inbox` must stay open while
    the app runs; `delivery` defaults to Telegram's limits; without `contexts` the
    conversations' contexts are kept in memory; without `feedback` answers carry no 👍/👎."""
    webhook = Webhook(
        settings, responder, questions, delivery, inbox=inbox, contexts=contexts, feedback=feedback
    )
    routes = [
        Route(webhook.hook.path, webhook.receive, methods=["POST"]),
        Route("/healthz", webhook.health, methods=["GET"]),
    ]
    app = Starlette(routes=routes, lifespan=webhook.lifespan)
    app.router.redirect_slashes = False  # WEBHOOK_URL's path exactly, not a redirect to it
    return app


def serve(settings: Settings, open_responder: OpenResponder) -> None:
    """`policybot serve`: listen on $PORT until SIGINT or SIGTERM."""
    settings.webhook()  # without WEBHOOK_URL or WEBHOOK_SECRET, stop before anything opens
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
        telegram_app.chat_contexts(settings) as contexts,
        telegram_app.feedback_log(settings) as feedback,
    ):
        config = uvicorn.Config(
            create_app(
                settings, responder, questions, inbox=inbox, contexts=contexts, feedback=feedback
            ),
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

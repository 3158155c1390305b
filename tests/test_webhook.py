"""Webhook mode end to end: real HTTP into the Starlette app, the bot's calls out to the fake."""

from __future__ import annotations

import asyncio
import itertools
import os
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.answering.responder import Responder
from bot.config import PROJECT_ROOT, Secret, Settings
from bot.inbox import Inbox
from bot.state import QuestionLog
from bot.telegram_bot.web import MAX_BODY, SECRET_HEADER, WEBHOOK_PATH, create_app
from tests.bot_api_rules import visible_text
from tests.bots import quick_delivery, terminate_mid_reply
from tests.fake_bot_api import TOKEN, FakeBotAPI, Json, serve
from tests.updates import message

FACTS_DB = PROJECT_ROOT / "facts.db"
WEBHOOK_URL = "https://policybot.example/hook/t0ken-path"
SECRET = "s3cret_Token-1"
ANSWERED = "What is Decision 749?"
_update_ids = itertools.count(1)


def update(text: str) -> Json:
    return {"update_id": next(_update_ids), **message(text)}


def settings_for(api: FakeBotAPI) -> Settings:
    return Settings(
        token=Secret(TOKEN),
        api_url=f"{api.url}/bot",
        webhook_url=WEBHOOK_URL,
        webhook_secret=Secret(SECRET),
        facts_db=FACTS_DB,
    )


@pytest.fixture
async def questions(tmp_path: Path) -> AsyncIterator[QuestionLog]:
    async with QuestionLog(tmp_path / "questions.db", "k" * 32) as log:
        yield log


@pytest.fixture
async def inbox(tmp_path: Path) -> AsyncIterator[Inbox]:
    async with Inbox(tmp_path / "questions.db") as opened:
        yield opened


@pytest.fixture
async def server(
    api: FakeBotAPI, responder: Responder, questions: QuestionLog, inbox: Inbox
) -> AsyncIterator[httpx.AsyncClient]:
    """The webhook app served on loopback, lifespan included; a client pointed at it."""
    app = create_app(settings_for(api), responder, questions, quick_delivery(), inbox=inbox)
    async with serve(app, lifespan="on") as url, httpx.AsyncClient(base_url=url) as client:
        yield client


async def test_start_up_sets_the_webhook_with_its_secret(
    server: httpx.AsyncClient, api: FakeBotAPI
) -> None:
    assert api.webhook == {"url": WEBHOOK_URL, "secret_token": SECRET}
    [call] = api.of("setWebhook")
    assert "callback_query" in call.params["allowed_updates"]
    assert [c.params.get("language_code") for c in api.of("setMyCommands")] == [None, "vi"]


@pytest.mark.parametrize("path", [WEBHOOK_PATH, "/hook/t0ken-path"])
async def test_an_update_is_acknowledged_then_answered(
    server: httpx.AsyncClient, api: FakeBotAPI, path: str
) -> None:
    response = await server.post(path, json=update(ANSWERED), headers={SECRET_HEADER: SECRET})
    assert response.status_code == 200
    [sent] = await api.wait("sendMessage")
    assert "<blockquote>" in sent.params["text"]


@pytest.mark.parametrize(
    "headers",
    [{}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: SECRET + "x"}, {SECRET_HEADER: ""}],
    ids=["missing", "wrong", "longer", "empty"],
)
async def test_a_wrong_secret_is_refused_and_not_processed(
    server: httpx.AsyncClient, api: FakeBotAPI, headers: dict[str, str]
) -> None:
    response = await server.post(WEBHOOK_PATH, json=update(ANSWERED), headers=headers)
    assert response.status_code == 403
    # The same chat next, with the secret: one chat's updates are handled in order, so
    # an answer to the refused one would have come first.
    good = await server.post(WEBHOOK_PATH, json=update("/about"), headers={SECRET_HEADER: SECRET})
    assert good.status_code == 200
    [sent] = await api.wait("sendMessage")
    assert "no advice" in visible_text(sent.params["text"])


async def test_a_body_over_the_limit_is_refused_even_without_a_length(
    server: httpx.AsyncClient,
) -> None:
    async def body() -> AsyncIterator[bytes]:  # sent chunked: no content-length to go by
        for _ in range(MAX_BODY // 65536 + 2):
            yield b" " * 65536

    headers = {SECRET_HEADER: SECRET, "content-type": "application/json"}
    response = await server.post(WEBHOOK_PATH, content=body(), headers=headers)
    assert response.status_code == 413


async def test_an_update_sent_twice_is_answered_once(
    server: httpx.AsyncClient, api: FakeBotAPI
) -> None:
    twice = update(ANSWERED)
    headers = {SECRET_HEADER: SECRET}
    for body in (twice, twice, update("/about"), twice):
        assert (await server.post(WEBHOOK_PATH, json=body, headers=headers)).status_code == 200
    answer, about = await api.wait("sendMessage", 2)
    assert "<blockquote>" in answer.params["text"]
    assert "no advice" in visible_text(about.params["text"])
    await asyncio.sleep(0.2)  # time for a second answer, were there one
    assert len(api.of("sendMessage")) == 2


async def test_webhook_questions_are_logged(
    server: httpx.AsyncClient, api: FakeBotAPI, questions: QuestionLog
) -> None:
    headers = {SECRET_HEADER: SECRET}
    for text in (ANSWERED, "/about"):  # /about: in the same chat, so after the logging
        await server.post(WEBHOOK_PATH, json=update(text), headers=headers)
    await api.wait("sendMessage", 2)
    report = await questions.report()
    assert (report.total, report.by_kind) == (1, {"answer": 1})


@pytest.mark.parametrize(
    ("body", "status"),
    [(b"{not json", 400), (b"[1, 2]", 400), (b"{}", 400), (b" " * (2 << 20), 413)],
    ids=["malformed", "not-an-object", "not-an-update", "too-large"],
)
async def test_a_bad_body_is_refused(server: httpx.AsyncClient, body: bytes, status: int) -> None:
    headers = {SECRET_HEADER: SECRET, "content-type": "application/json"}
    response = await server.post(WEBHOOK_PATH, content=body, headers=headers)
    assert response.status_code == status


async def test_healthz_reports_running(server: httpx.AsyncClient) -> None:
    response = await server.get("/healthz")
    assert (response.status_code, response.text) == (200, "ok")


async def test_healthz_and_webhook_report_503_when_the_bot_is_not_running(
    api: FakeBotAPI, responder: Responder, inbox: Inbox
) -> None:
    # ASGITransport runs no lifespan, so the application is built but never started.
    transport = httpx.ASGITransport(app=create_app(settings_for(api), responder, inbox=inbox))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        assert (await client.get("/healthz")).status_code == 503
        headers = {SECRET_HEADER: SECRET}
        response = await client.post(WEBHOOK_PATH, json=update(ANSWERED), headers=headers)
        assert response.status_code == 503
    assert api.calls == []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def test_sigterm_while_answering_finishes_the_replies_and_exits_0(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    """`policybot serve` as a process: updates already acknowledged are still answered."""
    port = free_port()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": f"{api.url}/bot",
        "WEBHOOK_SECRET": SECRET,
        "PORT": str(port),
        "FACTS_DB": str(FACTS_DB),
        "STATE_DB": str(tmp_path / "questions.db"),
    }
    env.pop("WEBHOOK_URL", None)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "serve", env=env, stderr=asyncio.subprocess.PIPE
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            await _until_healthy(client)
            api.gate = asyncio.Event()
            headers = {SECRET_HEADER: SECRET}
            for text in (ANSWERED, "/about"):
                response = await client.post(WEBHOOK_PATH, json=update(text), headers=headers)
                assert response.status_code == 200
            status, log = await terminate_mid_reply(api, proc)
    finally:
        if proc.returncode is None:  # start-up failed before the helper took over
            proc.kill()
            await proc.wait()
    assert status == 0, log
    sent = api.of("sendMessage")
    assert len(sent) == 2 and "<blockquote>" in sent[0].params["text"]
    assert api.of("setWebhook") == []  # no WEBHOOK_URL, no setWebhook
    assert TOKEN not in log


async def _until_healthy(client: httpx.AsyncClient, timeout: float = 15.0) -> None:
    async with asyncio.timeout(timeout):
        while True:
            try:
                if (await client.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)

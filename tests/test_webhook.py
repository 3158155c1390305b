"""Webhook mode end to end: real HTTP into the Starlette app, the bot's calls out to the fake."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.answering.responder import Responder
from bot.inbox import Inbox
from bot.state import QuestionLog
from bot.telegram_bot.bodies import MAX_BODY
from bot.telegram_bot.web import SECRET_HEADER, create_app
from tests.bot_api_rules import visible_text
from tests.bots import (
    ADMIN,
    FACTS_DB,
    WEBHOOK_PATH,
    WEBHOOK_SECRET,
    WEBHOOK_URL,
    quick_delivery,
    terminate_mid_reply,
    webhook_settings,
)
from tests.fake_bot_api import TOKEN, FakeBotAPI, Json, serve
from tests.updates import message, numbered, private

SECRET = WEBHOOK_SECRET
ANSWERED = "What is Decision 749?"


def update(text: str) -> Json:
    return numbered(message(text))


async def test_start_up_sets_the_webhook_with_its_secret(
    server: httpx.AsyncClient, api: FakeBotAPI
) -> None:
    assert api.webhook == {"url": WEBHOOK_URL, "secret_token": SECRET}
    [call] = api.of("setWebhook")
    assert "callback_query" in call.params["allowed_updates"]
    assert [c.params.get("language_code") for c in api.of("setMyCommands")] == [None, "vi"]


async def test_an_update_is_acknowledged_then_answered(
    server: httpx.AsyncClient, api: FakeBotAPI
) -> None:
    headers = {SECRET_HEADER: SECRET}
    response = await server.post(WEBHOOK_PATH, json=update(ANSWERED), headers=headers)
    assert response.status_code == 200
    [sent] = await api.wait("sendMessage")
    assert "<blockquote>" in sent.params["text"]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("POST", "/telegram", 404),  # a fixed path would be no secret at all
        ("POST", "/hook", 404),
        ("POST", WEBHOOK_PATH + "/", 404),
        ("POST", "/", 404),
        ("GET", WEBHOOK_PATH, 405),
    ],
    ids=["old-fixed-path", "parent", "trailing-slash", "root", "get"],
)
async def test_updates_are_taken_only_at_the_path_of_webhook_url(
    server: httpx.AsyncClient, api: FakeBotAPI, method: str, path: str, status: int
) -> None:
    headers = {SECRET_HEADER: SECRET}
    response = await server.request(method, path, json=update(ANSWERED), headers=headers)
    assert response.status_code == status
    good = await server.post(WEBHOOK_PATH, json=update("/about"), headers=headers)
    assert good.status_code == 200
    [sent] = await api.wait("sendMessage")  # the same chat: only /about was answered
    assert "no advice" in visible_text(sent.params["text"])


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


async def test_a_webhook_url_with_an_encoded_path_is_routed(
    api: FakeBotAPI, responder: Responder, inbox: Inbox
) -> None:
    url = "https://policybot.example/h%C3%B3ok%20x"
    settings = webhook_settings(api, webhook_url=url)
    app = create_app(settings, responder, None, quick_delivery(), inbox=inbox)
    async with serve(app, lifespan="on") as base, httpx.AsyncClient(base_url=base) as client:
        headers = {SECRET_HEADER: SECRET}
        response = await client.post("/h%C3%B3ok%20x", json=update("/about"), headers=headers)
        assert response.status_code == 200
        await api.wait("sendMessage")


@pytest.mark.parametrize(
    ("headers", "status", "replies"),
    [({}, 403, 1), ({SECRET_HEADER: SECRET}, 200, 2)],
    ids=["without-the-secret", "with-the-secret"],
)
async def test_a_forged_stats_request_never_gets_the_report(
    server: httpx.AsyncClient, api: FakeBotAPI, headers: dict[str, str], status: int, replies: int
) -> None:
    """An admin's user id in a private chat that is not theirs: only a forger sends that."""
    forged = {"id": 777, "type": "private", "first_name": "Mallory"}
    stats = numbered(message("/stats", user=ADMIN, chat=forged))
    assert (await server.post(WEBHOOK_PATH, json=stats, headers=headers)).status_code == status
    about = numbered(message("/about", user=ADMIN, chat=forged))  # the same chat, so after it
    await server.post(WEBHOOK_PATH, json=about, headers={SECRET_HEADER: SECRET})
    sent = await api.wait("sendMessage", replies)
    assert all("questions logged" not in visible_text(c.params["text"]) for c in sent)
    # The admin in their own chat does get it.
    own = numbered(message("/stats", user=ADMIN, chat=private(ADMIN)))
    await server.post(WEBHOOK_PATH, json=own, headers={SECRET_HEADER: SECRET})
    report = (await api.wait("sendMessage", replies + 1))[-1]
    assert report.params["chat_id"] == ADMIN["id"]
    assert "questions logged" in visible_text(report.params["text"])


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


async def test_healthz_reports_running(server: httpx.AsyncClient) -> None:
    response = await server.get("/healthz")
    assert (response.status_code, response.text) == (200, "ok")


async def test_healthz_and_webhook_report_503_when_the_bot_is_not_running(
    api: FakeBotAPI, responder: Responder, inbox: Inbox
) -> None:
    # ASGITransport runs no lifespan, so the application is built but never started.
    transport = httpx.ASGITransport(app=create_app(webhook_settings(api), responder, inbox=inbox))
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
        "WEBHOOK_URL": WEBHOOK_URL,
        "WEBHOOK_SECRET": SECRET,
        "PORT": str(port),
        "FACTS_DB": str(FACTS_DB),
        "STATE_DB": str(tmp_path / "questions.db"),
    }
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
    assert api.webhook == {"url": WEBHOOK_URL, "secret_token": SECRET}
    assert TOKEN not in log


@pytest.mark.parametrize(
    ("missing", "fix"),
    [("WEBHOOK_SECRET", "openssl rand -hex 32"), ("WEBHOOK_URL", "https://")],
)
async def test_serve_refuses_to_start_without_its_url_or_secret(
    api: FakeBotAPI, tmp_path: Path, missing: str, fix: str
) -> None:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": f"{api.url}/bot",
        "WEBHOOK_URL": WEBHOOK_URL,
        "WEBHOOK_SECRET": SECRET,
        "PORT": str(free_port()),
        "FACTS_DB": str(FACTS_DB),
        "STATE_DB": str(tmp_path / "questions.db"),
    }
    del env[missing]
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "serve", env=env, stderr=asyncio.subprocess.PIPE
    )
    try:
        _, err = await asyncio.wait_for(proc.communicate(), 20)
    finally:
        if proc.returncode is None:  # it started: kill it, and the test fails below
            proc.kill()
            await proc.wait()
    [line] = err.decode().splitlines()
    assert proc.returncode == 2
    assert line.startswith(f"policybot: {missing} is not set") and fix in line
    assert api.calls == [] and not (tmp_path / "questions.db").exists()


async def _until_healthy(client: httpx.AsyncClient, timeout: float = 15.0) -> None:
    async with asyncio.timeout(timeout):
        while True:
            try:
                if (await client.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)

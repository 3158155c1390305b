import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.config import Secret, Settings
from bot.errors import ConfigError

TOKEN = "123456789:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ"


def test_defaults_without_environment() -> None:
    settings = Settings.from_env({})
    assert settings.token is None
    assert settings.port == 8080
    assert settings.facts_db.name == "facts.db"


def test_reads_every_variable() -> None:
    settings = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": "http://127.0.0.1:9/bot/",
            "WEBHOOK_URL": "https://example.org/hook",
            "WEBHOOK_SECRET": "s3cret_-",
            "PORT": "9000",
            "FACTS_DB": "/data/facts.db",
            "LOG_LEVEL": "debug",
            "STATE_DB": "/data/q.db",
            "HASH_KEY": "0123456789abcdef",
            "RETENTION_DAYS": "30",
            "ADMIN_IDS": "12, 34",
        }
    )
    assert settings.token is not None
    assert settings.token.value == TOKEN
    assert settings.api_url == "http://127.0.0.1:9/bot"
    assert settings.port == 9000
    assert settings.facts_db == Path("/data/facts.db")
    assert settings.log_level == "DEBUG"
    assert settings.state_db == Path("/data/q.db")
    assert settings.retention_days == 30
    assert settings.admin_ids == {12, 34}
    assert "0123456789abcdef" not in repr(settings)


def test_token_never_shows_in_repr_or_str() -> None:
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN})
    assert TOKEN not in repr(settings)
    assert TOKEN not in str(settings.token)
    assert TOKEN not in f"{settings}"
    assert TOKEN not in f"{settings.token}"


@pytest.mark.parametrize(
    ("use", "error"),
    [
        pytest.param(json.dumps, TypeError, id="json-dumps"),
        pytest.param(lambda s: s + "", TypeError, id="concatenated"),
        pytest.param(lambda s: "" + s, TypeError, id="concatenated-to"),
        pytest.param(lambda s: b"" + s, TypeError, id="concatenated-to-bytes"),
        pytest.param(lambda s: s.encode(), AttributeError, id="encoded"),
        pytest.param(lambda s: s.partition(":"), AttributeError, id="str-method"),
        pytest.param(lambda s: f"{s:>60}", TypeError, id="formatted-with-a-spec"),
        pytest.param(lambda s: setattr(s, "_value", "x"), AttributeError, id="changed"),
    ],
)
def test_a_secret_cannot_be_used_as_text_by_accident(
    use: Callable[[Any], object], error: type[Exception]
) -> None:
    secret = Secret(TOKEN)
    assert not isinstance(secret, str | bytes)
    with pytest.raises(error) as info:
        use(secret)
    assert TOKEN not in str(info.value)
    assert secret.value == TOKEN


def test_a_secret_matches_only_itself() -> None:
    secret = Secret("s3cret_-")
    assert secret.matches("s3cret_-")
    assert not any(secret.matches(s) for s in ("", "s3cret_", "s3cret_--", "S3CRET_-", "é"))


@pytest.mark.parametrize(
    "url",
    [
        "https://api.telegram.org/bot",
        "https://bot-api.example.org:8443",
        "http://localhost:8081",
        "http://127.0.0.1:8081/bot",
        "http://127.45.6.7",
        "http://[::1]:8081",
    ],
)
def test_api_urls_accepted(url: str) -> None:
    assert Settings.from_env({"TELEGRAM_API_URL": url}).api_url == url.rstrip("/")


@pytest.mark.parametrize(
    ("url", "says"),
    [
        pytest.param("http://api.telegram.org/bot", "clear text", id="http-public"),
        pytest.param("http://10.0.0.5:8081", "clear text", id="http-private-net"),
        pytest.param("http://localhost.example.org", "clear text", id="http-localhost-lookalike"),
        pytest.param("http://128.0.0.1", "clear text", id="http-past-127/8"),
        pytest.param("https://[::1", "http(s) address", id="broken-ipv6"),
        pytest.param("https://api.telegram.org:99999", "http(s) address", id="port-range"),
        pytest.param("https://api.tele gram.org", "http(s) address", id="space-in-host"),
        pytest.param("https://", "http(s) address", id="no-host"),
    ],
)
def test_api_urls_refused(url: str, says: str) -> None:
    with pytest.raises(ConfigError, match="TELEGRAM_API_URL") as info:
        Settings.from_env({"TELEGRAM_API_URL": url})
    assert says in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("env", "name", "fix"),
    [
        pytest.param({"WEBHOOK_URL": "https://x.org/h"}, "WEBHOOK_SECRET", "openssl", id="secret"),
        pytest.param({"WEBHOOK_SECRET": "s3cret"}, "WEBHOOK_URL", "https://", id="url"),
    ],
)
def test_the_webhook_needs_both_its_url_and_its_secret(
    env: dict[str, str], name: str, fix: str
) -> None:
    with pytest.raises(ConfigError, match=name) as info:
        Settings.from_env(env).webhook()
    assert fix in str(info.value)


def test_the_webhook_path_is_that_of_its_url() -> None:
    env = {"WEBHOOK_URL": "https://x.org/hook/t0k?a=1", "WEBHOOK_SECRET": "s3cret"}
    assert Settings.from_env(env).webhook().path == "/hook/t0k"
    assert Settings.from_env({**env, "WEBHOOK_URL": "https://x.org"}).webhook().path == "/"
    encoded = {**env, "WEBHOOK_URL": "https://x.org/h%C3%B3ok%20x"}
    assert Settings.from_env(encoded).webhook().path == "/hóok x"


@pytest.mark.parametrize(
    ("env", "name"),
    [
        pytest.param({"TELEGRAM_BOT_TOKEN": "nope"}, "TELEGRAM_BOT_TOKEN", id="token"),
        pytest.param({"PORT": "http"}, "PORT", id="port-text"),
        pytest.param({"PORT": "70000"}, "PORT", id="port-range"),
        pytest.param({"TELEGRAM_API_URL": "ftp://x"}, "TELEGRAM_API_URL", id="api-url"),
        pytest.param({"WEBHOOK_URL": "http://x"}, "WEBHOOK_URL", id="webhook-http"),
        pytest.param({"WEBHOOK_SECRET": "has space"}, "WEBHOOK_SECRET", id="secret"),
        pytest.param({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL", id="log-level"),
        pytest.param({"RETENTION_DAYS": "0"}, "RETENTION_DAYS", id="retention"),
        pytest.param({"ADMIN_IDS": "12,abc"}, "ADMIN_IDS", id="admin-ids"),
        pytest.param({"HASH_KEY": "short"}, "HASH_KEY", id="hash-key"),
    ],
)
def test_bad_values_name_the_variable(env: dict[str, str], name: str) -> None:
    with pytest.raises(ConfigError, match=name):
        Settings.from_env(env)


def test_malformed_token_error_does_not_echo_it() -> None:
    with pytest.raises(ConfigError) as info:
        Settings.from_env({"TELEGRAM_BOT_TOKEN": "secret-ish-value"})
    assert "secret-ish-value" not in str(info.value)

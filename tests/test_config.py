from pathlib import Path

import pytest

from bot.config import Settings
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

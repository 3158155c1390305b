"""Settings read once from the environment; errors name the variable and the fix."""

from __future__ import annotations

import hmac
import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bot.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_API_URL = "https://api.telegram.org/bot"
_TOKEN = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{30,64}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_HOST = re.compile(r"^[A-Za-z0-9.:-]+$")  # a name, an IPv4 or an IPv6 address
_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


class Secret:
    """A token or key that cannot leave by accident: not a `str`, so it cannot be
    concatenated, encoded, JSON-dumped or formatted into a log line; its repr and str
    are masked. `.value` is the one way to the text, to be used only where it is sent."""

    __slots__ = ("_value",)
    _value: str

    def __init__(self, value: str) -> None:
        object.__setattr__(self, "_value", value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a Secret cannot be changed")

    def __repr__(self) -> str:
        return "Secret('**********')"

    def __str__(self) -> str:
        return "**********"

    @property
    def value(self) -> str:
        return self._value

    def matches(self, given: str) -> bool:
        """Whether `given` is this secret, compared in constant time."""
        return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), self._value.encode())


@dataclass(frozen=True, slots=True)
class WebhookSettings:
    """What `policybot serve` needs on top of the token: both are required."""

    url: str
    secret: Secret

    @property
    def path(self) -> str:
        """The only path the server takes updates at: the path of WEBHOOK_URL, decoded as
        the server sees requests' paths."""
        return unquote(urlsplit(self.url).path) or "/"


@dataclass(frozen=True, slots=True)
class Settings:
    token: Secret | None = None
    api_url: str = DEFAULT_API_URL
    webhook_url: str | None = None
    webhook_secret: Secret | None = None
    port: int = 8080
    facts_db: Path = field(default=PROJECT_ROOT / "facts.db")
    log_level: str = "INFO"
    state_db: Path = field(default=PROJECT_ROOT / "state" / "questions.db")
    hash_key: Secret | None = None
    retention_days: int = 90
    admin_ids: frozenset[int] = frozenset()
    proxy: str | None = None
    state_db_set: bool = False  # STATE_DB given: the console logs its questions too

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Read TELEGRAM_BOT_TOKEN, TELEGRAM_API_URL, WEBHOOK_URL, WEBHOOK_SECRET, PORT,
        FACTS_DB, LOG_LEVEL, STATE_DB, HASH_KEY, RETENTION_DAYS, ADMIN_IDS and TELEGRAM_PROXY
        from `env`
        (normally os.environ)."""

        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        token = get("TELEGRAM_BOT_TOKEN")
        if token is not None and not _TOKEN.match(token):
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is malformed; copy the token BotFather gave you"
                " (digits, a colon, then 30+ letters, digits, - or _)"
            )
        api_url = _api_url(get("TELEGRAM_API_URL") or DEFAULT_API_URL)
        webhook_url = get("WEBHOOK_URL")
        if webhook_url is not None and not webhook_url.startswith("https://"):
            raise ConfigError("WEBHOOK_URL must be a public https:// address")
        secret = get("WEBHOOK_SECRET")
        if secret is not None and not _SECRET.match(secret):
            raise ConfigError("WEBHOOK_SECRET must be 1-256 of A-Z, a-z, 0-9, _ and -")
        port_text = get("PORT") or "8080"
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise ConfigError(f"PORT must be a number from 1 to 65535, not {port_text!r}")
        level = (get("LOG_LEVEL") or "INFO").upper()
        if level not in _LEVELS:
            raise ConfigError(f"LOG_LEVEL must be one of {', '.join(_LEVELS)}")
        facts = get("FACTS_DB")
        retention = get("RETENTION_DAYS") or "90"
        if not retention.isdigit() or int(retention) < 1:
            raise ConfigError(
                f"RETENTION_DAYS must be a whole number of days >= 1, not {retention!r}"
            )
        admins = (get("ADMIN_IDS") or "").replace(",", " ").split()
        if not all(a.lstrip("-").isdigit() for a in admins):
            raise ConfigError("ADMIN_IDS must be Telegram user ids separated by commas or spaces")
        hash_key = get("HASH_KEY")
        if hash_key is not None and len(hash_key) < 16:
            raise ConfigError("HASH_KEY must be at least 16 characters; use a long random string")
        state = get("STATE_DB")
        proxy = get("TELEGRAM_PROXY")
        if proxy is not None and not proxy.startswith(("http://", "https://", "socks5://")):
            raise ConfigError(
                "TELEGRAM_PROXY must start with http://, https:// or socks5://"
                " (HTTPS_PROXY and ALL_PROXY are honoured without it)"
            )
        return cls(
            token=Secret(token) if token else None,
            api_url=api_url,
            webhook_url=webhook_url,
            webhook_secret=Secret(secret) if secret else None,
            port=int(port_text),
            facts_db=Path(facts) if facts else PROJECT_ROOT / "facts.db",
            log_level=level,
            state_db=Path(state) if state else PROJECT_ROOT / "state" / "questions.db",
            hash_key=Secret(hash_key) if hash_key else None,
            retention_days=int(retention),
            admin_ids=frozenset(int(a) for a in admins),
            proxy=proxy,
            state_db_set=bool(state),
        )

    def webhook(self) -> WebhookSettings:
        """WEBHOOK_URL and WEBHOOK_SECRET, which `policybot serve` cannot run without."""
        if self.webhook_secret is None:
            raise ConfigError(
                "WEBHOOK_SECRET is not set; serve refuses to run without it:"
                " make one with `openssl rand -hex 32`"
            )
        if self.webhook_url is None:
            raise ConfigError(
                "WEBHOOK_URL is not set; serve needs the public https:// address"
                " Telegram posts to, e.g. https://policybot.example.com/telegram"
            )
        return WebhookSettings(self.webhook_url, self.webhook_secret)


def _api_url(url: str) -> str:
    """TELEGRAM_API_URL checked: https://, or http:// only to this machine, since the
    token is part of every request's path."""
    malformed = ConfigError(
        "TELEGRAM_API_URL must be an http(s) address such as https://api.telegram.org/bot"
    )
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        _ = parts.port  # raises ValueError when the port is not a number from 0 to 65535
    except ValueError:
        raise malformed from None
    if parts.scheme not in ("http", "https") or not _HOST.match(host):
        raise malformed
    if parts.scheme == "http" and not _loopback(host):
        raise ConfigError(
            "TELEGRAM_API_URL must use https:// unless the Bot API server is on this machine"
            " (localhost, 127.0.0.0/8, ::1): http:// would send the token in clear text"
        )
    return url.rstrip("/")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False

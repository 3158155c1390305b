"""Logging for the bot processes: LOG_LEVEL everywhere, and never the token.

The token is part of every Bot API URL, so anything that prints URLs (a library at
DEBUG, a traceback of a network error) could leak it.
"""

from __future__ import annotations

import logging

from bot.config import Settings

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
HIDDEN = "<token>"


class Redact(logging.Filter):
    """Replaces each of `secrets` wherever a record would print it, tracebacks included."""

    def __init__(self, *secrets: str) -> None:
        super().__init__()
        # Longest first, so that a secret containing another is hidden whole.
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def hide(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, HIDDEN)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = self.hide(message)
        if hidden != message:
            record.msg, record.args = hidden, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.hide(record.exc_text)
        return True


def configure(settings: Settings) -> None:
    """Log to stderr at LOG_LEVEL, with the token hidden."""
    logging.basicConfig(level=settings.log_level, format=FORMAT)
    # httpx logs every request at INFO, each URL carrying the token: only its problems.
    level = logging.getLevelName(settings.log_level)
    logging.getLogger("httpx").setLevel(max(logging.WARNING, level))
    if settings.token is not None:
        token = settings.token.value
        # The part after the colon too: it is the secret, and a URL may carry the token
        # percent-encoded (`%3A` for the colon).
        redact = Redact(token, token.partition(":")[2])
        for handler in logging.getLogger().handlers:
            handler.addFilter(redact)

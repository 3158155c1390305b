"""Logging for the bot processes: LOG_LEVEL everywhere, and never the token.

The token is part of every Bot API URL, so anything that prints URLs (httpx at
INFO, httpcore at DEBUG, a traceback of a network error) could leak it.
"""

from __future__ import annotations

import logging

from bot.config import Settings

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
HIDDEN = "<token>"


class Redact(logging.Filter):
    """Replaces `secret` wherever a record would print it, tracebacks included."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.secret in message:
            record.msg, record.args = message.replace(self.secret, HIDDEN), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = record.exc_text.replace(self.secret, HIDDEN)
        return True


def configure(settings: Settings) -> None:
    """Log to stderr at LOG_LEVEL; httpx and httpcore only from WARNING up."""
    logging.basicConfig(level=settings.log_level, format=FORMAT)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    if settings.token is not None:
        for handler in logging.getLogger().handlers:
            handler.addFilter(Redact(settings.token.value))

"""The Telegram front end: the python-telegram-bot application and everything around it.

Owns building and running the application (application.py), the update handlers
(handlers.py, commands.py; feedback.py for 👍/👎) and how their texts go out
(sending.py), the webhook server (web.py), pacing and retrying every call to the Bot
API (delivery.py), dropping redelivered updates and floods and keeping each chat in
order (guard.py), inline answers (inline.py), /search and /timeline with their buttons
and inline "?" queries (browsing.py), buttons (keyboards.py), the fixed pages
(pages.py) and logging without the token (logs.py).

May import the rooms below it: bot.answering, bot.knowledge, bot.state, bot.feedback
and what they stand on; in practice only answering, state, feedback and config, since
the responder comes in ready-made from bot.cli. Never sqlite. The only room that
imports telegram, starlette, uvicorn and httpx.
"""

import sys

# httpx, under python-telegram-bot, imports its command-line client whenever click, rich
# and pygments are installed (the development tools bring them). The bot never runs that
# client, and loading it would cost several MB of memory: it is marked as absent, which
# httpx handles as it does when they are not installed. (None in sys.modules is the
# import system's documented mark for a module that cannot be imported.)
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

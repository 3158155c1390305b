"""Feedback: what users tell the bot about its replies, and what maintainers learn from it.

Owns the feedback table of the state database (`log`: 👍/👎 on answers, the notes left
after a 👎, the option tapped after "which of these?", proposals a maintainer rejected),
the feedback sections of `policybot report` and /stats (`report`, unanswered questions
grouped by similarity among them), and the new phrasings `policybot learn` proposes
from it (`proposals`).

May import: bot.config, bot.connection, bot.models, bot.text, bot.errors, rapidfuzz
and SQLite. Not the question log (bot.state) nor the knowledge: what they hold comes
in as values.
"""

"""The answering core: a question in, a `Reply` out, the same for every front end.

Owns a message prepared once (question.py), what it asks for (asks.py), ranking the
intents for it (matcher.py, spelling.py, and ngrams.py over the index the build
prepares, index.py), the evidence on each candidate (evidence.py), deciding between an
answer, "which of these?", "I don't know" and small talk (decision.py, trees.py,
responder.py, smalltalk.py), follow-ups (context.py),
the fixed texts in English and Vietnamese (messages.py; menus.py for the commands'),
rendering a `Reply` as plain text, Telegram HTML chunks or JSON (render.py), the fixed
screens every front end shows (screens.py), and /search and /timeline: the search
(search.py), the timeline's filters (chronology.py) and their pages (listing.py). Its word
lists (small talk, months, number words) are data in words/, read by `text.word_list`.

May import: bot.config, bot.connection, bot.models, bot.text, bot.errors. Not knowledge
or state: the store comes in through the `PassageSearch` Protocol, and nothing here
talks to Telegram or SQLite.
"""

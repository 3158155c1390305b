"""policybot: answers questions about Vietnam's digital-transformation policy from five
articles, always citing its source.

The rooms, top to bottom; each may import only the rooms below it (pyproject's
[tool.importlinter] contracts, checked by `lint-imports`):

    __main__
    cli                                   wires everything together; the `policybot` command
    console | evaluation | telegram_bot   the front ends
    answering | knowledge | state         the answering core; facts.db; the question log
    config | connection                   settings read once; opening SQLite
    models | text                         frozen values; folding and splitting text
    errors                                the exception tree

Only `telegram_bot` imports telegram, starlette, uvicorn or httpx; only `knowledge`,
`state` and `connection` import sqlite3 or aiosqlite.
"""

"""The knowledge: reading and validating the inputs, and facts.db.

Owns seeds/ (the articles, kept byte for byte, and seeds/sources.yaml), intents.yaml
(topics, synonyms, intents; errors name file:line and the fix), facts.db's schema and
atomic build (schema.py), its read-only queries (store.py) and full-text search
(fulltext.py), new phrasings written into intents.yaml (phrasings.py), the timeline of
dated events the quotes state and which passages are related-news teasers (timeline.py,
derived.py), and what the articles state that no intent cites yet (coverage.py,
`policybot coverage`).

May import: bot.config, bot.connection, bot.models, bot.text, bot.errors, and sqlite.
Not answering: the answering core reaches the store through a small Protocol.
"""

"""The exception tree. Expected outcomes (no answer, small talk) are values, not errors.

PolicybotError            base; the CLI prints it as one line, exit status 2
├── InputError            a maintainer's file is malformed (names file and line)
├── StoreError            facts.db is missing, corrupt or of another schema
└── ConfigError           an environment variable is missing or malformed
"""


def located(path: str, line: int | None, problem: str) -> str:
    """`file:line: problem`, or `file: problem` when the line is not known."""
    return f"{path}:{line}: {problem}" if line else f"{path}: {problem}"


class PolicybotError(Exception):
    """Base of everything the CLI reports as one clear line."""


class InputError(PolicybotError):
    """A seed, sources.yaml or intents.yaml problem, located as `file:line: what; fix`."""

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        super().__init__(located(path, line, problem))
        self.path = path
        self.line = line


class StoreError(PolicybotError):
    """The facts database cannot be used."""


class ConfigError(PolicybotError):
    """The environment does not configure the bot correctly."""

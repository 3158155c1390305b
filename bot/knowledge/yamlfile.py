"""YAML loading that remembers where every mapping and string came from.

Mappings load as `LineDict` and strings as `LineStr`, both carrying the 1-based
line they start on, so validation errors can name `file:line`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.errors import InputError


class LineDict(dict[str, Any]):
    line: int = 0


class LineStr(str):
    line: int = 0


# libyaml's parser when PyYAML was built with it (the wheels are): a tenth of the time
# on the labelled sets the build reads.
_Safe = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader


class _Loader(_Safe):  # type: ignore[valid-type,misc]
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict(loader.construct_pairs(node, deep=True))
    result.line = node.start_mark.line + 1
    return result


def _string(loader: _Loader, node: yaml.ScalarNode) -> LineStr:
    result = LineStr(loader.construct_scalar(node))
    result.line = node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor("tag:yaml.org,2002:str", _string)


def load(path: Path) -> Any:
    """Parse `path`; malformed YAML or an unreadable file becomes an `InputError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), None, f"cannot read: {exc}") from exc
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "syntax error"
        raise InputError(
            str(path), line, f"malformed YAML ({problem}); check indentation and quoting there"
        ) from exc
    except yaml.YAMLError as exc:
        raise InputError(str(path), None, f"malformed YAML ({exc})") from exc


def line_of(value: object) -> int | None:
    """The line a loaded mapping or string started on, if known."""
    line = getattr(value, "line", 0)
    return line if isinstance(line, int) and line > 0 else None

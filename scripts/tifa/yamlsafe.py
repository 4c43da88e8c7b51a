"""Untrusted YAML from pull requests: refuse what can blow up before composing it.

PyYAML's safe loader already refuses Python tags. Two things remain: anchors and aliases (a
"billion laughs" file expands to gigabytes) and deep nesting (the composer recurses, so 20,000
nested brackets end in RecursionError). Both are found here by scanning tokens, which is linear
and not recursive; only then is the text composed.
"""
from __future__ import annotations

import yaml

from .limits import YAML_DEPTH

# libyaml's scanner and composer when PyYAML has them (ten times faster on 350 entries), with the
# same node classes and marks; the pure-Python ones otherwise.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_OPEN = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken,
         yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)
_CLOSE = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


class UnsafeYaml(Exception):
    """A refused construct, with the 1-based line where it starts."""

    def __init__(self, line: int, reason: str):
        super().__init__(reason)
        self.line, self.reason = line, reason


def compose(text: str, max_depth: int = YAML_DEPTH):
    """The node tree of `text`. Raises UnsafeYaml, or yaml.YAMLError for malformed YAML.

    >>> compose("a: [1, 2]").value[0][0].value
    'a'
    >>> compose("a: &x [1]\\nb: *x")
    Traceback (most recent call last):
    tifa.yamlsafe.UnsafeYaml: anchors and aliases (&name, *name) are not allowed
    """
    depth = 0
    for token in yaml.scan(text, Loader=LOADER):
        if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
            raise UnsafeYaml(token.start_mark.line + 1, "anchors and aliases (&name, *name) are not allowed")
        if isinstance(token, _OPEN):
            depth += 1
            if depth > max_depth:
                raise UnsafeYaml(token.start_mark.line + 1, f"nested more than {max_depth} levels deep")
        elif isinstance(token, _CLOSE):
            depth -= 1
    return yaml.compose(text, Loader=LOADER)


def error_line(error: yaml.YAMLError) -> int:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return mark.line + 1 if mark else 1


def error_reason(error: yaml.YAMLError) -> str:
    return getattr(error, "problem", None) or str(error).split("\n")[0]

"""What a feature is: a documented function with its documented, named constants.

A `Feature` declares one piece of scoring evidence: the function that computes it (its docstring
is the reason the evidence counts), the stage of the score it acts on, and every number it uses
as a `Constant` with a one-line meaning. The screener combines only declared features
(`screening.matching.algorithm`), and the algorithm description (``docs/matching.md``) is built
from these declarations, so the documentation cannot drift from the code.
"""

from __future__ import annotations

import ast
import functools
import inspect
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Generic, TypeVar

from lists.model import PartialDate, Schema
from screening.matching.normalize import Token

FunctionT = TypeVar("FunctionT", bound=Callable[..., Any], covariant=True)


class Stage(StrEnum):
    """Where in the score a feature acts, in the order the scorer applies the stages."""

    TOKEN = "token"  # how alike two words are
    NAME = "name"  # the name score from the aligned words
    CAP = "cap"  # a limit or factor on the name score
    ADJUSTMENT = "adjustment"  # a secondary attribute adds to or takes from the name score


class Effect(StrEnum):
    """What a constant does to the score."""

    PARAMETER = "parameter"  # a similarity, weight, length or factor used inside the feature
    DELTA = "delta"  # added to the score (a negative delta takes from it)
    SETTLES = "settles"  # the score becomes this value, whatever the name score


@dataclass(frozen=True, slots=True)
class Constant:
    """One number a feature uses, by its module-level name, with what it means."""

    name: str
    value: float
    doc: str
    effect: Effect = Effect.PARAMETER


@dataclass(frozen=True, slots=True)
class Feature(Generic[FunctionT]):
    """One declared piece of scoring evidence."""

    name: str  # as reported in explanations (`FeatureScore.feature`) and in docs/matching.md
    title: str  # a short heading
    stage: Stage
    function: FunctionT
    constants: tuple[Constant, ...]

    @property
    def doc(self) -> str:
        """The function's docstring: why this evidence counts and how it is computed."""
        return docstring(self.function)

    def constant(self, name: str) -> Constant:
        """The declared constant called `name` (KeyError when the feature has none such)."""
        for constant in self.constants:
            if constant.name == name:
                return constant
        raise KeyError(f"feature {self.name!r} declares no constant {name!r}")

    @property
    def max_delta(self) -> float:
        """The most this feature can add to a score (0 when it only ever takes away)."""
        deltas = [c.value for c in self.constants if c.effect is Effect.DELTA]
        return max([0.0, *deltas])


@dataclass(frozen=True, slots=True)
class QueryFacts:
    """A query as the features compare it: normalised once per screening."""

    tokens: tuple[Token, ...]
    schema: Schema | None
    country: str | None  # ISO alpha-2
    birth_date: PartialDate | None
    identifiers: tuple[tuple[str, str], ...]  # (type, normalised value)
    distinctive_length: int  # see the generic-words cap


def docstring(function: Callable[..., Any]) -> str:
    """The docstring of `function`; of a module compiled with mypyc (docs/speed.md), which
    keeps none, read from its source file, installed beside it."""
    text = inspect.getdoc(function)
    if text:
        return text
    module = sys.modules.get(function.__module__)
    if module is None or module.__file__ is None:
        return ""
    return _module_docstrings(module.__file__).get(function.__name__, "")


@functools.cache
def _module_docstrings(module_file: str) -> dict[str, str]:
    """The top-level functions' docstrings of the source beside `module_file` (a `.py` or the
    compiled `name.cpython-311-x86_64-linux-gnu.so` of one)."""
    path = Path(module_file)
    source = path.with_name(path.name.split(".")[0] + ".py")
    if not source.is_file():
        return {}
    tree = ast.parse(source.read_text(encoding="utf-8"))
    return {
        node.name: ast.get_docstring(node) or ""
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
    }

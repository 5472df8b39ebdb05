"""The optional compiled matcher (docs/speed.md): which modules setup.py compiles, that a compiled
run really runs them compiled, and that documentation survives compilation.

`scripts/compiled_tests.sh` (run by CI) builds the wheel with ``COALITION_COMPILE=1``, puts its
compiled modules into a copy of the tree and runs this folder's tests there with
``COALITION_EXPECT_COMPILED=1``; every other run is pure Python.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

from screening.matching import COMPILED_MODULES, compiled_modules
from screening.matching.features import tokens
from screening.matching.features.model import docstring

ROOT = Path(__file__).resolve().parents[3]


def test_setup_compiles_exactly_the_listed_modules_and_they_exist() -> None:
    # Run only setup.py's reader of the list, not its call to setup().
    namespace: dict[str, object] = {"__file__": str(ROOT / "setup.py"), "ast": ast, "Path": Path}
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    reader = next(n for n in tree.body if isinstance(n, ast.FunctionDef))
    exec(compile(ast.Module([reader], []), "setup.py", "exec"), namespace)
    files = namespace[reader.name]()  # type: ignore[operator]
    assert files == [name.replace(".", "/") + ".py" for name in COMPILED_MODULES]
    assert all((ROOT / f).is_file() for f in files)
    # The hot path (bench/compare_results.py's profile) is in it.
    assert {"screening.matching.screener", "screening.matching.features.names"} <= set(
        COMPILED_MODULES
    )


def test_this_run_is_compiled_exactly_when_expected() -> None:
    if os.environ.get("COALITION_EXPECT_COMPILED") == "1":
        assert compiled_modules() == list(COMPILED_MODULES)
    else:
        assert compiled_modules() == []


def test_a_docstring_compilation_dropped_is_read_from_the_source() -> None:
    def token_similarity() -> None:  # what a compiled function looks like: no __doc__
        pass

    token_similarity.__module__ = tokens.__name__
    assert token_similarity.__doc__ is None
    expected = ast.get_docstring(
        next(
            node
            for node in ast.parse(
                Path(tokens.__file__ or "").with_name("tokens.py").read_text()
            ).body
            if isinstance(node, ast.FunctionDef) and node.name == "token_similarity"
        )
    )
    assert expected and docstring(token_similarity) == expected
    # A function with a docstring of its own keeps it, compiled or not.
    assert docstring(docstring).startswith("The docstring of `function`")

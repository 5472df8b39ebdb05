"""Build hook: an optional compiled matcher (docs/speed.md); everything else is in pyproject.toml.

    pip install .                          # pure Python: no compiler needed
    COALITION_COMPILE=1 pip install .      # the matcher's hot modules compiled with mypyc

The compiled modules are the same typed source, compiled to C extensions by mypyc (part of
mypy), and give the same answers; they need a C compiler and the Python headers at install
time. Without COALITION_COMPILE the wheel is pure Python, as it always was. The `.py` files are
installed in both cases (the compiled modules read their docstrings from them).
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

from setuptools import setup


def _compiled_files() -> list[str]:
    """The files of `screening.matching.COMPILED_MODULES`, read from the source (this runs
    before the package is installed, and must not import it)."""
    source = Path(__file__).with_name("screening") / "matching" / "__init__.py"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "COMPILED_MODULES" for t in node.targets
        ):
            names: tuple[str, ...] = ast.literal_eval(node.value)
            return [name.replace(".", "/") + ".py" for name in names]
    raise RuntimeError(f"no COMPILED_MODULES in {source}")


# mypy compiles; numpy's own type information is needed to read the index's array types (the
# other dependencies are type-checked as unknown, see below).
BUILD_REQUIRES = ["mypy>=1.10", "numpy>=1.26"]

if os.environ.get("COALITION_COMPILE") == "1":
    try:
        from mypyc.build import mypycify
    except ImportError:
        # The build front end's first pass asks what the build needs (setup_requires): mypy
        # and numpy. It installs them into the build environment and runs this file again.
        setup(setup_requires=BUILD_REQUIRES)
    else:
        # The build environment holds mypy and numpy, not the other dependencies nor their type
        # stubs: type-check with those as unknown (Any), not under the project's strict mypy
        # configuration, which `mypy` in the development environment enforces instead.
        options = ["--config-file=", "--ignore-missing-imports"]
        setup(
            setup_requires=BUILD_REQUIRES,
            ext_modules=mypycify([*options, *_compiled_files()], opt_level="3"),
        )
else:
    setup()

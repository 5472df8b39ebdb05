"""Every source package has the same shape (DESIGN.md: a package per source, one module per format).

Source packages and their modules are found on disk, so a new source (``lists/<name>/`` with an
``__init__.py``) is checked without editing this test:

* the package has a docstring and a ``FORMATS`` tuple of `ListFormat`;
* every module that defines a `ListFormat` exports it as ``FORMAT`` (or ``*_FORMAT``) with the
  three steps as public module functions ``sniff``, ``published`` and ``entities``;
* every format of a package comes from a module of that package and is in `lists.detect.FORMATS`.
"""

from __future__ import annotations

import pkgutil
from importlib import import_module
from pathlib import Path
from types import ModuleType

import pytest

import lists
from lists.base import ListFormat
from lists.detect import FORMATS

LISTS_DIR = Path(lists.__file__).parent
# Packages under lists/ that are not sources of lists.
NOT_SOURCES = frozenset({"values"})
STEPS = ("sniff", "published", "entities")

SOURCE_PACKAGES = sorted(
    path.parent.name
    for path in LISTS_DIR.glob("*/__init__.py")
    if path.parent.name not in NOT_SOURCES
)


def _modules_of(package: str) -> list[str]:
    folder = LISTS_DIR / package
    return [f"lists.{package}.{info.name}" for info in pkgutil.iter_modules([str(folder)])]


def _defined_formats(module: ModuleType) -> dict[str, ListFormat]:
    """The ListFormats a module defines itself (not those it imports), by attribute name."""
    return {
        name: value
        for name, value in vars(module).items()
        if isinstance(value, ListFormat) and value.sniff.__module__ == module.__name__
    }


FORMAT_MODULES = sorted(
    name
    for package in SOURCE_PACKAGES
    for name in _modules_of(package)
    if _defined_formats(import_module(name))
)


def test_the_known_sources_are_found() -> None:
    # Guards the discovery itself: an empty or partial scan would make the tests below vacuous.
    assert {"ofac", "uk", "eu", "un"} <= set(SOURCE_PACKAGES)
    assert {"lists.un.xml", "lists.uk.ofsi_csv", "lists.uk.ofsi_xlsx"} <= set(FORMAT_MODULES)


@pytest.mark.parametrize("package", SOURCE_PACKAGES)
def test_source_package_has_a_docstring_and_formats(package: str) -> None:
    module = import_module(f"lists.{package}")
    assert (module.__doc__ or "").strip(), f"lists.{package} has no docstring"
    formats = getattr(module, "FORMATS", None)
    assert isinstance(formats, tuple) and formats, f"lists.{package}.FORMATS is missing or empty"
    assert all(isinstance(f, ListFormat) for f in formats)


@pytest.mark.parametrize("module_name", FORMAT_MODULES)
def test_format_module_exports_format_and_the_three_steps(module_name: str) -> None:
    module = import_module(module_name)
    assert (module.__doc__ or "").strip(), f"{module_name} has no docstring"
    defined = _defined_formats(module)
    exported = {name for name in defined if name == "FORMAT" or name.endswith("_FORMAT")}
    assert exported == set(defined), f"{module_name} must export its formats as FORMAT"
    if len(defined) == 1:
        assert "FORMAT" in defined, f"{module_name} must name its one format FORMAT"
    for list_format in defined.values():
        for step in STEPS:
            function = getattr(module, step, None)
            assert callable(function), f"{module_name} has no public {step}()"
            if len(defined) == 1:
                assert getattr(list_format, step) is function, f"FORMAT.{step} is not {step}()"


@pytest.mark.parametrize("package", SOURCE_PACKAGES)
def test_package_formats_come_from_its_modules_and_are_detected(package: str) -> None:
    for list_format in import_module(f"lists.{package}").FORMATS:
        home = list_format.sniff.__module__
        assert home in FORMAT_MODULES and home.startswith(f"lists.{package}."), home
        assert list_format in _defined_formats(import_module(home)).values()
        assert list_format in FORMATS, f"{list_format.name} is not in lists.detect.FORMATS"


def test_format_names_are_unique() -> None:
    names = [list_format.name for list_format in FORMATS]
    assert len(names) == len(set(names))

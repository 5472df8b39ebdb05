#!/usr/bin/env bash
# The compiled matcher's tests (docs/speed.md), run by .ci/run after the main test command.
#
# Builds the wheel exactly as a user would (`COALITION_COMPILE=1 pip wheel .`, mypy fetched
# into the isolated build environment), copies the tracked tree beside a link to ../shared,
# puts the wheel's compiled modules into the copy, and runs tests/screening/matching there with
# COALITION_EXPECT_COMPILED=1 (test_compiled.py then checks that every listed module really
# ran compiled). Tests marked `replaces_internals` watch the matcher by replacing its functions,
# which compiled code calls directly: they run in the main, pure-Python test run only.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
COALITION_COMPILE=1 python -m pip wheel --quiet --no-deps --wheel-dir "$work/wheel" .
mkdir "$work/project"
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$work/project"
ln -s "$(cd .. && pwd)/shared" "$work/shared"
python -m zipfile -e "$work"/wheel/coalition_screening-*.whl "$work/unpacked"
(cd "$work/unpacked" && find . -name '*.so' -exec cp --parents {} "$work/project" \;)
cd "$work/project"
COALITION_EXPECT_COMPILED=1 python -m pytest -p no:cacheprovider -m "not replaces_internals" \
    tests/screening/matching

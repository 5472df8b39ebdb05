"""Languages as the lists name them ("Russian", "Persian/Farsi", "Tigrinya"), as ISO 639-1."""

from __future__ import annotations

import pycountry

# Language names the lists write that pycountry does not know under that name (all from OFSI).
_LANGUAGE_NAMES = {
    "greek": "el",  # pycountry: "Greek, Modern (1453-)"
    "persian/farsi": "fa",
    "farsi": "fa",
    "ukraine": "uk",
    "russia": "ru",
    "burmese": "my",
}


def language_code(name: str) -> str | None:
    """ISO 639-1 code for a language named in English; None when it is not one or has none."""
    key = name.strip().lower()
    if not key:
        return None
    if key in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[key]
    try:
        language = pycountry.languages.lookup(key)
    except LookupError:
        return None
    code = getattr(language, "alpha_2", None)
    return str(code) if code else None

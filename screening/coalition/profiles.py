"""Institution profiles: which sanctions lists bind the institution, per transaction.

A bank screens against every coalition list, but only some of them are law for it. A UK bank
must apply the UK list and the UN list always, OFAC's when it clears US dollars and the EU's
when the payment touches the EU. A hit on a list that does not bind is still reported (the
party is sanctioned by an ally), marked ``binding: false``, and asks for review at most.

A profile is a list of `BindingRule`s; each says when one source (every list it publishes) or
one dataset (a single list, e.g. ``us_csl_el`` for an exporter bound by the BIS Entity List but
not by the rest of the CSL) binds:

- ``always``;
- ``currency``: the payment is in one of `currencies` (OFAC for USD: dollar clearing runs
  through US banks);
- ``eu_nexus``: any country of the transaction (party, BIC, origin, transit, destination, end
  user) is an EU member state, or the currency is EUR (euro clearing runs through the EU).

Presets (`PRESETS`): ``uk_bank`` (UK, UN always; OFAC for USD; EU on an EU nexus),
``us_bank`` (OFAC, UN always; UK for GBP; EU on an EU nexus), ``eu_bank`` (EU, UN always;
OFAC for USD; UK for GBP). These are policy defaults, not legal advice: a profile file
(JSON, the `InstitutionProfile` model) states an institution's own view, e.g.::

    {"name": "my_bank", "binding": [{"source": "uk", "when": "always"},
                                     {"source": "ofac", "when": "currency", "currencies": ["USD"]}]}

`blocked_jurisdictions` are the sanctioned jurisdictions whose exposure blocks a transaction;
other sanctioned ones (Syria, the occupied regions) ask for review (see docs/rules.md).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from lists.datasets import BY_ID as DATASET_IDS
from lists.datasets import datasets_of
from lists.model import Source
from screening.coalition.jurisdictions import country_of_bic

# The 27 EU member states (ISO alpha-2; Greece is GR, not the EU's "EL"), since the United
# Kingdom left on 31 January 2020. Sources: GECC_STEPTOE_2023 ("27 EU member states" in the
# GECC) and BACKGROUND (the membership itself); every one is coalition_core in
# reference/jurisdictions.csv, which tests/screening/coalition/test_profiles.py checks.
EU_MEMBER_STATES = frozenset(
    {
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
        "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    }
)  # fmt: skip
EU_MEMBER_STATES_SOURCES = ("GECC_STEPTOE_2023", "BACKGROUND")

# Exposure to these blocks (SANCTIONED_JURISDICTION). Syria is left out: its sanctions were
# largely lifted in 2025 (reference README, to be re-verified), so it asks for review. The
# occupied regions block only on precise evidence; a match on an oblast alone (ISO code or
# oblast name) asks for review whatever this list says, as the oblasts are partly free.
DEFAULT_BLOCKED_JURISDICTIONS = (
    *("RU", "BY", "IR", "KP", "CU"),
    *("UA-43", "UA-40", "UA-14", "UA-09", "UA-23", "UA-65"),
)


class ProfileError(ValueError):
    """A profile name or file that cannot be used; the message says why."""


class BindingCondition(StrEnum):
    ALWAYS = "always"
    CURRENCY = "currency"
    EU_NEXUS = "eu_nexus"


class BindingRule(BaseModel):
    """When one source's lists, or one dataset, bind the institution. Name exactly one."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: Source | None = None
    dataset: str | None = None
    when: BindingCondition = BindingCondition.ALWAYS
    currencies: list[str] = Field(default_factory=list)

    @field_validator("currencies")
    @classmethod
    def _upper(cls, values: list[str]) -> list[str]:
        return [value.strip().upper() for value in values]

    @model_validator(mode="after")
    def _one_list(self) -> BindingRule:
        if (self.source is None) == (self.dataset is None):
            raise ValueError("a binding rule names either a source or a dataset")
        if self.dataset is not None and self.dataset not in DATASET_IDS:
            raise ValueError(f"unknown dataset {self.dataset!r} (see lists.datasets)")
        return self

    def datasets(self) -> list[str]:
        """The dataset ids this rule binds."""
        if self.dataset is not None:
            return [self.dataset]
        assert self.source is not None
        return [dataset.id for dataset in datasets_of(self.source)]


class NexusFacts(BaseModel):
    """What a profile needs to know about a transaction to decide which lists bind."""

    currency: str | None = None
    countries: set[str] = Field(default_factory=set)  # ISO2 (region codes: their parent)


class InstitutionProfile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    description: str = ""
    binding: list[BindingRule]
    blocked_jurisdictions: list[str] = Field(
        default_factory=lambda: list(DEFAULT_BLOCKED_JURISDICTIONS)
    )

    @field_validator("blocked_jurisdictions")
    @classmethod
    def _codes(cls, values: list[str]) -> list[str]:
        return [value.strip().upper() for value in values]

    def binding_reasons(self, facts: NexusFacts) -> dict[str, str]:
        """The datasets that bind for this transaction, each with why."""
        reasons: dict[str, str] = {}
        for rule in self.binding:
            reason = _applies(rule, facts)
            if reason is not None:
                for dataset in rule.datasets():
                    reasons.setdefault(dataset, reason)
        return reasons


def _applies(rule: BindingRule, facts: NexusFacts) -> str | None:
    if rule.when is BindingCondition.ALWAYS:
        return "always binding"
    if rule.when is BindingCondition.CURRENCY:
        if facts.currency is not None and facts.currency in rule.currencies:
            return f"payment in {facts.currency}"
        return None
    eu = sorted(facts.countries & EU_MEMBER_STATES)
    if eu:
        return f"EU nexus: {', '.join(eu)}"
    if facts.currency == "EUR":
        return "EU nexus: payment in EUR"
    return None


def nexus_facts(
    currency: str | None, countries: list[str | None], bics: list[str | None]
) -> NexusFacts:
    codes = {code.split("-", 1)[0] for code in countries if code}
    codes |= {country for bic in bics if bic and (country := country_of_bic(bic))}
    return NexusFacts(currency=currency, countries=codes)


def _rule(source: Source, when: BindingCondition, *currencies: str) -> BindingRule:
    return BindingRule(source=source, when=when, currencies=list(currencies))


_ALWAYS, _CURRENCY, _EU = (
    BindingCondition.ALWAYS,
    BindingCondition.CURRENCY,
    BindingCondition.EU_NEXUS,
)

PRESETS: dict[str, InstitutionProfile] = {
    "uk_bank": InstitutionProfile(
        name="uk_bank",
        description="UK bank: UK and UN lists always; OFAC for USD payments; EU on an EU nexus",
        binding=[
            _rule(Source.UK, _ALWAYS),
            _rule(Source.UN, _ALWAYS),
            _rule(Source.OFAC, _CURRENCY, "USD"),
            _rule(Source.EU, _EU),
        ],
    ),
    "us_bank": InstitutionProfile(
        name="us_bank",
        description="US bank: OFAC and UN lists always; UK for GBP payments; EU on an EU nexus",
        binding=[
            _rule(Source.OFAC, _ALWAYS),
            _rule(Source.UN, _ALWAYS),
            _rule(Source.UK, _CURRENCY, "GBP"),
            _rule(Source.EU, _EU),
        ],
    ),
    "eu_bank": InstitutionProfile(
        name="eu_bank",
        description="EU bank: EU and UN lists always; OFAC for USD payments; UK for GBP",
        binding=[
            _rule(Source.EU, _ALWAYS),
            _rule(Source.UN, _ALWAYS),
            _rule(Source.OFAC, _CURRENCY, "USD"),
            _rule(Source.UK, _CURRENCY, "GBP"),
        ],
    ),
}
DEFAULT_PROFILE = "uk_bank"


def load_profile(path: Path) -> InstitutionProfile:
    """A profile from a JSON file; raises ProfileError naming the file and the problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ProfileError(f"{path}: {exc.strerror or exc}") from None
    try:
        return InstitutionProfile.model_validate(json.loads(text))
    except json.JSONDecodeError as exc:
        raise ProfileError(f"{path}: line {exc.lineno}: not valid JSON: {exc.msg}") from None
    except ValidationError as exc:
        details = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise ProfileError(f"{path}: {details}") from None


def resolve_profile(name_or_path: str | None) -> InstitutionProfile:
    """A preset by name (default `DEFAULT_PROFILE`), else a JSON file path."""
    key = name_or_path or DEFAULT_PROFILE
    if key in PRESETS:
        return PRESETS[key]
    path = Path(key)
    if path.suffix.lower() == ".json" or path.exists():
        return load_profile(path)
    raise ProfileError(
        f"unknown profile {key!r}: use {', '.join(PRESETS)} or the path of a JSON profile file"
    )

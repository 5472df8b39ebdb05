"""Institution profiles: which lists bind per transaction, presets and JSON profile files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lists.datasets import datasets_of
from lists.model import Source
from screening.coalition.jurisdictions import Role, roles_of
from screening.coalition.profiles import (
    EU_MEMBER_STATES,
    PRESETS,
    InstitutionProfile,
    NexusFacts,
    ProfileError,
    load_profile,
    resolve_profile,
)


def test_eu_member_states_are_the_27_and_all_coalition_core() -> None:
    assert len(EU_MEMBER_STATES) == 27
    assert all(Role.COALITION_CORE in roles_of(code) for code in EU_MEMBER_STATES)
    assert {"GB", "CH", "NO", "EL"}.isdisjoint(EU_MEMBER_STATES)


@pytest.mark.parametrize(
    ("profile", "facts", "binding"),
    [
        ("uk_bank", NexusFacts(currency="GBP", countries={"GB"}), {Source.UK, Source.UN}),
        ("uk_bank", NexusFacts(currency="USD"), {Source.UK, Source.UN, Source.OFAC}),
        (
            "uk_bank",
            NexusFacts(currency="GBP", countries={"AT"}),
            {Source.UK, Source.UN, Source.EU},
        ),
        ("uk_bank", NexusFacts(currency="EUR"), {Source.UK, Source.UN, Source.EU}),
        ("us_bank", NexusFacts(currency="USD", countries={"AE"}), {Source.OFAC, Source.UN}),
        ("us_bank", NexusFacts(currency="GBP"), {Source.OFAC, Source.UN, Source.UK}),
        ("eu_bank", NexusFacts(currency="CHF", countries={"CH"}), {Source.EU, Source.UN}),
        ("eu_bank", NexusFacts(currency="USD"), {Source.EU, Source.UN, Source.OFAC}),
    ],
)
def test_binding_lists_per_profile(profile: str, facts: NexusFacts, binding: set[Source]) -> None:
    assert set(PRESETS[profile].binding_reasons(facts)) == _datasets(*binding)


def _datasets(*sources: Source) -> set[str]:
    """Every dataset the sources publish: a source rule binds all of its lists."""
    return {dataset.id for source in sources for dataset in datasets_of(source)}


def test_a_source_rule_binds_each_of_its_lists() -> None:
    reasons = PRESETS["us_bank"].binding_reasons(NexusFacts(currency="USD"))
    assert {"ofac_sdn", "ofac_consolidated", "un_sc"} <= set(reasons)
    assert "us_csl_el" not in reasons  # the CSL is another source: not bound by "ofac"


def test_a_dataset_rule_binds_only_that_list() -> None:
    exporter = InstitutionProfile.model_validate(
        {"name": "exporter", "binding": [{"dataset": "us_csl_el"}, {"source": "un"}]}
    )
    assert exporter.binding_reasons(NexusFacts()) == {
        "us_csl_el": "always binding",
        "un_sc": "always binding",
    }


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({}, "either a source or a dataset"),
        ({"source": "ofac", "dataset": "ofac_sdn"}, "either a source or a dataset"),
        ({"dataset": "ofac_nonsdn"}, "unknown dataset 'ofac_nonsdn'"),
    ],
)
def test_a_binding_rule_names_exactly_one_known_list(rule: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        InstitutionProfile.model_validate({"name": "x", "binding": [rule]})


def test_profile_from_a_json_file(tmp_path: Path) -> None:
    path = tmp_path / "bank.json"
    path.write_text(
        json.dumps(
            {
                "name": "ch_bank",
                "binding": [
                    {"source": "un"},
                    {"source": "eu", "when": "always"},
                    {"source": "ofac", "when": "currency", "currencies": ["usd"]},
                ],
                "blocked_jurisdictions": ["ru", "KP"],
            }
        )
    )
    profile = resolve_profile(str(path))
    assert profile.name == "ch_bank"
    assert profile.blocked_jurisdictions == ["RU", "KP"]
    assert set(profile.binding_reasons(NexusFacts(currency="USD"))) == _datasets(
        Source.UN, Source.EU, Source.OFAC
    )
    assert resolve_profile(None) is PRESETS["uk_bank"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "line 1: not valid JSON"),
        ('{"name": "x", "binding": [{"source": "xx"}]}', "binding.0.source: Input should be"),
        ('{"name": "x"}', "binding: Field required"),
        ('{"name": "x", "binding": [], "bogus": 1}', "bogus: Extra inputs are not permitted"),
    ],
)
def test_bad_profile_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "p.json"
    path.write_text(content)
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(caught.value).startswith(str(path)) and message in str(caught.value)


def test_unknown_profile_name() -> None:
    with pytest.raises(ProfileError, match="unknown profile 'ch_bank': use uk_bank, us_bank"):
        resolve_profile("ch_bank")
    assert isinstance(PRESETS["us_bank"], InstitutionProfile)

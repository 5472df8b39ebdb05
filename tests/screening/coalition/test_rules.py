"""Transaction rules on scenario transactions, screened against the real UN list and UK fixture."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import cli
from lists import open_list
from lists.model import Source
from screening.coalition.profiles import (
    PRESETS,
)
from screening.coalition.rules import (
    AGENT_SANCTIONS_HIT,
    CHPL_CORE_VIA_PIVOT,
    CHPL_TO_SANCTIONED,
    CHPL_VIA_HUB,
    HUB_DESTINATION_RUSSIAN_END_USER,
    PARTY_SANCTIONS_HIT,
    PAYMENT_TRANSPARENCY,
    RULE_ORDER,
    RULES,
    SANCTIONED_JURISDICTION,
    SEVERITY_POINTS,
    TEXT_SANCTIONS_HIT,
    Flag,
    RuleContext,
    Severity,
    TxOutcome,
    TxResult,
    decide,
    rule,
    screen_transaction,
)
from screening.coalition.transactions import Transaction, build_transaction
from screening.matching.screener import Screener
from screening.store import ListStore

PROJECT = Path(__file__).resolve().parents[3]
UK_FIXTURE = Path("uk") / "fixtures" / "GSmiguel" / "sample_uk_sanctions.xml"

# -- real lists ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store_url(shared_lists: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("tx")
    url = f"sqlite:///{folder / 'tx.db'}"
    store = ListStore(url)
    store.load(open_list(shared_lists / "un" / "consolidated.xml"))
    store.load(open_list(shared_lists / UK_FIXTURE))
    with pytest.MonkeyPatch.context() as patch:
        # The CLI opens its own Screener: it must find this index, not the user's.
        patch.setenv("COALITION_INDEX_DIR", str(folder / "index"))
        yield url


@pytest.fixture(scope="module")
def screener(store_url: str) -> Screener:
    return Screener.open(store_url)


def screen(screener: Screener, profile: str = "uk_bank", **values: Any) -> TxResult:
    tx = build_transaction({"tx_id": "T", "amount": "1000", "currency": "EUR", **values})
    result = screen_transaction(tx, screener, PRESETS[profile])
    return result


def rules_of(result: TxResult) -> dict[str, list[Flag]]:
    found: dict[str, list[Flag]] = {}
    for flag in result.flags:
        found.setdefault(flag.rule, []).append(flag)
    return found


# -- scenarios -------------------------------------------------------------------------------


def test_clean_eu_trade_is_clear(screener: Screener) -> None:
    result = screen(
        screener,
        originator_name="Bäckerei Schmidt GmbH",
        originator_country="DE",
        originator_bic="DEUTDEFF",
        beneficiary_name="Boulangerie Martin SARL",
        beneficiary_country="FR",
        beneficiary_bic="BNPAFRPP",
        origin_country="DE",
        destination_country="FR",
        hs_codes="1905.90",
        goods_description="bread and pastry",
    )
    assert (result.decision, result.risk_score, result.flags) == (TxOutcome.CLEAR, 0, [])
    assert [v.source for v in result.list_versions] == [Source.UK, Source.UN]


def test_tier1_ic_from_germany_via_uae_to_kazakhstan(screener: Screener) -> None:
    result = screen(
        screener,
        originator_name="Acme Elektronik GmbH",
        originator_country="DE",
        beneficiary_name="Steppe Components TOO",
        beneficiary_country="KZ",
        origin_country="DE",
        transit_countries="AE",
        destination_country="KZ",
        hs_codes="854231",
    )
    found = rules_of(result)
    assert set(found) == {"CHPL_VIA_HUB", "CHPL_CORE_VIA_PIVOT"}
    hub = found["CHPL_VIA_HUB"][0]
    assert hub.severity is Severity.HIGH
    assert hub.evidence["hubs"] == [
        {"field": "transit_countries[0]", "code": "AE"},
        {"field": "destination_country", "code": "KZ"},
    ]
    assert hub.evidence["goods"] == [
        {
            "code": "854231",
            "normalized": "854231",
            "verdict": "listed",
            "tiers": ["1"],
            "chpl_codes": ["854231"],
        }
    ]
    pivot = found["CHPL_CORE_VIA_PIVOT"][0]
    assert pivot.severity is Severity.HIGH
    assert pivot.evidence["final_destination"] == {"field": "destination_country", "code": "KZ"}
    assert pivot.evidence["pivots"] == [{"field": "transit_countries[0]", "code": "AE"}]
    # Two high flags: 50 + 50/4.
    assert (result.decision, result.risk_score) == (TxOutcome.REVIEW, 62)


def test_tier1_ic_to_russia_blocks(screener: Screener) -> None:
    result = screen(screener, destination_country="Russia", hs_codes="8542.31")
    found = rules_of(result)
    assert set(found) == {"SANCTIONED_JURISDICTION", "CHPL_TO_SANCTIONED"}
    chpl = found["CHPL_TO_SANCTIONED"][0]
    assert chpl.severity is Severity.CRITICAL
    assert chpl.evidence["sanctioned"] == [{"field": "destination_country", "code": "RU"}]
    assert (result.decision, result.risk_score) == (TxOutcome.BLOCK, 100)


def test_possible_chpl_to_russia_asks_for_review_in_that_rule(screener: Screener) -> None:
    result = screen(screener, end_user_country="RU", hs_codes="8542")
    chpl = rules_of(result)["CHPL_TO_SANCTIONED"][0]
    assert chpl.severity is Severity.HIGH
    assert chpl.evidence["goods"][0]["verdict"] == "possible"
    assert chpl.evidence["goods"][0]["chpl_codes"] == ["854231", "854232", "854233", "854239"]


def test_core_origin_via_turkey_to_a_third_country(screener: Screener) -> None:
    result = screen(
        screener, origin_country="GB", transit_countries="TR", destination_country="AM",
        hs_codes="8471.50",
    )  # fmt: skip
    found = rules_of(result)
    assert set(found) == {"CHPL_VIA_HUB", "CHPL_CORE_VIA_PIVOT"}
    assert found["CHPL_CORE_VIA_PIVOT"][0].severity is Severity.MEDIUM  # tier 3.A
    assert found["CHPL_VIA_HUB"][0].severity is Severity.MEDIUM
    assert (result.decision, result.risk_score) == (TxOutcome.REVIEW, 38)


@pytest.mark.parametrize(
    ("values", "why"),
    [
        (
            {"origin_country": "CN", "transit_countries": "TR", "destination_country": "AM"},
            "origin",
        ),
        ({"origin_country": "DE", "transit_countries": "TR", "destination_country": "FR"}, "core"),
        ({"origin_country": "DE", "destination_country": "AE"}, "the pivot itself"),
        ({"origin_country": "DE", "transit_countries": "TR"}, "no final destination"),
        ({"origin_country": "DE", "transit_countries": "KZ", "destination_country": "AM"}, "hub"),
        (
            {"origin_country": "DE", "destination_country": "AE", "end_user_country": "AE"},
            "end user in the pivot",
        ),
    ],
)
def test_pivot_rule_edges(screener: Screener, values: dict[str, str], why: str) -> None:
    result = screen(screener, hs_codes="854231", **values)
    assert "CHPL_CORE_VIA_PIVOT" not in rules_of(result), why


def test_pivot_rule_takes_the_end_user_as_final_destination(screener: Screener) -> None:
    result = screen(
        screener, origin_country="JP", destination_country="SG", end_user_country="IN",
        hs_codes="8482.10",
    )  # fmt: skip
    pivot = rules_of(result)["CHPL_CORE_VIA_PIVOT"][0]
    assert pivot.evidence["final_destination"] == {"field": "end_user_country", "code": "IN"}
    assert pivot.severity is Severity.MEDIUM  # tier 3.B


def test_uae_destination_with_an_end_user_in_moscow(screener: Screener) -> None:
    result = screen(
        screener,
        destination_country="AE",
        end_user_name="OOO Vektor Snab",
        end_user_country="RU",
        end_user_address="Tverskaya ul. 1, Moscow",
        hs_codes="8471.80",
    )
    found = rules_of(result)
    assert set(found) == {
        "SANCTIONED_JURISDICTION",
        "CHPL_VIA_HUB",
        "CHPL_TO_SANCTIONED",
        "HUB_DESTINATION_RUSSIAN_END_USER",
    }
    hub_ru = found["HUB_DESTINATION_RUSSIAN_END_USER"][0]
    assert hub_ru.severity is Severity.CRITICAL  # listed CHPL goods
    assert hub_ru.evidence["russian_or_belarusian"] == [{"field": "end_user_country", "code": "RU"}]
    assert found["CHPL_VIA_HUB"][0].severity is Severity.LOW  # tier 4.A
    assert result.decision is TxOutcome.BLOCK


def test_hub_destination_with_russian_beneficiary_bank_and_no_chpl_goods(
    screener: Screener,
) -> None:
    result = screen(
        screener, destination_country="KZ", beneficiary_bic="SABRRUMM", hs_codes="9403.20"
    )
    found = rules_of(result)
    hub_ru = found["HUB_DESTINATION_RUSSIAN_END_USER"][0]
    assert hub_ru.severity is Severity.HIGH
    assert hub_ru.evidence["russian_or_belarusian"] == [{"field": "beneficiary_bic", "code": "RU"}]
    assert hub_ru.evidence["goods"] == []
    assert found["SANCTIONED_JURISDICTION"][0].evidence["found_in"] == ["beneficiary_bic"]


def test_beneficiary_on_the_un_list_blocks(screener: Screener) -> None:
    result = screen(
        screener,
        beneficiary_name="Korea Mining Development Trading Corporation",
        beneficiary_country="KP",
    )
    hit = rules_of(result)["PARTY_SANCTIONS_HIT"][0]
    assert hit.binding is True and hit.severity is Severity.CRITICAL
    evidence = hit.evidence
    assert (evidence["party"], evidence["source"], evidence["entry_id"]) == (
        "beneficiary",
        "un",
        "690735",
    )
    assert evidence["listed_name"] == "KOREA MINING DEVELOPMENT TRADING CORPORATION"
    assert evidence["hit_decision"] == "match" and evidence["binding_reason"] == "always binding"
    # The list the hit is on, and when the UN listed the entry (LISTED_ON in the file).
    assert evidence["dataset"] == "un_sc" and evidence["listed_on"] == "2009-04-24"
    assert result.decision is TxOutcome.BLOCK


def test_uk_listing_binds_a_uk_bank_but_not_an_eu_bank_in_euro(screener: Screener) -> None:
    values = {"beneficiary_name": "BNK (UK) Ltd", "beneficiary_country": "GB"}
    uk = rules_of(screen(screener, "uk_bank", **values))["PARTY_SANCTIONS_HIT"]
    eu_result = screen(screener, "eu_bank", **values)
    eu = rules_of(eu_result)["PARTY_SANCTIONS_HIT"]
    assert [(f.evidence["source"], f.evidence["entry_id"]) for f in uk] == [("uk", "BEL0107")]
    assert (uk[0].binding, uk[0].severity) == (True, Severity.CRITICAL)
    assert (eu[0].binding, eu[0].severity) == (False, Severity.MEDIUM)
    assert eu[0].evidence["binding_reason"] is None
    assert "list not binding" in eu[0].message
    # A non-binding hit is reported but asks for review at most.
    assert (eu_result.decision, eu_result.risk_score) == (TxOutcome.REVIEW, 30)
    # The same EU bank is bound by the UK list for a sterling payment.
    gbp = rules_of(screen(screener, "eu_bank", currency="GBP", **values))["PARTY_SANCTIONS_HIT"]
    assert (gbp[0].binding, gbp[0].evidence["binding_reason"]) == (True, "payment in GBP")


def test_every_party_is_screened(screener: Screener) -> None:
    result = screen(
        screener,
        originator_name="Haji Khairullah Money Exchange",
        end_user_name="BNK UK Limited",
    )
    parties = {f.evidence["party"] for f in rules_of(result)["PARTY_SANCTIONS_HIT"]}
    assert parties == {"originator", "end_user"}


def test_a_bic_in_russia(screener: Screener) -> None:
    result = screen(screener, originator_name="Acme GmbH", intermediary_bics="COBADEFF;SABRRUMM")
    flag = rules_of(result)["SANCTIONED_JURISDICTION"][0]
    assert flag.evidence["jurisdiction"] == "RU"
    assert flag.evidence["found_in"] == ["intermediary_bics[1]"]
    assert (flag.severity, result.decision, result.risk_score) == (
        Severity.CRITICAL,
        TxOutcome.BLOCK,
        80,
    )


def test_an_address_in_sevastopol_blocks(screener: Screener) -> None:
    result = screen(
        screener, beneficiary_name="Ivan Petrenko", beneficiary_address="ul. Lenina 5, Sevastopol"
    )
    flag = rules_of(result)["SANCTIONED_JURISDICTION"][0]
    assert flag.evidence["jurisdiction"] == "UA-40"
    assert flag.evidence["matched_text"] == ["Sevastopol"]
    assert flag.evidence["oblast_only"] is False
    assert result.decision is TxOutcome.BLOCK


def test_an_oblast_alone_asks_for_review(screener: Screener) -> None:
    result = screen(
        screener, beneficiary_address="Zaporizhzhia oblast", destination_country="UA-14",
        hs_codes="854231",
    )  # fmt: skip
    found = rules_of(result)
    by_code = {f.evidence["jurisdiction"]: f for f in found["SANCTIONED_JURISDICTION"]}
    assert set(by_code) == {"UA-23", "UA-14"}
    assert all(f.severity is Severity.HIGH and f.evidence["oblast_only"] for f in by_code.values())
    assert found["CHPL_TO_SANCTIONED"][0].severity is Severity.HIGH
    assert result.decision is TxOutcome.REVIEW


def test_a_city_in_occupied_territory_in_the_goods_description(screener: Screener) -> None:
    result = screen(screener, goods_description="spare parts, delivery to Melitopol")
    flag = rules_of(result)["SANCTIONED_JURISDICTION"][0]
    assert (flag.evidence["jurisdiction"], flag.evidence["found_in"]) == (
        "UA-23",
        ["goods_description"],
    )
    assert flag.severity is Severity.CRITICAL


def test_syria_asks_for_review_not_block(screener: Screener) -> None:
    result = screen(screener, beneficiary_country="Syria")
    flag = rules_of(result)["SANCTIONED_JURISDICTION"][0]
    assert (flag.severity, flag.evidence["blocked_by_profile"]) == (Severity.HIGH, False)
    assert result.decision is TxOutcome.REVIEW


def test_one_flag_per_jurisdiction_naming_every_field(screener: Screener) -> None:
    result = screen(
        screener, originator_country="BY", beneficiary_country="RU", beneficiary_bic="SABRRUMM",
        destination_country="RU",
    )  # fmt: skip
    flags = rules_of(result)["SANCTIONED_JURISDICTION"]
    assert [(f.evidence["jurisdiction"], f.evidence["found_in"]) for f in flags] == [
        ("BY", ["originator_country"]),
        ("RU", ["beneficiary_country", "destination_country", "beneficiary_bic"]),
    ]


@pytest.mark.parametrize(
    ("code", "severity"),
    [
        ("854231", Severity.HIGH),  # tier 1
        ("8517.62", Severity.HIGH),  # tier 2
        ("848210", Severity.MEDIUM),  # tier 3.B
        ("845710", Severity.LOW),  # tier 4.B
        ("8542", Severity.MEDIUM),  # heading: possible tier 1, one step lower
        ("852580", Severity.LOW),  # HS 2017 code split in 2022: possible tier 3.A
        ("847180", Severity.LOW),  # tier 4.A
    ],
)
def test_hub_severity_by_tier(screener: Screener, code: str, severity: Severity) -> None:
    result = screen(screener, destination_country="CN", hs_codes=code)
    assert rules_of(result)["CHPL_VIA_HUB"][0].severity is severity


def test_no_hub_rule_without_chpl_goods_or_without_a_hub(screener: Screener) -> None:
    assert screen(screener, destination_country="CN", hs_codes="9403.20;85").flags == []
    assert (
        screen(screener, origin_country="CN", destination_country="FR", hs_codes="854231").flags
        == []
    )


def test_the_worst_code_grades_the_flag(screener: Screener) -> None:
    result = screen(screener, transit_countries="GE", hs_codes="845710;851762;9403.20")
    flag = rules_of(result)["CHPL_VIA_HUB"][0]
    assert flag.severity is Severity.HIGH
    assert [g["code"] for g in flag.evidence["goods"]] == ["845710", "851762"]


def test_a_profile_can_block_syria_too(screener: Screener) -> None:
    profile = PRESETS["uk_bank"].model_copy(update={"blocked_jurisdictions": ["SY"]})
    tx = build_transaction({"tx_id": "S", "beneficiary_country": "SY", "originator_country": "RU"})
    result = screen_transaction(tx, screener, profile)
    assert [(f.evidence["jurisdiction"], f.severity) for f in result.flags] == [
        ("RU", Severity.HIGH),  # originator_country comes first
        ("SY", Severity.CRITICAL),
    ]


EVERY_RULE: list[dict[str, Any]] = [
    {"beneficiary_name": "BNK (UK) Ltd"},
    # A payment message: an agent bank named like a listed one, a listed name in the
    # remittance text, and no originator or beneficiary at all.
    {
        "message_type": "MT103",
        "agents": [{"role": "creditor_agent", "name": "BNK (UK) Ltd"}],
        "texts": [
            {
                "field": ":70:",
                "kind": "remittance",
                "text": "FOR KOREA MINING DEVELOPMENT TRADING CORPORATION",
            }
        ],
    },
    {"destination_country": "RU", "hs_codes": "854231"},
    {
        "origin_country": "DE",
        "transit_countries": "TR",
        "destination_country": "AM",
        "hs_codes": "8542",
    },
    {"destination_country": "AE", "end_user_country": "BY"},
]


def test_every_rule_fires_in_some_scenario(screener: Screener) -> None:
    fired = {flag.rule for values in EVERY_RULE for flag in screen(screener, **values).flags}
    assert fired == set(RULES)


def test_a_bad_database_is_exit_3(tmp_path: Path) -> None:
    source = write_scenarios(tmp_path / "tx.csv", SCENARIOS[:1])
    out = tmp_path / "o.jsonl"
    url = "postgresql+psycopg://nobody:secret@127.0.0.1:1/none?connect_timeout=2"
    result = run_cli("tx", "screen", str(source), "--out", str(out), "--db", url)
    assert result.exit_code == 3, result.output
    assert "database" in result.output and "(no output written)" in result.output
    assert not out.exists()


# -- decision and score ----------------------------------------------------------------------


def flag(severity: Severity) -> Flag:
    return Flag(rule="X", severity=severity, message="m", evidence={})


@pytest.mark.parametrize(
    ("severities", "decision", "score"),
    [
        ([], TxOutcome.CLEAR, 0),
        ([Severity.LOW], TxOutcome.REVIEW, 15),
        ([Severity.MEDIUM, Severity.LOW], TxOutcome.REVIEW, 34),
        ([Severity.HIGH], TxOutcome.REVIEW, 50),
        ([Severity.LOW, Severity.CRITICAL], TxOutcome.BLOCK, 84),
        ([Severity.CRITICAL, Severity.CRITICAL], TxOutcome.BLOCK, 100),
        ([Severity.HIGH] * 4, TxOutcome.REVIEW, 88),
    ],
)
def test_decide(severities: list[Severity], decision: TxOutcome, score: int) -> None:
    assert decide([flag(s) for s in severities]) == (decision, score)


def test_score_bands() -> None:
    assert SEVERITY_POINTS == {
        Severity.CRITICAL: 80,
        Severity.HIGH: 50,
        Severity.MEDIUM: 30,
        Severity.LOW: 15,
    }


# -- registry and docs -----------------------------------------------------------------------


def test_registry_is_documented_with_known_sources() -> None:
    with (PROJECT / "screening" / "data" / "sources.csv").open(encoding="utf-8") as handle:
        known = {row["source_id"] for row in csv.DictReader(handle)}
    docs = (PROJECT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert len(RULES) == 9
    for registered in RULES.values():
        assert registered.doc and registered.rationale and registered.sources
        assert set(registered.sources) <= known, registered.id
        section = docs.split(f"### {registered.id}\n", 1)
        assert len(section) == 2, f"{registered.id} missing from docs/rules.md"
        body = section[1].split("\n### ", 1)[0]
        assert f"**Severity:** {registered.severity.value}" in body
        module = registered.check.__module__.replace(".", "/")
        assert f"**Module:** `{module}.py`" in body, registered.id
        for source in registered.sources:
            assert f"`{source}`" in body, (registered.id, source)


def test_rules_run_in_the_declared_order_from_their_family_modules() -> None:
    # Flags appear in RULE_ORDER even though the package imports its families alphabetically.
    assert tuple(RULES) == RULE_ORDER
    assert {
        registered.id: registered.check.__module__.rsplit(".", 1)[1]
        for registered in RULES.values()
    } == {
        PARTY_SANCTIONS_HIT: "parties",
        AGENT_SANCTIONS_HIT: "agents",
        TEXT_SANCTIONS_HIT: "texts",
        SANCTIONED_JURISDICTION: "jurisdictions",
        CHPL_VIA_HUB: "goods",
        CHPL_TO_SANCTIONED: "goods",
        CHPL_CORE_VIA_PIVOT: "goods",
        HUB_DESTINATION_RUSSIAN_END_USER: "end_use",
        PAYMENT_TRANSPARENCY: "transparency",
    }


def test_a_rule_id_is_declared_and_registered_once() -> None:
    def check(tx: Transaction, ctx: RuleContext) -> list[Flag]:
        return []

    with pytest.raises(ValueError, match="not declared in RULE_ORDER"):
        rule("NEW_RULE", Severity.LOW, "doc", "why", ("BACKGROUND",))(check)
    with pytest.raises(ValueError, match="registered twice"):
        rule(CHPL_VIA_HUB, Severity.LOW, "doc", "why", ("BACKGROUND",))(check)
    assert tuple(RULES) == RULE_ORDER and RULES[CHPL_VIA_HUB].check is not check


# -- context ---------------------------------------------------------------------------------


def test_eu_nexus_through_a_bic(screener: Screener) -> None:
    tx = build_transaction({"tx_id": "N", "currency": "GBP", "intermediary_bics": "COBADEFF"})
    context = RuleContext(tx, screener, PRESETS["uk_bank"])
    assert context.binding["eu_fsf"] == "EU nexus: DE"


# -- CLI end to end --------------------------------------------------------------------------

CSV_HEADER = [
    "tx_id", "amount", "currency", "originator_name", "originator_country", "beneficiary_name",
    "beneficiary_country", "beneficiary_bic", "intermediary_bics", "origin_country",
    "transit_countries", "destination_country", "end_user_name", "end_user_country",
    "end_user_address", "hs_codes", "goods_description",
]  # fmt: skip
SCENARIOS: list[dict[str, str]] = [
    {"tx_id": "clean", "originator_name": "Acme GmbH", "originator_country": "DE",
     "beneficiary_name": "Martin SARL", "beneficiary_country": "FR", "origin_country": "DE",
     "destination_country": "FR", "hs_codes": "1905.90"},
    {"tx_id": "ic-via-ae", "origin_country": "DE", "transit_countries": "AE",
     "destination_country": "KZ", "hs_codes": "854231"},
    {"tx_id": "ic-to-ru", "destination_country": "RU", "hs_codes": "8542.31"},
    {"tx_id": "bad-amount", "amount": "12,5"},
    {"tx_id": "un-party", "beneficiary_name": "Korea Mining Development Trading Corporation"},
    {"tx_id": "junk-hs", "hs_codes": "HS-XYZ"},
    {"tx_id": "=HYPERLINK(1)", "beneficiary_address": "", "goods_description": "@SUM(A1)"},
]  # fmt: skip


def write_scenarios(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_HEADER, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({"amount": "100", "currency": "EUR", **row})
    return path


def run_cli(*args: str) -> Any:
    return CliRunner().invoke(cli.main, list(args))


def test_cli_jsonl(store_url: str, tmp_path: Path) -> None:
    source = write_scenarios(tmp_path / "tx.csv", SCENARIOS)
    out = tmp_path / "out.jsonl"
    result = run_cli("tx", "screen", str(source), "--out", str(out), "--db", store_url)
    assert result.exit_code == 4, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["tx_id"], r["decision"]) for r in records] == [
        ("clean", "clear"),
        ("ic-via-ae", "review"),
        ("ic-to-ru", "block"),
        ("bad-amount", "error"),
        ("un-party", "block"),
        ("junk-hs", "error"),
        ("=HYPERLINK(1)", "clear"),
    ]
    assert [r["risk_score"] for r in records] == [0, 62, 100, None, 80, None, 0]
    assert [r["row"] for r in records] == [1, 2, 3, 4, 5, 6, 7]
    assert (
        records[3]["error"]
        == "amount: unreadable amount '12,5': digits with an optional '.' decimal point"
    )
    assert records[5]["error"].startswith("hs_codes: 'HS-XYZ': not an HS code")
    flag = records[4]["flags"][0]
    assert set(flag) == {"rule", "severity", "evidence", "binding", "message"}
    assert (flag["rule"], flag["severity"], flag["binding"]) == (
        "PARTY_SANCTIONS_HIT",
        "critical",
        True,
    )
    assert flag["evidence"]["entry_id"] == "690735"
    assert "7 transactions: block 2, review 1, clear 2, error 2" in result.output
    assert "profile uk_bank" in result.output
    assert "error in row 4: amount: unreadable amount" in result.output
    assert "Traceback" not in result.output


def test_cli_csv_escapes_formulas_and_keeps_the_input(store_url: str, tmp_path: Path) -> None:
    source = write_scenarios(tmp_path / "tx.csv", [SCENARIOS[2], SCENARIOS[6]])
    out = tmp_path / "out.csv"
    result = run_cli(
        "tx", "screen", str(source), "--out", str(out), "--db", store_url, "--profile", "eu_bank"
    )
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [*CSV_HEADER, "decision", "risk_score", "flag_count", "flags", "error"]
    assert rows[1][0] == "ic-to-ru" and rows[1][-5:-1][:3] == ["block", "100", "2"]
    assert re.match(
        r"SANCTIONED_JURISDICTION critical: .* \| CHPL_TO_SANCTIONED critical", rows[1][-2]
    )
    assert (
        rows[2][0] == "'=HYPERLINK(1)"
        and rows[2][CSV_HEADER.index("goods_description")] == "'@SUM(A1)"
    )
    assert rows[2][-5:] == ["clear", "0", "0", "", ""]


def test_cli_json_input(store_url: str, tmp_path: Path) -> None:
    source = tmp_path / "tx.json"
    source.write_text(json.dumps([{"tx_id": "j1", "destination_country": "IR"}, {"tx_id": "j2"}]))
    out = tmp_path / "out.csv"
    result = run_cli("tx", "screen", str(source), "--out", str(out), "--db", store_url)
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["tx_id"], r["destination_country"], r["decision"]) for r in rows] == [
        ("j1", "IR", "block"),
        ("j2", "", "clear"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "OUT.txt"], "the output must end in .csv or .jsonl"),
        (["--out", "OUT.jsonl", "--profile", "ch_bank"], "unknown profile 'ch_bank'"),
    ],
)
def test_cli_usage_errors(store_url: str, tmp_path: Path, args: list[str], message: str) -> None:
    source = write_scenarios(tmp_path / "tx.csv", SCENARIOS[:1])
    args = [a.replace("OUT", str(tmp_path / "out")) for a in args]
    result = run_cli("tx", "screen", str(source), *args, "--db", store_url)
    assert result.exit_code == 2
    assert message in result.output


def test_cli_unreadable_input_leaves_no_output(store_url: str, tmp_path: Path) -> None:
    source = tmp_path / "tx.csv"
    source.write_text("id,amount\n1,2\n")
    out = tmp_path / "out.jsonl"
    result = run_cli("tx", "screen", str(source), "--out", str(out), "--db", store_url)
    assert result.exit_code == 1
    assert "no tx_id column" in result.output and "(no output written)" in result.output
    assert not out.exists()
    assert "Traceback" not in result.output


def test_cli_without_lists(tmp_path: Path) -> None:
    source = write_scenarios(tmp_path / "tx.csv", SCENARIOS[:1])
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    result = run_cli("tx", "screen", str(source), "--out", str(tmp_path / "o.jsonl"), "--db", empty)
    assert result.exit_code == 1
    assert "no lists are loaded" in result.output

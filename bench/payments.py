"""Payment messages per second, end to end, for pacs.008 and MT103, against baselines.

One process, single thread. Steps:

1. The store of bench/accuracy.py (OFAC SDN + non-SDN, UK OFSI, UN; cached in bench/.cache/,
   or --db URL) and a screener over it (index cached in bench/.cache/index).
2. N messages per format made from one real sample each (../shared/data/payments:
   `PACS008_SAMPLE`, `MT103_SAMPLE`): the debtor's and the creditor's names replaced by
   seeded faker names (cut to the sample name's length limit), the message ids, the
   end-to-end id, the UETR and MT field 20 by seeded random ones. Every generated message is
   checked to read back with the new names, so the benchmark never times a broken message.
3. Three timings over the same messages, each the best of --repeat runs:
   - ``parse``: reading only (`read_payment_bytes`), the floor of any screening;
   - ``end to end``: `screen_payment`'s path: read, then every rule over every party, agent,
     address and free text of the message (`screen_message`);
   - ``flat``: the baseline of ``coalition tx screen``: the same debtor/creditor names,
     countries and BICs as a flat CSV transaction through the same rules.
4. Print messages/s per format and the target check (`TARGET_PER_SECOND` end to end);
   --json writes it all. Exit status 0 when every format meets the target, else 1.

    python bench/payments.py [--count 2000] [--seed 7] [--repeat 3] [--db URL] [--json PATH]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, this file's folder comes first on sys.path: put the project root there.
if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(ROOT)

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from dataclasses import asdict, dataclass  # noqa: E402
from typing import Any  # noqa: E402
from xml.sax.saxutils import escape  # noqa: E402

from faker import Faker  # noqa: E402

from bench.accuracy import CACHE, DEFAULT_LISTS, open_screener, prepare_store  # noqa: E402
from screening.batch.payments import screen_message  # noqa: E402
from screening.coalition.participants import PartyRole  # noqa: E402
from screening.coalition.payments import MessageTransaction  # noqa: E402
from screening.coalition.payments.reader import read_payment_bytes  # noqa: E402
from screening.coalition.profiles import DEFAULT_PROFILE, PRESETS  # noqa: E402
from screening.coalition.rules import PartyScreener, screen_transaction  # noqa: E402
from screening.coalition.transactions import Transaction  # noqa: E402

PAYMENTS = ROOT.parent / "shared" / "data" / "payments"
PACS008_SAMPLE = PAYMENTS / "mx" / "cbpr_p.2.1.2_pacs.008.001.12_AtoB_intrmyagt.xml"
MT103_SAMPLE = PAYMENTS / "mt" / "mt103_p.2.1.2_AtoB_50F_56A_57A_59F_70.fin"
TARGET_PER_SECOND = 300.0
MT_LINE = 35  # an MT name line holds 35 characters


@dataclass
class Sample:
    label: str
    raw: str
    xml: bool
    debtor: str
    creditor: str
    ids: list[str]  # MsgId, EndToEndId, UETR / field 20, as in the sample


def load_sample(label: str, path: Path) -> Sample:
    """The sample's text and the values the generator replaces, read by the reader itself."""
    raw = path.read_bytes()
    items = list(read_payment_bytes(raw, path.name))
    item = items[0]
    if item.transaction is None:
        raise SystemExit(f"{path.name}: cannot be read: {item.error}")
    names = {p.role: p.name for p in item.transaction.parties if p.name}
    debtor, creditor = names.get(PartyRole.DEBTOR), names.get(PartyRole.CREDITOR)
    text = raw.decode("utf-8")
    if not debtor or not creditor or debtor not in text or creditor not in text:
        raise SystemExit(f"{path.name}: debtor/creditor names not found verbatim in the text")
    tx = item.transaction
    ids = [v for v in (item.msg_id, tx.end_to_end_id, tx.uetr, item.tx_id) if v and v in text]
    return Sample(label, text, path.suffix == ".xml", debtor, creditor, sorted(set(ids), key=len))


def generate(sample: Sample, count: int, seed: int) -> list[bytes]:
    """`count` variants of the sample: new party names and ids, seeded."""
    fake = Faker(["en_GB", "de_DE", "fr_FR"])
    fake.seed_instance(seed)
    rng = random.Random(seed)
    messages = []
    for _ in range(count):
        text = sample.raw
        # Longest first, so that an id containing another is replaced whole.
        for old in sorted(sample.ids, reverse=True, key=len):
            text = text.replace(old, _new_id(old, rng))
        debtor = fake.name()[: MT_LINE - 2]
        creditor = fake.company()[: MT_LINE - 2]
        if sample.xml:
            debtor, creditor = escape(debtor), escape(creditor)
        text = text.replace(sample.debtor, debtor).replace(sample.creditor, creditor)
        messages.append(text.encode("utf-8"))
    return messages


def _new_id(old: str, rng: random.Random) -> str:
    if len(old) == 36 and old.count("-") == 4:  # a UETR
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))
    # Same length as the sample's id, so MT field 20 stays within its 16 characters.
    return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(len(old)))


def check_generated(sample: Sample, messages: Sequence[bytes]) -> None:
    """Every generated message reads back, with names other than the sample's."""
    for number, message in enumerate(messages):
        item = next(read_payment_bytes(message, f"{sample.label}-{number}"))
        if item.transaction is None:
            raise SystemExit(f"generated {sample.label} #{number} does not read: {item.error}")
        names = {p.name for p in item.transaction.parties}
        if sample.debtor in names or sample.creditor in names:
            raise SystemExit(f"generated {sample.label} #{number} kept the sample's names")


def flat_transaction(item: MessageTransaction) -> Transaction:
    """The message as ``tx screen``'s CSV would carry it: names, countries and BICs only."""
    assert item.transaction is not None
    tx = item.transaction
    parties = {p.role: p for p in tx.parties}
    agents = {a.role: a for a in tx.agents}
    debtor, creditor = parties.get(PartyRole.DEBTOR), parties.get(PartyRole.CREDITOR)
    debtor_bank, creditor_bank = agents.get("debtor_agent"), agents.get("creditor_agent")
    return Transaction(
        tx_id=tx.tx_id,
        amount=tx.amount,
        currency=tx.currency,
        originator_name=debtor.name if debtor else None,
        originator_country=debtor.country if debtor else None,
        originator_bic=debtor_bank.bic if debtor_bank else None,
        beneficiary_name=creditor.name if creditor else None,
        beneficiary_country=creditor.country if creditor else None,
        beneficiary_bic=creditor_bank.bic if creditor_bank else None,
    )


def best_rate(work: Callable[[], int], repeat: int) -> tuple[float, int]:
    """(messages per second of the fastest run, messages per run)."""
    best, done = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        done = work()
        best = min(best, time.perf_counter() - started)
    return (done / best if best > 0 else 0.0), done


@dataclass
class FormatRun:
    label: str
    sample: str
    messages: int
    parse_per_second: float
    end_to_end_per_second: float
    flat_per_second: float
    decisions: dict[str, int]
    meets_target: bool


def bench_format(
    sample: Sample, messages: Sequence[bytes], screener: PartyScreener, repeat: int
) -> FormatRun:
    profile = PRESETS[DEFAULT_PROFILE]
    decisions: dict[str, int] = {}

    def parse() -> int:
        return sum(1 for m in messages for _ in read_payment_bytes(m, "bench"))

    def end_to_end() -> int:
        decisions.clear()
        for message in messages:
            for item in read_payment_bytes(message, "bench"):
                result = screen_message(item, "bench", screener, profile)
                decisions[result.decision] = decisions.get(result.decision, 0) + 1
        return len(messages)

    flat = [flat_transaction(next(read_payment_bytes(m, "bench"))) for m in messages]

    def flat_path() -> int:
        for tx in flat:
            screen_transaction(tx, screener, profile)
        return len(flat)

    parse_rate, _ = best_rate(parse, repeat)
    e2e_rate, _ = best_rate(end_to_end, repeat)
    flat_rate, _ = best_rate(flat_path, repeat)
    return FormatRun(
        sample.label,
        str(PACS008_SAMPLE.name if sample.xml else MT103_SAMPLE.name),
        len(messages),
        parse_rate,
        e2e_rate,
        flat_rate,
        dict(sorted(decisions.items())),
        e2e_rate >= TARGET_PER_SECOND,
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=2000, help="messages per format")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing; the best counts")
    parser.add_argument("--db", help="store URL (default: a SQLite file in bench/.cache)")
    parser.add_argument("--lists", type=Path, default=DEFAULT_LISTS, help="official lists folder")
    parser.add_argument("--json", type=Path, help="write the results here")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    CACHE.mkdir(parents=True, exist_ok=True)
    url = args.db or f"sqlite:///{CACHE / 'screening.db'}"
    store = prepare_store(url, args.lists, CACHE)
    print(f"store: {url} ({store.load_seconds:.1f} s to load or check)")
    screener, seconds = open_screener(url, CACHE / "index")
    print(f"screener open in {seconds:.1f} s")
    runs = []
    for label, path in (("pacs.008", PACS008_SAMPLE), ("MT103", MT103_SAMPLE)):
        sample = load_sample(label, path)
        messages = generate(sample, args.count, args.seed)
        check_generated(sample, messages)
        run = bench_format(sample, messages, screener, args.repeat)  # type: ignore[arg-type]
        runs.append(run)
        print(
            f"{label:9} {run.messages:,} messages: parse {run.parse_per_second:,.0f}/s, "
            f"end to end {run.end_to_end_per_second:,.0f}/s "
            f"(target {TARGET_PER_SECOND:,.0f}/s: {'met' if run.meets_target else 'MISSED'}), "
            f"flat tx path {run.flat_per_second:,.0f}/s; decisions {run.decisions}"
        )
    if args.json:
        report: dict[str, Any] = {
            "store": url,
            "count": args.count,
            "seed": args.seed,
            "target_per_second": TARGET_PER_SECOND,
            "formats": [asdict(run) for run in runs],
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0 if all(run.meets_target for run in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Soak test of the HTTP service: a bounded mix of requests for minutes, memory watched.

Starts `coalition serve` on 127.0.0.1 over a copy of the store bench/accuracy.py builds
(bench/.cache/screening.db: OFAC SDN + non-SDN, UK, UN; built when missing; copied so that the
screenings this run records do not grow the benchmark's store), then sends a fixed mix of
requests — single names (some recorded, so alerts exist), batches, transactions, list status,
alerts — at a bounded rate from a few keep-alive clients for ``--seconds``, and stops by
itself. Every ``--sample`` seconds it reads the server's resident memory (Linux /proc).

Reported per route: requests, errors, p50/p99 latency; memory at start and end, and its
slope after the warm-up by least squares over the samples (flat: under 1 MB per minute).

    python bench/soak.py [--seconds 600] [--rate 20] [--clients 4] [--json FILE]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, this file's folder comes first on sys.path: put the project root there.
if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(ROOT)

import argparse  # noqa: E402
import http.client  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import secrets  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from typing import Any  # noqa: E402

from bench.accuracy import CACHE, DEFAULT_LISTS, prepare_store  # noqa: E402
from bench.service import free_port, percentiles, queries, start_server, stop_server  # noqa: E402
from screening.store import ListStore  # noqa: E402
from screening.workflow.keys import ApiKeys  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "soak.json"
FLAT_MB_PER_MINUTE = 1.0
BATCH_SIZE = 10
# One request in twenty of each kind in turn: the mix, by route label, with its weight.
MIX = {
    "POST /screen": 11,
    "POST /screen record": 1,
    "POST /screen/batch": 2,
    "POST /transactions/screen": 3,
    "GET /lists/status": 1,
    "GET /alerts": 2,
}


@dataclass
class Request:
    route: str
    method: str
    path: str
    body: Any = None


@dataclass
class Tally:
    """Latencies (ms) and errors per route, shared by the client threads."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    first_errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, route: str, milliseconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies[route].append(milliseconds)
            if error is not None:
                self.errors[route] += 1
                if len(self.first_errors) < 5:
                    self.first_errors.append(f"{route}: {error}")


def request_mix(bodies: list[dict[str, Any]]) -> itertools.cycle[Request]:
    """The requests in a fixed order, cycled: the mix's weights in every round of twenty."""
    names = itertools.cycle(bodies)
    rounds: list[Request] = []
    for number in range(max(len(bodies) // 4, 1)):
        for route, weight in MIX.items():
            for _ in range(weight):
                rounds.append(_request(route, names, number))
    return itertools.cycle(rounds)


def _request(route: str, names: itertools.cycle[dict[str, Any]], number: int) -> Request:
    body = next(names)
    if route == "POST /screen":
        return Request(route, "POST", "/screen", body)
    if route == "POST /screen record":
        recorded = {**body, "record": True, "customer_ref": f"SOAK-{number % 50}"}
        return Request(route, "POST", "/screen", recorded)
    if route == "POST /screen/batch":
        items = [body, *(next(names) for _ in range(BATCH_SIZE - 1))]
        return Request(route, "POST", "/screen/batch", {"items": items})
    if route == "POST /transactions/screen":
        transaction = {
            "tx_id": f"SOAK-{number}",
            "amount": 25_000,
            "currency": "EUR",
            "originator_name": "Acme Trading GmbH",
            "originator_country": "DE",
            "beneficiary_name": body["name"],
            "beneficiary_country": body.get("country"),
            "hs_codes": ["8542.31"],
        }
        return Request(route, "POST", "/transactions/screen", transaction)
    if route == "GET /lists/status":
        return Request(route, "GET", "/lists/status")
    return Request(route, "GET", f"/alerts?status=open&limit=50&offset={number % 5 * 50}")


def run_clients(
    port: int, key: str, mix: itertools.cycle[Request], clients: int, rate: float, seconds: float
) -> Tally:
    """`clients` keep-alive clients share one pace of `rate` requests/s until `seconds` pass."""
    tally = Tally()
    pace_lock = threading.Lock()
    start = time.monotonic()
    deadline = start + seconds
    next_send = [start]
    headers = {"Content-Type": "application/json", "X-API-Key": key}

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with pace_lock:
                due = next_send[0]
                next_send[0] += 1 / rate
                request = next(mix)
            if due >= deadline:
                break
            time.sleep(max(0.0, due - time.monotonic()))
            payload = None if request.body is None else json.dumps(request.body)
            began = time.perf_counter()
            try:
                connection.request(request.method, request.path, payload, headers)
                answer = connection.getresponse()
                data = answer.read()
                error = None if answer.status < 400 else f"{answer.status} {data[:200]!r}"
            except (OSError, http.client.HTTPException) as exc:
                error = f"{type(exc).__name__}: {exc}"
                connection.close()  # reconnects on the next request
            tally.add(request.route, (time.perf_counter() - began) * 1000, error)
        connection.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return tally


def rss_mb(pid: int) -> float:
    """Resident memory of process `pid` in MB (VmRSS in /proc: Linux only)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def sample_memory(pid: int, every: float, stop: threading.Event) -> list[tuple[float, float]]:
    """(seconds since start, RSS MB) every `every` seconds until `stop` is set."""
    samples: list[tuple[float, float]] = []
    start = time.monotonic()

    def sample() -> None:
        while True:
            samples.append((round(time.monotonic() - start, 1), round(rss_mb(pid), 1)))
            if stop.wait(every):
                samples.append((round(time.monotonic() - start, 1), round(rss_mb(pid), 1)))
                return

    threading.Thread(target=sample, daemon=True).start()
    return samples


def memory_report(samples: list[tuple[float, float]], warm_up: float) -> dict[str, Any]:
    steady = [(seconds / 60, mb) for seconds, mb in samples if seconds >= warm_up]
    slope = None
    if len(steady) >= 3:
        slope = statistics.linear_regression([m for m, _ in steady], [mb for _, mb in steady])[0]
    return {
        "start_mb": samples[0][1],
        "after_warm_up_mb": steady[0][1] if steady else None,
        "end_mb": samples[-1][1],
        "max_mb": max(mb for _, mb in samples),
        "warm_up_seconds": warm_up,
        "slope_mb_per_minute": None if slope is None else round(slope, 3),
        "flat": slope is not None and slope < FLAT_MB_PER_MINUTE,
        "samples": samples,
    }


def route_report(tally: Tally, seconds: float) -> dict[str, dict[str, Any]]:
    report = {}
    for route in MIX:
        values = tally.latencies.get(route, [])
        entry: dict[str, Any] = {"requests": len(values), "errors": tally.errors.get(route, 0)}
        if len(values) >= 2:
            cuts = percentiles(values)
            entry |= {"p50_ms": cuts["p50"], "p99_ms": cuts["p99"], "max_ms": cuts["max"]}
        entry["per_second"] = round(len(values) / seconds, 2)
        report[route] = entry
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=600, help="how long to send requests")
    parser.add_argument("--rate", type=float, default=20, help="requests per second, all clients")
    parser.add_argument("--clients", type=int, default=4, help="keep-alive client threads")
    parser.add_argument("--sample", type=float, default=10, help="seconds between RSS samples")
    parser.add_argument("--warm-up", type=float, default=60, help="seconds left out of the slope")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--lists", type=Path, default=DEFAULT_LISTS)
    parser.add_argument("--json", type=Path, default=RESULTS, help="report file")
    args = parser.parse_args()

    benchmark_url = f"sqlite:///{CACHE / 'screening.db'}"
    prepare_store(benchmark_url, args.lists, CACHE)
    soak_db = CACHE / "soak.db"
    shutil.copyfile(CACHE / "screening.db", soak_db)
    url = f"sqlite:///{soak_db}"
    store = ListStore(url)
    lists = [f"{v.source.value} {v.published_on}" for v in store.active_versions()]
    print(f"store: {url}  lists: {lists}")
    mix = request_mix(queries(url, 2000, args.seed))
    key = ApiKeys(store).create(f"soak-{secrets.token_hex(4)}")

    port = free_port()
    started = time.perf_counter()
    process = start_server(url, port, CACHE / "index", CACHE / "soak-server.log")
    startup = time.perf_counter() - started
    print(f"server up in {startup:.1f} s; sending {args.rate}/s for {args.seconds:.0f} s")
    stop = threading.Event()
    try:
        samples = sample_memory(process.pid, args.sample, stop)
        tally = run_clients(port, key, mix, args.clients, args.rate, args.seconds)
        stop.set()
        time.sleep(0.5)  # the sampler's last reading
    finally:
        stop.set()
        stop_server(process)

    routes = route_report(tally, args.seconds)
    memory = memory_report(samples, args.warm_up)
    for route, entry in routes.items():
        print(
            f"{route:28} {entry['requests']:6} req  {entry['errors']} errors  "
            f"p50 {entry.get('p50_ms')} ms  p99 {entry.get('p99_ms')} ms"
        )
    print(
        f"RSS: start {memory['start_mb']} MB, after warm-up {memory['after_warm_up_mb']} MB, "
        f"end {memory['end_mb']} MB, slope {memory['slope_mb_per_minute']} MB/min "
        f"({'flat' if memory['flat'] else 'NOT flat'})"
    )
    for error in tally.first_errors:
        print(f"error: {error}")
    report = {
        "benchmark": "soak: a bounded mix of requests against coalition serve, full lists",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "settings": {k: v for k, v in vars(args).items() if k not in ("lists", "json")},
        "mix_weights": MIX,
        "lists": lists,
        "server_startup_seconds": round(startup, 1),
        "routes": routes,
        "errors": sum(tally.errors.values()),
        "first_errors": tally.first_errors,
        "memory": memory,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written: {args.json}")


if __name__ == "__main__":
    main()

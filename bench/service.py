"""Load benchmark of the HTTP service: single-name POST /screen on the full lists.

Starts `coalition serve` (one uvicorn process) on 127.0.0.1 over the store bench/accuracy.py
builds (bench/.cache/screening.db: OFAC SDN + non-SDN, UK, UN; built here when missing), then
sends a bounded number of requests from N client threads, each on its own keep-alive
connection, and reports requests per second and latency percentiles per concurrency. The
baseline in the same run is the in-process `Screener.screen_query` on the same queries, one
thread, which shows what HTTP, JSON and authentication add.

The queries are the accuracy benchmark's: labelled variants of listed names, clean names and
near misses (bench/variants.py), cycled to the request count.

    python bench/service.py [--requests 2000] [--concurrency 4,8] [--json FILE]
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
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import secrets  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

from bench.accuracy import (  # noqa: E402
    CACHE,
    DEFAULT_LISTS,
    active_entries,
    prepare_store,
    to_query,
)
from bench.variants import build  # noqa: E402
from screening import Screener  # noqa: E402
from screening.store import ListStore  # noqa: E402
from screening.workflow.keys import ApiKeys  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "service.json"
STARTUP_SECONDS = 300


def queries(url: str, count: int, seed: int) -> list[dict[str, Any]]:
    """Request bodies: the accuracy benchmark's query kinds, in a fixed shuffled order."""
    listed = active_entries(url)
    benchmark = build(
        listed,
        seed=seed,
        sample=40,
        clean_persons=300,
        clean_companies=150,
        near_misses=150,
    )
    bodies = [to_query(case).model_dump(mode="json", by_alias=True) for case in benchmark.cases]
    bodies = [{k: v for k, v in body.items() if v not in (None, [])} for body in bodies]
    return [bodies[i % len(bodies)] for i in range(count)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(url: str, port: int, index_dir: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "COALITION_INDEX_DIR": str(index_dir)}
    command = [sys.executable, "-m", "cli", "serve", "--port", str(port), "--db", url]
    with log.open("wb") as output:  # a file, not a pipe nobody drains; the child keeps it open
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=output
        )
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                connection.close()
                return process
        except OSError:
            pass
        time.sleep(0.25)
    process.kill()
    raise SystemExit("server did not start")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)


def load(port: int, key: str, bodies: list[dict[str, Any]], threads: int) -> dict[str, Any]:
    """Send every body once, split over `threads` keep-alive clients; latencies in ms."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    headers = {"Content-Type": "application/json", "X-API-Key": key}

    def client(share: list[dict[str, Any]]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        for body in share:
            payload = json.dumps(body)
            start = time.perf_counter()
            connection.request("POST", "/screen", payload, headers)
            answer = connection.getresponse()
            data = answer.read()
            mine.append((time.perf_counter() - start) * 1000)
            if answer.status != 200:
                with lock:
                    failures.append(f"{answer.status}: {data[:200]!r}")
        connection.close()
        with lock:
            latencies.extend(mine)

    workers = [threading.Thread(target=client, args=(bodies[i::threads],)) for i in range(threads)]
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - start
    return {
        "threads": threads,
        "requests": len(latencies),
        "failures": len(failures),
        "first_failures": failures[:3],
        "seconds": round(seconds, 2),
        "requests_per_second": round(len(latencies) / seconds, 1),
        "latency_ms": percentiles(latencies),
    }


def percentiles(values: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {
        "mean": round(statistics.fmean(values), 1),
        "p50": round(cuts[49], 1),
        "p95": round(cuts[94], 1),
        "p99": round(cuts[98], 1),
        "max": round(max(values), 1),
    }


def in_process(url: str, index_dir: Path, bodies: list[dict[str, Any]]) -> dict[str, Any]:
    """The same queries through `Screener.screen_query` in this process, one thread."""
    from screening.matching.results import Query

    screener = Screener(ListStore(url), index_dir=index_dir)
    parsed = [Query.model_validate(body) for body in bodies]
    for query in parsed[:50]:  # warm-up, as the server's first requests are
        screener.screen_query(query)
    latencies = []
    start = time.perf_counter()
    for query in parsed:
        begin = time.perf_counter()
        screener.screen_query(query)
        latencies.append((time.perf_counter() - begin) * 1000)
    seconds = time.perf_counter() - start
    return {
        "calls": len(parsed),
        "seconds": round(seconds, 2),
        "calls_per_second": round(len(parsed) / seconds, 1),
        "latency_ms": percentiles(latencies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per concurrency")
    parser.add_argument("--concurrency", default="4,8", help="client thread counts")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--lists", type=Path, default=DEFAULT_LISTS)
    parser.add_argument("--db", help="store URL (default: the accuracy benchmark's SQLite)")
    parser.add_argument("--json", type=Path, default=RESULTS, help="report file")
    args = parser.parse_args()
    levels = [int(part) for part in args.concurrency.split(",")]

    url = args.db or f"sqlite:///{CACHE / 'screening.db'}"
    index_dir = CACHE / "index"
    store_info = prepare_store(url, args.lists, CACHE)
    store = ListStore(url)
    versions = [
        {"source": v.source.value, "published_on": str(v.published_on), "entities": v.entity_count}
        for v in store.active_versions()
    ]
    print(f"store: {url}  lists: {versions}")
    bodies = queries(url, args.requests, args.seed)
    print(f"queries: {len(bodies)}")

    baseline = in_process(url, index_dir, bodies)
    print(f"in-process Screener.screen_query: {baseline['calls_per_second']} calls/s")

    keys = ApiKeys(store)
    key_name = f"bench-{secrets.token_hex(4)}"
    key = keys.create(key_name)
    port = free_port()
    started = time.perf_counter()
    process = start_server(url, port, index_dir, CACHE / "service-server.log")
    startup = time.perf_counter() - started
    runs = []
    try:
        load(port, key, bodies[:100], 2)  # warm-up
        for threads in levels:
            run = load(port, key, bodies, threads)
            runs.append(run)
            latency = run["latency_ms"]
            print(
                f"HTTP {threads} threads: {run['requests_per_second']} req/s  "
                f"p50 {latency['p50']} ms  p95 {latency['p95']} ms  p99 {latency['p99']} ms  "
                f"failures {run['failures']}"
            )
    finally:
        stop_server(process)
        keys.revoke(key_name)

    report = {
        "benchmark": "POST /screen, one name per request, full lists",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "server": "coalition serve: one uvicorn process, sync endpoints on its thread pool",
        "lists": versions,
        "store_load_seconds": round(store_info.load_seconds, 1),
        "server_startup_seconds": round(startup, 1),
        "in_process": baseline,
        "http": runs,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written: {args.json}")


if __name__ == "__main__":
    main()

"""`make bench`: public pages served from the cache, side by side with a raw WSGI baseline in
the same run (docs/quality.md, P1). Both run under gunicorn (one sync worker each) on loopback; a
Python load generator sends the same number of requests over the same number of connections
to each, and the report gives each page's median and p95 latency, its throughput and its
median as a multiple of the baseline's.

Usage: python bench/public_pages.py [--requests N] [--connections C]
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(app: str, env: dict) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), app, "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{app} did not start on port {port}")


def get(port: int, path: str) -> float:
    started = time.perf_counter()
    connection = HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status != 200:
        raise SystemExit(f"GET {path} answered {response.status}")
    return time.perf_counter() - started


def measure(port: int, path: str, requests: int, connections: int) -> dict:
    for _ in range(20):  # warm up: the first GET fills the cache
        get(port, path)
    started = time.perf_counter()
    with ThreadPoolExecutor(connections) as pool:
        latencies = sorted(pool.map(lambda _: get(port, path), range(requests)))
    elapsed = time.perf_counter() - started
    return {
        "median_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "rps": requests / elapsed,
    }


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def measure_with_wrk(port: int, path: str, seconds: int, connections: int) -> dict:
    """wrk (Debian's package) when it is installed: a C load generator, so the client is not
    the bottleneck. It reports the 50th and 90th percentiles, not the 95th."""
    for _ in range(20):
        get(port, path)
    output = subprocess.run(
        [shutil.which("wrk"), "-t2", f"-c{connections}", f"-d{seconds}s", "--latency",
         f"http://127.0.0.1:{port}{path}"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    if "Non-2xx" in output:
        raise SystemExit(f"GET {path} gave errors under load:\n{output}")
    return {
        "median_ms": _ms(re.search(r"50%\s+(\S+)", output)[1]),
        "p95_ms": _ms(re.search(r"90%\s+(\S+)", output)[1]),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=5, help="per target, with wrk")
    args = parser.parse_args()
    wrk = shutil.which("wrk") is not None

    database = ROOT / "var" / "bench.sqlite3"
    database.parent.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "academy.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": f"sqlite:///{database}",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "load_demo", "-v0"], cwd=ROOT, env=env, check=True)
    course = subprocess.run(
        [*manage, "shell", "-c",
         "from courses.models import CoursePage; print(CoursePage.objects.live().first().url)"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1]  # fmt: skip

    baseline, baseline_port = start("bench.hello_wsgi:application", env)
    academy, academy_port = start("academy.wsgi:application", env)
    try:
        rows = [("raw WSGI hello (baseline)", baseline_port, "/")]
        rows += [
            (f"academy {path}", academy_port, path)
            for path in ["/", "/courses/", "/courses/?sector=nhs-and-health", course,
                         "/case-studies/"]
        ]  # fmt: skip
        if wrk:
            results = [(name, measure_with_wrk(port, path, args.seconds, args.connections))
                       for name, port, path in rows]  # fmt: skip
        else:
            results = [(name, measure(port, path, args.requests, args.connections))
                       for name, port, path in rows]  # fmt: skip
    finally:
        for process in (baseline, academy):
            process.terminate()
            process.wait(timeout=10)

    base = results[0][1]["median_ms"]
    if wrk:
        print(f"\nwrk, {args.seconds} s per target over {args.connections} connections, one run, "
              "gunicorn with one sync worker, loopback\n")  # fmt: skip
        tail = "p90 ms"
    else:
        print(f"\n{args.requests} requests over {args.connections} connections each (Python "
              "client: install wrk for a client that is not the bottleneck), one run, gunicorn "
              "with one sync worker, loopback\n")  # fmt: skip
        tail = "p95 ms"
    print(f"{'target':<60} {'median ms':>10} {tail:>8} {'req/s':>8} {'x baseline':>11}")
    for name, result in results:
        ratio = result["median_ms"] / base
        print(f"{name:<60} {result['median_ms']:>10.2f} {result['p95_ms']:>8.2f} "
              f"{result['rps']:>8.0f} {ratio:>11.2f}")  # fmt: skip
    print("\nTarget (docs/quality.md, P1): cached public pages within 3x the baseline's median.")


if __name__ == "__main__":
    main()

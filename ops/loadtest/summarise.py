"""Summarises a loadtest.sh output directory as the Markdown table of docs/benchmarks.md.

Usage: python3 summarise.py OUTPUT_DIR ROUNDS
Each row: the median over the rounds of requests (or transactions) per second, with the p50 and
p99 latency of the median round; non-2xx answers are counted over all rounds.
"""
import glob
import re
import statistics
import sys

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk_round(path):
    text = open(path).read()
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    latency = {}
    for pct in ("50", "99"):
        value, unit = re.search(pct + r"%\s+([\d.]+)(us|ms|s)\b", text).groups()
        latency[pct] = float(value) * UNITS[unit]
    total = int(re.search(r"(\d+) requests in", text).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = re.search(r"Socket errors: (.*)", text)
    return rate, latency["50"], latency["99"], total, int(non_2xx.group(1)) if non_2xx else 0, \
        errors.group(1) if errors else ""


def pgbench_round(out, name, rnd):
    text = open(f"{out}/{name}.r{rnd}.txt").read()
    rate = float(re.search(r"tps = ([\d.]+) \(without initial connection time\)", text).group(1))
    failed = re.search(r"number of failed transactions: (\d+)", text)
    latencies = []
    for log in glob.glob(f"{out}/pglog.{name}.r{rnd}.*"):
        for line in open(log):
            latencies.append(int(line.split()[2]) / 1000.0)  # µs -> ms
    latencies.sort()
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
    return rate, p(0.50), p(0.99), len(latencies), int(failed.group(1)) if failed else 0, ""


def main():
    out, rounds = sys.argv[1], int(sys.argv[2])
    rows = [
        ("HTTP ceiling: GET /healthz (public, no record, no log)", "healthz", "wrk"),
        ("caseledger: authorised GET /api/v1/incidents/{id} + durable s.62 entry", "read", "wrk"),
        ("PostgreSQL: SELECT by primary key", "pg_read", "pg"),
        ("PostgreSQL: SELECT + synchronously committed access-log row", "pg_read_logged", "pg"),
        ("caseledger: POST /api/v1/incidents (durable, idempotency key, intake)", "write", "wrk"),
        ("PostgreSQL: synchronously committed INSERT", "pg_write", "pg"),
    ]
    print("| what | per second (median of %d) | rounds | p50 ms | p99 ms | requests | non-2xx / failed |" % rounds)
    print("|---|---:|---|---:|---:|---:|---:|")
    answered = {}
    for label, name, kind in rows:
        results = [wrk_round(f"{out}/{name}.r{r}.txt") if kind == "wrk" else pgbench_round(out, name, r)
                   for r in range(1, rounds + 1)]
        rates = [r[0] for r in results]
        median = statistics.median(rates)
        middle = min(results, key=lambda r: abs(r[0] - median))
        total = sum(r[3] for r in results)
        bad = sum(r[4] for r in results)
        answered[name] = total - bad
        errors = "; ".join(r[5] for r in results if r[5])
        print(f"| {label} | {median:,.0f} | {' / '.join(f'{x:,.0f}' for x in rates)} | "
              f"{middle[1]:.2f} | {middle[2]:.2f} | {total:,} | {bad}{' (' + errors + ')' if errors else ''} |")
    verify = open(f"{out}/verify.txt").read()
    match = re.search(r"access log: (\d+) events", verify)
    logged = int(match.group(1)) if match else -1
    print()
    print(f"Reads answered 200: {answered['read']:,}; access-log events after the run: {logged:,} "
          "(the seeding's and the writes' intake consultations included).")
    print("verify: " + " | ".join(line.strip() for line in verify.splitlines() if line.strip()))
    if logged < answered["read"]:
        sys.exit("FEWER ACCESS-LOG EVENTS THAN READS ANSWERED")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Compare a benchmark run with a saved one (bench/run --compare BASE.jsonl).

    bench/compare.py BASE.jsonl NEW.jsonl

For every line of NEW that BASE has too (same scenario, system, concurrency;
repeated runs of one line are averaged), prints the ratio NEW / BASE of
each measure both have, and flags a regression of more than 10 %: a
throughput that fell, or a latency, Redis CPU or command count per job that
rose. A report, not a test: it always exits 0 (machines here are noisy;
compare runs made the same way, back to back)."""

import json
import sys
from collections import defaultdict

HIGHER = ("throughput_per_s", "frames_per_s", "reports_per_s")
LOWER = ("p50_ms", "p99_ms", "redis_cpu_us_per_job", "redis_cmds_per_job", "client_cpu_us_per_job",
         "bytes_per_job")
LIMIT = 0.10


def load(path):
    acc = defaultdict(lambda: defaultdict(list))
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                o = json.loads(line)
            except ValueError:
                continue
            if "error" in o or "skipped" in o:
                continue
            key = (o.get("scenario"), o.get("system"), o.get("concurrency"))
            for m in HIGHER + LOWER:
                if isinstance(o.get(m), (int, float)):
                    acc[key][m].append(float(o[m]))
    return {k: {m: sum(v) / len(v) for m, v in ms.items()} for k, ms in acc.items()}


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    base, new = load(sys.argv[1]), load(sys.argv[2])
    flagged = 0
    print("%-22s %-18s %5s  %-24s %12s %12s %7s" % ("scenario", "system", "conc", "measure", "base", "new",
                                                   "new/base"))
    for key in sorted(new, key=lambda k: tuple(str(x) for x in k)):
        if key not in base:
            continue
        for m in HIGHER + LOWER:
            if m not in new[key] or m not in base[key] or base[key][m] == 0:
                continue
            r = new[key][m] / base[key][m]
            worse = r < 1 - LIMIT if m in HIGHER else r > 1 + LIMIT
            flagged += worse
            print("%-22s %-18s %5s  %-24s %12.2f %12.2f %6.2fx%s" % (key[0], key[1], key[2], m, base[key][m],
                                                                   new[key][m], r, "  << REGRESSION" if worse else ""))
    print("%d measure(s) regressed by more than %d %%" % (flagged, LIMIT * 100))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Turns bench/run.sh's raw results into the table (medians, ratios jtgt/tgt) and docs/performance.md."""

import argparse
import csv
import datetime
import os
import statistics

from machine import describe

ROWS = {
    # row id: (description, client, queue depth, headline metric)
    "rr4k-qd1": ("4 KiB random read, QD 1", "iscsi-perf", 1, "iops"),
    "rr4k-qd32": ("4 KiB random read, QD 32", "iscsi-perf", 32, "iops"),
    "rr4k-qd128": ("4 KiB random read, QD 128", "iscsi-perf", 128, "iops"),
    "sr128k-qd32": ("128 KiB sequential read, QD 32", "iscsi-perf", 32, "mbps"),
    "qw4k-d32": ("4 KiB scattered write, depth 32", "qemu-img bench", 32, "iops"),
    "qr1m-d8": ("1 MiB sequential read, depth 8", "qemu-img bench", 8, "mbps"),
    "qw1m-d8": ("1 MiB sequential write, depth 8", "qemu-img bench", 8, "mbps"),
}
TARGET_ORDER = ["tgt", "jtgt-file", "jtgt-iouring"]


def load(path):
    data = {}
    with open(path) as f:
        for r in csv.reader(f, delimiter="\t"):
            if len(r) < 7:
                continue
            t, row, _rep, iops, mbps, cpu, ios = r[:7]
            cpu_per_100k = float(cpu) / max(int(ios), 1) * 1e5
            data.setdefault((t, row), []).append((float(iops), float(mbps), cpu_per_100k))
    return data


def med(values):
    return statistics.median(values) if values else float("nan")


def fmt(x, digits=0):
    if x != x:  # NaN
        return "–"
    return f"{x:,.{digits}f}"


def build_table(data, targets):
    head = ["workload", "metric"] + targets + [f"{t}/tgt" for t in targets if t != "tgt"]
    head += [f"CPU s/100k I/O {t}" for t in targets] + [f"CPU {t}/tgt" for t in targets if t != "tgt"]
    head += [f"mean lat µs {t}" for t in targets]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    summary = {}
    for row, (desc, client, depth, metric) in ROWS.items():
        if not any(k[1] == row for k in data):
            continue
        vals, cpus, lats = {}, {}, {}
        for t in targets:
            samples = data.get((t, row), [])
            iops = med([s[0] for s in samples])
            vals[t] = med([s[0] if metric == "iops" else s[1] for s in samples])
            cpus[t] = med([s[2] for s in samples])
            # Neither client reports percentiles: Little's law gives the mean latency at a full queue.
            lats[t] = depth / iops * 1e6 if iops == iops and iops > 0 else float("nan")
        summary[row] = (vals, cpus)
        cells = [f"{desc} ({client})", "IOPS" if metric == "iops" else "MB/s"]
        cells += [fmt(vals[t]) for t in targets]
        cells += [fmt(vals[t] / vals["tgt"], 2) + "×" for t in targets if t != "tgt"]
        cells += [fmt(cpus[t], 2) for t in targets]
        cells += [fmt(cpus[t] / cpus["tgt"], 2) + "×" for t in targets if t != "tgt"]
        cells += [fmt(lats[t]) for t in targets]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines), summary


def ceiling_table(path):
    lines = ["| ceiling | IOPS | MB/s | p50 µs | p99 µs |", "|---|---|---|---|---|"]
    rows = {}
    if os.path.exists(path):
        with open(path) as f:
            for r in csv.reader(f, delimiter="\t"):
                if len(r) >= 5:
                    rows[r[0]] = r
                    lines.append(f"| {r[0]} | {fmt(float(r[1]))} | {fmt(float(r[2]))} | {fmt(float(r[3]), 1)} | {fmt(float(r[4]), 1)} |")
    return "\n".join(lines), rows


def goals(summary, ceiling, targets):
    out = []
    for t in targets:
        if t == "tgt":
            continue
        def ratio(row):
            if row not in summary:
                return float("nan")
            vals, _ = summary[row]
            return vals[t] / vals["tgt"] if vals["tgt"] else float("nan")
        checks = [
            ("4 KiB random read QD 32 ≥ 1.3× tgt IOPS", ratio("rr4k-qd32"), 1.3),
            ("4 KiB random write depth 32 ≥ 1.3× tgt IOPS", ratio("qw4k-d32"), 1.3),
            ("1 MiB sequential read ≥ 1.2× tgt MB/s", ratio("qr1m-d8"), 1.2),
            ("1 MiB sequential write ≥ 1.2× tgt MB/s", ratio("qw1m-d8"), 1.2),
        ]
        for desc, r, goal in checks:
            if r == r:
                out.append(f"- {t}: {desc}: {fmt(r, 2)}× → {'met' if r >= goal else 'NOT met'}")
        if "fio-sr128k-qd32" in ceiling and "sr128k-qd32" in summary:
            ceil = float(ceiling["fio-sr128k-qd32"][2])
            got = summary["sr128k-qd32"][0][t]
            out.append(f"- {t}: 128 KiB sequential read ≥ 70 % of the raw file ({fmt(ceil)} MB/s): "
                       f"{fmt(100 * got / ceil)} % → {'met' if got >= 0.7 * ceil else 'NOT met'}")
        worse = [row for row, (_, cpus) in summary.items() if cpus[t] > cpus["tgt"]]
        out.append(f"- {t}: CPU per I/O ≤ tgt's: " + ("met on every row" if not worse else "NOT met on " + ", ".join(worse)))
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--ceiling", required=True)
    ap.add_argument("--reps", type=int, required=True)
    ap.add_argument("--secs", type=int, required=True)
    ap.add_argument("--size-mb", type=int, required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--doc")
    a = ap.parse_args()

    data = load(a.results)
    targets = [t for t in TARGET_ORDER if any(k[0] == t for k in data)]
    table, summary = build_table(data, targets)
    ceil_md, ceiling = ceiling_table(a.ceiling)
    goal_md = goals(summary, ceiling, targets)
    print(table)
    print()
    print(ceil_md)
    print()
    print(goal_md)
    if not a.doc:
        return
    m = describe(tgt="tgtd -V 2>&1 | head -n 1")
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    mode = "quick (smoke) run" if a.quick else "full run"
    doc = f"""# Performance: jtgt vs tgt on loopback

Generated by `bench/run.sh` ({mode}, {when}); rerun it to refresh this file. How the benchmark
works and how to read it: [bench/README.md](../bench/README.md).

## Machine

- commit: {m['commit']}
- CPU: {m['cpu']}
- kernel: {m['kernel']}; memory: {m['memory']}
- JDK: {m['jdk']}
- /proc/loadavg when the table was written: {m['load']}
- tgt {m['tgt']}; libiscsi-bin {m['libiscsi']}; {m['qemu']}; {m['fio']}

## Method

Both targets serve an identical {a.size_mb} MiB image (sparse file, prefilled with random data, same
filesystem, page cache warm) on 127.0.0.1; jtgt runs as `bin/jtgt daemon --config` with the file
backend (and the iouring backend when built), tgt as `tgtd` with its default rdwr backing store.
Each workload runs {a.reps}× per target, the target order rotating between repetitions (A/B
alternation); the table shows medians. iscsi-perf rows run {a.secs} s each. CPU is utime+stime of
the target process from `/proc/<pid>/stat`, per 100 000 I/Os. Neither iscsi-perf nor qemu-img
bench reports latency percentiles, so the latency column is the mean from Little's law
(queue depth / IOPS); the fio ceiling rows have real p50/p99. Ratios > 1 favour jtgt, except for
CPU where < 1 favours jtgt.

**Noise:** this machine has 2 cores; client, target and any background load (see the load
average above) share them, so single numbers move by ±20 % between runs.
Compare ratios and CPU per I/O rather than absolute figures.

## Results (medians)

{table}

## Ceiling (no iSCSI)

fio directly on the image file (io_uring engine, buffered, page cache, two jobs — one per core —
each on its own half of the file, best of three runs) and loopback TCP (iperf3, one stream):

{ceil_md}

## Against the goals of issue 8

{goal_md}
"""
    notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "performance-notes.md")
    if os.path.exists(notes):
        with open(notes) as f:
            doc += "\n" + f.read()
    with open(a.doc, "w") as f:
        f.write(doc)
    print(f"\nwrote {a.doc}")


if __name__ == "__main__":
    main()

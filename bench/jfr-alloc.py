#!/usr/bin/env python3
"""Allocation summary of the jtgt JVM's data path from a JFR recording (bench/run.sh BENCH_JFR=1).

Sums jdk.ObjectAllocationSample weights (JFR's estimate of the bytes allocated) of the threads
that carry I/O (Netty event loops, jtgt-* I/O threads, ForkJoin common pool), after --since
(the end of the warm-up), and prints bytes per I/O, the top classes and the top allocation
sites (the first io.jtgt frame of each stack, else the top frame).

  bench/jfr-alloc.py bench/work/jtgt.jfr --since 2026-12-03T09:18:40Z --ios 123456
"""
import argparse
import collections
import json
import re
import subprocess
import sys

DATA_PATH_THREADS = re.compile(r"(multiThreadIoEventLoopGroup|jtgt-|ForkJoinPool\.commonPool|epoll|nioEventLoop)")


def frame_name(f):
    m = f["method"]
    return "%s.%s:%s" % (m["type"]["name"].replace("/", "."), m["name"], f.get("lineNumber", "?"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("jfr")
    ap.add_argument("--since", default="")
    ap.add_argument("--ios", type=int, default=0, help="I/Os the target served in the window")
    ap.add_argument("--top", type=int, default=12)
    a = ap.parse_args()
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "24", "--events",
                          "jdk.ObjectAllocationSample", a.jfr], check=True, capture_output=True, text=True).stdout
    events = json.loads(out)["recording"]["events"]
    total = 0
    by_class = collections.Counter()
    by_site = collections.Counter()
    for e in events:
        v = e["values"]
        if a.since and v["startTime"] < a.since:
            continue
        thread = (v.get("eventThread") or {}).get("javaName") or ""
        if not DATA_PATH_THREADS.search(thread):
            continue
        w = int(v["weight"])
        total += w
        by_class[v["objectClass"]["name"].replace("/", ".")] += w
        frames = ((v.get("stackTrace") or {}).get("frames")) or []
        site = next((frame_name(f) for f in frames if f["method"]["type"]["name"].startswith("io/jtgt/")), None)
        if site is None:
            site = frame_name(frames[0]) if frames else "?"
        by_site[site] += w
    print("data-path allocation: %.1f MB sampled" % (total / 1e6) +
          (", %d I/Os, %.0f bytes per I/O" % (a.ios, total / a.ios) if a.ios else ""))
    print("\ntop classes:")
    for name, w in by_class.most_common(a.top):
        print("  %5.1f %%  %s" % (100.0 * w / max(total, 1), name))
    print("\ntop sites (first io.jtgt frame):")
    for name, w in by_site.most_common(a.top):
        print("  %5.1f %%  %s" % (100.0 * w / max(total, 1), name))
    return 0


if __name__ == "__main__":
    sys.exit(main())

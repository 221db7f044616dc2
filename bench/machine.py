"""The machine description bench/report.py and bench/rbd_report.py put above their tables."""

import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=20).stdout.strip()
    except Exception:  # noqa: BLE001 - a missing tool only leaves a blank in the description
        return ""


def describe(**extra):
    """CPU, kernel, memory, tools, load and commit; extra: more name=shell command pairs."""
    keep = ("Model name", "CPU(s)", "Thread(s) per core", "Core(s) per socket", "NUMA node(s)", "CPU max MHz")
    lines = [l.strip() for l in sh("lscpu").splitlines() if l.split(":")[0].strip() in keep]
    m = {
        "cpu": "; ".join(re.sub(r"\s+", " ", l) for l in lines),
        "kernel": sh("uname -srm"),
        "memory": sh("free -g | awk '/Mem:/{print $2\" GiB\"}'"),
        "jdk": sh("java -version 2>&1 | head -n 1"),
        "libiscsi": sh("dpkg-query -W -f='${Version}' libiscsi-bin"),
        "qemu": sh("qemu-img --version | head -n 1"),
        "fio": sh("fio --version"),
        "load": sh("cat /proc/loadavg"),
        "commit": sh("git -C %s rev-parse --short HEAD" % ROOT)
        + (" (dirty)" if sh("git -C %s status --porcelain -- bundles" % ROOT) else ""),
    }
    m.update({name: sh(cmd) for name, cmd in extra.items()})
    return m

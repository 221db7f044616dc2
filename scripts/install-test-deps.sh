#!/usr/bin/env bash
# Installs the real initiators the end-to-end tests (itests/e2e) drive, if missing:
#   libiscsi-bin      iscsi-ls, iscsi-inq, iscsi-readcapacity16, iscsi-test-cu (the conformance run,
#                     ConformanceIT → docs/conformance.md, and its LUN-profile checks)
#   qemu-utils        qemu-img, qemu-io (also the conformance run's read-only LUN check)
#   qemu-block-extra  QEMU's iscsi:// block driver (block-iscsi.so)
#   ceph-mon ceph-osd ceph-common librados2 librbd1
#                     the throwaway single-node Ceph cluster (scripts/ceph-cluster.sh) that the
#                     backend-rbd tests run against
#   python3-prometheus-client
#                     Prometheus' own text-format parser, the judge of /jtgt/metrics (RestApiIT)
# The conformance run compares against git HEAD's docs/conformance.md when git is there (else the
# file as found), so a checkout with git gives the strict regression gate.
# Idempotent: installs nothing when everything is there (no apt-get update either).
# Root (CI) runs apt-get directly; otherwise sudo. Any failure exits non-zero, loudly.
set -euo pipefail

packages=(libiscsi-bin qemu-utils qemu-block-extra ceph-mon ceph-osd ceph-common librados2 librbd1)
packages+=(python3-prometheus-client)
tools=(iscsi-ls iscsi-inq iscsi-readcapacity16 iscsi-test-cu qemu-img qemu-io ceph-mon ceph-osd ceph rbd)

die() {
    echo "install-test-deps: ERROR: $*" >&2
    exit 1
}

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=()
for p in "${packages[@]}"; do
    installed "$p" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install ${missing[*]} by hand (Debian/Ubuntu package names)"
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "not root and no sudo: cannot install ${missing[*]}"
        sudo=(sudo)
    fi
    echo "install-test-deps: installing ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq || die "apt-get update failed"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
        || die "apt-get install ${missing[*]} failed"
    for p in "${missing[@]}"; do
        installed "$p" || die "package $p still not installed after apt-get install"
    done
fi

for t in "${tools[@]}"; do
    command -v "$t" >/dev/null 2>&1 || die "tool $t missing although its package is installed"
done
# qemu-img/qemu-io only speak iscsi:// when the block module is present.
dpkg-query -L qemu-block-extra 2>/dev/null | grep -q 'block-iscsi\.so$' \
    || die "qemu-block-extra has no block-iscsi.so: QEMU cannot open iscsi:// URLs"

/usr/bin/python3 -c 'import prometheus_client.parser' 2>/dev/null \
    || die "python3-prometheus-client is installed but /usr/bin/python3 cannot import prometheus_client.parser"

echo "install-test-deps: OK (${packages[*]})"

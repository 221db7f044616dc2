#!/usr/bin/env bash
# A throwaway single-node Ceph cluster on 127.0.0.1 for tests: 1 monitor, 1 memstore OSD, pool
# `rbd`, optionally radosgw (CEPH_RGW_PORT=<port>). Everything lives in one state directory
# (CEPH_STATE_DIR, default /tmp/jtgt-ceph); only the daemons whose PID files are in it are ever
# stopped. Settings are the ones measured in shared/notes/storage-servers.md.
#
#   scripts/ceph-cluster.sh start   # idempotent: a running cluster is reused
#   scripts/ceph-cluster.sh env     # prints CEPH_CONF=... CEPH_KEYRING=... (also in $STATE/env)
#   scripts/ceph-cluster.sh status
#   scripts/ceph-cluster.sh stop    # kills our daemons by PID, removes the state dir
#
# memstore keeps the data in the OSD's memory: it is lost when the OSD stops or crashes.
set -euo pipefail

STATE=${CEPH_STATE_DIR:-/tmp/jtgt-ceph}
CONF=$STATE/ceph.conf
KEYRING=$STATE/keyring
MON_PORT_V2=${CEPH_MON_PORT_V2:-3300}
MON_PORT_V1=${CEPH_MON_PORT_V1:-6789}
RGW_PORT=${CEPH_RGW_PORT:-}
TIMEOUT=10   # seconds every CLI call may wait for the monitor (the default is 300)
PACKAGES="ceph-mon ceph-osd ceph-common librados2 librbd1"

log() { echo "ceph-cluster: $*" >&2; }
STARTING=0
# A failed start leaves no daemons behind (the state dir stays, for its logs).
die() { log "ERROR: $*"; [[ $STARTING -eq 1 ]] && stop_daemons; exit 1; }

ceph_cli() { ceph --conf "$CONF" --connect-timeout "$TIMEOUT" "$@"; }

ensure_packages() {
    local missing=()
    command -v ceph-mon >/dev/null || missing+=(ceph-mon)
    command -v ceph-osd >/dev/null || missing+=(ceph-osd)
    command -v ceph >/dev/null || missing+=(ceph-common)
    command -v ceph-authtool >/dev/null || missing+=(ceph-common)
    if [[ -n "$RGW_PORT" ]] && ! command -v radosgw >/dev/null; then missing+=(radosgw); fi
    [[ ${#missing[@]} -eq 0 ]] && return 0
    log "installing $PACKAGES ${RGW_PORT:+radosgw} (missing: ${missing[*]})"
    [[ $(id -u) -eq 0 ]] || die "Ceph packages missing and not root: apt-get install --no-install-recommends $PACKAGES"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $PACKAGES ${RGW_PORT:+radosgw} >&2 \
        || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
                $PACKAGES ${RGW_PORT:+radosgw} >&2; } \
        || die "apt-get install $PACKAGES failed"
}

# A PID from one of our PID files that is alive and not a zombie (killed daemons linger as Z ~1 s).
alive() {
    local pidfile=$1 pid state
    [[ -s "$pidfile" ]] || return 1
    pid=$(cat "$pidfile")
    state=$(ps -o stat= -p "$pid" 2>/dev/null || true)
    [[ -n "$state" && "$state" != Z* ]]
}

write_conf() {
    local fsid=$1
    cat > "$CONF" <<EOF
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:$MON_PORT_V2,v1:127.0.0.1:$MON_PORT_V1]
public network = 127.0.0.1/32
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
keyring = $KEYRING
run dir = $STATE/run
log file = $STATE/log/\$name.log
pid file = $STATE/run/\$name.pid
admin socket = $STATE/run/\$name.asok
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
# Propose every 50 ms instead of 1 s: bring-up ~18 s -> ~4 s.
paxos propose interval = 0.05
mon data avail warn = 1
mon data avail crit = 0

[mon]
mon data = $STATE/mon/\$cluster-\$id

[osd]
osd data = $STATE/osd/\$cluster-\$id
osd objectstore = memstore
memstore page set = true
memstore device bytes = 2147483648
osd max object name len = 256
osd max object namespace len = 64

[client]
# Clients (CLI, librados in tests) must not all claim client.admin.asok / one log file.
admin socket =
log file =
pid file =

[client.rgw.0]
rgw frontends = beast endpoint=127.0.0.1:${RGW_PORT:-7480} tcp_nodelay=1
rgw data = $STATE/rgw
EOF
}

write_env() {
    cat > "$STATE/env" <<EOF
CEPH_CONF=$CONF
CEPH_KEYRING=$KEYRING
CEPH_STATE_DIR=$STATE
EOF
    [[ -n "$RGW_PORT" ]] && echo "CEPH_RGW_ENDPOINT=http://127.0.0.1:$RGW_PORT" >> "$STATE/env"
    cat "$STATE/env"
}

start() {
    local t0=$SECONDS started=$(date +%s.%N)
    ensure_packages
    if alive "$STATE/run/mon.a.pid" && alive "$STATE/run/osd.0.pid"; then
        log "already running in $STATE"
        write_env
        return 0
    fi
    [[ -e "$STATE" ]] && stop_daemons && rm -rf "$STATE"
    STARTING=1
    mkdir -p "$STATE"/{run,log,mon,osd/ceph-0,rgw}
    local fsid; fsid=$(cat /proc/sys/kernel/random/uuid)
    write_conf "$fsid"

    ceph-authtool --create-keyring "$KEYRING" --gen-key -n mon. --cap mon 'allow *' >/dev/null
    ceph-authtool "$KEYRING" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' \
        --cap mgr 'allow *' >/dev/null
    ceph-authtool "$KEYRING" --gen-key -n client.rgw.0 --cap mon 'allow rw' --cap osd 'allow rwx' >/dev/null
    ceph-authtool "$KEYRING" --gen-key -n osd.0 --cap mon 'allow profile osd' --cap osd 'allow *' \
        --cap mgr 'allow profile osd' >/dev/null
    monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$MON_PORT_V2,v1:127.0.0.1:$MON_PORT_V1]" \
        "$STATE/monmap" >/dev/null
    ceph-mon --conf "$CONF" -i a --mkfs --monmap "$STATE/monmap" --keyring "$KEYRING"
    ceph-mon --conf "$CONF" -i a || die "ceph-mon failed to start (see $STATE/log/mon.a.log)"

    local uuid; uuid=$(cat /proc/sys/kernel/random/uuid)
    local id; id=$(ceph_cli osd new "$uuid") || die "ceph osd new failed (monitor not answering?)"
    [[ "$id" == 0 ]] || die "expected osd id 0, got $id"
    ceph-osd --conf "$CONF" -i 0 --mkfs --osd-uuid "$uuid" >/dev/null 2>&1 \
        || die "ceph-osd --mkfs failed (see $STATE/log/osd.0.log)"
    ceph-osd --conf "$CONF" -i 0 2>>"$STATE/log/osd.0.stderr" \
        || die "ceph-osd failed to start (see $STATE/log/osd.0.log)"

    local i
    for i in $(seq 1 120); do   # at most ~30 s
        ceph_cli osd stat -f json 2>/dev/null | grep -q '"num_up_osds":1' && break
        [[ $i -eq 120 ]] && die "OSD not up after 30 s (see $STATE/log/osd.0.log)"
        sleep 0.25
    done
    ceph_cli osd pool create rbd 8 8 >/dev/null || die "pool create failed"
    ceph_cli osd pool set rbd size 1 --yes-i-really-mean-it >/dev/null 2>&1 || true
    # rbd has no --connect-timeout: the same bound through its librados options.
    rbd --conf "$CONF" --client-mount-timeout "$TIMEOUT" --rados-osd-op-timeout "$TIMEOUT" pool init rbd || die "rbd pool init failed"

    if [[ -n "$RGW_PORT" ]]; then
        radosgw --conf "$CONF" -n client.rgw.0 --keyring "$KEYRING" || die "radosgw failed to start"
    fi
    STARTING=0
    write_env
    log "started in $(echo "$(date +%s.%N) - $started" | bc 2>/dev/null || echo $((SECONDS - t0))) s (state $STATE)"
}

stop_daemons() {
    local pidfile pid i
    for pidfile in "$STATE"/run/client.rgw.0.pid "$STATE"/run/osd.0.pid "$STATE"/run/mon.a.pid; do
        alive "$pidfile" || continue
        pid=$(cat "$pidfile")
        kill "$pid" 2>/dev/null || true
        for i in $(seq 1 40); do alive "$pidfile" || break; sleep 0.1; done
        alive "$pidfile" && { log "pid $pid ignored SIGTERM, sending SIGKILL"; kill -9 "$pid" 2>/dev/null || true; }
    done
    return 0
}

stop() {
    [[ -d "$STATE" ]] || { log "not running"; return 0; }
    stop_daemons
    rm -rf "$STATE"
    log "stopped"
}

status() {
    if alive "$STATE/run/mon.a.pid" && alive "$STATE/run/osd.0.pid"; then
        ceph_cli -s
    else
        log "not running (state dir $STATE)"
        return 1
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    env) [[ -f "$STATE/env" ]] && cat "$STATE/env" || die "not running" ;;
    *) echo "usage: $0 start|stop|status|env  (CEPH_STATE_DIR, CEPH_RGW_PORT)" >&2; exit 2 ;;
esac

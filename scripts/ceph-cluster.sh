#!/usr/bin/env bash
# A throwaway single-node Ceph cluster on 127.0.0.1 for tests: 1 monitor, 1 OSD, pool `rbd`,
# optionally radosgw (CEPH_RGW_PORT=<port>). Everything lives in one state directory
# (CEPH_STATE_DIR, default /tmp/jtgt-ceph); only the daemons whose PID files are in it are ever
# stopped. Settings are the ones measured in shared/notes/storage-servers.md.
#
#   scripts/ceph-cluster.sh start      # idempotent: a running cluster is reused
#   scripts/ceph-cluster.sh env        # prints CEPH_CONF=... CEPH_KEYRING=... (also in $STATE/env)
#   scripts/ceph-cluster.sh status
#   scripts/ceph-cluster.sh start-osd  # (re)starts the OSD after it was killed; no-op while it runs
#   scripts/ceph-cluster.sh start-mon  # the same for the monitor
#   scripts/ceph-cluster.sh stop       # kills our daemons by PID, removes the state dir
#
# CEPH_OSD_STORE=memstore (default) keeps the data in the OSD's memory: fast, but lost when the
# OSD stops or crashes. CEPH_OSD_STORE=bluestore puts it on a sparse file in the state dir
# (CEPH_BLUESTORE_BYTES, default 4 GiB; cache capped at 64 MiB) and survives a SIGKILL of the
# OSD: use it for kill/restart tests. The store is fixed when the cluster is created.
set -euo pipefail

STATE=${CEPH_STATE_DIR:-/tmp/jtgt-ceph}
CONF=$STATE/ceph.conf
KEYRING=$STATE/keyring
MON_PORT_V2=${CEPH_MON_PORT_V2:-3300}
MON_PORT_V1=${CEPH_MON_PORT_V1:-6789}
RGW_PORT=${CEPH_RGW_PORT:-}
OSD_STORE=${CEPH_OSD_STORE:-memstore}
BLUESTORE_BYTES=${CEPH_BLUESTORE_BYTES:-4294967296}
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

# A process that exists and is not a zombie (killed daemons linger as Z ~1 s).
running() {
    local state
    state=$(ps -o stat= -p "$1" 2>/dev/null || true)
    [[ -n "$state" && "$state" != Z* ]]
}

# The daemon of one of our PID files is running.
alive() {
    local pidfile=$1 pid
    pid=$(cat "$pidfile" 2>/dev/null) || return 1   # a stopping daemon removes its own file
    [[ -n "$pid" ]] && running "$pid" || return 1
    # Ours only: started with this state dir's ceph.conf (a stale PID file may name another process).
    tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "--conf $CONF "
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
osd max object name len = 256
osd max object namespace len = 64
$(osd_store_conf)

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

osd_store_conf() {
    case "$OSD_STORE" in
        memstore) cat <<EOF
osd objectstore = memstore
memstore page set = true
memstore device bytes = 2147483648
EOF
        ;;
        bluestore) cat <<EOF
osd objectstore = bluestore
# One sparse file as block device (created by mkfs); no separate DB/WAL devices.
bluestore block create = true
bluestore block size = $BLUESTORE_BYTES
bluestore block db create = false
bluestore block wal create = false
# A small fixed cache instead of autotuning towards osd memory target (4 GiB by default).
bluestore cache autotune = false
bluestore cache size = 67108864
osd memory target = 939524096
bluestore fsck on mount = false
EOF
        ;;
    esac
}

write_env() {
    cat > "$STATE/env" <<EOF
CEPH_CONF=$CONF
CEPH_KEYRING=$KEYRING
CEPH_STATE_DIR=$STATE
CEPH_OSD_STORE=$OSD_STORE
EOF
    [[ -n "$RGW_PORT" ]] && echo "CEPH_RGW_ENDPOINT=http://127.0.0.1:$RGW_PORT" >> "$STATE/env"
    cat "$STATE/env"
}

# Starts the monitor from its existing data (mkfs done) and waits until it answers.
launch_mon() {
    ceph-mon --conf "$CONF" -i a || die "ceph-mon failed to start (see $STATE/log/mon.a.log)"
    local i
    for i in $(seq 1 80); do   # at most ~20 s
        ceph_cli mon stat >/dev/null 2>&1 && return 0
        sleep 0.25
    done
    die "monitor not answering after 20 s (see $STATE/log/mon.a.log)"
}

# Starts the OSD from its existing data (mkfs done) and waits until it is up and serving.
launch_osd() {
    ceph-osd --conf "$CONF" -i 0 2>>"$STATE/log/osd.0.stderr" \
        || die "ceph-osd failed to start (see $STATE/log/osd.0.log)"
    local i
    # The admin socket says when this OSD process has booted ("active"); the map alone can still
    # show a killed predecessor as up.
    for i in $(seq 1 240); do   # at most ~60 s (bluestore replays its journal after a crash)
        if ceph --admin-daemon "$STATE/run/osd.0.asok" status 2>/dev/null | grep -q '"state": "active"' \
            && ceph_cli osd stat -f json 2>/dev/null | grep -q '"num_up_osds":1'; then
            return 0
        fi
        alive "$STATE/run/osd.0.pid" || die "ceph-osd exited (see $STATE/log/osd.0.log)"
        sleep 0.25
    done
    die "OSD not up after 60 s (see $STATE/log/osd.0.log)"
}

start() {
    local started; started=$(date +%s.%N)
    [[ "$OSD_STORE" == memstore || "$OSD_STORE" == bluestore ]] \
        || die "CEPH_OSD_STORE must be memstore or bluestore, not '$OSD_STORE'"
    ensure_packages
    if alive "$STATE/run/mon.a.pid" && alive "$STATE/run/osd.0.pid"; then
        local running; running=$(cat "$STATE/osd_store" 2>/dev/null || echo memstore)
        [[ "$running" == "$OSD_STORE" ]] \
            || die "a $running cluster is already running in $STATE; stop it before starting a $OSD_STORE one"
        log "already running in $STATE ($running)"
        write_env
        return 0
    fi
    [[ -e "$STATE" ]] && stop_daemons && rm -rf "$STATE"
    STARTING=1
    mkdir -p "$STATE"/{run,log,mon,osd/ceph-0,rgw}
    echo "$OSD_STORE" > "$STATE/osd_store"
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
    launch_mon

    local uuid; uuid=$(cat /proc/sys/kernel/random/uuid)
    local id; id=$(ceph_cli osd new "$uuid") || die "ceph osd new failed (monitor not answering?)"
    [[ "$id" == 0 ]] || die "expected osd id 0, got $id"
    ceph-osd --conf "$CONF" -i 0 --mkfs --osd-uuid "$uuid" >>"$STATE/log/osd.0.mkfs" 2>&1 \
        || die "ceph-osd --mkfs failed (see $STATE/log/osd.0.log, $STATE/log/osd.0.mkfs)"
    launch_osd

    ceph_cli osd pool create rbd 8 8 >/dev/null || die "pool create failed"
    ceph_cli osd pool set rbd size 1 --yes-i-really-mean-it >/dev/null 2>&1 || true
    # rbd has no --connect-timeout: the same bound through its librados options.
    rbd --conf "$CONF" --client-mount-timeout "$TIMEOUT" --rados-osd-op-timeout "$TIMEOUT" pool init rbd || die "rbd pool init failed"

    if [[ -n "$RGW_PORT" ]]; then
        radosgw --conf "$CONF" -n client.rgw.0 --keyring "$KEYRING" || die "radosgw failed to start"
    fi
    STARTING=0
    write_env
    log "started ($OSD_STORE) in $(echo "$(date +%s.%N) - $started" | bc 2>/dev/null || echo '?') s (state $STATE)"
}

# start-osd / start-mon: bring back one daemon of an existing cluster (after a kill in a fault
# test); a daemon that still runs is left alone.
start_one() {
    local daemon=$1 pidfile
    [[ -f "$CONF" ]] || die "no cluster in $STATE (run start first)"
    case "$daemon" in
        osd) pidfile=$STATE/run/osd.0.pid ;;
        mon) pidfile=$STATE/run/mon.a.pid ;;
    esac
    if alive "$pidfile"; then
        log "$daemon already running (pid $(cat "$pidfile"))"
        return 0
    fi
    local started; started=$(date +%s.%N)
    if [[ "$daemon" == osd ]]; then launch_osd; else launch_mon; fi
    log "$daemon started in $(echo "$(date +%s.%N) - $started" | bc 2>/dev/null || echo '?') s"
}

stop_daemons() {
    local pidfile pid i
    for pidfile in "$STATE"/run/client.rgw.0.pid "$STATE"/run/osd.0.pid "$STATE"/run/mon.a.pid; do
        alive "$pidfile" || continue
        pid=$(cat "$pidfile" 2>/dev/null) || continue
        kill -TERM "$pid" 2>/dev/null || true
        kill -CONT "$pid" 2>/dev/null || true   # one a fault test froze (SIGSTOP) must see the TERM
        for i in $(seq 1 40); do running "$pid" || break; sleep 0.1; done
        running "$pid" && { log "pid $pid ignored SIGTERM, sending SIGKILL"; kill -9 "$pid" 2>/dev/null || true; }
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
    start-osd) start_one osd ;;
    start-mon) start_one mon ;;
    stop) stop ;;
    status) status ;;
    env) [[ -f "$STATE/env" ]] && cat "$STATE/env" || die "not running" ;;
    *) echo "usage: $0 start|stop|status|env|start-osd|start-mon  (CEPH_STATE_DIR, CEPH_OSD_STORE, CEPH_RGW_PORT)" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
#
# jtgt's ceph-rbd backend against librbd used directly, on the same throwaway cluster:
#
#   bench/rbd.sh [--quick] [--reps N] [--no-doc]
#
# Starts a single-node Ceph cluster (scripts/ceph-cluster.sh, memstore OSD) in bench/work-rbd,
# one image prefilled with data, and the real jtgt distribution (bin/jtgt daemon, an instance of
# its own) with `feature:install jtgt-backend-rbd` and one LUN on that image. Then, alternating
# per repetition, each row through the LUN (iscsi-perf, qemu-img bench) and the same pattern
# straight on the image with `rbd bench` and fio's rbd engine; medians, ratios jtgt/direct, CPU
# per I/O of the client process (jtgt's JVM or rbd/fio) and of the OSD. Writes
# docs/performance-rbd.md. Everything it starts it stops (trap). See bench/README.md.

set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
WORK=${BENCH_RBD_WORK:-$REPO/bench/work-rbd}
JTGT_PORT=${BENCH_RBD_JTGT_PORT:-13282}
MON_V2=${BENCH_RBD_MON_PORT_V2:-13300}
MON_V1=${BENCH_RBD_MON_PORT_V1:-13789}

BENCH_NAME=bench-rbd
. "$BENCH_DIR/lib.sh"
bench_options "$@"

if [ "$QUICK" = 1 ]; then
    SIZE_MB=${BENCH_SIZE_MB:-256}; REPS=${REPS:-1}; SECS=2; Q4K=8000; Q1M=150
else
    SIZE_MB=${BENCH_SIZE_MB:-1024}; REPS=${REPS:-3}; SECS=5; Q4K=30000; Q1M=600
fi
IQN=iqn.2026-11.io.jtgt.bench:rbd
IMAGE=bench

# ---------------------------------------------------------------- tools
need_pkgs=()
for pair in iscsi-perf:libiscsi-bin qemu-img:qemu-utils fio:fio rbd:ceph-common /usr/bin/time:time; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || need_pkgs+=("${pair#*:}")
done
[ -e /usr/lib/x86_64-linux-gnu/qemu/block-iscsi.so ] || need_pkgs+=(qemu-block-extra)
install_packages "${need_pkgs[@]}"
fio --enghelp 2>/dev/null | grep -qw rbd || die "this fio has no rbd engine"

bench_distribution

# ---------------------------------------------------------------- processes (all stopped by the trap)
export CEPH_STATE_DIR=$WORK/ceph CEPH_MON_PORT_V2=$MON_V2 CEPH_MON_PORT_V1=$MON_V1 CEPH_OSD_STORE=memstore
CLUSTER=$REPO/scripts/ceph-cluster.sh
JTGT_PID=
cleanup() {
    set +e
    stop_pid "$JTGT_PID" 30
    "$CLUSTER" stop >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_busy "$JTGT_PORT" && die "127.0.0.1:$JTGT_PORT is in use (set BENCH_RBD_JTGT_PORT)"

"$CLUSTER" stop >/dev/null 2>&1 || true   # a fresh cluster: its start time is part of the report
t0=$(date +%s.%N)
"$CLUSTER" start >"$WORK/cluster.env" || die "ceph cluster did not start"
CLUSTER_START=$(echo "$(date +%s.%N) - $t0" | bc)
log "cluster (memstore) up in ${CLUSTER_START} s"
CONF=$CEPH_STATE_DIR/ceph.conf
KEYRING=$CEPH_STATE_DIR/keyring
OSD_PID=$(cat "$CEPH_STATE_DIR/run/osd.0.pid")
# The direct clients get the same librbd settings as jtgt's storage (RbdSettings defaults):
# rbd_cache off. A second conf keeps librbd's own default (cache on) for reference rows.
NOCACHE_CONF=$WORK/ceph-nocache.conf
{ cat "$CONF"; printf '\n[client]\nrbd cache = false\n'; } >"$NOCACHE_CONF"
RBD=(rbd --conf "$NOCACHE_CONF" --client-mount-timeout 30 --rados-osd-op-timeout 60)

SIZE=$((SIZE_MB * 1024 * 1024))
log "creating rbd/$IMAGE (${SIZE_MB} MiB) and writing it once"
"${RBD[@]}" create --size "${SIZE_MB}M" "rbd/$IMAGE"
"${RBD[@]}" bench --io-type write --io-size 4M --io-threads 8 --io-pattern seq --io-total "${SIZE_MB}M" \
    "rbd/$IMAGE" >/dev/null

CONFIG=$WORK/jtgt-bench-rbd.json
cat >"$CONFIG" <<EOF
{"storages":[
  {"deviceID":3000,"path":"rbd:rbd/$IMAGE","online":true,"backendType":"ceph-rbd","blockShift":9,
   "deviceSize":$SIZE,"thinProvisioning":true,"cephConf":"$CONF","keyring":"$KEYRING",
   "createImage":false}
 ],
 "iscsiportals":[{"id":0,"portal":"127.0.0.1:$JTGT_PORT"}],
 "iscsitargets":{"$IQN":{"tpgts":{"1":[0]},"luns":{"0":3000}}}}
EOF
start_jtgt "$CONFIG"
install_feature jtgt-backend-rbd 180
URL=iscsi://127.0.0.1:$JTGT_PORT/$IQN/0
wait_lun "$URL" 180

# ---------------------------------------------------------------- measuring
RESULTS=$WORK/results.tsv
: >"$RESULTS"   # client row rep iops mbps client_cpu_s osd_cpu_s ios
record() { # client row ios secs bytes client_ticks osd_ticks
    awk -v c="$1" -v r="$2" -v rep="$rep" -v n="$3" -v s="$4" -v b="$5" -v ct="$6" -v ot="$7" -v h="$CLK_TCK" \
        'BEGIN{printf "%s\t%s\t%s\t%d\t%.1f\t%.3f\t%.3f\t%d\n", c, r, rep, n/s, n*b/s/1e6, ct/h, ot/h, n}' >>"$RESULTS"
}

jtgt_iscsi_perf() { # row blocks depth random(0/1)
    local row=$1 blocks=$2 depth=$3 rnd=$4 b0 a0 bo ao out iops r=
    [ "$rnd" = 1 ] && r=-r
    b0=$(cpu_ticks "$JTGT_PID"); bo=$(cpu_ticks "$OSD_PID")
    out=$(timeout $((SECS + 60)) iscsi-perf -t "$SECS" $r -m "$depth" -b "$blocks" "$URL" 2>&1 | tr '\r' '\n') \
        || die "iscsi-perf $row: $out"
    a0=$(cpu_ticks "$JTGT_PID"); ao=$(cpu_ticks "$OSD_PID")
    iops=$(printf '%s\n' "$out" | sed -n 's/^ *iops average \([0-9]*\) (.*/\1/p' | tail -n 1)
    [ -n "$iops" ] || die "no result from iscsi-perf $row: $out"
    record jtgt "$row" $((iops * SECS)) "$SECS" $((blocks * 512)) $((a0 - b0)) $((ao - bo))
}

jtgt_qemu_bench() { # row count size depth step write(0/1)
    local row=$1 count=$2 size=$3 depth=$4 step=$5 wr=$6 b0 a0 bo ao out secs w=
    [ "$wr" = 1 ] && w=-w
    b0=$(cpu_ticks "$JTGT_PID"); bo=$(cpu_ticks "$OSD_PID")
    out=$(timeout 300 qemu-img bench -f raw -t none -d "$depth" $w -c "$count" -s "$size" -S "$step" "$URL" 2>&1) \
        || die "qemu-img bench $row: $out"
    a0=$(cpu_ticks "$JTGT_PID"); ao=$(cpu_ticks "$OSD_PID")
    secs=$(printf '%s\n' "$out" | sed -n 's/^Run completed in \([0-9.]*\) seconds.*/\1/p')
    [ -n "$secs" ] || die "no result from qemu-img bench $row: $out"
    record jtgt "$row" "$count" "$secs" "$size" $((a0 - b0)) $((ao - bo))
}

# rbd bench and fio are the librbd clients of the direct rows, as jtgt's JVM is for the LUN
# rows: their CPU (user + sys) comes from GNU time.
timed() { # outfile cmd...
    local out=$1; shift
    /usr/bin/time -f '%U %S' -o "$out.time" "$@" >"$out" 2>&1
}
[ -x /usr/bin/time ] || die "/usr/bin/time missing (Debian package time)"

direct_rbd_bench() { # client-label row conf io-type io-size threads pattern total-bytes
    local label=$1 row=$2 conf=$3 type=$4 size=$5 threads=$6 pattern=$7 total=$8 bo ao out ops secs cpu n rate
    bo=$(cpu_ticks "$OSD_PID")
    timed "$WORK/rbd-bench.out" rbd --conf "$conf" bench --io-type "$type" --io-size "$size" \
        --io-threads "$threads" --io-pattern "$pattern" --io-total "$total" "rbd/$IMAGE" || die "rbd bench $row: $(cat "$WORK/rbd-bench.out")"
    ao=$(cpu_ticks "$OSD_PID")
    out=$(tr '\r' '\n' <"$WORK/rbd-bench.out")
    ops=$(printf '%s\n' "$out" | sed -n 's/^elapsed: *\([0-9.]*\) *ops: *\([0-9]*\) *ops\/sec: *\([0-9.]*\).*/\2 \3/p' | tail -n 1)
    [ -n "$ops" ] || die "no result from rbd bench $row: $out"
    read -r n rate <<<"$ops"
    secs=$(awk -v n="$n" -v r="$rate" 'BEGIN{printf "%.6f", n/r}')
    cpu=$(awk '{printf "%d", ($1 + $2) * '"$CLK_TCK"'}' "$WORK/rbd-bench.out.time")
    record "$label" "$row" "$n" "$secs" "$(numfmt --from=iec "$size")" "$cpu" $((ao - bo))
}

direct_fio() { # row rw bs depth
    local row=$1 rw=$2 bs=$3 depth=$4 bo ao json n secs cpu
    bo=$(cpu_ticks "$OSD_PID")
    CEPH_CONF=$NOCACHE_CONF timed "$WORK/fio.json" fio --name="$row" --ioengine=rbd --clientname=admin --pool=rbd \
        --rbdname="$IMAGE" --rw="$rw" --bs="$bs" --iodepth="$depth" --time_based --runtime="$SECS" \
        --output-format=json || die "fio $row: $(cat "$WORK/fio.json")"
    ao=$(cpu_ticks "$OSD_PID")
    read -r n secs <<<"$(python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))["jobs"][0]
d = j["read"] if j["read"]["total_ios"] > 0 else j["write"]
print(d["total_ios"], d["runtime"] / 1000.0)
' "$WORK/fio.json")"
    cpu=$(awk '{printf "%d", ($1 + $2) * '"$CLK_TCK"'}' "$WORK/fio.json.time")
    record fio-rbd "$row" "$n" "$secs" "$(numfmt --from=iec "${bs^^}")" "$cpu" $((ao - bo))
}

RR_TOTAL=$((Q4K * 4096))
W_TOTAL=$((Q4K * 4096))
M_TOTAL=$((Q1M * 1048576))
run_row() { # client row
    case "$1:$2" in
        jtgt:rr4k-qd32) jtgt_iscsi_perf "$2" 8 32 1 ;;
        # qemu-img bench has no random mode: a prime stride of 7919 blocks scatters the writes
        # over the image (as bench/run.sh does), so consecutive writes hit different objects.
        jtgt:rw4k-qd32) jtgt_qemu_bench "$2" "$Q4K" 4096 32 $((7919 * 4096)) 1 ;;
        jtgt:sr1m-qd8) jtgt_qemu_bench "$2" "$Q1M" 1048576 8 1048576 0 ;;
        jtgt:sw1m-qd8) jtgt_qemu_bench "$2" "$Q1M" 1048576 8 1048576 1 ;;
        rbd-bench:rr4k-qd32) direct_rbd_bench rbd-bench "$2" "$NOCACHE_CONF" read 4K 32 rand "$RR_TOTAL" ;;
        rbd-bench:rw4k-qd32) direct_rbd_bench rbd-bench "$2" "$NOCACHE_CONF" write 4K 32 rand "$W_TOTAL" ;;
        rbd-bench:sr1m-qd8) direct_rbd_bench rbd-bench "$2" "$NOCACHE_CONF" read 1M 8 seq "$M_TOTAL" ;;
        rbd-bench:sw1m-qd8) direct_rbd_bench rbd-bench "$2" "$NOCACHE_CONF" write 1M 8 seq "$M_TOTAL" ;;
        rbd-bench-cache:rr4k-qd32) direct_rbd_bench rbd-bench-cache "$2" "$CONF" read 4K 32 rand "$RR_TOTAL" ;;
        rbd-bench-cache:rw4k-qd32) direct_rbd_bench rbd-bench-cache "$2" "$CONF" write 4K 32 rand "$W_TOTAL" ;;
        rbd-bench-cache:sr1m-qd8) direct_rbd_bench rbd-bench-cache "$2" "$CONF" read 1M 8 seq "$M_TOTAL" ;;
        rbd-bench-cache:sw1m-qd8) direct_rbd_bench rbd-bench-cache "$2" "$CONF" write 1M 8 seq "$M_TOTAL" ;;
        fio-rbd:rr4k-qd32) direct_fio "$2" randread 4k 32 ;;
        fio-rbd:rw4k-qd32) direct_fio "$2" randwrite 4k 32 ;;
        fio-rbd:sr1m-qd8) direct_fio "$2" read 1m 8 ;;
        fio-rbd:sw1m-qd8) direct_fio "$2" write 1m 8 ;;
    esac
}

read -r -a ROWS <<<"${BENCH_ROWS:-rr4k-qd32 rw4k-qd32 sr1m-qd8 sw1m-qd8}"
read -r -a CLIENTS <<<"${BENCH_CLIENTS:-jtgt rbd-bench fio-rbd rbd-bench-cache}"
log "warm-up (JIT, librbd connections)"
rep=warmup
run_row jtgt rr4k-qd32
run_row jtgt sw1m-qd8
: >"$RESULTS"
nclients=${#CLIENTS[@]}
for rep in $(seq 1 "$REPS"); do
    for row in "${ROWS[@]}"; do
        shift_by=$(( (rep + ${#row}) % nclients ))   # the client order rotates per repetition and row
        for i in $(seq 0 $((nclients - 1))); do
            c=${CLIENTS[$(( (i + shift_by) % nclients ))]}
            log "rep $rep/$REPS $row $c"
            run_row "$c" "$row"
        done
    done
done

ARGS=(--results "$RESULTS" --reps "$REPS" --secs "$SECS" --size-mb "$SIZE_MB" --cluster-start "$CLUSTER_START")
[ "$QUICK" = 1 ] && ARGS+=(--quick)
[ "$WRITE_DOC" = 1 ] && ARGS+=(--doc "$REPO/docs/performance-rbd.md")
python3 "$BENCH_DIR/rbd_report.py" "${ARGS[@]}"
cp "$RESULTS" "$WORK/results-$(date -u +%Y%m%dT%H%M%SZ).tsv"

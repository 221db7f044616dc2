#!/usr/bin/env bash
#
# jtgt vs tgt, side by side on loopback, one command:
#
#   bench/run.sh [--quick] [--reps N] [--no-iouring] [--no-doc]
#
# Builds the distribution if missing, installs missing Debian tools, starts one jtgt instance
# (a file-backend LUN and, when the backend-iouring bundle is built, an iouring LUN) and one
# tgtd (own port, own control port/socket) on 127.0.0.1 with identical prefilled sparse images
# on the same filesystem, then runs every workload against every target, alternating the order
# per repetition, and reports medians: IOPS, MB/s, CPU seconds of the target process per
# 100 000 I/Os (from /proc/<pid>/stat), ratio jtgt/tgt. Writes docs/performance.md.
# Everything it starts it stops (trap). See bench/README.md.

set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
WORK=${BENCH_WORK:-$REPO/bench/work}
WITH_IOURING=1
TGT_PORT=${BENCH_TGT_PORT:-13270}
TGT_CTL_PORT=${BENCH_TGT_CTL_PORT:-13271}
JTGT_PORT=${BENCH_JTGT_PORT:-13272}
BENCH_NAME=bench HELP_LINES=14
. "$BENCH_DIR/lib.sh"
bench_extra_option() { [ "$1" = --no-iouring ] && WITH_IOURING=0; }
bench_options "$@"

if [ "$QUICK" = 1 ]; then
    SIZE_MB=${BENCH_SIZE_MB:-256}; REPS=${REPS:-1}; SECS=2; Q4K=20000; Q1M=300; FIO_SECS=1
else
    SIZE_MB=${BENCH_SIZE_MB:-1024}; REPS=${REPS:-3}; SECS=5; Q4K=100000; Q1M=1500; FIO_SECS=2
fi
IQN_TGT=iqn.2026-11.io.jtgt.bench:tgt
IQN_FILE=iqn.2026-11.io.jtgt.bench:file
IQN_URING=iqn.2026-11.io.jtgt.bench:iouring

# ---------------------------------------------------------------- tools
need_pkgs=()
for pair in tgtd:tgt iscsi-perf:libiscsi-bin qemu-img:qemu-utils fio:fio; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || need_pkgs+=("${pair#*:}")
done
[ -e /usr/lib/x86_64-linux-gnu/qemu/block-iscsi.so ] || need_pkgs+=(qemu-block-extra)
command -v iperf3 >/dev/null 2>&1 || need_pkgs+=(iperf3)
install_packages "${need_pkgs[@]}"
for tool in tgtd tgtadm iscsi-perf iscsi-readcapacity16 qemu-img fio; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool still missing after install"
done

# ---------------------------------------------------------------- build
bench_distribution
URING_JAR=
if [ "$WITH_IOURING" = 1 ]; then
    URING_JAR=$(ls "$REPO"/bundles/backend-iouring/target/jtgt-backend-iouring-*.jar 2>/dev/null | grep -v -e sources -e tests | head -n 1 || true)
    if [ -z "$URING_JAR" ] && [ -f "$REPO/bundles/backend-iouring/pom.xml" ]; then
        log "building backend-iouring"
        (cd "$REPO" && mvn -B -q -pl bundles/backend-iouring -am install -DskipTests) || die "backend-iouring build failed"
        URING_JAR=$(ls "$REPO"/bundles/backend-iouring/target/jtgt-backend-iouring-*.jar | grep -v -e sources -e tests | head -n 1)
    fi
    [ -n "$URING_JAR" ] || { log "no backend-iouring bundle: benchmarking the file backend only"; WITH_IOURING=0; }
fi

# ---------------------------------------------------------------- images (same filesystem, same data)
IMG=$WORK/img
mkdir -p "$IMG"
SIZE=$((SIZE_MB * 1024 * 1024))
if [ ! -f "$IMG/master.img" ] || [ "$(stat -c %s "$IMG/master.img")" != "$SIZE" ]; then
    log "prefilling a ${SIZE_MB} MiB image with random data"
    rm -f "$IMG"/*.img
    truncate -s "$SIZE" "$IMG/master.img"
    dd if=/dev/urandom of="$IMG/master.img" bs=1M count="$SIZE_MB" conv=notrunc,fsync status=none
fi
for name in tgt file iouring; do
    # A fresh sparse copy per target (cp keeps holes; our data has none, so all blocks are real).
    cp --sparse=always "$IMG/master.img" "$IMG/$name.img"
done

# ---------------------------------------------------------------- processes (all stopped by the trap)
TGTD_PID=
JTGT_PID=
cleanup() {
    set +e
    if [ -n "$TGTD_PID" ] && kill -0 "$TGTD_PID" 2>/dev/null; then
        tgtadm -C "$TGT_CTL_PORT" --op update --mode sys --name State -v offline >/dev/null 2>&1
        tgtadm -C "$TGT_CTL_PORT" --op delete --mode system >/dev/null 2>&1
        for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$TGTD_PID" 2>/dev/null || break; sleep 0.3; done
        kill -9 "$TGTD_PID" 2>/dev/null
        wait "$TGTD_PID" 2>/dev/null
    fi
    stop_pid "$JTGT_PID" 30
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for p in "$TGT_PORT" "$TGT_CTL_PORT" "$JTGT_PORT"; do
    port_busy "$p" && die "127.0.0.1:$p is in use (set BENCH_TGT_PORT/BENCH_TGT_CTL_PORT/BENCH_JTGT_PORT)"
done

log "starting tgtd on 127.0.0.1:$TGT_PORT (control port $TGT_CTL_PORT)"
tgtd -f --iscsi portal=127.0.0.1:$TGT_PORT -C "$TGT_CTL_PORT" >"$WORK/tgtd.log" 2>&1 &
TGTD_PID=$!
for _ in $(seq 1 50); do port_busy "$TGT_PORT" && break; sleep 0.1; done
tgtadm -C "$TGT_CTL_PORT" --lld iscsi --op new --mode target --tid 1 -T "$IQN_TGT"
tgtadm -C "$TGT_CTL_PORT" --lld iscsi --op new --mode logicalunit --tid 1 --lun 1 -b "$IMG/tgt.img"
tgtadm -C "$TGT_CTL_PORT" --lld iscsi --op bind --mode target --tid 1 -I 127.0.0.1

CONFIG=$WORK/jtgt-bench.json
{
    echo '{"storages":['
    echo "  {\"deviceID\":1000,\"path\":\"file:$IMG/file.img\",\"online\":true,\"backendType\":\"file\",\"blockShift\":9,\"deviceSize\":$SIZE,\"thinProvisioning\":true}"
    [ "$WITH_IOURING" = 1 ] && echo " ,{\"deviceID\":1001,\"path\":\"file:$IMG/iouring.img\",\"online\":true,\"backendType\":\"iouring\",\"blockShift\":9,\"deviceSize\":$SIZE,\"thinProvisioning\":true}"
    echo '],"iscsiportals":[{"id":0,"portal":"127.0.0.1:'"$JTGT_PORT"'"}],'
    echo '"iscsitargets":{'
    echo "  \"$IQN_FILE\":{\"tpgts\":{\"1\":[0]},\"luns\":{\"0\":1000}}"
    [ "$WITH_IOURING" = 1 ] && echo " ,\"$IQN_URING\":{\"tpgts\":{\"1\":[0]},\"luns\":{\"0\":1001}}"
    # BENCH_NUMA=1: performance.enableNUMA on (a single-node machine must show the same numbers)
    echo '},"performance":{"ioUringQueueDepth":4096'"$([ -n "${BENCH_NUMA:-}" ] && echo ',"enableNUMA":true')"'}}'
} >"$CONFIG"

start_jtgt "$CONFIG"

if [ "$WITH_IOURING" = 1 ]; then
    # Hot deploy of the iouring bundle (Netty's io_uring classes and native fragment are in the
    # distribution: the iSCSI transport runs on them).
    for _ in $(seq 1 100); do [ -d "$INSTANCE/deploy" ] && break; sleep 0.2; done
    [ -d "$INSTANCE/deploy" ] || die "jtgt instance did not appear at $INSTANCE"
    cp "$URING_JAR" "$INSTANCE/deploy/.jtgt-backend-iouring.jar.part"
    mv "$INSTANCE/deploy/.jtgt-backend-iouring.jar.part" "$INSTANCE/deploy/jtgt-backend-iouring.jar"
fi

declare -A URL PID
URL[tgt]=iscsi://127.0.0.1:$TGT_PORT/$IQN_TGT/1
URL[jtgt-file]=iscsi://127.0.0.1:$JTGT_PORT/$IQN_FILE/0
PID[tgt]=$TGTD_PID
PID[jtgt-file]=$JTGT_PID
TARGETS=(tgt jtgt-file)
if [ "$WITH_IOURING" = 1 ]; then
    URL[jtgt-iouring]=iscsi://127.0.0.1:$JTGT_PORT/$IQN_URING/0
    PID[jtgt-iouring]=$JTGT_PID
    TARGETS+=(jtgt-iouring)
fi
for t in "${TARGETS[@]}"; do
    wait_lun "${URL[$t]}" 180
done
if [ "$WITH_IOURING" = 1 ]; then
    grep -h -i "iouring\|io_uring" "$INSTANCE"/data/log/karaf.log 2>/dev/null | grep -i -E "fallback|unusable|ring" | tail -n 3 >&2 || true
fi

# ---------------------------------------------------------------- measuring
RESULTS=$WORK/results.tsv
: >"$RESULTS"   # target row rep iops mbps cpu_s ios

# iscsi-perf prints "iops average N (M MB/s)" at the end.
run_iscsi_perf() { # target row args...
    local t=$1 row=$2; shift 2
    local before after out iops mbps
    before=$(cpu_ticks "${PID[$t]}")
    out=$(timeout $((SECS + 30)) iscsi-perf -t "$SECS" "$@" "${URL[$t]}" 2>&1 | tr '\r' '\n') || die "iscsi-perf $row on $t: $out"
    after=$(cpu_ticks "${PID[$t]}")
    iops=$(printf '%s\n' "$out" | sed -n 's/^ *iops average \([0-9]*\) (\([0-9]*\) MB\/s).*/\1/p' | tail -n 1)
    mbps=$(printf '%s\n' "$out" | sed -n 's/^ *iops average \([0-9]*\) (\([0-9]*\) MB\/s).*/\2/p' | tail -n 1)
    [ -n "$iops" ] || die "no result from iscsi-perf $row on $t: $out"
    # iscsi-perf's MB is 2^20 bytes; report 10^6 like the other rows.
    mbps=$(awk -v m="$mbps" 'BEGIN{printf "%.1f", m * 1.048576}')
    echo -e "$t\t$row\t$rep\t$iops\t$mbps\t$(awk -v d=$((after - before)) -v h="$CLK_TCK" 'BEGIN{print d/h}')\t$((iops * SECS))" >>"$RESULTS"
}

# qemu-img bench prints "Run completed in X seconds."
run_qemu_bench() { # target row count size depth step write(0/1)
    local t=$1 row=$2 count=$3 size=$4 depth=$5 step=$6 wr=$7
    local before after out secs w=
    [ "$wr" = 1 ] && w=-w
    before=$(cpu_ticks "${PID[$t]}")
    out=$(timeout 120 qemu-img bench -f raw -t none -d "$depth" $w -c "$count" -s "$size" -S "$step" "${URL[$t]}" 2>&1) || die "qemu-img bench $row on $t: $out"
    after=$(cpu_ticks "${PID[$t]}")
    secs=$(printf '%s\n' "$out" | sed -n 's/^Run completed in \([0-9.]*\) seconds.*/\1/p')
    [ -n "$secs" ] || die "no result from qemu-img bench $row on $t: $out"
    awk -v t="$t" -v r="$row" -v rep="$rep" -v c="$count" -v s="$size" -v secs="$secs" \
        -v d=$((after - before)) -v h="$CLK_TCK" \
        'BEGIN{printf "%s\t%s\t%s\t%d\t%.1f\t%s\t%d\n", t, r, rep, c/secs, c*s/secs/1e6, d/h, c}' >>"$RESULTS"
}

run_row() { # target row
    case "$2" in
        rr4k-qd1) run_iscsi_perf "$1" "$2" -r -m 1 -b 8 ;;
        rr4k-qd32) run_iscsi_perf "$1" "$2" -r -m 32 -b 8 ;;
        rr4k-qd128) run_iscsi_perf "$1" "$2" -r -m 128 -b 8 ;;
        sr128k-qd32) run_iscsi_perf "$1" "$2" -m 32 -b 256 ;;
        # qemu-img bench has no random mode: a step of 7919 blocks (prime) scatters 4 KiB writes
        # over the whole LUN (offsets wrap at its end), so no two neighbours are adjacent.
        qw4k-d32) run_qemu_bench "$1" "$2" "$Q4K" 4096 32 $((7919 * 4096)) 1 ;;
        qr1m-d8) run_qemu_bench "$1" "$2" "$Q1M" 1048576 8 1048576 0 ;;
        qw1m-d8) run_qemu_bench "$1" "$2" "$Q1M" 1048576 8 1048576 1 ;;
    esac
}

# BENCH_ROWS="rr4k-qd32 qw4k-d32" reruns a subset (e.g. the key rows on a noisy machine).
read -r -a ROWS <<<"${BENCH_ROWS:-rr4k-qd1 rr4k-qd32 rr4k-qd128 sr128k-qd32 qw4k-d32 qr1m-d8 qw1m-d8}"
log "warm-up (page cache, JIT)"
for t in "${TARGETS[@]}"; do
    rep=warmup
    run_row "$t" rr4k-qd32
    run_row "$t" qr1m-d8
    run_row "$t" qw4k-d32 # the write path JIT-compiled too, not only the reads
done
: >"$RESULTS"
MEASURE_START=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)
n=${#TARGETS[@]}
for rep in $(seq 1 "$REPS"); do
    for row in "${ROWS[@]}"; do
        # A/B alternation: the target order rotates with each repetition and row.
        shift_by=$(( (rep + ${#row}) % n ))
        for i in $(seq 0 $((n - 1))); do
            t=${TARGETS[$(( (i + shift_by) % n ))]}
            log "rep $rep/$REPS $row $t"
            run_row "$t" "$row"
        done
    done
done

if [ -n "${BENCH_JFR:-}" ]; then
    # Allocation of the measured window (after the warm-up) per I/O of the jtgt targets.
    jcmd "$JTGT_PID" JFR.dump filename="$WORK/jtgt-measured.jfr" >/dev/null 2>&1 || die "jcmd JFR.dump failed"
    JTGT_IOS=$(awk -F '\t' '$1 ~ /^jtgt/ {s += $7} END {print s + 0}' "$RESULTS")
    python3 "$BENCH_DIR/jfr-alloc.py" "$WORK/jtgt-measured.jfr" --since "$MEASURE_START" --ios "$JTGT_IOS" \
        | tee "$WORK/jfr-alloc.txt" >&2
fi

# ---------------------------------------------------------------- ceiling
CEIL=$WORK/ceiling.tsv
: >"$CEIL"
fio_row() { # name rw bs depth — best of 3 runs (a ceiling is the best the file can do)
    local out best=$WORK/fio-best.tsv
    : >"$best"
    for _ in 1 2 3; do
        # Two jobs (one per core, each on its own half of the file), io_uring engine, page cache.
        out=$(fio --name="$1" --filename="$IMG/master.img" --rw="$2" --bs="$3" --iodepth="$4" \
            --numjobs=2 --size=$((SIZE / 2)) --offset_increment=$((SIZE / 2)) \
            --ioengine=io_uring --direct=0 --time_based --runtime="$FIO_SECS" \
            --group_reporting --output-format=json 2>/dev/null) || die "fio $1 failed"
        printf '%s' "$out" | python3 -c '
import json, sys
j = json.load(sys.stdin)["jobs"][0]
name = sys.argv[1]
for d in ("read", "write"):
    x = j[d]
    if x["io_bytes"] > 0:
        p = x.get("clat_ns", {}).get("percentile", {})
        print("%s\t%d\t%.1f\t%.1f\t%.1f" % (name, x["iops"], x["bw_bytes"] / 1e6,
              p.get("50.000000", 0) / 1e3, p.get("99.000000", 0) / 1e3))
' "$1" >>"$best"
    done
    sort -t "$(printf '\t')" -k2,2nr "$best" | head -n 1 >>"$CEIL"
}
log "ceiling: fio on the image file (io_uring engine, page cache, 2 jobs, best of 3)"
fio_row fio-rr4k-qd32 randread 4k 32
fio_row fio-sr128k-qd32 read 128k 32
fio_row fio-rw4k-qd32 randwrite 4k 32
fio_row fio-sr1m-qd8 read 1m 8
fio_row fio-sw1m-qd8 write 1m 8
log "ceiling: loopback TCP"
if command -v iperf3 >/dev/null 2>&1; then
    IPERF_PORT=$((JTGT_PORT + 10))
    iperf3 -s -1 -B 127.0.0.1 -p "$IPERF_PORT" >/dev/null 2>&1 &
    IPERF_PID=$!
    sleep 0.5
    bps=$(iperf3 -c 127.0.0.1 -p "$IPERF_PORT" -t "$FIO_SECS" -J 2>/dev/null \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"])' || echo 0)
    wait "$IPERF_PID" 2>/dev/null || true
    awk -v b="$bps" 'BEGIN{printf "iperf3-loopback\t0\t%.1f\t0\t0\n", b/8/1e6}' >>"$CEIL"
fi

# ---------------------------------------------------------------- report
ARGS=(--results "$RESULTS" --ceiling "$CEIL" --reps "$REPS" --secs "$SECS" --size-mb "$SIZE_MB")
[ "$QUICK" = 1 ] && ARGS+=(--quick)
if [ "$WRITE_DOC" = 1 ]; then
    ARGS+=(--doc "$REPO/docs/performance.md")
fi
python3 "$BENCH_DIR/report.py" "${ARGS[@]}"
# Keep this run's raw samples (the next run overwrites results.tsv).
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
cp "$RESULTS" "$WORK/results-$STAMP.tsv"
cp "$CEIL" "$WORK/ceiling-$STAMP.tsv"

#!/usr/bin/env bash
#
# jtgt's s3 backend against the AWS SDK v2 used directly, on the same s3proxy:
#
#   bench/s3.sh [--quick] [--reps N] [--no-doc]
#
# Starts s3proxy (filesystem blob store in bench/work-s3, run by bench/S3Direct.java on
# backend-s3's test classpath) and the real jtgt distribution (bin/jtgt daemon, an instance of
# its own) with `feature:install jtgt-backend-s3` and one s3 LUN (1 MiB chunks). Then, per
# repetition, each row through the LUN (qemu-img bench -t none, iscsi-perf) and the same pattern
# straight on s3proxy with the SDK (S3Direct: sync S3Client over UrlConnectionHttpClient, one
# thread per request in flight, as the backend does); medians and ratios jtgt/direct. Writes
# docs/performance-s3.md. Everything it starts it stops (trap). See bench/README.md.

set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
WORK=${BENCH_S3_WORK:-$REPO/bench/work-s3}
JTGT_PORT=${BENCH_S3_JTGT_PORT:-13292}
S3_PORT=${BENCH_S3_PORT:-13293}
M2=${MAVEN_REPO:-$HOME/.m2/repository}

BENCH_NAME=bench-s3
. "$BENCH_DIR/lib.sh"
bench_options "$@"

if [ "$QUICK" = 1 ]; then
    SIZE_MB=${BENCH_SIZE_MB:-128}; REPS=${REPS:-1}; SECS=3; Q4K=3000
else
    SIZE_MB=${BENCH_SIZE_MB:-512}; REPS=${REPS:-3}; SECS=10; Q4K=10000
fi
Q1M=$SIZE_MB   # the 1 MiB rows write and read the whole LUN once
IQN=iqn.2026-11.io.jtgt.bench:s3
BUCKET=jtgt-bench
CHUNK=1048576

for tool in iscsi-perf iscsi-readcapacity16 qemu-img java mvn; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool missing (Debian: libiscsi-bin, qemu-utils, qemu-block-extra, openjdk-17, maven)"
done
[ -e /usr/lib/x86_64-linux-gnu/qemu/block-iscsi.so ] || die "qemu-block-extra missing (qemu-img's iscsi driver)"

MAVEN_REPO=$M2 bench_distribution
CP_FILE=$WORK/test-classpath.txt
if [ ! -s "$CP_FILE" ] || [ "$REPO/bundles/backend-s3/pom.xml" -nt "$CP_FILE" ]; then
    log "resolving backend-s3's test classpath (s3proxy, AWS SDK v2)"
    (cd "$REPO" && mvn -o -B -q -Dmaven.repo.local="$M2" -pl bundles/backend-s3 dependency:build-classpath \
        -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE") || die "mvn dependency:build-classpath failed"
fi
CP=$(cat "$CP_FILE")
direct() { java -cp "$CP" "$BENCH_DIR/S3Direct.java" "$@"; }

# ---------------------------------------------------------------- processes (all stopped by the trap)
JTGT_PID=
S3_PID=
cleanup() {
    set +e
    stop_pid "$JTGT_PID" 30
    stop_pid "$S3_PID" 10
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for p in "$JTGT_PORT" "$S3_PORT"; do
    port_busy "$p" && die "127.0.0.1:$p is in use (set BENCH_S3_JTGT_PORT / BENCH_S3_PORT)"
done

rm -rf "$WORK/blobs" "$WORK/s3.ready"   # a fresh bucket every run
log "starting s3proxy on 127.0.0.1:$S3_PORT"
java -cp "$CP" "$BENCH_DIR/S3Direct.java" serve "$S3_PORT" "$WORK/blobs" "$WORK/s3.ready" >"$WORK/s3proxy.log" 2>&1 &
S3_PID=$!   # the JVM itself (no shell function or subshell in between), so the trap's kill reaches it
for _ in $(seq 1 150); do [ -f "$WORK/s3.ready" ] && break; kill -0 "$S3_PID" 2>/dev/null || break; sleep 0.2; done
[ -f "$WORK/s3.ready" ] || die "s3proxy did not start (see $WORK/s3proxy.log)"
ENDPOINT=http://127.0.0.1:$S3_PORT
direct mkbucket "$ENDPOINT" "$BUCKET" || die "could not create bucket $BUCKET"

SIZE=$((SIZE_MB * 1024 * 1024))
CONFIG=$WORK/jtgt-bench-s3.json
cat >"$CONFIG" <<JSON
{"storages":[
  {"deviceID":4000,"path":"s3:$BUCKET/lun","online":true,"backendType":"s3","blockShift":9,
   "deviceSize":$SIZE,"thinProvisioning":true,"s3ChunkSize":"$CHUNK","s3Endpoint":"$ENDPOINT",
   "s3Region":"us-east-1","s3ForcePathStyle":"true","s3AccessKeyId":"jtgt-bench-access",
   "s3SecretAccessKey":"jtgt-bench-secret-0123456789"}
 ],
 "iscsiportals":[{"id":0,"portal":"127.0.0.1:$JTGT_PORT"}],
 "iscsitargets":{"$IQN":{"tpgts":{"1":[0]},"luns":{"0":4000}}}}
JSON
start_jtgt "$CONFIG" fresh   # the LUN's geometry lives in the (fresh) bucket: a fresh instance too
install_feature jtgt-backend-s3 180
URL=iscsi://127.0.0.1:$JTGT_PORT/$IQN/0
wait_lun "$URL" 180

# ---------------------------------------------------------------- measuring
RESULTS=$WORK/results.tsv
: >"$RESULTS"   # client row rep iops mbps ios
record() { # client row ios secs bytes
    awk -v c="$1" -v r="$2" -v rep="$rep" -v n="$3" -v s="$4" -v b="$5" \
        'BEGIN{printf "%s\t%s\t%s\t%d\t%.1f\t%d\n", c, r, rep, n/s, n*b/s/1e6, n}' >>"$RESULTS"
}
jtgt_qemu_bench() { # row count size depth write(0/1)
    local w= out secs
    [ "$5" = 1 ] && w=-w
    out=$(timeout 600 qemu-img bench -f raw -t none -d "$4" $w -c "$2" -s "$3" -S "$3" "$URL" 2>&1) \
        || die "qemu-img bench $1: $out"
    secs=$(printf '%s\n' "$out" | sed -n 's/^Run completed in \([0-9.]*\) seconds.*/\1/p')
    [ -n "$secs" ] || die "no result from qemu-img bench $1: $out"
    record jtgt "$1" "$2" "$secs" "$3"
}
jtgt_iscsi_perf() { # row blocks depth
    local out iops
    out=$(timeout $((SECS + 60)) iscsi-perf -t "$SECS" -r -m "$3" -b "$2" "$URL" 2>&1 | tr '\r' '\n') \
        || die "iscsi-perf $1: $out"
    iops=$(printf '%s\n' "$out" | sed -n 's/^ *iops average \([0-9]*\) (.*/\1/p' | tail -n 1)
    [ -n "$iops" ] || die "no result from iscsi-perf $1: $out"
    record jtgt "$1" $((iops * SECS)) "$SECS" $(($2 * 512))
}
direct_sdk() { # row op count size depth
    local out n secs b
    out=$(timeout 600 java -DobjectSize=$CHUNK -Dobjects="$Q1M" -cp "$CP" "$BENCH_DIR/S3Direct.java" \
        "$2" "$ENDPOINT" "$BUCKET" direct "$3" "$4" "$5" 2>&1) || die "S3Direct $1: $out"
    read -r n secs b <<<"$(printf '%s\n' "$out" | tail -n 1)"
    record sdk "$1" "$n" "$secs" "$b"
}
run_row() { # client row
    case "$1:$2" in
        jtgt:sw1m-qd8) jtgt_qemu_bench "$2" "$Q1M" 1048576 8 1 ;;
        jtgt:sr1m-qd8) jtgt_qemu_bench "$2" "$Q1M" 1048576 8 0 ;;
        jtgt:rr4k-qd32) jtgt_iscsi_perf "$2" 8 32 ;;
        sdk:sw1m-qd8) direct_sdk "$2" put "$Q1M" 1048576 8 ;;
        sdk:sr1m-qd8) direct_sdk "$2" get "$Q1M" 1048576 8 ;;
        sdk:rr4k-qd32) direct_sdk "$2" rget "$Q4K" 4096 32 ;;
    esac
}

# The write row comes first: it fills the LUN (and the direct objects) the read rows then read.
ROWS=(sw1m-qd8 sr1m-qd8 rr4k-qd32)
log "warm-up (JIT, connections)"
rep=warmup
run_row jtgt sw1m-qd8
: >"$RESULTS"
for rep in $(seq 1 "$REPS"); do
    for row in "${ROWS[@]}"; do
        clients=(jtgt sdk); [ $((rep % 2)) = 0 ] && clients=(sdk jtgt)   # A/B alternation
        for c in "${clients[@]}"; do
            log "rep $rep/$REPS $row $c"
            run_row "$c" "$row"
        done
    done
done

# ---------------------------------------------------------------- report
TABLE=$WORK/table.md
python3 - "$RESULTS" >"$TABLE" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    c, r, rep, iops, mbps, ios = line.rstrip("\n").split("\t")
    rows.setdefault(r, {}).setdefault(c, []).append((float(iops), float(mbps)))
names = {"sw1m-qd8": "1 MiB sequential write, QD8 (qemu-img bench -w -t none / PutObject)",
         "sr1m-qd8": "1 MiB sequential read, QD8 (qemu-img bench -t none / GetObject)",
         "rr4k-qd32": "4 KiB random read, QD32 (iscsi-perf -r / ranged GetObject)"}
print("| row | jtgt IOPS | jtgt MB/s | SDK direct IOPS | SDK direct MB/s | jtgt/direct |")
print("|---|---:|---:|---:|---:|---:|")
for r in ("sw1m-qd8", "sr1m-qd8", "rr4k-qd32"):
    j = rows.get(r, {}).get("jtgt"); d = rows.get(r, {}).get("sdk")
    if not j or not d:
        continue
    ji = statistics.median(x[0] for x in j); jm = statistics.median(x[1] for x in j)
    di = statistics.median(x[0] for x in d); dm = statistics.median(x[1] for x in d)
    print("| %s | %.0f | %.1f | %.0f | %.1f | %.2f |" % (names[r], ji, jm, di, dm, ji / di))
PY
cat "$TABLE"
cp "$RESULTS" "$WORK/results-$(date -u +%Y%m%dT%H%M%SZ).tsv"
if [ "$WRITE_DOC" = 1 ]; then
    DOC=$REPO/docs/performance-s3.md
    {
        echo "# jtgt s3 backend vs the AWS SDK v2 directly (bench/s3.sh)"
        echo
        echo "Generated by \`bench/s3.sh$([ "$QUICK" = 1 ] && echo ' --quick')\` on $(date -u '+%Y-%m-%d %H:%M UTC'),"
        echo "commit $(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet HEAD -- bundles || echo ' (bundles modified)'),"
        echo "$REPS repetition(s), medians. LUN ${SIZE_MB} MiB, s3ChunkSize 1 MiB, other s3 options at their"
        echo "defaults (s3MaxConcurrency 16, s3ChunkCache 8 chunks); s3proxy 4.1.0 with a filesystem blob"
        echo "store, in its own JVM, on the same machine."
        echo
        echo "Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores, kernel $(uname -r),"
        echo "$(java -version 2>&1 | head -n 1), $(qemu-img --version | head -n 1)."
        echo
        cat "$TABLE"
        echo
        echo "Direct = bench/S3Direct.java: one sync S3Client (UrlConnectionHttpClient, as the backend),"
        echo "one thread per request in flight; PutObject / GetObject of whole 1 MiB objects, ranged"
        echo "4 KiB GetObject at random offsets in them. The jtgt rows add iSCSI over loopback, the"
        echo "SCSI layer and the chunk mapping on top of the same S3 requests; 1 MiB writes are whole"
        echo "chunks (no read-modify-write)."
    } >"$DOC"
    [ -f "$BENCH_DIR/performance-s3-notes.md" ] && { echo; cat "$BENCH_DIR/performance-s3-notes.md"; } >>"$DOC"
    log "wrote $DOC"
fi

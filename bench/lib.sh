# Shared by bench/run.sh, bench/rbd.sh and bench/s3.sh (sourced, not run): options, the
# distribution, the jtgt daemon and its Karaf shell, waiting for a LUN, stopping processes.
# The sourcing script sets BENCH_NAME (log prefix) and REPO, WORK, JTGT_PORT before calling these.

log() { echo "$BENCH_NAME: $*" >&2; }
die() { echo "$BENCH_NAME: FAILED: $*" >&2; exit 1; }

# --quick, --reps N, --no-doc, --help (lines 2..$HELP_LINES of the script); anything else goes
# to bench_extra_option if the script defines it (returns non-zero for an unknown option).
QUICK=0
REPS=
WRITE_DOC=1
bench_options() {
    while [ $# -gt 0 ]; do
        case "$1" in
            --quick) QUICK=1 ;;
            --reps) REPS=$2; shift ;;
            --no-doc) WRITE_DOC=0 ;;
            -h|--help) sed -n "2,${HELP_LINES:-13}p" "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
            *) { declare -F bench_extra_option >/dev/null && bench_extra_option "$1"; } \
                || { echo "$BENCH_NAME: unknown option $1" >&2; exit 2; } ;;
        esac
        shift
    done
}

# apt-get installs the Debian packages given (as root, or through sudo); fails loudly.
install_packages() {
    [ $# -gt 0 ] || return 0
    log "installing $*"
    local sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null \
        && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null \
        || die "apt-get install $* failed (need root or sudo)"
}

# Builds the distribution if it is missing and unpacks it into $WORK/dist (again when the tarball
# is newer). Sets WORK to its absolute path, DIST and DIST_TGZ.
bench_distribution() {
    DIST_TGZ=$(ls "$REPO"/karaf-distribution/target/jtgt-karaf-distribution-*.tar.gz 2>/dev/null | head -n 1 || true)
    if [ -z "$DIST_TGZ" ]; then
        log "building the distribution (mvn install -DskipTests)"
        (cd "$REPO" && mvn -B -q ${MAVEN_REPO:+-Dmaven.repo.local=$MAVEN_REPO} install -DskipTests -DskipITs) \
            || die "maven build failed"
        DIST_TGZ=$(ls "$REPO"/karaf-distribution/target/jtgt-karaf-distribution-*.tar.gz | head -n 1)
    fi
    mkdir -p "$WORK"
    WORK=$(cd "$WORK" && pwd)
    DIST=$WORK/dist
    if [ ! -x "$DIST/bin/jtgt" ] || [ "$DIST_TGZ" -nt "$DIST/.unpacked" ]; then
        log "unpacking $(basename "$DIST_TGZ") into $DIST"
        rm -rf "$DIST" "$WORK/state"
        mkdir -p "$DIST"
        tar -xzf "$DIST_TGZ" -C "$DIST" --strip-components=1
        touch "$DIST/.unpacked"
    fi
}

# utime + stime of process $1, in clock ticks (CLK_TCK per second).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
CLK_TCK=$(getconf CLK_TCK)

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# SIGTERM, up to $2 seconds to go, then SIGKILL.
stop_pid() {
    [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 0
    kill "$1" 2>/dev/null
    for _ in $(seq 1 $(($2 * 2))); do kill -0 "$1" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$1" 2>/dev/null
    wait "$1" 2>/dev/null
}

# Starts `bin/jtgt daemon --config $1` in the background (an instance of its own under
# $WORK/state; BENCH_JFR=1 records a JFR profile to $WORK/jtgt.jfr). Sets INSTANCE and JTGT_PID;
# $2 = fresh removes an earlier instance of the same config first.
start_jtgt() {
    export JTGT_STATE_DIR=$WORK/state
    INSTANCE=$JTGT_STATE_DIR/$(printf '%s' "$(readlink -f "$1")" | sha256sum | cut -c1-16)
    if [ "${2:-}" = fresh ] || { [ -d "$INSTANCE" ] && [ ! -d "$INSTANCE/etc" ]; }; then
        rm -rf "$INSTANCE"   # fresh, or left half-made by an interrupted run
    fi
    if [ -n "${BENCH_JFR:-}" ]; then
        export EXTRA_JAVA_OPTS="${EXTRA_JAVA_OPTS:-} -XX:StartFlightRecording=filename=$WORK/jtgt.jfr,settings=profile,dumponexit=true"
        log "JFR recording to $WORK/jtgt.jfr"
    fi
    log "starting jtgt on 127.0.0.1:$JTGT_PORT (instance $INSTANCE)"
    "$DIST/bin/jtgt" daemon --config "$1" >"$WORK/jtgt.log" 2>&1 &
    JTGT_PID=$!   # bin/jtgt and bin/karaf exec the JVM: this is the target's process
}

jtgt_alive() { kill -0 "$JTGT_PID" 2>/dev/null || die "jtgt exited, see $WORK/jtgt.log"; }

# The instance's Karaf shell, logged in with the credential bin/jtgt generated for it.
karaf_shell() {
    local port
    port=$(sed -n 's/^sshPort *= *\([0-9]*\).*/\1/p' "$INSTANCE/etc/org.apache.karaf.shell.cfg")
    mkdir -p "$INSTANCE/data/client"
    KARAF_BASE=$INSTANCE KARAF_OPTS="-Duser.home=$INSTANCE/data/client" \
        "$DIST/bin/client" -h 127.0.0.1 -a "$port" -r 10 -b
}

# feature:install $1 through the shell once the instance's credential exists; $2 seconds at most.
install_feature() {
    local deadline=$((SECONDS + $2))
    until [ -f "$INSTANCE/etc/users.properties" ] && grep -q '^jtgt *=' "$INSTANCE/etc/users.properties"; do
        jtgt_alive
        [ $SECONDS -lt $deadline ] || die "jtgt instance did not appear at $INSTANCE"
        sleep 0.2
    done
    until echo "feature:install $1" | karaf_shell >"$WORK/feature-install.log" 2>&1; do
        jtgt_alive
        [ $SECONDS -lt $deadline ] || die "feature:install $1 failed: $(cat "$WORK/feature-install.log")"
        sleep 2
    done
    log "feature $1 installed"
}

# Waits until the LUN at iSCSI URL $1 answers READ CAPACITY and a short read; $2 seconds at most.
wait_lun() {
    local deadline=$((SECONDS + $2))
    log "waiting for $1"
    while [ $SECONDS -lt $deadline ]; do
        jtgt_alive
        if timeout 10 iscsi-readcapacity16 "$1" >/dev/null 2>&1 \
            && timeout 20 iscsi-perf -m 1 -b 8 -t 1 "$1" >/dev/null 2>&1; then
            return 0
        fi
        sleep 1
    done
    die "LUN $1 not ready after $2 s (see $WORK/jtgt.log and $INSTANCE/data/log/karaf.log)"
}

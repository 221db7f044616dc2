#!/usr/bin/env bash
# Runs the jtgt daemon in the foreground (default config: one target, LUN 0 on a 1 GiB sparse file,
# portal 127.0.0.1:3260), building the distribution first when it is missing or older than the sources.
# Extra arguments go to `bin/jtgt daemon` (e.g. --config FILE).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/lib.sh"
ensure_build_tools

dist_tgz=$(ls "$root"/karaf-distribution/target/jtgt-*.tar.gz 2>/dev/null | head -n 1 || true)
newest_src=$(find "$root/pom.xml" "$root/bundles" "$root/etc" "$root/features" "$root/karaf-distribution/src" \
    "$root/karaf-distribution/pom.xml" -newer "${dist_tgz:-/nonexistent}" -type f -print -quit 2>/dev/null || true)
if [ -z "$dist_tgz" ] || [ -n "$newest_src" ]; then
    echo ">> building the distribution"
    (cd "$root" && mvn -B -q install -DskipTests -DskipITs)
    dist_tgz=$(ls "$root"/karaf-distribution/target/jtgt-*.tar.gz | head -n 1)
fi

# Unpack once per build into a folder of its own; data/ (the LUN image, Karaf state) lives there.
dist_dir="$root/karaf-distribution/target/run"
stamp="$dist_dir/.unpacked-from"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$(stat -c %Y "$dist_tgz")" ]; then
    rm -rf "$dist_dir"
    mkdir -p "$dist_dir"
    tar -xzf "$dist_tgz" -C "$dist_dir" --strip-components=1
    stat -c %Y "$dist_tgz" > "$stamp"
fi
exec "$dist_dir/bin/jtgt" daemon "$@"

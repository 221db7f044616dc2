# Shared by run.sh and test.sh: make sure a Java 17 JDK and Maven are there, on a fresh Debian machine too.
# Sourced, not run.

apt_install() {
    # Installs the named Debian packages that are not installed yet; loud failure otherwise.
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo ">> installing Debian packages: ${missing[*]}"
    $sudo apt-get update -qq || { echo "apt-get update failed" >&2; return 1; }
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" \
        || { echo "apt-get install ${missing[*]} failed" >&2; return 1; }
}

ensure_build_tools() {
    # Karaf 4.4 needs Java 17 (it does not run on JDK 24+), so pin JAVA_HOME to a 17.
    if ! ls -d /usr/lib/jvm/java-17-openjdk-* >/dev/null 2>&1; then
        apt_install openjdk-17-jdk-headless || return 1
    fi
    command -v mvn >/dev/null 2>&1 || apt_install maven || return 1
    JAVA_HOME=$(ls -d /usr/lib/jvm/java-17-openjdk-* | head -n 1)
    export JAVA_HOME
    export PATH="$JAVA_HOME/bin:$PATH"
}

#!/usr/bin/env bash
# Installs, once, what the Kotlin JVM tests need: a JDK, JNA and JUnit from
# Debian, and kotlinc from the npm package `kotlin-compiler` (the Maven
# repository is not reachable here). Every version is pinned; a marker file per
# pinned set makes a second run a no-op. Prints the kotlinc path on success.
set -euo pipefail

# Pinned versions (bookworm).
JDK_PKG="default-jdk-headless=2:1.17-74"
JNA_PKG="libjna-java=5.13.0-2"
JUNIT_PKG="junit4=4.13.2-3"
HAMCREST_PKG="libhamcrest-java=2.2-1"
KOTLIN_VERSION="2.4.20"

CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/elternkit"
KOTLIN_DIR="$CACHE/kotlin-compiler-$KOTLIN_VERSION"
mkdir -p "$CACHE"

log() { echo "install-jvm: $*" >&2; }

apt_marker="$CACHE/jvm-apt.ok"
apt_want="$JDK_PKG $JNA_PKG $JUNIT_PKG $HAMCREST_PKG"
if [[ ! -f "$apt_marker" || "$(cat "$apt_marker")" != "$apt_want" ]]; then
  if ! command -v apt-get >/dev/null; then
    log "apt-get not found: install $apt_want by hand"; exit 1
  fi
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  log "apt-get install $apt_want"
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $apt_want >&2
  echo "$apt_want" > "$apt_marker"
fi

for jar in /usr/share/java/jna.jar /usr/share/java/junit4.jar /usr/share/java/hamcrest.jar; do
  [[ -f "$jar" ]] || { log "missing $jar after install"; exit 1; }
done

kt_marker="$KOTLIN_DIR/.ok"
if [[ ! -f "$kt_marker" ]]; then
  log "npm install kotlin-compiler@$KOTLIN_VERSION into $KOTLIN_DIR"
  rm -rf "$KOTLIN_DIR"; mkdir -p "$KOTLIN_DIR"
  npm install --prefix "$KOTLIN_DIR" --no-audit --no-fund --save-exact \
    "kotlin-compiler@$KOTLIN_VERSION" >&2
  touch "$kt_marker"
fi
KOTLINC="$(find "$KOTLIN_DIR/node_modules/kotlin-compiler" -path '*/bin/kotlinc' -type f | head -n1)"
[[ -n "$KOTLINC" ]] || { log "kotlinc not found under $KOTLIN_DIR"; exit 1; }
chmod +x "$(dirname "$KOTLINC")"/* 2>/dev/null || true
echo "$KOTLINC"

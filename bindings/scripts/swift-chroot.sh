#!/usr/bin/env bash
# A minimal Debian trixie chroot with Swift, for testing the generated Swift
# bindings on Linux (bookworm has no Swift; trixie ships `swiftlang`).
#
#   swift-chroot.sh ensure            build the chroot once (cached, ~3 GB)
#   swift-chroot.sh run DIR CMD...    copy DIR into the chroot and run CMD there
#
# Built once under ${XDG_CACHE_HOME:-$HOME/.cache}/elternkit/swift-chroot; a
# marker records the pinned set, so a second `ensure` is a no-op. Any failure
# exits non-zero with the reason: this script never reports success without
# having run the command it was given.
set -euo pipefail

SUITE="trixie"
SWIFT_PKGS="swiftlang=6.0.3-2 libc6-dev ca-certificates"

CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/elternkit"
ROOT="$CACHE/swift-chroot"
MARKER="$CACHE/swift-chroot.ok"
WANT="$SUITE $SWIFT_PKGS"

die() { echo "swift-chroot: FAILED: $*" >&2; exit 1; }
log() { echo "swift-chroot: $*" >&2; }

[[ $(id -u) -eq 0 ]] || die "needs root (debootstrap and chroot); run as root or via sudo"

mirror() {
  # The Debian mirror the machine's apt already uses.
  local m=""
  if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
    m=$(awk '/^URIs:/ {for (i=2;i<=NF;i++) if ($i ~ /\/debian\/?$/) {print $i; exit}}' \
      /etc/apt/sources.list.d/*.sources | head -n1)
  fi
  if [[ -z "$m" && -f /etc/apt/sources.list ]]; then
    m=$(awk '$1=="deb" {for (i=2;i<=NF;i++) if ($i ~ /\/debian\/?$/) {print $i; exit}}' \
      /etc/apt/sources.list | head -n1)
  fi
  echo "${m:-http://deb.debian.org/debian}"
}

mounted=""
cleanup() { if [[ -n "$mounted" ]]; then umount -l "$ROOT/proc" 2>/dev/null || true; fi; }
trap cleanup EXIT

mount_proc() {
  if ! mountpoint -q "$ROOT/proc"; then
    mount -t proc proc "$ROOT/proc" || die "cannot mount /proc in $ROOT (no CAP_SYS_ADMIN?)"
    mounted=1
  fi
}

ensure() {
  if [[ -f "$MARKER" && "$(cat "$MARKER")" == "$WANT" && -x "$ROOT/usr/bin/swiftc" ]]; then
    return 0
  fi
  if ! command -v debootstrap >/dev/null; then
    log "installing debootstrap"
    apt-get update -qq || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >&2 \
      || die "cannot install debootstrap"
  fi
  local m; m=$(mirror)
  if [[ ! -f "$ROOT/.debootstrap.ok" ]]; then
    log "debootstrap --variant=minbase $SUITE $ROOT $m (takes a while)"
    rm -rf "$ROOT"; mkdir -p "$ROOT"
    debootstrap --variant=minbase "$SUITE" "$ROOT" "$m" >&2 \
      || die "debootstrap $SUITE from $m failed (see $ROOT/debootstrap/debootstrap.log)"
    touch "$ROOT/.debootstrap.ok"
  fi
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
  mount_proc
  log "apt-get install $SWIFT_PKGS inside the chroot"
  chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
    apt-get update -qq >&2 || die "apt-get update inside the chroot failed"
  # shellcheck disable=SC2086
  chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends $SWIFT_PKGS >&2 \
    || die "apt-get install $SWIFT_PKGS inside the chroot failed"
  chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin swiftc --version >&2 \
    || die "swiftc does not run inside the chroot"
  echo "$WANT" > "$MARKER"
}

case "${1:-}" in
  ensure) ensure ;;
  run)
    shift; [[ $# -ge 2 ]] || die "usage: swift-chroot.sh run DIR CMD..."
    src="$1"; shift
    [[ -d "$src" ]] || die "no such directory: $src"
    ensure
    dest="/work/$(basename "$src")"
    rm -rf "${ROOT:?}$dest"; mkdir -p "$ROOT/work"
    cp -a "$src" "$ROOT$dest"
    mount_proc
    chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
      /bin/bash -c 'cd "$0" && exec "$@"' "$dest" "$@"
    ;;
  *) die "usage: swift-chroot.sh ensure | run DIR CMD..." ;;
esac

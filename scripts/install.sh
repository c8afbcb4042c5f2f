#!/usr/bin/env bash
# Installs wp-seo-bridge into .venv/ on a Debian machine.
#   bash scripts/install.sh          the tool (Python 3.11+ and its packages)
#   bash scripts/install.sh --demo   also what `wp-seo-bridge demo` needs: a WordPress from
#                                    Debian's packages (PHP, MariaDB), started on loopback
#   bash scripts/install.sh --test   also what the test suite needs: the same WordPress packages,
#                                    headless Chromium + chromedriver for the editor tests,
#                                    and the test tools (pytest, selenium)
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

with_test=false
with_demo=false
for arg in "$@"; do
  case "$arg" in
    --test) with_test=true ;;
    --demo) with_demo=true ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

DEMO_PACKAGES=(wordpress wordpress-theme-twentytwentythree php-cli php-mysql php-xml php-mbstring php-curl mariadb-server)
TEST_PACKAGES=("${DEMO_PACKAGES[@]}" chromium chromium-driver)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "install.sh: need root (or sudo) to run: $*" >&2; exit 1
  fi
}

apt_updated=false
apt_install() {
  [ "$#" -gt 0 ] || return 0
  if ! command -v apt-get >/dev/null; then
    echo "install.sh: apt-get not found; install these Debian packages by hand: $*" >&2
    exit 1
  fi
  if ! $apt_updated; then as_root apt-get update -qq; apt_updated=true; fi
  echo "Installing Debian packages: $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

missing_packages() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
}

python_ok() {
  command -v python3 >/dev/null &&
    python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null
}

needed=()
if ! python_ok; then needed+=(python3 python3-venv python3-pip ca-certificates); fi
if $with_test; then
  mapfile -t -O "${#needed[@]}" needed < <(missing_packages "${TEST_PACKAGES[@]}")
elif $with_demo; then
  mapfile -t -O "${#needed[@]}" needed < <(missing_packages "${DEMO_PACKAGES[@]}")
fi
apt_install "${needed[@]}"
python_ok || { echo "install.sh: Python 3.11+ with venv is required (found: $(python3 --version 2>&1))" >&2; exit 1; }

[ -x .venv/bin/python ] || python3 -m venv .venv
extra=""; $with_test && extra="[test]"
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extra}"
echo "Installed: .venv/bin/wp-seo-bridge ($(.venv/bin/wp-seo-bridge --version))"

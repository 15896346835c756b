#!/usr/bin/env bash
# install-deps.sh -- install what building and testing piiscan needs
# (Debian 12, run as root or through sudo).
#
# Idempotent: packages are checked with dpkg-query first, and apt is not
# touched at all when everything is present, so CI re-runs cost nothing.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

pkgs=(
  build-essential cmake pkg-config git jq xxd
  clang libclang-rt-14-dev          # libFuzzer and the sanitizer runtimes
  libarchive-dev zlib1g-dev libxxhash-dev libcriterion-dev libssl-dev libyaml-dev
  file unzip                        # tests/e2e/archives.sh checks rewritten archives
  postgresql mariadb-server         # tests/e2e/sql_roundtrip.sh loads redacted dumps
)

# ISA-L (fast gzip inflate) is built by Debian for amd64 and arm64 only;
# without it piiscan builds and reads gzip through zlib, more slowly.
case "$(dpkg --print-architecture)" in
  amd64 | arm64) pkgs+=(libisal-dev) ;;
esac

# Hyperscan only exists for x86; Debian's Vectorscan (the port used
# elsewhere) misses matches in published reproductions, so amd64 keeps
# Hyperscan (DESIGN.md section 1).
case "$(dpkg --print-architecture)" in
  amd64) pkgs+=(libhyperscan-dev) ;;
  *)     pkgs+=(libvectorscan-dev) ;;
esac

# tests/e2e/sarif_schema.sh installs a schema validator with npm.  A
# Node.js from another source already ships npm; Debian's npm package would
# conflict with it, so only ask apt when there is no npm at all.
if ! command -v npm >/dev/null 2>&1; then
  pkgs+=(nodejs npm)
fi

installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

missing=()
for p in "${pkgs[@]}"; do
  installed "$p" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#pkgs[@]} packages already installed"
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-deps: run as root (missing: ${missing[*]})" >&2; exit 1; }
  sudo=(sudo --preserve-env=DEBIAN_FRONTEND)
fi

echo "install-deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q "${missing[@]}"

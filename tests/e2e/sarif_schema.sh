#!/usr/bin/env bash
# sarif_schema.sh -- `piiscan scan --format sarif` validates against the
# SARIF 2.1.0 JSON schema.
#
# The schema is the one Microsoft ships in the npm package
# @microsoft/jest-sarif (lib/schemas/sarif-2.1.0-rtm.5.json, JSON Schema
# draft-04; 2.1.0-rtm.5 is the schema of the OASIS SARIF 2.1.0 standard).
# It is validated with ajv 6, the last ajv that reads draft-04 schemas, the
# same way jest-sarif itself does.  Both are installed into
# $BUILDDIR/sarif-validate on first use, pinned to exact versions.
#
# Two reports are checked: the corpora (must have results) and the corpora
# plus a missing path (must carry an error notification and
# executionSuccessful false).
#
# Exits 77 (skip) only when npm cannot reach its registry; any other
# failure to install is a failure.
#
# Env (set by ctest): PIISCAN = binary, SRCDIR = repository root,
# BUILDDIR = build directory.
set -uo pipefail

SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILDDIR=${BUILDDIR:-$SRCDIR/build}
PIISCAN=${PIISCAN:-$BUILDDIR/piiscan}
NODE_DIR=$BUILDDIR/sarif-validate
SCHEMA=$NODE_DIR/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

install_validator() {
    [ -f "$SCHEMA" ] && [ -f "$NODE_DIR/node_modules/ajv/package.json" ] && return 0
    command -v node >/dev/null 2>&1 || skip "node is not installed"
    command -v npm >/dev/null 2>&1 || skip "npm is not installed"
    mkdir -p "$NODE_DIR" || fail "cannot create $NODE_DIR"
    local log=$NODE_DIR/npm-install.log
    # Three tries: one dropped connection to the registry is not a defect.
    local try ok=0
    for try in 1 2 3; do
        if npm install --prefix "$NODE_DIR" --no-audit --no-fund --no-save \
            @microsoft/jest-sarif@1.0.0-beta.0 ajv@6.12.6 >"$log" 2>&1; then
            ok=1
            break
        fi
        echo "npm install, try $try of 3, failed: $(tail -n 1 "$log")"
        [ "$try" = 3 ] || sleep $((try * 5))
    done
    if [ "$ok" = 0 ]; then
        if ! timeout 60 npm ping >/dev/null 2>&1; then
            skip "the npm registry is unreachable (npm ping failed); cannot install the SARIF schema and ajv"
        fi
        cat "$log"
        fail "npm install of the validator failed although the registry is reachable"
    fi
    [ -f "$SCHEMA" ] || fail "schema not found at $SCHEMA after install"
}

# validate FILE MIN_RESULTS WANT_SUCCESS(true|false|any)
validate() {
    NODE_PATH=$NODE_DIR/node_modules node - "$SCHEMA" "$1" "$2" "$3" <<'EOF'
const fs = require('fs');
const Ajv = require('ajv');
const [schemaPath, logPath, minResults, wantSuccess] = process.argv.slice(2);
const ajv = new Ajv({ schemaId: 'auto', allErrors: true, verbose: false });
ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json'));
const validateLog = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
let log;
try {
  log = JSON.parse(fs.readFileSync(logPath, 'utf8'));
} catch (e) {
  console.log(`${logPath}: not JSON: ${e.message}`);
  process.exit(1);
}
if (!validateLog(log)) {
  console.log(`${logPath}: schema violations:`);
  for (const e of validateLog.errors.slice(0, 30))
    console.log(`  ${e.dataPath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  process.exit(1);
}
const run = log.runs[0];
const n = run.results.length;
if (n < Number(minResults)) {
  console.log(`${logPath}: ${n} results, expected at least ${minResults}`);
  process.exit(1);
}
const ok = run.invocations[0].executionSuccessful;
if (wantSuccess !== 'any' && String(ok) !== wantSuccess) {
  console.log(`${logPath}: executionSuccessful is ${ok}, expected ${wantSuccess}`);
  process.exit(1);
}
const notes = run.invocations[0].toolExecutionNotifications || [];
if (wantSuccess === 'false' && notes.length === 0) {
  console.log(`${logPath}: failed run without notifications`);
  process.exit(1);
}
for (const r of run.results) {
  if (r.ruleIndex !== undefined && run.tool.driver.rules[r.ruleIndex].id !== r.ruleId) {
    console.log(`${logPath}: ruleIndex ${r.ruleIndex} does not name ${r.ruleId}`);
    process.exit(1);
  }
}
console.log(`${logPath}: valid SARIF 2.1.0, ${n} results, ${notes.length} notifications`);
EOF
}

[ -x "$PIISCAN" ] || fail "piiscan binary not found at $PIISCAN"
install_validator

tmp=$(mktemp -d) || fail "mktemp"
trap 'rm -rf "$tmp"' EXIT

passed=0
failed=0
check() { # description, then the command
    local what=$1; shift
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1)); echo "not ok: $what"
    fi
}

# corpora/hostile holds archives that are errors by design (encrypted,
# corrupt, too deep): the clean-run check leaves them out.
clean=()
for d in "$SRCDIR"/corpora/*/; do
    [ "$(basename "$d")" = hostile ] || clean+=("$d")
done
"$PIISCAN" scan --format sarif "${clean[@]}" >"$tmp/corpora.sarif" 2>"$tmp/corpora.err"
rc=$?
check "scan of corpora exits 0 or 1 (got $rc)" test "$rc" -le 1
check "corpora report validates" validate "$tmp/corpora.sarif" 1 any

"$PIISCAN" scan --format sarif "$SRCDIR/corpora" "$tmp/does-not-exist" \
    >"$tmp/errors.sarif" 2>"$tmp/errors.err"
rc=$?
check "scan with a missing path exits 2 (got $rc)" test "$rc" -eq 2
check "report with an error validates" validate "$tmp/errors.sarif" 1 false

"$PIISCAN" scan --format sarif --show-values "$SRCDIR/corpora" >"$tmp/values.sarif" 2>/dev/null
check "report with --show-values validates" validate "$tmp/values.sarif" 1 any

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# negative_corpus.sh -- nothing in corpora/negative is reported at the default
# confidence: timestamps, snowflake ids, hashes, UUID trace ids, span ids,
# versions, OIDs, prices, numbers failing their checksums, unallocated phone
# prefixes, C++ scopes, placeholders (all-zero IDFA, 02:00:00:00:00:00) and
# loopback addresses.  Exit status 0, no finding; on failure every finding is
# printed with its value so the false positive can be located at once.
#
# Env (set by ctest): PIISCAN = binary, SRCDIR = repository root.
# jq programs are single-quoted on purpose; helpers are called through check.
# shellcheck disable=SC2016,SC2317
set -euo pipefail
# shellcheck source=lib/harness.bash
. "$(dirname "${BASH_SOURCE[0]}")/lib/harness.bash"
require_binary

negative=$SRCDIR/corpora/negative
run "$WORK/out.jsonl" "$WORK/err" "$PIISCAN" scan --format jsonl --show-values "$negative"

check "exit status 0 when nothing is found (got $RC)" [ "$RC" -eq 0 ]
if [ -s "$WORK/err" ]; then
    fail "no message on stderr"
    show "$WORK/err"
else
    pass "no message on stderr"
fi

if ! jq -e . "$WORK/out.jsonl" >/dev/null 2>&1; then
    fail "the report is valid JSON Lines"
    show "$WORK/out.jsonl" 5
    finish
fi
pass "the report is valid JSON Lines"

jq -r --arg p "$negative/" '
    select(.kind == "finding")
    | "\(.path | ltrimstr($p)):\(.line):\(.col) \(.type) \(.value | @json) confidence=\(.confidence) context=\(.context)"' \
    "$WORK/out.jsonl" >"$WORK/findings.txt"
n=$(wc -l <"$WORK/findings.txt")
if [ "$n" -eq 0 ]; then
    pass "no findings"
else
    fail "no findings (got $n false positives)"
    sed 's/^/    /' "$WORK/findings.txt"
fi

n_files=$(find "$negative" -type f | wc -l)
summary=$(tail -n 1 "$WORK/out.jsonl")
check "summary: $n_files files scanned, 0 findings, no errors" \
    jq_ok "$summary" --argjson n "$n_files" '.kind == "summary" and .files == $n and .findings == 0 and .errors == 0'

finish

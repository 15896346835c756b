#!/usr/bin/env bash
# sample_corpus.sh -- the scanner reports exactly the findings listed in
# corpora/expected/sample.tsv for the bundled sample corpus.
#
# The comparison is on the multiset of (path relative to corpora/sample,
# line, TYPE, raw value): a missing finding is a leak, an unexpected one is a
# false positive, a duplicate is a dedupe bug; all three fail.  Each
# reported start/end/line/col is also checked against the file's bytes, so
# an off-by-one span cannot hide behind a correct value.
#
# Env (set by ctest): PIISCAN = binary, SRCDIR = repository root.
# jq programs are single-quoted on purpose; helpers are called through check.
# shellcheck disable=SC2016,SC2317
set -euo pipefail
# shellcheck source=lib/harness.bash
. "$(dirname "${BASH_SOURCE[0]}")/lib/harness.bash"
require_binary

sample=$SRCDIR/corpora/sample
expected=$SRCDIR/corpora/expected/sample.tsv

run "$WORK/out.jsonl" "$WORK/err" "$PIISCAN" scan --format jsonl --show-values "$sample"

check "exit status 1 when something is found (got $RC)" [ "$RC" -eq 1 ]
if [ -s "$WORK/err" ]; then
    fail "no message on stderr for a clean UTF-8 corpus"
    show "$WORK/err"
else
    pass "no message on stderr for a clean UTF-8 corpus"
fi
if ! jq -e . "$WORK/out.jsonl" >/dev/null 2>&1; then
    fail "the report is valid JSON Lines"
    show "$WORK/out.jsonl" 5
    finish
fi
pass "the report is valid JSON Lines"

# ---- expected vs reported ---------------------------------------------------
grep -v -e '^#' -e '^$' "$expected" | sort >"$WORK/expected.tsv"
# The JSONL path is the command-line path joined with the relative path.
jq -r --arg p "$sample/" '
    select(.kind == "finding")
    | [(.path | ltrimstr($p)), (.line | tostring), .type, .value] | @tsv' \
    "$WORK/out.jsonl" | sort >"$WORK/got.tsv"

n_exp=$(wc -l <"$WORK/expected.tsv")
n_got=$(wc -l <"$WORK/got.tsv")
if cmp -s "$WORK/expected.tsv" "$WORK/got.tsv"; then
    pass "all $n_exp expected findings reported, nothing else"
else
    comm -23 "$WORK/expected.tsv" "$WORK/got.tsv" >"$WORK/missing.tsv"
    comm -13 "$WORK/expected.tsv" "$WORK/got.tsv" >"$WORK/unexpected.tsv"
    fail "findings differ from corpora/expected/sample.tsv (expected $n_exp, reported $n_got)"
    echo "  missing (expected, not reported): $(wc -l <"$WORK/missing.tsv")"
    sed 's/^/    - /' "$WORK/missing.tsv"
    echo "  unexpected (reported, not expected; duplicates included): $(wc -l <"$WORK/unexpected.tsv")"
    sed 's/^/    + /' "$WORK/unexpected.tsv"
    echo "  diff -u expected reported:"
    diff -u "$WORK/expected.tsv" "$WORK/got.tsv" | sed -n '1,400p' | sed 's/^/    /' || true
fi

# ---- spans point at the value's bytes ----------------------------------------
# For every finding: bytes [start,end) of the file are the value, and
# line/col agree with start (col is 1-based in bytes).
jq -r '
    select(.kind == "finding")
    | [.path, .start, .end, .line, .col, (.value | @base64)] | @tsv' \
    "$WORK/out.jsonl" >"$WORK/spans.tsv"
bad_spans=0
while IFS=$'\t' read -r path start end line col b64; do
    len=$((end - start))
    got=$(dd if="$path" iflag=skip_bytes,count_bytes skip="$start" count="$len" bs=65536 status=none | base64 -w0)
    if [ "$got" != "$b64" ]; then
        bad_spans=$((bad_spans + 1))
        echo "    bytes [$start,$end) of $path are not the reported value"
        continue
    fi
    line_start=$((start - col + 1))
    nl_before=$(head -c "$line_start" "$path" | tr -cd '\n' | wc -c)
    prev=$(if [ "$line_start" -gt 0 ]; then
        dd if="$path" iflag=skip_bytes,count_bytes skip=$((line_start - 1)) count=1 bs=1 status=none | od -An -tx1 | tr -d ' '
    else echo 0a; fi)
    if [ "$col" -lt 1 ] || [ "$line_start" -lt 0 ] || [ "$prev" != 0a ] || [ "$nl_before" -ne $((line - 1)) ]; then
        bad_spans=$((bad_spans + 1))
        echo "    $path: start $start does not match line $line col $col"
    fi
done <"$WORK/spans.tsv"
check "every start/end/line/col matches the file's bytes" [ "$bad_spans" -eq 0 ]

# ---- summary line -------------------------------------------------------------
n_files=$(find "$sample" -type f | wc -l)
summary=$(tail -n 1 "$WORK/out.jsonl")
check "the last line is the summary" jq_ok "$summary" '.kind == "summary"'
check "summary counts $n_exp findings" jq_ok "$summary" --argjson n "$n_exp" '.findings == $n'
check "summary per-type counts add up" jq_ok "$summary" '([.counts[]] | add // 0) == .findings'
check "summary: $n_files files, no errors" jq_ok "$summary" --argjson n "$n_files" '.files == $n and .errors == 0'

finish

#!/usr/bin/env bash
# json_windows.sh -- JSON Lines windows tracked by the workers on their own
# (scanner/lib/struct_local.c) report what one reader tracking the stream in
# order reports.
#
# corpora/jsonl/late_columns.jsonl brings new key paths window after window
# at --window-size 4096, has telling columns whose confidence depends on
# value ordinals (maybe_phone: one value in six a mobile), records ending
# in a telling key, corrupt and blank lines, and records longer than a
# window (windows starting inside a record are tracked again in order).
# With --threads 1 the reader tracks every window; with --threads 2 and 4
# the workers do.  For each window size (4096, 8192, the default) the
# column inventory (-f columns), every finding (-f jsonl, without the
# summary's seconds) and a redacted copy must be the same at 1, 2 and 4
# threads; the inventory must name the late columns with their counts.
# Pretty-printed JSON (windows start inside records: the reader takes the
# stream back) must give the same at 1 and 4 threads too.
#
# Env (set by ctest): PIISCAN = binary, SRCDIR = repository root.
set -euo pipefail
# shellcheck source=lib/harness.bash
. "$(dirname "${BASH_SOURCE[0]}")/lib/harness.bash"
require_binary

in=$SRCDIR/corpora/jsonl/late_columns.jsonl
export PIISCAN_KEY=0000000000000000000000000000000000000000000000000000000000000007

# scan FILE WS THREADS FORMAT: the report, the summary's seconds taken out.
scan() {
    local ws=()
    [ "$2" = default ] || ws=(--window-size "$2")
    "$PIISCAN" scan "${ws[@]}" --threads "$3" -q -f "$4" "$1" | sed -E 's/"seconds":[0-9.e+-]+//' || true
}

for ws in 4096 8192 default; do
    for fmt in columns jsonl; do
        scan "$in" $ws 1 $fmt >"$WORK/ref"
        for t in 2 4; do
            scan "$in" $ws $t $fmt >"$WORK/got"
            check "late_columns -f $fmt, window $ws: --threads $t reports what --threads 1 does" \
                cmp -s "$WORK/ref" "$WORK/got"
            cmp -s "$WORK/ref" "$WORK/got" || diff "$WORK/ref" "$WORK/got" | head -20
        done
    done
    wo=()
    [ "$ws" = default ] || wo=(--window-size "$ws")
    for t in 1 4; do
        "$PIISCAN" redact "${wo[@]}" --threads $t -q --default-op hash -o "$WORK/red$t" "$in" >/dev/null 2>&1 || true
    done
    check "late_columns redact, window $ws: --threads 4 writes what --threads 1 does" \
        diff -r -q "$WORK/red1" "$WORK/red4"
    rm -rf "$WORK/red1" "$WORK/red4"
done

# The inventory names the columns that first appear late, with all their values.
scan "$in" 4096 4 columns >"$WORK/cols"
for want in 'key:devices\[\]\.imei	IMEI	640 of 640 rows' 'key:email_addr	EMAIL	160 of 160 rows' \
    'key:手机号	CN_MOBILE	40 of 40 rows' 'key:maybe_phone	CN_MOBILE	50 of 300 rows'; do
    check "late_columns inventory: $want" grep -q "$want" "$WORK/cols"
done
# The share of maybe_phone (from value ordinals) takes 0.15 off most of its findings.
scan "$in" 4096 4 jsonl >"$WORK/f"
n=$(grep '"context":"key:maybe_phone"' "$WORK/f" | grep -c '"confidence":0.80' || true)
check "maybe_phone: 45 findings at 0.80 by their column's share (got $n)" [ "$n" -eq 45 ]

# Pretty-printed: no window starts between records.
if command -v jq >/dev/null; then
    jq . "$in" 2>/dev/null >"$WORK/pretty.json" || true
    for fmt in columns jsonl; do
        scan "$WORK/pretty.json" 4096 1 $fmt >"$WORK/ref"
        scan "$WORK/pretty.json" 4096 4 $fmt >"$WORK/got"
        check "pretty-printed -f $fmt: --threads 4 reports what --threads 1 does" cmp -s "$WORK/ref" "$WORK/got"
    done
else
    skip "pretty-printed JSON (no jq)"
fi
finish

#!/usr/bin/env bash
# small_batches.sh -- many small files go through the pipeline in batches
# (a worker takes several queued files at once, the delivering thread
# delivers runs of them, the feeding thread queues several at once): the
# report, the notes and the redacted copies must still be those of one
# thread, file for file and finding for finding.  A batch handed over out
# of order, a file's findings given to its neighbour or a file left behind
# in a batch would be silent everywhere else.
#
# The files differ in size (empty, a few bytes, a few KiB, a few over the
# 64 KiB of a small slot, so that whole-file slots and windowed streams
# alternate), in content (each holds its own phone numbers at its own
# offsets), and some are notes (a NUL byte, bytes that are not UTF-8).
#
# Env (set by ctest): PIISCAN = binary, SRCDIR = repository root.
# shellcheck disable=SC2317
set -euo pipefail
# shellcheck source=lib/harness.bash
. "$(dirname "${BASH_SOURCE[0]}")/lib/harness.bash"
require_binary

export PIISCAN_KEY=0000000000000000000000000000000000000000000000000000000000000007
NFILES=${NFILES:-1500}
DIR=$WORK/many
mkdir "$DIR"

# One awk process writes every file: file i holds a phone number that
# encodes i, after a filler whose length depends on i.
awk -v dir="$DIR" -v n="$NFILES" 'BEGIN {
    pad = sprintf("%70s", ""); gsub(/ /, "x", pad)
    for (i = 0; i < n; i++) {
        f = sprintf("%s/f%05d.log", dir, i)
        if (i % 97 == 0) { printf "" > f; close(f); continue }          # empty
        lines = i % 11 == 0 ? 1000 + i % 7 : i % 40                      # some over 64 KiB
        for (k = 0; k < lines; k++)
            printf "%s %d\n", substr(pad, 1, (i * 7 + k) % 70), k > f
        printf "user=%d phone=138%08d mail=u%d@example.com\n", i, i * 7919 % 100000000, i > f
        if (i % 53 == 0) printf "bin\0ary\n" > f                         # a NUL: a note
        if (i % 61 == 0) printf "bad \377 byte\n" > f                   # not UTF-8: a note
        close(f)
    }
}'

scan_at() {
    run "$WORK/scan$1.jsonl" "$WORK/scan$1.err" "$PIISCAN" scan --threads "$1" -f jsonl "$DIR"
    echo "$RC" >"$WORK/scan$1.rc"
    grep -v '"kind":"summary"' "$WORK/scan$1.jsonl" >"$WORK/scan$1.body" || true
}

scan_at 1
check "one thread finds every file's phone" \
    test "$(grep -c '"type":"CN_MOBILE"' "$WORK/scan1.body")" -ge $((NFILES - NFILES / 97 - 1))
for t in 2 4; do
    scan_at "$t"
    check "scan at $t threads: the same findings in the same order" cmp -s "$WORK/scan1.body" "$WORK/scan$t.body"
    check "scan at $t threads: the same notes" cmp -s "$WORK/scan1.err" "$WORK/scan$t.err"
    check "scan at $t threads: the same exit status" cmp -s "$WORK/scan1.rc" "$WORK/scan$t.rc"
done

# Every file's finding is its own: the phone of file i is reported for i
# (its preview keeps the last four digits), and no file is without one.
phone_is_own() {
    jq -e -s --argjson n "$(grep -c '"type":"CN_MOBILE"' "$WORK/scan1.body")" '
        [.[] | select(.kind == "finding" and .type == "CN_MOBILE" and .context == "key:phone")] as $m
        | ($m | length) == $n
          and all($m[]; (.path | capture("f(?<i>[0-9]+)[.]log$").i | tonumber) as $i
                        | .preview[7:] == (($i * 7919 % 100000000) + 100000000 | tostring | .[5:]))' \
        "$1" >/dev/null
}
check "each phone is reported for its own file" phone_is_own "$WORK/scan4.jsonl"

run "$WORK/red1.out" "$WORK/red1.err" "$PIISCAN" redact --threads 1 -o "$WORK/red1" "$DIR"
run "$WORK/red4.out" "$WORK/red4.err" "$PIISCAN" redact --threads 4 -o "$WORK/red4" "$DIR"
check "redact at 4 threads: the same copies" diff -r -q "$WORK/red1" "$WORK/red4"
check "redact at 4 threads: the same notes" cmp -s "$WORK/red1.err" "$WORK/red4.err"

finish

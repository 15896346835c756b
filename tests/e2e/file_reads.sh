#!/usr/bin/env bash
# file_reads.sh -- how scan reads a file: a directory's regular files are
# opened on the type their directory entry gives (no lstat), and a file's
# first read serves both the container check and the scan.  Whatever the
# sizes, every byte is scanned once: files around the size of that first
# read (64 KiB), empty files, files whose size stat cannot tell (/proc),
# a file whose first read fails, and containers found that way (read again
# from their start; zip seeks).
#
# Env (set by ctest): PIISCAN = binary, SRCDIR = repository root.
# jq programs are single-quoted on purpose; helpers are called through check.
# shellcheck disable=SC2016,SC2317
set -euo pipefail
# shellcheck source=lib/harness.bash
. "$(dirname "${BASH_SOURCE[0]}")/lib/harness.bash"
require_binary

PHONE=13812345678
HEAD=65536

# summary JSONL FIELD: a number from the report's summary line.
summary() { jq -r 'select(.kind == "summary") | .'"$2" "$1"; }
# found_at JSONL PATH START: a finding of PHONE in PATH at byte START.
found_at() {
    jsonl_any "$1" '.kind == "finding" and .path == $p and .value == $v and .start == ($s | tonumber)' \
        --arg p "$2" --arg v "$PHONE" --arg s "$3"
}
# filler N: N bytes of lines without personal data ("x...x\n").
filler() {
    awk -v n="$1" 'BEGIN { l = sprintf("%99s", ""); gsub(/ /, "x", l); l = l "\n"
                           for (; n >= 100; n -= 100) printf "%s", l; printf "%s", substr(l, 1, n) }'
}

# ---- files around the size of the first read, in a directory -------------------
# Each holds the phone at its very end, so a byte not read is a finding lost.
mkdir "$WORK/sizes"
total=0
for size in 1 $((HEAD - 20)) $((HEAD - 1)) $HEAD $((HEAD + 1)) $((3 * HEAD + 17)); do
    f=$WORK/sizes/f$size.log
    if [ "$size" -eq 1 ]; then
        printf 'z' >"$f"
    else
        { filler $((size - 17)); printf '\ntel %s\n' "$PHONE"; } >"$f"
    fi
    total=$((total + $(wc -c <"$f")))
done
: >"$WORK/sizes/empty.log"
run "$WORK/out" "$WORK/err" "$PIISCAN" scan --format jsonl --show-values --threads 2 "$WORK/sizes"
check "sizes: exit status 1 (got $RC)" [ "$RC" -eq 1 ]
check "sizes: every file counted (7)" [ "$(summary "$WORK/out" files)" -eq 7 ]
check "sizes: every byte scanned ($total)" [ "$(summary "$WORK/out" bytes)" -eq "$total" ]
for size in $((HEAD - 20)) $((HEAD - 1)) $HEAD $((HEAD + 1)) $((3 * HEAD + 17)); do
    check "sizes: the phone at the end of a $size-byte file" \
        found_at "$WORK/out" "$WORK/sizes/f$size.log" $((size - 12))
done
check "sizes: the empty file in the directory gets its note" \
    grep -qF "piiscan: $WORK/sizes/empty.log: note: empty file" "$WORK/err"
check "sizes: stderr lines are 'piiscan: PATH: message'" stderr_well_formed "$WORK/err"

# ---- a symbolic link and a FIFO next to regular files: still told apart ---------
mkdir "$WORK/kinds"
printf 'tel %s\n' "$PHONE" >"$WORK/kinds/a.log"
ln -s a.log "$WORK/kinds/b-link.log"
mkfifo "$WORK/kinds/c-pipe"
run "$WORK/out" "$WORK/err" timeout 60 "$PIISCAN" scan --format jsonl --show-values "$WORK/kinds"
check "kinds: does not block on the FIFO (got $RC)" [ "$RC" -ne 124 ]
check "kinds: the link is noted, not followed" \
    grep -qF "piiscan: $WORK/kinds/b-link.log: note: symbolic link not followed" "$WORK/err"
check "kinds: the FIFO is an error" grep -qF "piiscan: $WORK/kinds/c-pipe: FIFO skipped" "$WORK/err"
check "kinds: one file scanned" [ "$(summary "$WORK/out" files)" -eq 1 ]
check "kinds: the regular file's phone is found" found_at "$WORK/out" "$WORK/kinds/a.log" 4

# ---- a file whose stat size is 0 but which has bytes (/proc) ---------------------
if [ -r /proc/version ] && [ "$(stat -c %s /proc/version)" -eq 0 ]; then
    want=$(wc -c </proc/version)
    run "$WORK/out" "$WORK/err" "$PIISCAN" scan --format jsonl /proc/version
    check "/proc/version: exit status 0 (got $RC)" [ "$RC" -eq 0 ]
    check "/proc/version: all $want bytes read" [ "$(summary "$WORK/out" bytes)" -eq "$want" ]
    check "/proc/version: no empty-file note" [ ! -s "$WORK/err" ]
else
    skip "/proc/version: not there, or stat gives it a size"
fi

# ---- a first read that fails: a read error naming the file ------------------------
if [ -r /proc/self/mem ]; then
    run "$WORK/out" "$WORK/err" "$PIISCAN" scan --format jsonl /proc/self/mem
    check "read error: exit status 2 (got $RC)" [ "$RC" -eq 2 ]
    check "read error: stderr names the file and the error" \
        grep -qE "^piiscan: /proc/self/mem: read error after 0 bytes: " "$WORK/err"
    check "read error: no file counted" [ "$(summary "$WORK/out" files)" -eq 0 ]
else
    skip "read error: /proc/self/mem is not readable here"
fi

# ---- containers met in a directory: walked from their start ----------------------
mkdir -p "$WORK/cont/src"
{ filler $((HEAD + 100)); printf '\ntel %s\n' "$PHONE"; } >"$WORK/cont/src/big.log"
printf 'tel %s\n' "$PHONE" >"$WORK/cont/src/small.log"
gzip -c "$WORK/cont/src/big.log" >"$WORK/cont/in-big.log.gz"
if command -v zip >/dev/null 2>&1; then
    (cd "$WORK/cont/src" && zip -q "$WORK/cont/in.zip" small.log big.log)
else
    python3 -c 'import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.write(sys.argv[2], "small.log"); z.write(sys.argv[3], "big.log")' \
        "$WORK/cont/in.zip" "$WORK/cont/src/small.log" "$WORK/cont/src/big.log"
fi
rm -r "$WORK/cont/src"
run "$WORK/out" "$WORK/err" "$PIISCAN" scan --format jsonl --show-values "$WORK/cont"
check "containers: exit status 1 (got $RC)" [ "$RC" -eq 1 ]
check "containers: the gzip member's last phone is found" \
    found_at "$WORK/out" "$WORK/cont/in-big.log.gz!/in-big.log" $((HEAD + 105))
check "containers: the zip's first member is found" found_at "$WORK/out" "$WORK/cont/in.zip!/small.log" 4
check "containers: the zip's second member is found" \
    found_at "$WORK/out" "$WORK/cont/in.zip!/big.log" $((HEAD + 105))
check "containers: no error" [ ! -s "$WORK/err" ]

# ---- many small files read ahead (--threads 3 and more) --------------------------
# Reader threads open and read files ahead of their turn (128 at most, a
# 16 KiB buffer each): the report and the messages are those of one
# thread, in the same order, with sizes about that buffer, containers,
# empty files and errors (a file stat has no size for, one that cannot be
# read, one that cannot be opened) among them.
mkdir "$WORK/many"
for i in $(seq 100 399); do
    n=$(( (i * 131) % 20000 ))
    case $i in 150) n=16383 ;; 151) n=16384 ;; 152) n=16385 ;; 153) n=0 ;; esac
    { filler "$n"; printf 'tel %s
' "$PHONE"; } >"$WORK/many/f$i.log"
done
: >"$WORK/many/f200.log"
gzip -c "$WORK/many/f120.log" >"$WORK/many/f250.log.gz"
many_args=("$WORK/many" /proc/self/mem "$WORK/many/f101.log" "$WORK/missing.log" "$WORK/many/f102.log")
[ -r /proc/version ] && many_args+=(/proc/version)
[ -e /proc/sys/vm/drop_caches ] && many_args+=(/proc/sys/vm/drop_caches)
for t in 1 2 4; do
    run "$WORK/many$t.out" "$WORK/many$t.err" env PIISCAN_KEY=00112233445566778899aabbccddeeff \
        "$PIISCAN" scan --format jsonl --show-values --threads "$t" "${many_args[@]}"
    sed -E 's/,"seconds":[0-9.]+//' "$WORK/many$t.out" >"$WORK/many$t.jsonl"
    echo "$RC" >"$WORK/many$t.rc"
done
check "many: exit status 2 (got $(cat "$WORK/many1.rc"))" [ "$(cat "$WORK/many1.rc")" -eq 2 ]
check "many: 301 files and the gzip member counted" jsonl_any "$WORK/many1.jsonl" '.kind == "summary" and .files >= 302'
check "many: the open error in its place" \
    grep -qF "piiscan: $WORK/missing.log: No such file or directory" "$WORK/many1.err"
for t in 2 4; do
    check "many: --threads $t reports as --threads 1" cmp -s "$WORK/many1.jsonl" "$WORK/many$t.jsonl"
    check "many: --threads $t says the same, in the same order" cmp -s "$WORK/many1.err" "$WORK/many$t.err"
    check "many: --threads $t exit status" cmp -s "$WORK/many1.rc" "$WORK/many$t.rc"
done

finish

#!/usr/bin/env bash
# bad_input.sh -- inputs that are missing, unreadable, empty, special, binary
# or not UTF-8, and stdin.
#
# Contract (DESIGN.md section 4): an input that cannot be scanned is named on
# stderr, the run goes on with the other inputs, and the exit status is 2.
# Notes (empty, binary, non-UTF-8 files) do not change the exit status and
# are silenced by -q; errors are not.  Every message is one stderr line
# "piiscan: PATH: message".
#
# Env (set by ctest): PIISCAN = binary, SRCDIR = repository root.
# jq programs are single-quoted on purpose; helpers are called through check.
# shellcheck disable=SC2016,SC2317
set -euo pipefail
# shellcheck source=lib/harness.bash
. "$(dirname "${BASH_SOURCE[0]}")/lib/harness.bash"
require_binary

PHONE=13812345678

# has_value JSONL PATH VALUE: the report has a finding of VALUE in PATH.
has_value() {
    jsonl_any "$1" '.kind == "finding" and .path == $p and .value == $v' --arg p "$2" --arg v "$3"
}
# names PATH ERR: some stderr line is about PATH.
names() { grep -qF "piiscan: $1: " "$2"; }
# checkx: check, and on failure show the last run's exit status and stderr.
checkx() {
    local before=$FAILED
    check "$@"
    if [ "$FAILED" -ne "$before" ]; then
        echo "    exit status $RC; stderr:"
        show "$WORK/err" 10
    fi
}
# no_line_about ERR PATH...: no stderr line mentions any of the paths.
no_line_about() {
    local err=$1 p
    shift
    for p in "$@"; do
        if grep -qF "$p" "$err"; then return 1; fi
    done
}
quiet_and_zero() { [ "$RC" -eq 0 ] && [ ! -s "$WORK/err" ]; }

# ---- a missing path: named, exit 2, the other inputs still scanned ----------
mkdir "$WORK/in"
printf 'call %s now\n' "$PHONE" >"$WORK/in/good.log"
missing=$WORK/in/no-such-file.log
run "$WORK/out" "$WORK/err" "$PIISCAN" scan --format jsonl --show-values "$missing" "$WORK/in/good.log"
checkx "missing path: exit status 2 (got $RC)" [ "$RC" -eq 2 ]
checkx "missing path: stderr names it" names "$missing" "$WORK/err"
checkx "missing path: the next file is still scanned" has_value "$WORK/out" "$WORK/in/good.log" "$PHONE"
checkx "missing path: stderr lines are 'piiscan: PATH: message'" stderr_well_formed "$WORK/err"

# ---- an unreadable file inside a directory ----------------------------------
# root reads mode-000 files, so as root the binary runs as nobody on copies
# in a directory everyone may enter.
unreadable_case() {
    local dir=$1 runner=("${@:2}")
    mkdir -p "$dir/tree"
    printf 'secret %s\n' "$PHONE" >"$dir/tree/a-secret.log"
    printf 'mobile %s\n' "$PHONE" >"$dir/tree/b-ok.log"
    chmod 0644 "$dir/tree/b-ok.log"
    chmod 0000 "$dir/tree/a-secret.log"
    run "$WORK/out" "$WORK/err" "${runner[@]}" scan --format jsonl --show-values "$dir/tree"
    checkx "unreadable file: exit status 2 (got $RC)" [ "$RC" -eq 2 ]
    checkx "unreadable file: stderr names it" names "$dir/tree/a-secret.log" "$WORK/err"
    checkx "unreadable file: the other file is still scanned" has_value "$WORK/out" "$dir/tree/b-ok.log" "$PHONE"
    checkx "unreadable file: stderr lines are 'piiscan: PATH: message'" stderr_well_formed "$WORK/err"
}
if [ "$(id -u)" -ne 0 ]; then
    unreadable_case "$WORK/unreadable" "$PIISCAN"
elif nobody_runner 0755; then
    unreadable_case "$NOBODY_DIR" "${NOBODY[@]}"
else
    skip "unreadable file: running as root and piiscan cannot run as nobody (no setpriv, or a noexec /tmp)"
fi

# ---- an empty file: a note, exit 0 ---------------------------------------------
: >"$WORK/in/empty.txt"
run "$WORK/out" "$WORK/err" "$PIISCAN" scan --format jsonl "$WORK/in/empty.txt"
checkx "empty file: exit status 0 (got $RC)" [ "$RC" -eq 0 ]
checkx "empty file: a note names it" names "$WORK/in/empty.txt" "$WORK/err"
checkx "empty file: stderr lines are 'piiscan: PATH: message'" stderr_well_formed "$WORK/err"

# ---- a FIFO: skipped (never opened, so no hang), named, exit 2 ---------------
mkdir "$WORK/fifo"
mkfifo "$WORK/fifo/a-pipe"
printf 'tel %s\n' "$PHONE" >"$WORK/fifo/b-file.log"
run "$WORK/out" "$WORK/err" timeout 60 "$PIISCAN" scan --format jsonl --show-values "$WORK/fifo"
checkx "FIFO: does not block (got $RC)" [ "$RC" -ne 124 ]
checkx "FIFO: exit status 2 because it was not scanned (got $RC)" [ "$RC" -eq 2 ]
checkx "FIFO: stderr names it" names "$WORK/fifo/a-pipe" "$WORK/err"
checkx "FIFO: the regular file next to it is scanned" has_value "$WORK/out" "$WORK/fifo/b-file.log" "$PHONE"
checkx "FIFO: stderr lines are 'piiscan: PATH: message'" stderr_well_formed "$WORK/err"

# ---- a binary file with NUL bytes: scanned, with a note ------------------------
bin=$WORK/in/core.bin
printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000 phone=%s \000\000\377\376 end\n' "$PHONE" >"$bin"
run "$WORK/out" "$WORK/err" "$PIISCAN" scan --format jsonl --show-values "$bin"
checkx "binary file: exit status 1 (got $RC)" [ "$RC" -eq 1 ]
checkx "binary file: the phone is found" has_value "$WORK/out" "$bin" "$PHONE"
checkx "binary file: a note names it and says binary" grep -qiE "^piiscan: $bin: .*binary" "$WORK/err"

# ---- GBK text: read as UTF-8, with a note ----------------------------------------
gbk=$WORK/in/gbk.log
# "手机：13912345678" and "客户" in GBK.
printf '\312\326\273\372\243\27213912345678 \277\315\273\247\n' >"$gbk"
run "$WORK/out" "$WORK/err" "$PIISCAN" scan --format jsonl --show-values "$gbk"
checkx "GBK file: exit status 1 (got $RC)" [ "$RC" -eq 1 ]
checkx "GBK file: the phone is found" has_value "$WORK/out" "$gbk" 13912345678
# Offsets count the UTF-8 text: 手机： is 9 bytes there (6 in GBK).
checkx "GBK file: the phone's span starts after the colon, its key 手机 read" \
    jsonl_any "$WORK/out" '.kind == "finding" and .start == 9 and .end == 20 and .context == "key:手机"'
checkx "GBK file: a note names it and says it was read as GBK" grep -qE "^piiscan: $gbk: note: read as GBK" "$WORK/err"
checkx "GBK file: no note that it is not UTF-8" bash -c '! grep -qi "not valid UTF-8" "$1"' _ "$WORK/err"

# Latin-1 is not GBK when its bytes do not decode: raw bytes, as before.
lat=$WORK/in/latin1.log
printf 'caf\351 cr\350me \2403912345678\n' >"$lat"
run "$WORK/out" "$WORK/err" "$PIISCAN" scan --format jsonl "$lat"
checkx "Latin-1 file: a note says it is not UTF-8 (got: $(head -c 200 "$WORK/err"))" \
    grep -qiE "^piiscan: $lat: .*not valid utf-?8" "$WORK/err"

# ---- '-' reads stdin -------------------------------------------------------------
RC=0
printf 'contact %s\n' "$PHONE" | "$PIISCAN" scan --format jsonl --show-values - >"$WORK/out" 2>"$WORK/err" || RC=$?
checkx "stdin: exit status 1 (got $RC)" [ "$RC" -eq 1 ]
checkx "stdin: the phone is found" \
    jsonl_any "$WORK/out" '.kind == "finding" and .path == "-" and .value == $v and .start == 8' --arg v "$PHONE"
RC=0
printf 'nothing here\n' | "$PIISCAN" scan --format jsonl - >"$WORK/out" 2>"$WORK/err" || RC=$?
checkx "stdin without findings: exit status 0 (got $RC)" [ "$RC" -eq 0 ]

# ---- -q silences notes, not errors -------------------------------------------------
run "$WORK/out" "$WORK/err" "$PIISCAN" scan -q --format jsonl --show-values "$WORK/in/empty.txt" "$bin" "$gbk" "$missing"
checkx "-q: exit status 2 for the missing path (got $RC)" [ "$RC" -eq 2 ]
checkx "-q: the error for the missing path is still printed" names "$missing" "$WORK/err"
checkx "-q: no note for the empty, binary or GBK file" \
    no_line_about "$WORK/err" "$WORK/in/empty.txt" "$bin" "$gbk"
checkx "-q: exactly one stderr line" [ "$(wc -l <"$WORK/err")" -eq 1 ]
checkx "-q: findings are still reported" has_value "$WORK/out" "$bin" "$PHONE"
run "$WORK/out" "$WORK/err" "$PIISCAN" scan --quiet --format jsonl "$WORK/in/empty.txt"
checkx "--quiet: an empty file gives exit 0 and a silent stderr (got $RC)" \
    quiet_and_zero

# ---- UTF-16 text: read as UTF-8, not a quiet "nothing found" -----------------------
# Windows and Excel "Unicode text" exports: every other byte is NUL, so as
# bytes nothing in them is found.  Scan reads them as UTF-8 text.
{ printf '\xff\xfe'; printf 'phone %s\n' "$PHONE" | iconv -t UTF-16LE; } >"$WORK/in/u16.txt"
run "$WORK/out" "$WORK/err" "$PIISCAN" scan --format jsonl --show-values "$WORK/in/u16.txt"
checkx "UTF-16 text: scan exits 1 (got $RC)" [ "$RC" -eq 1 ]
checkx "UTF-16 text: the phone is found" has_value "$WORK/out" "$WORK/in/u16.txt" "$PHONE"
checkx "UTF-16 text: a note says it was read as UTF-16LE" grep -q "u16.txt: note: read as UTF-16LE text" "$WORK/err"
checkx "UTF-16 text: no binary-file note" bash -c '! grep -qi "binary" "$1"' _ "$WORK/err"
# Redact writes a UTF-16 copy with the value masked.
run "$WORK/out" "$WORK/err" "$PIISCAN" redact -o "$WORK/u16out" "$WORK/in/u16.txt"
checkx "UTF-16 text: redact exits 0 (got $RC)" [ "$RC" -eq 0 ]
checkx "UTF-16 text: the copy is UTF-16 with the phone masked" \
    bash -c 'iconv -f UTF-16 -t UTF-8 "$1" | grep -qxF "phone 138****5678"' _ "$WORK/u16out/u16.txt"
checkx "UTF-16 text: redact notes it read UTF-16LE" grep -q "u16.txt: note: read as UTF-16LE text; the copy is too" "$WORK/err"

finish

#!/usr/bin/env bash
# member_names.sh -- archive members whose names are not ASCII, under the
# "C" locale that cron jobs and containers run with.
#
# Names are how a report says where personal data is and how a redacted
# archive keeps its layout.  Before piiscan set a UTF-8 LC_CTYPE itself, a
# zip member 客户资料/手机号.txt was reported as "x.zip!/" (libarchive could
# not convert its name to the C locale) and redacting the zip crashed.
# corpora/names/ (corpora/gen/make_names.py): flagged UTF-8, unflagged
# UTF-8 (macOS), unflagged GBK (Chinese Windows), and a flag that lies.
#
# Env (set by ctest): PIISCAN = binary, SRCDIR = repository root.
# jq programs are single-quoted on purpose.
# shellcheck disable=SC2016
set -euo pipefail
# shellcheck source=lib/harness.bash
. "$(dirname "${BASH_SOURCE[0]}")/lib/harness.bash"
require_binary

names=$SRCDIR/corpora/names
want='客户资料/手机号.txt'
key=0000000000000000000000000000000000000000000000000000000000000007
for tool in unzip tar jq; do
    command -v "$tool" >/dev/null || { skip "$tool not installed (scripts/install-deps.sh)"; finish; }
done

# Run piiscan with no locale in the environment, as cron does.
c_locale() { env -i PATH="$PATH" PIISCAN_KEY=$key "$@"; }

paths() { jq -r 'select(.kind == "finding") | .path' "$1"; }
# unzip and tar print names through the locale; these checks read bytes.
export LC_ALL=C.UTF-8

# ---- scan: each member is reported under its real name ------------------------
for z in utf8-flagged utf8-unflagged gbk-unflagged; do
    run "$WORK/$z.jsonl" "$WORK/$z.err" c_locale "$PIISCAN" scan --format jsonl "$names/$z.zip"
    check "scan $z.zip in the C locale exits 1 (got $RC)" [ "$RC" -eq 1 ]
    check "scan $z.zip names the member $want" bash -c 'grep -qxF "$2" "$1"' _ <(paths "$WORK/$z.jsonl") "$names/$z.zip!/$want"
    check "scan $z.zip says nothing on stderr" [ ! -s "$WORK/$z.err" ]
done

# Unflagged UTF-8 that is also valid GBK (two other characters) stays UTF-8.
check "scan utf8-unflagged.zip names the member 中文.txt" \
    bash -c 'grep -qxF "$2" "$1"' _ <(paths "$WORK/utf8-unflagged.jsonl") "$names/utf8-unflagged.zip!/中文.txt"

# A zip whose UTF-8 flag lies: the data is still scanned, and the note says
# what is wrong with the name (not libarchive's words about the locale).
run "$WORK/lies.jsonl" "$WORK/lies.err" c_locale "$PIISCAN" scan --format jsonl "$names/flag-lies.zip"
check "scan flag-lies.zip still finds the number (exit 1, got $RC)" [ "$RC" -eq 1 ]
check "scan flag-lies.zip notes the bad name" grep -q 'member name is flagged UTF-8 but is not' "$WORK/lies.err"
check "scan flag-lies.zip does not blame the locale" bash -c '! grep -q "current locale" "$1"' _ "$WORK/lies.err"

# ---- redact: the copies keep their members' names ----------------------------
run "$WORK/r.out" "$WORK/r.err" c_locale "$PIISCAN" redact -o "$WORK/red" \
    "$names/utf8-flagged.zip" "$names/utf8-unflagged.zip" "$names/gbk-unflagged.zip"
check "redact of the three zips in the C locale exits 0 (got $RC)" [ "$RC" -eq 0 ]
show "$WORK/r.err"
for z in utf8-flagged utf8-unflagged gbk-unflagged; do
    copy=$WORK/red/$z.zip
    check "$z.zip: a copy is written" [ -s "$copy" ]
    [ -s "$copy" ] || continue
    check "$z.zip: the copy's member is named $want (UTF-8)" bash -c 'unzip -Z1 "$1" | grep -qxF "$2"' _ "$copy" "$want"
    check "$z.zip: the copy's member is redacted" bash -c 'unzip -p "$1" "$2" | grep -q "138\*\*\*\*5678"' _ "$copy" "$want"
done
check "utf8-flagged.zip: the copy keeps its second member" \
    bash -c 'unzip -Z1 "$1" | grep -qxF readme.txt' _ "$WORK/red/utf8-flagged.zip"

# A member without a readable name cannot be written back: no copy.
run "$WORK/rl.out" "$WORK/rl.err" c_locale "$PIISCAN" redact -o "$WORK/redl" "$names/flag-lies.zip"
check "redact flag-lies.zip exits 2 (got $RC)" [ "$RC" -eq 2 ]
check "redact flag-lies.zip says why" grep -q 'member name is flagged UTF-8 but is not; nothing written' "$WORK/rl.err"
check "redact flag-lies.zip writes no copy" [ ! -e "$WORK/redl/flag-lies.zip" ]

# ---- tar: names are bytes, and stay the same bytes ----------------------------
mkdir -p "$WORK/t/客户资料"
printf '联系电话 13812345678\n' >"$WORK/t/$want"
tar -C "$WORK/t" -cf "$WORK/names.tar" "$want"
run "$WORK/t.jsonl" "$WORK/t.err" c_locale "$PIISCAN" scan --format jsonl "$WORK/names.tar"
check "scan of a tar with a UTF-8 name reports it" [ "$(paths "$WORK/t.jsonl")" = "$WORK/names.tar!/$want" ]
run "$WORK/rt.out" "$WORK/rt.err" c_locale "$PIISCAN" redact -o "$WORK/redt" "$WORK/names.tar"
check "redact of the tar exits 0 (got $RC)" [ "$RC" -eq 0 ]
check "the tar copy keeps the member's name" [ "$(tar --quoting-style=literal -tf "$WORK/redt/names.tar" 2>/dev/null)" = "$want" ]

finish

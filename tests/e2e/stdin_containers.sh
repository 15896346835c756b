#!/usr/bin/env bash
# stdin_containers.sh -- compressed files and archives piped to `piiscan
# scan` are walked like the same file on disk (a pipe cannot be re-read, so
# its first bytes are read to tell its kind and then handed back); plain
# text of any length, and truncated containers, behave as before.
set -euo pipefail
# shellcheck source=tests/e2e/lib/harness.bash
source "$(dirname "$0")/lib/harness.bash"
require_binary

KEY=00112233445566778899aabbccddeeff
ARCH=$SRCDIR/corpora/archives
LOGCAT=$SRCDIR/corpora/sample/android/logcat.txt

# The findings of a report without paths (they differ: "-!/x" vs "FILE!/x").
findings() { jq -c 'select(.kind == "finding") | [.type, .start, .end, .fingerprint]' "$1"; }
members() { jq -r 'select(.kind == "finding") | .path' "$1" | sed 's|^[^!]*!/||' | sort -u; }

gzip -c "$LOGCAT" >"$WORK/logcat.txt.gz"
for f in "$WORK/logcat.txt.gz" "$ARCH/logs.tar.gz" "$ARCH/dumps.zip" "$ARCH/access.log.gz"; do
    name=$(basename "$f")
    run "$WORK/file" "$WORK/e" env PIISCAN_KEY=$KEY "$PIISCAN" scan -f jsonl "$f"
    # shellcheck disable=SC2002   # a pipe on purpose: not seekable
    run "$WORK/pipe" "$WORK/e" sh -c "cat '$f' | PIISCAN_KEY=$KEY '$PIISCAN' scan -f jsonl -"
    check "$name piped: exit 1 (findings)" [ "$RC" -eq 1 ]
    check "$name piped: same findings as the file" cmp -s <(findings "$WORK/file") <(findings "$WORK/pipe")
    check "$name piped: same members" cmp -s <(members "$WORK/file") <(members "$WORK/pipe")
    check "$name piped: paths start with '-!/'" jsonl_any "$WORK/pipe" '.kind == "finding" and (.path | startswith("-!/"))'
    check "$name piped: findings not empty" [ -n "$(findings "$WORK/pipe")" ]
    run "$WORK/redir" "$WORK/e" sh -c "PIISCAN_KEY=$KEY '$PIISCAN' scan -f jsonl <'$f'"
    check "$name redirected: same findings as the file" cmp -s <(findings "$WORK/file") <(findings "$WORK/redir")
done

# Plain text shorter and longer than the bytes read ahead.
printf 'tel 13812345678\n' >"$WORK/short.txt"
run "$WORK/o" "$WORK/e" sh -c "cat '$WORK/short.txt' | '$PIISCAN' scan -f jsonl"
check "short plain stdin: the phone is found at offset 4" jsonl_any "$WORK/o" '.type == "CN_MOBILE" and .start == 4 and .path == "-"'
run "$WORK/file" "$WORK/e" env PIISCAN_KEY=$KEY "$PIISCAN" scan -f jsonl "$LOGCAT"
run "$WORK/pipe" "$WORK/e" sh -c "cat '$LOGCAT' | PIISCAN_KEY=$KEY '$PIISCAN' scan -f jsonl -"
check "long plain stdin: same findings and offsets as the file" cmp -s <(findings "$WORK/file") <(findings "$WORK/pipe")
run "$WORK/o" "$WORK/e" sh -c ": | '$PIISCAN' scan -f jsonl"
check "empty stdin: exit 0" [ "$RC" -eq 0 ]

# A truncated gzip on a pipe is an error naming stdin, exit 2.
head -c 100 "$WORK/logcat.txt.gz" >"$WORK/cut.gz"
run "$WORK/o" "$WORK/e" sh -c "cat '$WORK/cut.gz' | '$PIISCAN' scan -f jsonl"
check "truncated gzip on stdin: exit 2" [ "$RC" -eq 2 ]
check "truncated gzip on stdin: named in the message" grep -q -- "^piiscan: -: .*truncated" "$WORK/e"

# redact -: a compressed file or archive on stdin comes out in its own
# format, redacted like the same file given as PATH (passed through as
# bytes, its personal data would leave untouched).
run "$WORK/red_plain" "$WORK/e" sh -c "PIISCAN_KEY=$KEY '$PIISCAN' redact -q - <'$LOGCAT'"
run "$WORK/red.gz" "$WORK/e" sh -c "cat '$WORK/logcat.txt.gz' | PIISCAN_KEY=$KEY '$PIISCAN' redact -q -"
check "redact gzip stdin: exit 0" [ "$RC" -eq 0 ]
check "redact gzip stdin: gzip comes out" gzip -t "$WORK/red.gz"
check "redact gzip stdin: same content as redacting the text" cmp -s <(zcat "$WORK/red.gz") "$WORK/red_plain"
check "redact gzip stdin: the text was changed" bash -c "! cmp -s <(zcat '$WORK/red.gz') '$LOGCAT'"
mkdir -p "$WORK/rdir"
run "$WORK/o" "$WORK/e" env PIISCAN_KEY=$KEY "$PIISCAN" redact -q -o "$WORK/rdir" "$ARCH/logs.tar.gz"
run "$WORK/red.tgz" "$WORK/e" sh -c "cat '$ARCH/logs.tar.gz' | PIISCAN_KEY=$KEY '$PIISCAN' redact -q -"
check "redact tar.gz stdin: exit 0" [ "$RC" -eq 0 ]
check "redact tar.gz stdin: same members as redacting the file" \
    cmp -s <(tar tzf "$WORK/red.tgz") <(tar tzf "$WORK/rdir/logs.tar.gz")
check "redact tar.gz stdin: same member bytes as redacting the file" \
    cmp -s <(tar xzOf "$WORK/red.tgz" logs/nginx/access.log) <(tar xzOf "$WORK/rdir/logs.tar.gz" logs/nginx/access.log)
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -f jsonl "$WORK/red.tgz"
check "redact tar.gz stdin: nothing left to find" [ "$RC" -eq 0 ]
run "$WORK/o" "$WORK/e" sh -c "cat '$WORK/cut.gz' | '$PIISCAN' redact -q -"
check "redact truncated gzip stdin: exit 2" [ "$RC" -eq 2 ]
check "redact truncated gzip stdin: named in the message" grep -q -- "^piiscan: -" "$WORK/e"
check "redact truncated gzip stdin: what came out is not a complete gzip" bash -c "! gzip -t '$WORK/o' 2>/dev/null"
# A wrong CRC in the input's trailer: the output must not pass for complete
# either (its own trailer would be right for the bytes it holds).
python3 - "$WORK/logcat.txt.gz" "$WORK/badcrc.gz" <<'PY'
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
d[-8] ^= 1
open(sys.argv[2], 'wb').write(d)
PY
run "$WORK/o" "$WORK/e" sh -c "cat '$WORK/badcrc.gz' | '$PIISCAN' redact -q -"
check "redact bad-CRC gzip stdin: exit 2" [ "$RC" -eq 2 ]
check "redact bad-CRC gzip stdin: the output is not a complete gzip" bash -c "! gzip -t '$WORK/o' 2>/dev/null"

finish

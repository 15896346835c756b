#!/usr/bin/env bash
# json_escapes.sh -- values right after an escape inside a JSON string.
#
# Messages inside JSON carry "\n" and "\t", and json.dumps (and many Java
# writers) turn every Chinese character into "\uXXXX".  The escape's
# letters touch the value after it: "call me\n13812345678" and
# "\u662f13812345678" (是13812345678) were read as one word and the mobile
# number was missed, and an e-mail address after "\n" took the "n" in, so
# that `redact --op EMAIL=replace` wrote "\[EMAIL]": invalid JSON.  And a
# value written with escapes was previewed, fingerprinted and tokenized as
# its escapes, not as the value.
#
# Env (set by ctest): PIISCAN = binary, SRCDIR = repository root.
# jq programs are single-quoted on purpose.
# shellcheck disable=SC2016
set -euo pipefail
# shellcheck source=lib/harness.bash
. "$(dirname "${BASH_SOURCE[0]}")/lib/harness.bash"
require_binary
command -v jq >/dev/null || { skip "jq not installed (scripts/install-deps.sh)"; finish; }
export PIISCAN_KEY=0000000000000000000000000000000000000000000000000000000000000007

in=$WORK/in.jsonl
{
    printf '%s\n' '{"msg":"call me\n13812345678\tthanks"}'
    printf '%s\n' '{"msg":"\u6211\u662f13912345678"}'
    printf '%s\n' '{"msg":"ID\r\n11010519491231002X"}'
    printf '%s\n' '{"msg":"mail\nzhang.san@example.com ok"}'
    printf '%s\n' '{"u":"CORP\\tom@corp.com"}'    # a backslash and tom: no escape
} >"$in"

run "$WORK/s.jsonl" "$WORK/s.err" "$PIISCAN" scan --format jsonl --show-values "$in"
check "scan exits 1 (got $RC)" [ "$RC" -eq 1 ]
found() { jq -r 'select(.kind == "finding") | "\(.line) \(.type) \(.value)"' "$WORK/s.jsonl"; }
for want in "1 CN_MOBILE 13812345678" "2 CN_MOBILE 13912345678" "3 CN_RESIDENT_ID 11010519491231002X" \
    "4 EMAIL zhang.san@example.com" "5 EMAIL tom@corp.com"; do
    check "found after an escape: $want" bash -c 'grep -qxF "$2" <<<"$1"' _ "$(found)" "$want"
done

# Every operator leaves every line valid JSON with the value gone.
for op in mask replace hash encrypt; do
    run "$WORK/r-$op.jsonl" "$WORK/r-$op.err" "$PIISCAN" redact --default-op "$op" - <"$in"
    check "redact --default-op $op exits 0 (got $RC)" [ "$RC" -eq 0 ]
    check "redact --default-op $op writes valid JSON Lines" bash -c 'jq -e . "$1" >/dev/null' _ "$WORK/r-$op.jsonl"
    check "redact --default-op $op removes the values" \
        bash -c '! grep -qE "13812345678|13912345678|11010519491231002X|zhang\.san|tom@" "$1"' _ "$WORK/r-$op.jsonl"
done
# In plain text \b is no escape: DOMAIN\bob keeps its b.
printf 'login CORP\\bob@corp.com ok\n' >"$WORK/plain.log"
run "$WORK/p.jsonl" "$WORK/p.err" "$PIISCAN" scan --format jsonl --show-values "$WORK/plain.log"
check "CORP\\bob@corp.com gives bob@corp.com" jsonl_any "$WORK/p.jsonl" '.value == "bob@corp.com"'
check "the escapes themselves are kept" grep -qF 'call me\n' "$WORK/r-mask.jsonl"

# A value written with escapes is the same value: 李娜 as json.dumps writes
# it ("\u674e\u5a1c") has the preview, fingerprint and token of 李娜.
printf '%s\n' '{"receiver":"\u674e\u5a1c"}' '{"receiver":"李娜"}' >"$WORK/names.jsonl"
run "$WORK/n.jsonl" "$WORK/n.err" "$PIISCAN" scan --format jsonl "$WORK/names.jsonl"
check "both names are found (exit 1, got $RC)" [ "$RC" -eq 1 ]
check "the escaped name's preview is 李*" \
    jsonl_any "$WORK/n.jsonl" '.kind == "finding" and .line == 1 and .preview == "李*"'
check "escaped and plain names have one fingerprint" \
    [ "$(jq -r 'select(.kind == "finding") | .fingerprint' "$WORK/n.jsonl" | sort -u | wc -l)" -eq 1 ]
run "$WORK/nh.jsonl" "$WORK/nh.err" "$PIISCAN" redact --default-op hash - <"$WORK/names.jsonl"
check "escaped and plain names get one token" \
    [ "$(jq -r .receiver "$WORK/nh.jsonl" | sort -u | wc -l)" -eq 1 ]
run "$WORK/nm.jsonl" "$WORK/nm.err" "$PIISCAN" redact - <"$WORK/names.jsonl"
check "the escaped name is masked as the plain one" \
    [ "$(jq -r .receiver "$WORK/nm.jsonl" | sort -u)" = "李＊" ]

finish

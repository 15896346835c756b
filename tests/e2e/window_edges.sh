#!/usr/bin/env bash
# window_edges.sh -- values across window edges are found exactly once, at
# the right offset.
#
# 1. With --window-size 4096, a phone, an 18-char resident ID (ending in X),
#    an e-mail address and a MAC are placed so that they start at every byte
#    offset from 4096-40 to 4096+40, once inside a line longer than the
#    window (the hold-back path) and once in a file of short lines (the
#    line-aligned cut).  One file per case; each must give exactly its one
#    finding with the expected start, line and col, and nothing else.  The
#    same files are scanned again with the default window as a control.
# 2. One 100 MB line without a newline (built with yes/tr/head, values put in
#    with dd) with values at known offsets, including across the 1 MiB
#    default window edge: each found exactly once, nothing else.
#
# Env (set by ctest): PIISCAN = binary, SRCDIR = repository root.
# jq programs are single-quoted on purpose; helpers are called through check.
# shellcheck disable=SC2016,SC2317
set -euo pipefail
# shellcheck source=lib/harness.bash
. "$(dirname "${BASH_SOURCE[0]}")/lib/harness.bash"
require_binary

EDGE=4096
SPREAD=40
LINE_LEN=64            # short-line filler: 63 bytes + newline
TYPES=(CN_MOBILE CN_RESIDENT_ID EMAIL MAC)
VALUES=(13812345678 11010519491231002X zhang.san@example.com d0:50:99:84:a2:a0)
NAMES=(phone id email mac)

# Filler is plain words: no digits, no '@', no ':' -- it can never form or
# extend a value, and every value is written between two spaces.
words='lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor '
gen_long_filler() { # BYTES: one run of words, no newline
    (set +o pipefail; yes "$words" | tr -d '\n' | head -c "$1")
}
gen_long_filler 16384 >"$WORK/long.fill"
gen_long_filler $((300 * (LINE_LEN - 1))) | fold -w $((LINE_LEN - 1)) >"$WORK/short.fill"
if [ "$(head -n 1 "$WORK/short.fill" | wc -c)" -ne "$LINE_LEN" ]; then
    fail "short-line filler has $LINE_LEN-byte lines"
    finish
fi

# ---- 1. every offset around the 4096-byte edge ------------------------------
mkdir "$WORK/edges"
: >"$WORK/manifest.tsv"
for i in "${!TYPES[@]}"; do
    type=${TYPES[$i]} value=${VALUES[$i]} name=${NAMES[$i]}
    for ((o = EDGE - SPREAD; o <= EDGE + SPREAD; o++)); do
        # Long line: the value starts at byte o of a ~10 KB line.
        f=long-$name-$o.txt
        {
            head -c $((o - 1)) "$WORK/long.fill"
            printf ' %s ' "$value"
            head -c 6000 "$WORK/long.fill"
            printf '\n'
        } >"$WORK/edges/$f"
        printf '%s\t%s\t%d\t%d\t%d\t%s\n' "$f" "$type" "$o" 1 $((o + 1)) "$value" >>"$WORK/manifest.tsv"

        # Short lines: 64-byte lines up to the value, whose line ends after it.
        f=short-$name-$o.txt
        {
            head -c $((o - 1)) "$WORK/short.fill"
            printf ' %s \n' "$value"
            head -c $((30 * LINE_LEN)) "$WORK/short.fill"
        } >"$WORK/edges/$f"
        nl=$(((o - 1) / LINE_LEN))     # newlines among the first o-1 bytes
        printf '%s\t%s\t%d\t%d\t%d\t%s\n' "$f" "$type" "$o" $((nl + 1)) $((o - nl * LINE_LEN + 1)) "$value" \
            >>"$WORK/manifest.tsv"
    done
done
sort "$WORK/manifest.tsv" -o "$WORK/manifest.tsv"
n_cases=$(wc -l <"$WORK/manifest.tsv")

# compare_edges LABEL JSONL: the findings are exactly the manifest.
compare_edges() {
    local label=$1 out=$2
    jq -r --arg p "$WORK/edges/" '
        select(.kind == "finding")
        | [(.path | ltrimstr($p)), .type, .start, .line, .col, .value] | @tsv' "$out" \
        | sort >"$WORK/got.tsv"
    if cmp -s "$WORK/manifest.tsv" "$WORK/got.tsv"; then
        pass "$label: $n_cases values each found once at the right offset"
    else
        fail "$label: findings differ from the manifest (file type start line col value)"
        echo "    missing or misplaced:"
        comm -23 "$WORK/manifest.tsv" "$WORK/got.tsv" | sed -n '1,60p' | sed 's/^/    - /'
        echo "    unexpected, misplaced or duplicated:"
        comm -13 "$WORK/manifest.tsv" "$WORK/got.tsv" | sed -n '1,60p' | sed 's/^/    + /'
    fi
}

run "$WORK/edges.jsonl" "$WORK/err" "$PIISCAN" scan --window-size $EDGE --format jsonl --show-values "$WORK/edges"
check "--window-size $EDGE: exit status 1 (got $RC)" [ "$RC" -eq 1 ]
check "--window-size $EDGE: nothing on stderr" [ ! -s "$WORK/err" ]
compare_edges "--window-size $EDGE" "$WORK/edges.jsonl"

run "$WORK/edges-default.jsonl" "$WORK/err" "$PIISCAN" scan --format jsonl --show-values "$WORK/edges"
check "default window: exit status 1 (got $RC)" [ "$RC" -eq 1 ]
compare_edges "default window" "$WORK/edges-default.jsonl"

# ---- 2. one 100 MB line --------------------------------------------------------
BIG_BYTES=$((100 * 1024 * 1024))
big=$WORK/big.txt
gen_long_filler $BIG_BYTES >"$big"
if [ "$(wc -c <"$big")" -ne "$BIG_BYTES" ]; then
    fail "100 MB filler was generated"
    finish
fi
# offset of the leading space, type, value; the value starts one byte later.
big_cases=(
    "1000 CN_MOBILE 13812345678"
    "$((1024 * 1024 - 8)) CN_RESIDENT_ID 11010519491231002X"
    "$((1024 * 1024 * 2 - 12)) EMAIL zhang.san@example.com"
    "$((4096 * 5000 - 3)) MAC d0:50:99:84:a2:a0"
    "$((50 * 1024 * 1024 + 7)) CN_MOBILE 13912345678"
    "$((BIG_BYTES - 40)) CN_RESIDENT_ID 440524188001010014"
)
: >"$WORK/big-manifest.tsv"
for c in "${big_cases[@]}"; do
    read -r off type value <<<"$c"
    printf ' %s ' "$value" | dd of="$big" bs=65536 seek="$off" oflag=seek_bytes conv=notrunc status=none
    printf 'big.txt\t%s\t%d\t1\t%d\t%s\n' "$type" $((off + 1)) $((off + 2)) "$value" >>"$WORK/big-manifest.tsv"
done
sort "$WORK/big-manifest.tsv" -o "$WORK/big-manifest.tsv"
check "100 MB file keeps its size after the values are written" [ "$(wc -c <"$big")" -eq "$BIG_BYTES" ]

compare_big() {
    local label=$1 out=$2
    jq -r --arg p "$WORK/" '
        select(.kind == "finding")
        | [(.path | ltrimstr($p)), .type, .start, .line, .col, .value] | @tsv' "$out" \
        | sort >"$WORK/big-got.tsv"
    if cmp -s "$WORK/big-manifest.tsv" "$WORK/big-got.tsv"; then
        pass "$label: ${#big_cases[@]} values found once each at the right offset"
    else
        fail "$label: findings differ (file type start line col value)"
        diff "$WORK/big-manifest.tsv" "$WORK/big-got.tsv" | sed -n '1,40p' | sed 's/^/    /' || true
    fi
}

run "$WORK/big.jsonl" "$WORK/err" timeout 300 "$PIISCAN" scan --format jsonl --show-values "$big"
check "100 MB line, default window: exit status 1 (got $RC)" [ "$RC" -eq 1 ]
compare_big "100 MB line, default window" "$WORK/big.jsonl"
check "100 MB line: summary counts all bytes" \
    jq_ok "$(tail -n 1 "$WORK/big.jsonl")" --argjson n $BIG_BYTES '.kind == "summary" and .bytes == $n'

run "$WORK/big4k.jsonl" "$WORK/err" timeout 300 "$PIISCAN" scan --window-size $EDGE --format jsonl --show-values "$big"
check "100 MB line, --window-size $EDGE: exit status 1 (got $RC)" [ "$RC" -eq 1 ]
compare_big "100 MB line, --window-size $EDGE" "$WORK/big4k.jsonl"

finish

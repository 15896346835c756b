#!/usr/bin/env bash
# cli_misc.sh -- command-line behaviour not covered elsewhere: implicit stdin,
# thread-count independence of reports, outputs that are devices, option
# errors, the types catalogue.
set -euo pipefail
# shellcheck source=tests/e2e/lib/harness.bash
source "$(dirname "$0")/lib/harness.bash"

SAMPLE=$SRCDIR/corpora/sample

# Standard input without '-' (not a terminal).
printf 'tel 13812345678\n' >"$WORK/in.txt"
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -f jsonl <"$WORK/in.txt"
check "implicit stdin: exit 1" [ "$RC" -eq 1 ]
check "implicit stdin: the phone is found" jsonl_any "$WORK/o" '.type == "CN_MOBILE" and .path == "-"'

# Reports do not depend on the number of threads (all but the timing; a
# fixed key so that fingerprints compare).
for t in 1 2 3; do
    run "$WORK/t$t" "$WORK/e" env PIISCAN_KEY=00112233445566778899aabbccddeeff "$PIISCAN" scan -f jsonl --threads "$t" --window-size 4096 "$SAMPLE"
    grep -v '"kind":"summary"' "$WORK/t$t" >"$WORK/t$t.f"
done
check "threads 1 and 2 give the same findings in the same order" cmp -s "$WORK/t1.f" "$WORK/t2.f"
check "threads 1 and 3 give the same findings in the same order" cmp -s "$WORK/t1.f" "$WORK/t3.f"
check "findings are not empty" [ -s "$WORK/t1.f" ]
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -f jsonl --threads 300 "$SAMPLE"
check "--threads 300 is refused with exit 2" [ "$RC" -eq 2 ]

# -o onto a device writes in place and leaves the device alone.
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -f jsonl -o /dev/null "$SAMPLE"
check "-o /dev/null: exit 1" [ "$RC" -eq 1 ]
check "-o /dev/null: /dev/null is still a character device" [ -c /dev/null ]
check "-o /dev/null: nothing on stdout" [ ! -s "$WORK/o" ]

# -o FILE: complete file, no temporary left behind.
mkdir "$WORK/rep"
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -f jsonl -o "$WORK/rep/r.jsonl" "$SAMPLE"
check "-o FILE: the report ends with the summary" jq_ok "$(tail -n 1 "$WORK/rep/r.jsonl")" '.kind == "summary"'
check "-o FILE: no temporary file left" [ "$(find "$WORK/rep" -name '*.tmp.*' | wc -l)" -eq 0 ]

# Option errors.
run "$WORK/o" "$WORK/e" "$PIISCAN" scan --no-such-option "$SAMPLE"
check "unknown option: exit 2" [ "$RC" -eq 2 ]
check "unknown option: named in the message" grep -q -- '--no-such-option' "$WORK/e"
# A short option glued to its value or to other options is named itself,
# not the word before it.
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -j1 "$SAMPLE"
check "unknown glued short option: exit 2" [ "$RC" -eq 2 ]
check "unknown glued short option: '-j' named" grep -q -- "unknown option '-j'" "$WORK/e"
run "$WORK/o" "$WORK/e" "$PIISCAN" redact -qz -o "$WORK/never" "$SAMPLE"
check "unknown short option in a cluster: '-z' named" grep -q -- "unknown option '-z'" "$WORK/e"
check "unknown short option: nothing written" [ ! -e "$WORK/never" ]
run "$WORK/o" "$WORK/e" "$PIISCAN" scan --quiet -zq "$SAMPLE"
check "unknown option first in a cluster after a long option: '-z' named" grep -q -- "unknown option '-z'" "$WORK/e"
run "$WORK/o" "$WORK/e" "$PIISCAN" scan --quiet=1 "$SAMPLE"
check "a value given to a flag: the word named" grep -q -- "unknown option '--quiet=1'" "$WORK/e"
run "$WORK/o" "$WORK/e" "$PIISCAN" scan "$SAMPLE" -o
check "missing value: exit 2" [ "$RC" -eq 2 ]
check "missing value: '-o' named" grep -q -- "option '-o' needs a value" "$WORK/e"
run "$WORK/o" "$WORK/e" "$PIISCAN" scan --types CN_MOBILE,NOPE "$SAMPLE"
check "unknown type: exit 2" [ "$RC" -eq 2 ]
run "$WORK/o" "$WORK/e" "$PIISCAN" frobnicate
check "unknown command: exit 2" [ "$RC" -eq 2 ]

# --types filters.
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -f jsonl --types EMAIL "$SAMPLE"
check "--types EMAIL: only e-mail findings" jq_ok "$(grep '"kind":"finding"' "$WORK/o" | jq -s 'map(.type) | unique')" '. == ["EMAIL"]'

# The compiled-database cache: created, used, and a damaged file is
# recompiled over instead of being trusted.
export PIISCAN_CACHE_DIR=$WORK/cache
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -f jsonl "$WORK/in.txt"
check "cache: first run finds the phone" [ "$RC" -eq 1 ]
db=$(find "$WORK/cache" -name 'hs-*.db' | head -n 1)
check "cache: a database file is written" [ -n "$db" ]
check "cache: the cache directory is private" [ "$(stat -c %a "$WORK/cache")" = 700 ]
printf 'garbage' >"$db"
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -f jsonl "$WORK/in.txt"
check "cache: a damaged database is recompiled, the phone is still found" [ "$RC" -eq 1 ]
check "cache: the damaged file is replaced" [ "$(stat -c %s "$db")" -gt 100 ]
PIISCAN_CACHE_DIR='' run "$WORK/o" "$WORK/e" "$PIISCAN" scan -f jsonl "$WORK/in.txt"
check "cache: disabled with PIISCAN_CACHE_DIR=''" [ "$RC" -eq 1 ]
unset PIISCAN_CACHE_DIR

# The catalogue names every type.
run "$WORK/o" "$WORK/e" "$PIISCAN" types
for t in CN_RESIDENT_ID CN_MOBILE CN_LANDLINE EMAIL IPV4 IPV6 MAC IMEI MEID IMSI ICCID ANDROID_ID IDFA IDFV \
    GAID OAID BANK_CARD CN_PASSPORT HK_MACAU_PERMIT HKID TW_ID GPS BIRTH_DATE CN_ADDRESS PERSON_NAME; do
    check "types lists $t" grep -q "^$t " "$WORK/o"
done

finish

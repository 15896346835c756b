#!/usr/bin/env bash
# review_regressions.sh -- defects found in a customer-side review, each
# checked here end to end so that it stays fixed:
#   - a policy's `keys:` rules act on CSV and SQL columns and on nested JSON
#     paths (they matched only "key:NAME" contexts exactly, so a rule for
#     the column `mobile` or the JSON key `phone` under `user` was ignored
#     and the type's operator applied instead), in redact and in reveal;
#   - a valid compressed stream of nothing (gzip -c /dev/null: what
#     logrotate leaves of an empty log) is an empty member, not "corrupt or
#     truncated data" with exit 2; scan notes it, redact copies it in its
#     format; corrupt and truncated streams are still errors;
#   - the manual page holds no raw control characters (two "\f" font escapes
#     had become form feeds, so man showed "column:^LIname^LP").
#
# Env (set by ctest): PIISCAN = binary, SRCDIR = repository root.
# shellcheck disable=SC2016
set -euo pipefail
# shellcheck source=lib/harness.bash
. "$(dirname "${BASH_SOURCE[0]}")/lib/harness.bash"
require_binary

# ---- policy keys: columns and key paths ---------------------------------
KEY=$WORK/key
"$PIISCAN" keygen -o "$KEY"
cat >"$WORK/keys.yaml" <<'EOF'
default: mask
types:
  CN_MOBILE: replace
keys:
  mobile: keep
  phone: fpe
EOF
printf 'name,mobile\nzhang,13912345678\n' >"$WORK/t.csv"
printf 'INSERT INTO `users` (`id`,`mobile`) VALUES (1,%s);\n' "'13512345678'" >"$WORK/t.sql"
printf '{"user":{"phone":"13712345678"},"x":"13612345678"}\n' >"$WORK/t.json"

for f in t.csv t.sql; do
    run "$WORK/out" "$WORK/err" "$PIISCAN" redact -q --key-file "$KEY" --policy "$WORK/keys.yaml" - <"$WORK/$f"
    check "policy key 'mobile: keep' keeps the mobile column of $f (exit $RC)" \
        cmp -s "$WORK/out" "$WORK/$f"
done

run "$WORK/out" "$WORK/err" "$PIISCAN" redact -q --key-file "$KEY" --policy "$WORK/keys.yaml" - <"$WORK/t.json"
check "policy key 'phone: fpe' acts on the JSON path user.phone (exit $RC)" \
    grep -q '"phone":"137[0-9]\{8\}"' "$WORK/out"
check "... and the value changed" bash -c '! grep -q 13712345678 "$1"' _ "$WORK/out"
check "... while the type's own operator applies outside the key" grep -q '"x":"\[CN_MOBILE\]"' "$WORK/out"
cp "$WORK/out" "$WORK/t.red"
run "$WORK/out" "$WORK/err" "$PIISCAN" reveal -q --key-file "$KEY" --policy "$WORK/keys.yaml" - <"$WORK/t.red"
check "reveal with the same policy gives user.phone back (exit $RC)" grep -q '"phone":"13712345678"' "$WORK/out"

# ---- empty compressed streams -------------------------------------------
E=$WORK/empty
mkdir -p "$E/in"
gzip -c </dev/null >"$E/in/a.gz"
have=(a.gz)
if command -v bzip2 >/dev/null; then bzip2 -c </dev/null >"$E/in/b.bz2" && have+=(b.bz2); fi
if command -v xz >/dev/null; then xz -c </dev/null >"$E/in/c.xz" && have+=(c.xz); fi
if command -v zstd >/dev/null; then zstd -q -c </dev/null >"$E/in/d.zst" && have+=(d.zst); fi
printf 'phone 13812345678\n' >"$E/x.log"
tar -C "$E" -czf "$E/in/t.tar.gz" in/a.gz x.log
run "$WORK/out" "$WORK/err" "$PIISCAN" scan -f jsonl "$E/in"
check "scan of empty compressed streams (${have[*]}) and a .tar.gz holding one: exit 1 (got $RC)" test "$RC" -eq 1
check "... no error line, no error counted" \
    jq -e -s 'all(.[]; .kind != "error") and (.[-1].errors == 0)' "$WORK/out"
check "... each empty stream is noted as an empty file" \
    test "$(grep -c ': note: empty file$' "$WORK/err")" -eq $((${#have[@]} + 1))
run "$WORK/out" "$WORK/err" "$PIISCAN" redact -q "$E/in" -o "$E/red"
check "redact of the empty streams: exit 0 (got $RC)" test "$RC" -eq 0
for f in "${have[@]}"; do
    case $f in
    *.gz) dec=(gzip -dc) ;; *.bz2) dec=(bzip2 -dc) ;; *.xz) dec=(xz -dc) ;; *.zst) dec=(zstd -q -dc) ;;
    esac
    check "... the copy of $f is a valid empty stream" \
        bash -c '[ -z "$("$@" <"$0" | head -c 1)" ] && "$@" <"$0" >/dev/null' "$E/red/in/$f" "${dec[@]}"
done
check "... the .tar.gz copy lists the same members" \
    bash -c 'cmp -s <(tar -tzf "$1") <(tar -tzf "$2")' _ "$E/in/t.tar.gz" "$E/red/in/t.tar.gz"
gzip -c </dev/null | head -c 15 >"$WORK/cut.gz"
run "$WORK/out" "$WORK/err" "$PIISCAN" scan -q "$WORK/cut.gz"
check "an empty gzip stream cut short is still an error (exit 2, got $RC)" test "$RC" -eq 2
gzip -c </dev/null >"$WORK/crc.gz"
printf '\001' | dd of="$WORK/crc.gz" bs=1 seek=$(($(stat -c %s "$WORK/crc.gz") - 1)) conv=notrunc 2>/dev/null
run "$WORK/out" "$WORK/err" "$PIISCAN" redact -q - <"$WORK/crc.gz"
check "an empty gzip stream with a bad length is still an error (exit 2, got $RC)" test "$RC" -eq 2

# ---- the manual page -----------------------------------------------------
check "man/piiscan.1 has no control characters but tab and newline" \
    bash -c '! LC_ALL=C grep -q "[[:cntrl:]]" <(tr -d "\t" <"$1")' _ "$SRCDIR/man/piiscan.1"

finish

#!/usr/bin/env bash
# review_regressions.sh -- defects found in a customer-side review, each
# checked here end to end so that it stays fixed:
#   - a policy's `keys:` rules act on CSV and SQL columns and on nested JSON
#     paths (they matched only "key:NAME" contexts exactly, so a rule for
#     the column `mobile` or the JSON key `phone` under `user` was ignored
#     and the type's operator applied instead), in redact and in reveal;
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

# ---- the manual page -----------------------------------------------------
check "man/piiscan.1 has no control characters but tab and newline" \
    bash -c '! LC_ALL=C grep -q "[[:cntrl:]]" <(tr -d "\t" <"$1")' _ "$SRCDIR/man/piiscan.1"

finish

#!/usr/bin/env bash
# structured.sh -- CSV, JSON and SQL dumps stay valid after redaction.
#
#   CSV: a replacement holding the delimiter and quotes (replace:text=a,"b")
#        is written into quoted cells with its quotes doubled; the file
#        parses to the same rows and columns, the other cells unchanged.
#        In an unquoted cell it cannot be written: redaction fails and
#        writes nothing (fail closed).
#   JSON: every redacted line parses (jq), the key paths are the input's,
#        and a replacement with " and \ reads back as the text given.
#   SQL: MySQL and standard strings get their own quote escapes; a number
#        column refuses a non-numeric replacement.
#   Column context: findings name their column or key path.
#
# Env (set by ctest): PIISCAN = binary, SRCDIR = repository root.
# shellcheck disable=SC2016
set -euo pipefail
# shellcheck source=lib/harness.bash
. "$(dirname "${BASH_SOURCE[0]}")/lib/harness.bash"
require_binary
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed"; exit 77; }

sample=$SRCDIR/corpora/sample
rep='a,"b"'
not() { ! "$@"; }

# ---- CSV --------------------------------------------------------------------
csv=$WORK/quoted.csv
{
    printf 'id,name,mobile,note\r\n'
    printf '1,"Li, Lei","13800138000","multi\nline, ""quoted"""\r\n'
    printf '2,Wang,"13912345678",plain\r\n'
    printf '3,"Zhao","x 15012345678 y",\r\n'
} >"$csv"
run "$WORK/o" "$WORK/e" "$PIISCAN" redact --op "CN_MOBILE=replace:text=$rep" "$csv" -o "$WORK/csv"
check "CSV quoted cells: redact exits 0 (got $RC)" [ "$RC" -eq 0 ]
[ "$RC" -eq 0 ] || show "$WORK/e"
cat >"$WORK/csvcmp.py" <<'PY'
import csv, sys
a = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
b = list(csv.reader(open(sys.argv[2], newline="", encoding="utf-8")))
rep = sys.argv[3]
assert len(a) == len(b), ("rows", len(a), len(b))
for ra, rb in zip(a, b):
    assert len(ra) == len(rb), ("columns", ra, rb)
    for x, y in zip(ra, rb):
        if x != y:
            assert y == x.replace(x.strip("xy "), rep) or y == rep, (x, y)
assert b[1][2] == rep and b[2][2] == rep and b[3][2] == "x " + rep + " y", b
print("    %d rows, %d columns" % (len(b), len(b[0])))
PY
check "CSV quoted cells: same rows and columns, replacement read back as given" \
    python3 "$WORK/csvcmp.py" "$csv" "$WORK/csv/quoted.csv" "$rep"
check "CSV quoted cells: quotes doubled in place" grep -qF '"a,""b"""' "$WORK/csv/quoted.csv"

run "$WORK/o" "$WORK/e" "$PIISCAN" redact --op "CN_MOBILE=replace:text=$rep" "$sample/exports/customers.csv" -o "$WORK/csv2"
check "CSV unquoted cell: a delimiter in the replacement fails redaction (exit 2, got $RC)" [ "$RC" -eq 2 ]
check "CSV unquoted cell: nothing written" bash -c '[ -z "$(find "$0" -type f 2>/dev/null)" ]' "$WORK/csv2"
check "CSV unquoted cell: the error says why" grep -qF "cannot be written in place" "$WORK/e"
run "$WORK/o" "$WORK/e" "$PIISCAN" redact --op "CN_MOBILE=replace:text=a;b" "$sample/exports/customers.csv" -o "$WORK/csv3"
check "CSV unquoted cell: another delimiter's character is fine (exit 0, got $RC)" [ "$RC" -eq 0 ]
check "CSV: default redact keeps every record's field count" python3 -c '
import csv, sys
a = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
b = list(csv.reader(open(sys.argv[2], newline="", encoding="utf-8")))
sys.exit(0 if [len(r) for r in a] == [len(r) for r in b] and a != b else 1)' \
    "$sample/exports/customers.csv" "$WORK/csv3/customers.csv"

# ---- JSON -------------------------------------------------------------------
run "$WORK/o" "$WORK/e" "$PIISCAN" redact "$sample/telemetry/events.jsonl" -o "$WORK/json"
check "JSONL default redact: exit 0 (got $RC)" [ "$RC" -eq 0 ]
check "JSONL default redact: every line parses" bash -c 'jq -e . "$0" >/dev/null' "$WORK/json/events.jsonl"
check "JSONL default redact: the same key paths on every line" \
    bash -c '[ "$(jq -c "[paths]" "$0")" = "$(jq -c "[paths]" "$1")" ]' "$sample/telemetry/events.jsonl" "$WORK/json/events.jsonl"
printf '{"user":{"phone":"13800138000","lat":39.9042,"imeis":["861043441463997"]}}\n' >"$WORK/j.jsonl"
run "$WORK/o" "$WORK/e" "$PIISCAN" redact --default-op 'replace:text=q"\x' "$WORK/j.jsonl" -o "$WORK/j"
check "JSON: replacement with a quote and a backslash: exit 0 (got $RC)" [ "$RC" -eq 0 ]
check "JSON: string escapes intact, the text reads back as given" \
    jq -e >/dev/null '.user.phone == "q\"\\x" and .user.imeis[0] == "q\"\\x" and .user.lat == "q\"\\x"' "$WORK/j/j.jsonl"

# ---- SQL --------------------------------------------------------------------
printf "INSERT INTO \`t\` (\`id\`,\`mobile\`) VALUES (1,'13800138000'),(2,'it''s 13912345678');\n" >"$WORK/m.sql"
run "$WORK/o" "$WORK/e" "$PIISCAN" redact --op "CN_MOBILE=replace:text=o'k\\" "$WORK/m.sql" -o "$WORK/m"
check "mysqldump: exit 0 (got $RC)" [ "$RC" -eq 0 ]
check "mysqldump: quote doubled, backslash escaped" \
    grep -qF "VALUES (1,'o''k\\\\'),(2,'it''s o''k\\\\');" "$WORK/m/m.sql"
printf 'SET standard_conforming_strings = on;\nCOPY public.t (id, mobile) FROM stdin;\n1\t13800138000\n\\.\nINSERT INTO public.t VALUES (2, '"'"'13912345678'"'"');\n' >"$WORK/p.sql"
run "$WORK/o" "$WORK/e" "$PIISCAN" redact --op "CN_MOBILE=replace:text=o'k\\	x" "$WORK/p.sql" -o "$WORK/p"
check "pg_dump: exit 0 (got $RC)" [ "$RC" -eq 0 ]
copy_row=$'1\t'"o'k"'\\\tx'   # backslash and tab escaped as COPY text
check "pg_dump: COPY field escaped" grep -qxF "$copy_row" "$WORK/p/p.sql"
check "pg_dump: standard string: quote doubled, backslash kept" grep -qF "(2, 'o''k\\	x');" "$WORK/p/p.sql"
printf 'INSERT INTO t (mobile) VALUES (13800138000);\n' >"$WORK/n.sql"
run "$WORK/o" "$WORK/e" "$PIISCAN" redact "$WORK/n.sql" -o "$WORK/n"
check "SQL number column: a masked value is refused (exit 2, got $RC)" [ "$RC" -eq 2 ]

# ---- column context -----------------------------------------------------------
run "$WORK/s.jsonl" "$WORK/e" "$PIISCAN" scan --format jsonl "$sample/exports/customers.csv" "$sample/dumps/pg_users.sql" \
    "$sample/telemetry/events.jsonl"
check "CSV findings name their column" jsonl_any "$WORK/s.jsonl" '.context == "column:birthday" and .type == "BIRTH_DATE"'
check "CSV names under 姓名" jsonl_any "$WORK/s.jsonl" '.context == "column:姓名" and .type == "PERSON_NAME"'
check "pg_dump findings name table.column" jsonl_any "$WORK/s.jsonl" '.context == "column:app_users.birthday"'
check "JSON findings name their key path" jsonl_any "$WORK/s.jsonl" '.context == "key:device.imei"'

# ---- --format columns: the audit view -------------------------------------------
run "$WORK/cols.txt" "$WORK/e" "$PIISCAN" scan --format columns "$sample/exports/customers.csv" "$sample/dumps/shop.sql" \
    "$sample/telemetry/events.jsonl" "$sample/nginx/access.log"
check "columns: exit 1 (findings), got $RC" [ "$RC" -eq 1 ]
check "columns: every name cell of the CSV" grep -qxF $'  column:姓名\tPERSON_NAME\t60 of 60 rows\t100.0%\t林*' "$WORK/cols.txt"
check "columns: birth dates in 22 of 60 rows" grep -qF $'  column:birthday\tBIRTH_DATE\t22 of 60 rows\t36.7%\t' "$WORK/cols.txt"
check "columns: mysqldump table.column, 15 tuples" grep -qF $'  column:users.mobile\tCN_MOBILE\t15 of 15 rows\t100.0%\t' "$WORK/cols.txt"
check "columns: JSON key paths" grep -qF $'  key:device.imei\tIMEI\t2 of 3 rows' "$WORK/cols.txt"
check "columns: inline keys of a log have no row count" grep -qF $'  key:phone\tCN_MOBILE\t2\t-\t' "$WORK/cols.txt"
check "columns: no raw value" not grep -qF 15839622954 "$WORK/cols.txt"
check "columns: the footer counts the files" grep -qx 'files 4  findings [0-9]*  errors 0' "$WORK/cols.txt"

finish

#!/usr/bin/env bash
# gbk_text.sh -- GBK text (Excel's CSV on Chinese Windows, older systems'
# logs): read as UTF-8 for detection, and a redacted copy written back in
# GBK, the same bytes outside the replaced values.
#
# Before, a GBK file was scanned as raw bytes: its numbers were found, but
# not its Chinese column names, so names, birth dates and addresses under
# 姓名 / 出生日期 / 地址 were missed -- by scan and, worse, left in the
# "redacted" copy.
#
# Env (set by ctest): PIISCAN = binary, SRCDIR = repository root.
# jq programs are single-quoted on purpose.
# shellcheck disable=SC2016
set -euo pipefail
# shellcheck source=lib/harness.bash
. "$(dirname "${BASH_SOURCE[0]}")/lib/harness.bash"
require_binary
for tool in jq iconv tar; do
    command -v "$tool" >/dev/null || { skip "$tool not installed"; finish; }
done
export PIISCAN_KEY=0000000000000000000000000000000000000000000000000000000000000007

utf8=$WORK/customers.utf8.csv
gbk=$WORK/customers.csv
printf '%s\r\n' '姓名,手机号,身份证号,出生日期,地址' \
    '张伟,13812345678,11010519491231002X,1990-03-07,北京市朝阳区建国路88号' \
    '李娜,13912345679,440524188001010014,1949-12-31,上海市浦东新区世纪大道100号' >"$utf8"
iconv -f UTF-8 -t GBK "$utf8" >"$gbk"

# ---- scan: the same findings as in the UTF-8 file ------------------------------
found() { jq -r 'select(.kind == "finding") | "\(.line) \(.type) \(.context) \(.value)"' "$1" | sort; }
run "$WORK/g.jsonl" "$WORK/g.err" "$PIISCAN" scan --format jsonl --show-values "$gbk"
check "scan of the GBK file exits 1 (got $RC)" [ "$RC" -eq 1 ]
run "$WORK/u.jsonl" "$WORK/u.err" "$PIISCAN" scan --format jsonl --show-values "$utf8"
check "the GBK file gives the UTF-8 file's findings ($(found "$WORK/u.jsonl" | wc -l))" \
    [ "$(found "$WORK/g.jsonl")" = "$(found "$WORK/u.jsonl")" ]
check "names are found under 姓名" jsonl_any "$WORK/g.jsonl" '.type == "PERSON_NAME" and .context == "column:姓名"'
check "a note says the file was read as GBK" grep -q "note: read as GBK" "$WORK/g.err"

# ---- redact: a GBK copy, the same bytes outside the values ---------------------
run "$WORK/r.out" "$WORK/r.err" "$PIISCAN" redact -o "$WORK/red" "$gbk"
check "redact exits 0 (got $RC)" [ "$RC" -eq 0 ]
copy=$WORK/red/customers.csv
check "the copy is GBK" iconv -f GBK -t UTF-8 "$copy" -o "$WORK/copy.utf8"
check "the copy's names are masked (张＊, in GBK)" grep -q '^张＊,138\*\*\*\*5678,' "$WORK/copy.utf8"
check "the copy keeps the header and the CRLF line ends" \
    bash -c 'head -n 1 "$1" | cmp -s - <(head -n 1 "$2")' _ "$copy" "$gbk"
check "nothing of the values is left" bash -c '! grep -qE "张伟|李娜|13812345678|北京市朝阳区建国路" "$1"' _ "$WORK/copy.utf8"
run "$WORK/k.out" "$WORK/k.err" "$PIISCAN" redact --default-op keep - <"$gbk"
check "with every value kept the copy is the file, byte for byte" cmp -s "$WORK/k.out" "$gbk"

# fpe and reveal round trip through GBK.
run "$WORK/f.csv" "$WORK/f.err" "$PIISCAN" redact --op CN_MOBILE=fpe - <"$gbk"
check "fpe redaction exits 0 (got $RC)" [ "$RC" -eq 0 ]
run "$WORK/back.csv" "$WORK/back.err" "$PIISCAN" reveal --op CN_MOBILE=fpe - <"$WORK/f.csv"
check "reveal of the fpe copy restores the mobile numbers" \
    bash -c 'iconv -f GBK -t UTF-8 "$1" | grep -q "^张＊,13812345678,"' _ "$WORK/back.csv"

# UTF-16: redact writes UTF-16, and reveal undoes encrypt tokens in it (its
# token filter sees the text before it is encoded back, where a token's
# letters are together).
u16=$WORK/u16.txt
{ printf '\xff\xfe'; printf '姓名 张三 13812345678 a@b.com\n' | iconv -f UTF-8 -t UTF-16LE; } >"$u16"
run "$WORK/u16.enc" "$WORK/u16e.err" "$PIISCAN" redact --default-op encrypt - <"$u16"
check "redact --default-op encrypt of UTF-16 exits 0 (got $RC)" [ "$RC" -eq 0 ]
check "its tokens are in UTF-16" bash -c 'iconv -f UTF-16 -t UTF-8 "$1" | grep -q "CN_MOBILE_ENC_"' _ "$WORK/u16.enc"
cp "$WORK/u16.enc" "$WORK/u16c.txt"
run "$WORK/rv.out" "$WORK/u16r.err" "$PIISCAN" reveal -o "$WORK/rev16" "$WORK/u16c.txt"
check "reveal of the UTF-16 copy exits 0 (got $RC)" [ "$RC" -eq 0 ]
check "and gives the file back byte for byte" cmp -s "$WORK/rev16/u16c.txt" "$u16"
run "$WORK/g.enc" "$WORK/ge.err" "$PIISCAN" redact --default-op encrypt - <"$gbk"
run "$WORK/g.rev" "$WORK/gr.err" "$PIISCAN" reveal - <"$WORK/g.enc"
check "encrypt and reveal of the GBK file give it back byte for byte" cmp -s "$WORK/g.rev" "$gbk"

# In an archive too.
mkdir -p "$WORK/t"
cp "$gbk" "$WORK/t/"
tar -C "$WORK/t" -czf "$WORK/gbk.tar.gz" customers.csv
run "$WORK/ta.jsonl" "$WORK/ta.err" "$PIISCAN" scan --format jsonl "$WORK/gbk.tar.gz"
check "a GBK member of a .tar.gz is read as GBK" \
    jsonl_any "$WORK/ta.jsonl" '.type == "CN_ADDRESS" and .context == "column:地址"'

finish

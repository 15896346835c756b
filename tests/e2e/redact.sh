#!/usr/bin/env bash
# redact.sh -- `piiscan redact`, `reveal` and `keygen` on the sample corpus.
#
# Checks, on a private copy of corpora/sample (so that a bug can never touch
# the repository):
#   - the default redact mirrors the tree under OUT/sample, keeps file modes,
#     leaves the inputs unchanged and no temporary file behind;
#   - every byte outside a finding is unchanged, in order: the output is
#     walked against the input using the spans of `--report` (and the report
#     must list exactly the findings of `scan` on the input), once for the
#     default masks and once with a marker replacement that splits exactly;
#   - leak test: a scan of the default output finds nothing and none of the
#     raw values of corpora/expected/sample.tsv occurs in it;
#   - round trips with a fresh key: reversible.yaml (fpe + encrypt) and
#     every FPE type, then reveal, give back every file byte for byte;
#     `reveal --type` undoes single values; FPE outputs scan as the same types;
#     a wrong key cannot reveal;
#   - hash: one token per person however the number is written, stable
#     across runs and between --key-file and PIISCAN_KEY, different per key;
#   - refusals: OUTDIR equal to / inside an input (nothing created), existing
#     outputs without --force (untouched) and with it (replaced), keyed
#     operators without a key (exit 2 before any output), a 0644 key file,
#     every bad policy (FILE:LINE:COL), stdin/-o misuse; `redact -` filters;
#   - atomicity: a file an operator cannot transform is not written (nor is
#     an older output under its name replaced), other files are, and no
#     *.tmp.* file remains;
#   - --report is JSON Lines without raw values.
#
# Env (set by ctest): PIISCAN = binary, SRCDIR = repository root.
# jq programs are single-quoted on purpose; helpers are called through check.
# shellcheck disable=SC2016,SC2317
set -euo pipefail
# shellcheck source=lib/harness.bash
. "$(dirname "${BASH_SOURCE[0]}")/lib/harness.bash"
require_binary
unset PIISCAN_KEY   # "no key" must mean no key
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 is not installed"; exit 77; }
umask 022

policies=$SRCDIR/corpora/policies
expected=$SRCDIR/corpora/expected/sample.tsv
IN=$WORK/in/sample
mkdir -p "$WORK/in"
cp -R "$SRCDIR/corpora/sample" "$IN"
# Varied modes, to see them carried over.
chmod 600 "$IN/chat/kefu.txt"
chmod 640 "$IN/config/app.ini"
chmod 755 "$IN/dumps/shop.sql"

# Raw values that must never appear in a default output.
grep -v -e '^#' -e '^$' "$expected" | cut -f 4 | sort -u >"$WORK/values.txt"
n_values=$(wc -l <"$WORK/values.txt")

# ---- helpers --------------------------------------------------------------------
tree_sum() { (cd "$1" && find . -type f -exec sha256sum {} + | sort -k 2); }
file_list() { (cd "$1" && find . -type f | sort); }
mode_list() { (cd "$1" && find . -type f -exec stat -c '%n %a' {} + | sort); }
same_text() { [ "$1" = "$2" ]; }
no_tmp_files() { [ -z "$(find "$1" -name '*.tmp.*' -print -quit 2>/dev/null)" ]; }
not_exists() { [ ! -e "$1" ]; }
not() { ! "$@"; }
quiet() { "$@" >/dev/null; }
rc_and_empty() { [ "$RC" -eq "$1" ] && [ ! -s "$2" ]; }
jsonl_parses() { jq -c . "$1" >/dev/null 2>&1; }
jsonl_none_value() { ! jsonl_any "$1" 'has("value")'; }
has() { grep -qF -- "$2" "$1"; }
no_values_in() { # no raw value of the expected list anywhere under $1
    local hits
    hits=$(grep -rhoF -f "$WORK/values.txt" "$1" | sort -u || true)
    if [ -n "$hits" ]; then
        head -n 5 <<<"$hits" | while IFS= read -r v; do printf '    raw value leaked: %s\n' "$v"; done
        return 1
    fi
}
# files_equal A B: every file of tree A is byte-identical in tree B, same list.
# A JSON number replaced by a token became a string (the file stays valid
# JSON), so reveal gives it back as a string: JSON files are compared with
# numbers read as strings.
json_as_strings() { jq -c 'walk(if type == "number" then tostring else . end)' "$1"; }
files_equal() {
    local f bad=0
    [ "$(file_list "$1")" = "$(file_list "$2")" ] || { echo "    file lists differ"; return 1; }
    while IFS= read -r f; do
        cmp -s "$1/$f" "$2/$f" && continue
        case $f in
        *.json | *.jsonl) [ "$(json_as_strings "$1/$f")" = "$(json_as_strings "$2/$f")" ] && continue ;;
        esac
        echo "    differs: $f"
        bad=1
    done < <(file_list "$1")
    [ "$bad" -eq 0 ]
}
# changed_count A B: how many files of tree A differ in tree B.
changed_count() {
    local f n=0
    while IFS= read -r f; do cmp -s "$1/$f" "$2/$f" || n=$((n + 1)); done < <(file_list "$1")
    echo "$n"
}
# findings FILE: "relpath<TAB>start<TAB>end<TAB>type" of a JSONL report whose
# paths start with prefix $2, in order.
findings() {
    jq -r --arg p "$2/" 'select(.kind == "finding") | [(.path | ltrimstr($p)), .start, .end, .type] | @tsv' "$1" |
        sort -t "$(printf '\t')" -k1,1 -k2,2n
}
type_sequence() { cut -f 1,4; }

# walk.py REPORT INROOT OUTROOT [MARKER]: the output equals the input outside
# the report's spans, byte for byte and in order.  With MARKER (a replace
# text absent from the input) the output must split on it into exactly the
# input's gaps (a JSON number becomes the string "MARKER": the JSON stays
# valid); without, each span may become any non-empty text that does
# not add a line break (mask never does) but must differ from the original.
cat >"$WORK/walk.py" <<'PY'
import json, os, re, sys
rep, inroot, outroot = sys.argv[1:4]
marker = sys.argv[4].encode() if len(sys.argv) > 4 else None
spans = {}
for line in open(rep, encoding="utf-8"):
    o = json.loads(line)
    if o.get("kind") == "finding":
        spans.setdefault(os.path.normpath(o["path"]), []).append((o["start"], o["end"]))
bad = nspans = nfiles = 0
seen = set()
def fail(msg):
    global bad
    bad += 1
    if bad <= 10:
        print("    " + msg)
for d, _, files in os.walk(inroot):
    for fn in sorted(files):
        ip = os.path.normpath(os.path.join(d, fn))
        rel = os.path.relpath(ip, inroot)
        a = open(ip, "rb").read()
        try:
            b = open(os.path.join(outroot, rel), "rb").read()
        except OSError as e:
            fail("%s: no output (%s)" % (rel, e))
            continue
        nfiles += 1
        seen.add(ip)
        sp = sorted(spans.get(ip, []))
        gaps, pos = [], 0
        for s, e in sp:
            if s < pos or e > len(a) or s >= e:
                fail("%s: bad span %d-%d" % (rel, s, e))
                break
            gaps.append(a[pos:s])
            pos = e
        else:
            gaps.append(a[pos:])
        if len(gaps) != len(sp) + 1:
            continue
        nspans += len(sp)
        if marker is not None:
            want = gaps[0]
            for k, (s, e) in enumerate(sp):
                bare = fn.endswith((".json", ".jsonl")) and s > 0 and a[s - 1:s] != b'"'
                want += (b'"' + marker + b'"' if bare else marker) + gaps[k + 1]
            if b != want:
                i = next((i for i, (x, y) in enumerate(zip(b, want)) if x != y), min(len(b), len(want)))
                fail("%s: differs at output offset %d: %r vs %r" % (rel, i, b[i:i + 40], want[i:i + 40]))
            continue
        pat = b""
        for i, g in enumerate(gaps):
            pat += re.escape(g)
            if i < len(sp):
                s, e = sp[i]
                pat += b"(.+?)" if b"\n" in a[s:e] else b"([^\n]+?)"
        m = re.fullmatch(pat, b, re.S)
        if not m:
            # locate the first difference for the log
            for i, g in enumerate(gaps):
                if re.match(b"".join(re.escape(x) + b".*?" for x in gaps[:i + 1]), b, re.S) is None:
                    fail("%s: bytes around gap %d (input offset %d) changed" % (rel, i, sp[i - 1][1] if i else 0))
                    break
            else:
                fail("%s: output does not match the input outside the spans" % rel)
            continue
        for i, (s, e) in enumerate(sp):
            if m.group(i + 1) == a[s:e]:
                fail("%s: finding at %d-%d left unchanged" % (rel, s, e))
for p in spans:
    if p not in seen:
        fail("report names %s, not an input file" % p)
print("    %d files, %d spans checked" % (nfiles, nspans))
sys.exit(1 if bad or nfiles == 0 else 0)
PY
walk() { python3 "$WORK/walk.py" "$@"; }

sum_before=$(tree_sum "$IN")
repo_sum_before=$(tree_sum "$SRCDIR/corpora/sample")

# The scanner's own view of the input, to compare the report with.
run "$WORK/scan_in.jsonl" "$WORK/err" "$PIISCAN" scan --format jsonl "$IN"
check "scan of the input finds something (exit 1, got $RC)" [ "$RC" -eq 1 ]
findings "$WORK/scan_in.jsonl" "$IN" >"$WORK/scan_in.tsv"
n_scan=$(wc -l <"$WORK/scan_in.tsv")

# ---- default redact: tree, modes, inputs, report --------------------------------
OUT=$WORK/out
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact "$IN" -o "$OUT" --report "$WORK/r.jsonl"
check "default redact: exit status 0 (got $RC)" [ "$RC" -eq 0 ]
[ "$RC" -eq 0 ] || show "$WORK/err"
check "default redact: nothing on stdout" [ ! -s "$WORK/out.txt" ]
check "default redact: stderr well formed" stderr_well_formed "$WORK/err"
check "default redact: OUT/sample mirrors the input tree" same_text "$(file_list "$IN")" "$(file_list "$OUT/sample")"
check "default redact: nothing else in OUT" same_text "$(cd "$OUT" && find . -mindepth 1 -maxdepth 1)" "./sample"
check "default redact: file modes preserved" same_text "$(mode_list "$IN")" "$(mode_list "$OUT/sample")"
check "default redact: every input file changed" same_text "$(changed_count "$IN" "$OUT/sample")" "$(file_list "$IN" | wc -l)"
check "default redact: inputs unchanged" same_text "$sum_before" "$(tree_sum "$IN")"
check "default redact: no temporary file left" no_tmp_files "$OUT"

# --report: JSONL, the same findings as scan, no raw values.
check "--report: every line is JSON" jsonl_parses "$WORK/r.jsonl"
check "--report: last line is the summary" jq_ok "$(tail -n 1 "$WORK/r.jsonl")" '.kind == "summary" and .errors == 0'
findings "$WORK/r.jsonl" "$IN" >"$WORK/r.tsv"
check "--report: the findings of scan on the input ($n_scan)" cmp -s "$WORK/scan_in.tsv" "$WORK/r.tsv"
check "--report: at least as many findings as corpora/expected lists" [ "$n_scan" -ge "$(grep -vc -e '^#' -e '^$' "$expected")" ]
check "--report: no raw value" no_values_in "$WORK/r.jsonl"
check "--report: no raw value field" jsonl_none_value "$WORK/r.jsonl"

# ---- byte-identical outside findings --------------------------------------------
check "mask: every byte outside the report's spans unchanged, in order" walk "$WORK/r.jsonl" "$IN" "$OUT/sample"
marker='<<PII:7f3a>>'
if grep -rqF -- "$marker" "$IN"; then
    fail "marker $marker is absent from the input"
else
    run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact --default-op "replace:text=$marker" "$IN" -o "$WORK/mark" --report "$WORK/rm.jsonl"
    check "replace marker: exit status 0 (got $RC)" [ "$RC" -eq 0 ]
    check "replace marker: output splits into exactly the input's gaps" walk "$WORK/rm.jsonl" "$IN" "$WORK/mark/sample" "$marker"
    check "replace marker: the same findings as scan" cmp -s "$WORK/scan_in.tsv" <(findings "$WORK/rm.jsonl" "$IN")
fi
# A walk that cannot fail is useless: a one-byte change outside a span must be caught.
cp -R "$OUT/sample" "$WORK/tampered"
printf 'x' >>"$WORK/tampered/config/app.ini"
check "walk catches a changed byte outside the spans" not walk "$WORK/r.jsonl" "$IN" "$WORK/tampered"

# ---- leak test ------------------------------------------------------------------
run "$WORK/leak.jsonl" "$WORK/err" "$PIISCAN" scan --format jsonl --show-values "$OUT"
check "leak: scan of the default output finds nothing (exit 0, got $RC)" [ "$RC" -eq 0 ]
[ "$RC" -eq 0 ] || jq -c 'select(.kind == "finding") | {path, line, type, value}' "$WORK/leak.jsonl" | head -n 5 | sed 's/^/    /'
check "leak: none of the $n_values expected raw values in the output" no_values_in "$OUT"
check "leak: the values list is not empty" [ "$n_values" -gt 100 ]
check "leak: the check finds the values in the input itself" not quiet no_values_in "$IN"

# ---- keygen ---------------------------------------------------------------------
K=$WORK/k.key
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" keygen -o "$K"
check "keygen -o: exit status 0 (got $RC)" [ "$RC" -eq 0 ]
check "keygen -o: mode 0600" same_text "$(stat -c %a "$K")" 600
check "keygen -o: 64 hex digits" grep -qxE '[0-9a-f]{64}' "$K"
cp "$K" "$WORK/k.copy"
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" keygen -o "$K"
check "keygen -o: never overwrites (exit 2, got $RC)" [ "$RC" -eq 2 ]
check "keygen -o: existing key untouched" cmp -s "$K" "$WORK/k.copy"
# From here on a fixed key, so that a failure can be reproduced exactly (a
# fresh random key per run would make any key-dependent result flaky).
K=$WORK/fixed.key
printf '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n' >"$K"
chmod 600 "$K"
run "$WORK/k2.txt" "$WORK/err" "$PIISCAN" keygen
check "keygen: prints a fresh key" [ "$(cat "$WORK/k2.txt")" != "$(cat "$K")" ]
install -m 600 "$WORK/k2.txt" "$WORK/k2.key"

# ---- round trips ----------------------------------------------------------------
REV=$policies/reversible.yaml
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact --key-file "$K" --policy "$REV" "$IN" -o "$WORK/enc"
check "reversible.yaml redact: exit status 0 (got $RC)" [ "$RC" -eq 0 ]
[ "$RC" -eq 0 ] || show "$WORK/err"
check "reversible.yaml redact: every file changed" same_text "$(changed_count "$IN" "$WORK/enc/sample")" "$(file_list "$IN" | wc -l)"
check "reversible.yaml redact: e-mail became EMAIL_ENC_ tokens" grep -rq 'EMAIL_ENC_[A-Z2-7]' "$WORK/enc"
check "reversible.yaml redact: no original e-mail left" not grep -rqF -f <(grep -v '^#' "$expected" | awk -F '\t' '$3 == "EMAIL" { print $4 }') "$WORK/enc"
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" reveal --key-file "$K" --policy "$REV" "$WORK/enc/sample" -o "$WORK/dec"
check "reversible.yaml reveal: exit status 0 (got $RC)" [ "$RC" -eq 0 ]
[ "$RC" -eq 0 ] || show "$WORK/err"
check "reversible.yaml: reveal(redact(x)) == x for every file" files_equal "$IN" "$WORK/dec/sample"
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" reveal --key-file "$WORK/k2.key" --policy "$REV" "$WORK/enc/sample" -o "$WORK/dec2"
check "reveal with another key: exit status 2 (got $RC)" [ "$RC" -eq 2 ]
check "reveal with another key: no file revealed" [ -z "$(find "$WORK/dec2" -type f 2>/dev/null)" ]

# Every type FPE supports, everything else kept: same types found again.
# (IPv4/IPv6 are tested on their own below: the corpus has addresses whose
# FPE domain is below 10^6, which FPE must refuse.)
fpe_types=(CN_MOBILE CN_LANDLINE CN_RESIDENT_ID BANK_CARD IMEI MEID IMSI ICCID MAC ANDROID_ID IDFA IDFV GAID OAID
    CN_PASSPORT HK_MACAU_PERMIT HKID TW_ID EMAIL)
fpe_ops=()
for t in "${fpe_types[@]}"; do fpe_ops+=(--op "$t=fpe"); done
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact --key-file "$K" "${fpe_ops[@]}" --default-op keep "$IN" -o "$WORK/fpe"
check "fpe (all FPE types): exit status 0 (got $RC)" [ "$RC" -eq 0 ]
[ "$RC" -eq 0 ] || show "$WORK/err"
run "$WORK/scan_fpe.jsonl" "$WORK/err" "$PIISCAN" scan --format jsonl "$WORK/fpe/sample"
check "fpe: outputs scan as the same types, in the same order" \
    cmp -s <(type_sequence <"$WORK/scan_in.tsv") <(findings "$WORK/scan_fpe.jsonl" "$WORK/fpe/sample" | type_sequence)
check "fpe: every file changed" same_text "$(changed_count "$IN" "$WORK/fpe/sample")" "$(file_list "$IN" | wc -l)"
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" reveal --key-file "$K" "${fpe_ops[@]}" --default-op keep "$WORK/fpe/sample" -o "$WORK/fpe_dec"
check "fpe reveal: exit status 0 (got $RC)" [ "$RC" -eq 0 ]
check "fpe: reveal(fpe(x)) == x for every file, every FPE type" files_equal "$IN" "$WORK/fpe_dec/sample"

# IP addresses: same text shape, exact round trip; too small a domain is refused.
printf 'a 203.118.47.199 b 2408:8207:24a6:5651:d4b5:8c4f:3e1a:0b2f%%eth0\nc fe80::1ff:fe23:4567:890a\n' >"$WORK/ip.txt"
run "$WORK/ip.fpe" "$WORK/err" "$PIISCAN" redact --key-file "$K" --op IPV4=fpe --op IPV6=fpe - <"$WORK/ip.txt"
check "fpe IPv4/IPv6: exit status 0 (got $RC)" [ "$RC" -eq 0 ]
check "fpe IPv4/IPv6: same length" same_text "$(wc -c <"$WORK/ip.fpe")" "$(wc -c <"$WORK/ip.txt")"
check "fpe IPv4/IPv6: values changed" not cmp -s "$WORK/ip.fpe" "$WORK/ip.txt"
run "$WORK/ip.dec" "$WORK/err" "$PIISCAN" reveal --key-file "$K" --op IPV4=fpe --op IPV6=fpe - <"$WORK/ip.fpe"
check "fpe IPv4/IPv6: reveal gives the exact bytes back" cmp -s "$WORK/ip.dec" "$WORK/ip.txt"
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact --key-file "$K" --op IPV4=fpe - <<<'dns 1.2.3.4'
check "fpe IPv4 1.2.3.4 (domain < 10^6): refused, exit 2 (got $RC)" [ "$RC" -eq 2 ]
check "fpe IPv4 refusal: the message names 10^6" has "$WORK/err" "10^6"

# Single values: a mobile keeps its network prefix and length and comes back.
printf '手机 13912345678\n' >"$WORK/one.txt"
run "$WORK/one.out" "$WORK/err" "$PIISCAN" redact --key-file "$K" --op CN_MOBILE=fpe - <"$WORK/one.txt"
fpe_value=$(sed -n 's/^手机 //p' "$WORK/one.out")
check "fpe CN_MOBILE: 11 digits, prefix 139 kept, value changed" \
    bash -c '[[ $1 =~ ^139[0-9]{8}$ ]] && [ "$1" != 13912345678 ]' _ "$fpe_value"
run "$WORK/rv.txt" "$WORK/err" "$PIISCAN" reveal --key-file "$K" --type CN_MOBILE "$fpe_value"
check "reveal --type CN_MOBILE <fpe value>: exit 0 (got $RC)" [ "$RC" -eq 0 ]
check "reveal --type CN_MOBILE <fpe value>: the original" same_text "$(cat "$WORK/rv.txt")" 13912345678
run "$WORK/tok.out" "$WORK/err" "$PIISCAN" redact --key-file "$K" --op EMAIL=encrypt - <<<'mail li.lei@example.com'
token=$(grep -o 'EMAIL_ENC_[A-Z2-7]*' "$WORK/tok.out" || true)
run "$WORK/rv.txt" "$WORK/err" "$PIISCAN" reveal --key-file "$K" --type CN_MOBILE "$fpe_value" "$token" "$fpe_value"
check "reveal --type: token and fpe values mixed, one line each" \
    same_text "$(cat "$WORK/rv.txt")" "$(printf '13912345678\nli.lei@example.com\n13912345678')"
run "$WORK/rv.txt" "$WORK/err" "$PIISCAN" reveal --key-file "$WORK/k2.key" --type EMAIL "$token"
check "reveal --type with another key: exit 2 (got $RC), nothing printed" rc_and_empty 2 "$WORK/rv.txt"

# ---- hash -----------------------------------------------------------------------
printf 'a 138-1234-5678\nb +86 13812345678\nc 13812345679\n' >"$WORK/phones.txt"
hash_tokens() { grep -o 'CN_MOBILE_[A-Z2-7]*' "$1" || true; }
run "$WORK/h1.txt" "$WORK/err" "$PIISCAN" redact --key-file "$K" --op CN_MOBILE=hash - <"$WORK/phones.txt"
mapfile -t toks < <(hash_tokens "$WORK/h1.txt")
check "hash: three tokens (got ${#toks[@]})" [ "${#toks[@]}" -eq 3 ]
check "hash: 138-1234-5678 and +86 13812345678 give the same token" same_text "${toks[0]:-x}" "${toks[1]:-y}"
check "hash: another number gives another token" [ "${toks[0]:-x}" != "${toks[2]:-x}" ]
check "hash: no digits of the numbers left" not grep -qE '1234|5678' "$WORK/h1.txt"
run "$WORK/h2.txt" "$WORK/err" env PIISCAN_KEY="$(cat "$K")" "$PIISCAN" redact --op CN_MOBILE=hash - <"$WORK/phones.txt"
check "hash: PIISCAN_KEY gives the same tokens as --key-file" cmp -s "$WORK/h1.txt" "$WORK/h2.txt"
run "$WORK/h3.txt" "$WORK/err" "$PIISCAN" redact --key-file "$WORK/k2.key" --op CN_MOBILE=hash - <"$WORK/phones.txt"
check "hash: another key gives other tokens" same_text "$(comm -12 <(hash_tokens "$WORK/h1.txt" | sort -u) <(hash_tokens "$WORK/h3.txt" | sort -u))" ""
PSE=$policies/pseudonymize.yaml
for i in 1 2; do
    run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact --key-file "$K" --policy "$PSE" "$IN" -o "$WORK/pse$i"
    check "pseudonymize.yaml run $i: exit status 0 (got $RC)" [ "$RC" -eq 0 ]
done
check "pseudonymize.yaml: two runs with one key are identical" diff -r "$WORK/pse1" "$WORK/pse2"
check "pseudonymize.yaml: no raw identifier left" no_values_in "$WORK/pse1"
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact --key-file "$WORK/k2.key" --policy "$PSE" "$IN" -o "$WORK/pse3"
all_tokens() { grep -rhoE '(CN_MOBILE|EMAIL|CN_RESIDENT_ID)_[A-Z2-7]{8,}' "$1" | sort -u; }
check "pseudonymize.yaml: tokens present" [ "$(all_tokens "$WORK/pse1" | wc -l)" -gt 50 ]
check "pseudonymize.yaml: another key shares no token" same_text "$(comm -12 <(all_tokens "$WORK/pse1") <(all_tokens "$WORK/pse3"))" ""

# ---- refusals -------------------------------------------------------------------
sum_in=$(tree_sum "$IN")
list_in=$(cd "$IN" && find . | sort)
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact "$IN" -o "$IN"
check "OUTDIR = input: exit status 2 (got $RC)" [ "$RC" -eq 2 ]
check "OUTDIR = input: message says why" has "$WORK/err" "inside this input"
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact "$IN" -o "$IN/sub/out"
check "OUTDIR inside input: exit status 2 (got $RC)" [ "$RC" -eq 2 ]
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact "$IN" -o "$IN/chat/../new"
check "OUTDIR inside input via ..: exit status 2 (got $RC)" [ "$RC" -eq 2 ]
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact "$IN/chat" -o "$IN"
check "input inside OUTDIR (output onto itself): exit status 2 (got $RC)" [ "$RC" -eq 2 ]
check "refused OUTDIRs: nothing created or changed in the input" same_text "$list_in" "$(cd "$IN" && find . | sort)"
check "refused OUTDIRs: input contents unchanged" same_text "$sum_in" "$(tree_sum "$IN")"

# Existing outputs: refused without --force (untouched), replaced with it.
E=$WORK/exist
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact "$IN" -o "$E"
echo old >"$E/sample/chat/kefu.txt"
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact "$IN" -o "$E"
check "existing output without --force: exit status 2 (got $RC)" [ "$RC" -eq 2 ]
check "existing output without --force: old file untouched" same_text "$(cat "$E/sample/chat/kefu.txt")" old
check "existing output without --force: message names it and --force" has "$WORK/err" "--force"
check "existing output without --force: message names the file" has "$WORK/err" "chat/kefu.txt"
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact --force "$IN" -o "$E"
check "existing output with --force: exit status 0 (got $RC)" [ "$RC" -eq 0 ]
check "existing output with --force: replaced by the redacted file" cmp -s "$E/sample/chat/kefu.txt" "$OUT/sample/chat/kefu.txt"
check "existing output with --force: mode of the input" same_text "$(stat -c %a "$E/sample/chat/kefu.txt")" 600
check "existing output: no temporary file left" no_tmp_files "$E"

# Keyed operators without a key: exit 2 before any output exists.
for args in "--op CN_MOBILE=hash" "--op EMAIL=encrypt" "--op IMEI=fpe" "--default-op hash" "--policy $PSE" "--policy $REV"; do
    # shellcheck disable=SC2086
    run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact $args "$IN" -o "$WORK/nokey"
    check "no key, $args: exit status 2 (got $RC)" [ "$RC" -eq 2 ]
    check "no key, $args: no output directory" not_exists "$WORK/nokey"
    check "no key, $args: message asks for a key" grep -q 'needs a key' "$WORK/err"
done
# shellcheck disable=SC2086
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact --op CN_MOBILE=hash - <"$WORK/phones.txt"
check "no key, stdin: exit status 2 (got $RC), nothing on stdout" rc_and_empty 2 "$WORK/out.txt"
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" reveal --type CN_MOBILE 13912345678
check "no key, reveal: exit status 2 (got $RC)" [ "$RC" -eq 2 ]
# ...but a keyless --op that shadows the only keyed entry needs no key.
printf 'types:\n  CN_MOBILE: hash\n' >"$WORK/mobile-hash.yaml"
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact --policy "$WORK/mobile-hash.yaml" --op CN_MOBILE=mask - <"$WORK/phones.txt"
check "no key needed when --op CN_MOBILE=mask shadows the policy's hash (exit 0, got $RC)" [ "$RC" -eq 0 ]
check "...and the mobile numbers are masked" grep -q '138\*\*\*\*5678' "$WORK/out.txt"

# Key file permissions.
install -m 644 "$K" "$WORK/k644.key"
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact --key-file "$WORK/k644.key" --op CN_MOBILE=hash "$IN" -o "$WORK/k644"
check "key file mode 0644: exit status 2 (got $RC)" [ "$RC" -eq 2 ]
check "key file mode 0644: no output directory" not_exists "$WORK/k644"
check "key file mode 0644: message names the file" has "$WORK/err" "k644.key"
check "key file mode 0644: the key is not printed" not grep -qF "$(cat "$K")" "$WORK/err"
install -m 400 "$K" "$WORK/k400.key"
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact --key-file "$WORK/k400.key" --op CN_MOBILE=hash - <"$WORK/phones.txt"
check "key file mode 0400 (stricter): accepted (exit 0, got $RC)" [ "$RC" -eq 0 ]

# Bad policies: FILE:LINE:COL.
while IFS=' ' read -r name pos; do
    run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact --policy "$policies/bad/$name" "$IN" -o "$WORK/badpol"
    check "bad policy $name: exit status 2 (got $RC)" [ "$RC" -eq 2 ]
    check "bad policy $name: error at $name:$pos" grep -qF "bad/$name:$pos: " "$WORK/err"
    check "bad policy $name: no output directory" not_exists "$WORK/badpol"
done <<'EOF'
unknown-type.yaml 3:3
unknown-operator.yaml 4:14
syntax.yaml 4:17
unknown-field.yaml 3:1
bad-confidence.yaml 3:17
EOF
check "every bad/*.yaml is exercised" same_text "$(find "$policies/bad" -name '*.yaml' | wc -l)" 5
for p in default-mask pseudonymize reversible; do
    run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact --key-file "$K" --policy "$policies/$p.yaml" - <"$WORK/phones.txt"
    check "example policy $p.yaml loads (exit 0, got $RC)" [ "$RC" -eq 0 ]
done
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact --policy "$policies/default-mask.yaml" "$IN" -o "$WORK/dm"
check "default-mask.yaml: the same output as no policy" diff -r "$OUT" "$WORK/dm"

# stdin / stdout.
printf 'call 13812345678 now\nplain line\n' >"$WORK/stdin.txt"
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact - <"$WORK/stdin.txt"
check "redact -: exit status 0 (got $RC)" [ "$RC" -eq 0 ]
check "redact -: filters stdin to stdout" same_text "$(cat "$WORK/out.txt")" "$(printf 'call 138****5678 now\nplain line')"
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact - </dev/null
check "redact - on empty input: exit 0 (got $RC), empty output" rc_and_empty 0 "$WORK/out.txt"
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact - -o "$WORK/stdin-out" <"$WORK/stdin.txt"
check "redact - -o: exit status 2 (got $RC)" [ "$RC" -eq 2 ]
check "redact - -o: no output directory" not_exists "$WORK/stdin-out"
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact "$IN"
check "redact PATH without -o: exit status 2 (got $RC)" [ "$RC" -eq 2 ]

# ---- atomicity ------------------------------------------------------------------
# FPE is refused for birth dates: the files with one fail, the others are written.
A=$WORK/atomic
mkdir -p "$A/sample/chat"
echo old >"$A/sample/chat/kefu.txt"
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact --force --key-file "$K" --op BIRTH_DATE=fpe "$IN" -o "$A"
check "fpe on BIRTH_DATE: exit status 2 (got $RC)" [ "$RC" -eq 2 ]
check "fpe on BIRTH_DATE: message names the file" grep -q 'chat/kefu.txt: .*BIRTH_DATE' "$WORK/err"
check "fpe on BIRTH_DATE: message says nothing was written" grep -q 'nothing written' "$WORK/err"
check "fpe on BIRTH_DATE: stderr well formed" stderr_well_formed "$WORK/err"
check "fpe on BIRTH_DATE: the older output is not replaced" same_text "$(cat "$A/sample/chat/kefu.txt")" old
check "fpe on BIRTH_DATE: a failed file is not written" not_exists "$A/sample/android/logcat.txt"
check "fpe on BIRTH_DATE: a file without birth dates is written" cmp -s "$A/sample/config/app.ini" "$OUT/sample/config/app.ini"
check "fpe on BIRTH_DATE: no temporary file left" no_tmp_files "$A"
run "$WORK/out.txt" "$WORK/err" "$PIISCAN" redact --key-file "$K" --op BIRTH_DATE=fpe - <"$IN/chat/kefu.txt"
check "fpe on BIRTH_DATE, stdin: exit status 2 (got $RC)" [ "$RC" -eq 2 ]
check "fpe on BIRTH_DATE, stdin: no birth date let through" no_values_in "$WORK/out.txt"
check "no temporary file in any output" no_tmp_files "$WORK"

# ---- inputs never modified --------------------------------------------------------
check "inputs unchanged after every run" same_text "$sum_before" "$(tree_sum "$IN")"
check "repository corpus unchanged" same_text "$repo_sum_before" "$(tree_sum "$SRCDIR/corpora/sample")"

finish

#!/usr/bin/env bash
# formats.sh -- every report format on the sample corpus, -o, and keyed
# fingerprints.
#
# For --format jsonl, json, csv, sarif and summary: exit status 1, a
# non-empty report that parses (JSON with jq), the right number of findings
# where the format has one record per finding, the JSONL summary as the last
# line, the CSV header -- and no raw value anywhere unless --show-values.
# -o FILE writes the file and leaves stdout empty.  --key-file with a 0600
# file gives the same fingerprints in two runs (and a different key gives
# different ones); a 0644 key file is refused with exit status 2.  Without a
# key, equal values still share one fingerprint within a report.
#
# Env (set by ctest): PIISCAN = binary, SRCDIR = repository root.
# jq programs are single-quoted on purpose; helpers are called through check.
# shellcheck disable=SC2016,SC2317
set -euo pipefail
# shellcheck source=lib/harness.bash
. "$(dirname "${BASH_SOURCE[0]}")/lib/harness.bash"
require_binary
unset PIISCAN_KEY   # "no key" must mean no key

sample=$SRCDIR/corpora/sample
expected=$SRCDIR/corpora/expected/sample.tsv
grep -v -e '^#' -e '^$' "$expected" >"$WORK/expected.tsv"
n_exp=$(wc -l <"$WORK/expected.tsv")

# Raw values that must never leak: the first expected value of each of these
# types (long enough that they cannot occur by accident in a report).
secrets=()
for t in CN_MOBILE CN_RESIDENT_ID EMAIL BANK_CARD IMEI IDFA IMSI CN_PASSPORT; do
    v=$(awk -F '\t' -v t="$t" '$3 == t { print $4; exit }' "$WORK/expected.tsv")
    if [ -n "$v" ]; then secrets+=("$v"); fi
done
if [ "${#secrets[@]}" -lt 6 ]; then
    fail "corpora/expected/sample.tsv provides values to look for (got ${#secrets[@]})"
    finish
fi

# leaks FILE: print the secrets found in FILE; succeed only if there is none.
no_leak() {
    local v found=0
    for v in "${secrets[@]}"; do
        if grep -qF -- "$v" "$1"; then
            echo "    raw value leaked: $v"
            found=1
        fi
    done
    [ "$found" -eq 0 ]
}
all_present() {
    local v
    for v in "${secrets[@]}"; do grep -qF -- "$v" "$1" || return 1; done
}
jsonl_parses() { jq -c . "$1" >/dev/null 2>&1; }
json_parses() { jq -e . "$1" >/dev/null 2>&1; }
last_is_summary() { jq_ok "$(tail -n 1 "$1")" '.kind == "summary"'; }
jsonl_findings() { jq -s '[.[] | select(.kind == "finding")] | length' "$1"; }
json_findings() { # records that look like findings, wherever the document nests them
    jq '[.. | objects | select(has("type") and has("start") and has("fingerprint"))] | length' "$1"
}
sarif_ok() { jq -e '.version == "2.1.0" and (.runs | length) >= 1' "$1" >/dev/null 2>&1; }
sarif_results() { jq '[.runs[].results[]] | length' "$1"; }
csv_header_ok() {
    local h
    h=$(head -n 1 "$1" | tr '[:upper:]' '[:lower:]')
    case ",$h," in *,path,*) ;; *) return 1 ;; esac
    case ",$h," in *,type,*) ;; *) return 1 ;; esac
}
csv_rows() { echo $(($(wc -l <"$1") - 1)); }
equal() { [ "$1" = "$2" ]; }

# ---- each format ----------------------------------------------------------------
for fmt in jsonl json csv sarif summary; do
    out=$WORK/report.$fmt
    run "$out" "$WORK/err" "$PIISCAN" scan --format "$fmt" "$sample"
    check "$fmt: exit status 1 (got $RC)" [ "$RC" -eq 1 ]
    check "$fmt: report is not empty" [ -s "$out" ]
    check "$fmt: nothing on stderr" [ ! -s "$WORK/err" ]
    check "$fmt: no raw value without --show-values" no_leak "$out"
    case $fmt in
    jsonl)
        check "jsonl: every line is JSON" jsonl_parses "$out"
        check "jsonl: the summary is the last line" last_is_summary "$out"
        check "jsonl: $n_exp findings" equal "$(jsonl_findings "$out" 2>/dev/null)" "$n_exp"
        ;;
    json)
        check "json: parses" json_parses "$out"
        check "json: $n_exp findings" equal "$(json_findings "$out" 2>/dev/null)" "$n_exp"
        ;;
    sarif)
        check "sarif: parses, version 2.1.0, one run" sarif_ok "$out"
        check "sarif: $n_exp results" equal "$(sarif_results "$out" 2>/dev/null)" "$n_exp"
        ;;
    csv)
        check "csv: header with path and type columns" csv_header_ok "$out"
        check "csv: $n_exp data rows" equal "$(csv_rows "$out")" "$n_exp"
        ;;
    summary)
        check "summary: names the types found" grep -q CN_MOBILE "$out"
        ;;
    esac
done

# The leak check means something only if the values are in the corpus output.
run "$WORK/shown.jsonl" "$WORK/err" "$PIISCAN" scan --format jsonl --show-values "$sample"
check "--show-values: the same values do appear" all_present "$WORK/shown.jsonl"

# ---- -o FILE ------------------------------------------------------------------------
mkdir "$WORK/odir"
run "$WORK/stdout" "$WORK/err" "$PIISCAN" scan -f jsonl -o "$WORK/odir/report.jsonl" "$sample"
check "-o: exit status 1 (got $RC)" [ "$RC" -eq 1 ]
check "-o: stdout stays empty" [ ! -s "$WORK/stdout" ]
check "-o: the file is written" [ -s "$WORK/odir/report.jsonl" ]
check "-o: the file is a complete report" last_is_summary "$WORK/odir/report.jsonl"
check "-o: no temporary file left behind" equal "$(find "$WORK/odir" -mindepth 1 | wc -l)" 1
check "-o: no raw value in the file" no_leak "$WORK/odir/report.jsonl"

# ---- --key-file ---------------------------------------------------------------------
new_key() { # FILE: 32 random bytes as 64 hex digits, mode 0600
    (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$1")
    chmod 0600 "$1"
}
fingerprints() { # JSONL -> "path start type fingerprint" lines
    jq -r 'select(.kind == "finding") | [.path, .start, .type, .fingerprint] | @tsv' "$1" | sort
}
new_key "$WORK/key"
new_key "$WORK/key2"
run "$WORK/k1.jsonl" "$WORK/err" "$PIISCAN" scan --format jsonl --key-file "$WORK/key" "$sample"
check "--key-file 0600: exit status 1 (got $RC)" [ "$RC" -eq 1 ]
run "$WORK/k2.jsonl" "$WORK/err" "$PIISCAN" scan --format jsonl --key-file "$WORK/key" "$sample"
run "$WORK/k3.jsonl" "$WORK/err" "$PIISCAN" scan --format jsonl --key-file "$WORK/key2" "$sample"
fingerprints "$WORK/k1.jsonl" >"$WORK/fp1"
fingerprints "$WORK/k2.jsonl" >"$WORK/fp2"
fingerprints "$WORK/k3.jsonl" >"$WORK/fp3"
fp_shape_ok() { ! cut -f4 "$1" | grep -qvE '^[0-9a-f]{16}$' && [ -s "$1" ]; }
check "--key-file: fingerprints are 16 hex digits" fp_shape_ok "$WORK/fp1"
check "--key-file: two runs give identical fingerprints" cmp -s "$WORK/fp1" "$WORK/fp2"
check "--key-file: another key gives other fingerprints" eval '! cmp -s "$WORK/fp1" "$WORK/fp3"'
check "--key-file: the key never appears in the report" eval '! grep -qF "$(cat "$WORK/key")" "$WORK/k1.jsonl"'

cp "$WORK/key" "$WORK/key644"
chmod 0644 "$WORK/key644"
run "$WORK/k644.jsonl" "$WORK/err" "$PIISCAN" scan --format jsonl --key-file "$WORK/key644" "$sample"
check "--key-file 0644: refused with exit status 2 (got $RC)" [ "$RC" -eq 2 ]
check "--key-file 0644: the message names the key file" grep -qF "$WORK/key644" "$WORK/err"
check "--key-file 0644: no finding is reported" equal "$(grep -c '"kind":"finding"' "$WORK/k644.jsonl" || true)" 0

# ---- no key: equal values, equal fingerprints within one report ------------------
# (shown.jsonl was made without a key.)
same_value_same_fp() {
    jq -e -s '[.[] | select(.kind == "finding")] | group_by([.type, .value])
              | all(.[]; (map(.fingerprint) | unique | length) == 1)' "$1" >/dev/null 2>&1
}
repeated_values() {
    jq -s '[.[] | select(.kind == "finding")] | group_by([.type, .value]) | map(select(length > 1)) | length' "$1"
}
check "no key: the corpus repeats some values (the next check is not vacuous)" \
    eval '[ "$(repeated_values "$WORK/shown.jsonl")" -gt 0 ]'
check "no key: equal values share one fingerprint" same_value_same_fp "$WORK/shown.jsonl"
distinct_fp_ok() { # distinct values rarely collide: as many fingerprints as values
    jq -e -s '[.[] | select(.kind == "finding")]
              | ([.[] | [.type, .value]] | unique | length) as $v
              | ([.[] | [.type, .fingerprint]] | unique | length) as $f
              | $f >= ($v * 0.9)' "$1" >/dev/null 2>&1
}
check "no key: different values get different fingerprints" distinct_fp_ok "$WORK/shown.jsonl"

finish

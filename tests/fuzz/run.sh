#!/usr/bin/env bash
# Build the libFuzzer targets and run each for a while.
#
#   tests/fuzz/run.sh BUILD_DIR [SECONDS] [TARGET...]
#
# SECONDS defaults to 20 per target; TARGET defaults to all of them.  New
# corpus entries go to BUILD_DIR/fuzz-corpus/<target> (corpora/ in the source
# tree is only read), crash inputs to BUILD_DIR/fuzz-artifacts/, libFuzzer's
# own progress lines to BUILD_DIR/fuzz-logs/<target>.log: one line per target
# is printed, and the log's last 60 lines when it fails.  Exits non-zero if a
# build fails or any target crashes.
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 BUILD_DIR [SECONDS] [TARGET...]" >&2
  exit 2
fi
build=$1
secs=${2:-20}
shift $(( $# >= 2 ? 2 : 1 ))
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(fuzz_tokenizer fuzz_window fuzz_scan fuzz_struct fuzz_shortcuts fuzz_gzip)

src=$(cd "$(dirname "$0")/../.." && pwd)
cc=${CC:-}
if [[ -z $cc ]]; then
  cc=$(command -v clang || command -v clang-14 || true)
fi
[[ -n $cc ]] || { echo "run.sh: clang not found" >&2; exit 2; }

cmake -S "$src" -B "$build" -DCMAKE_C_COMPILER="$cc" -DPIISCAN_FUZZ=ON \
      -DPIISCAN_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --parallel "$(nproc)" --target "${targets[@]}"

mkdir -p "$build/fuzz-artifacts" "$build/fuzz-logs"
seeds=()
[[ -d $src/corpora ]] && seeds+=("$src/corpora")

status=0
for t in "${targets[@]}"; do
  corpus=$build/fuzz-corpus/$t
  mkdir -p "$corpus"
  extra=()
  [[ -d $src/corpora/fuzz/$t ]] && extra+=("$src/corpora/fuzz/$t")
  log=$build/fuzz-logs/$t.log
  if "$build/tests/fuzz/$t" -max_total_time="$secs" -max_len=65536 -timeout=25 \
        -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$t-" \
        "$corpus" "${extra[@]}" "${seeds[@]}" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "== $t: ok, ${runs:-?} runs in ${secs}s"
  else
    echo "== $t: FAILED (artifacts in $build/fuzz-artifacts); last 60 lines of $log:" >&2
    tail -n 60 "$log" >&2
    status=1
  fi
done
exit $status

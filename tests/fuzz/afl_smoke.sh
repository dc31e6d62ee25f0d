#!/usr/bin/env bash
# AFL++ smoke run (tests/run, full mode): build one libFuzzer harness with
# afl-clang-fast (make build-afl/fuzz_NAME, the rule behind make fuzz-afl)
# and fuzz it with afl-fuzz for AFL_SECONDS (default 20) from its seed
# corpus, so the AFL++ build of the same harnesses cannot rot. TAP output.
#
#   tests/fuzz/afl_smoke.sh [NAME]        (default bgp_msg)
set -u
cd "$(dirname "$0")/../.."
name=${1:-bgp_msg}
secs=${AFL_SECONDS:-20}
bin=build-afl/fuzz_$name
out=build-afl/out-$name

if ! command -v afl-fuzz >/dev/null || ! command -v afl-clang-fast >/dev/null; then
  echo "ok 1 - AFL++ build of fuzz_$name # SKIP afl++ not installed"
  echo "1..1"; exit 0
fi
mkdir -p build-afl
if make -s "$bin" >build-afl/build.log 2>&1; then
  echo "ok 1 - AFL++ build of fuzz_$name"
else
  tail -20 build-afl/build.log; echo "not ok 1 - AFL++ build of fuzz_$name"
  echo "1..1"; exit 1
fi
rm -rf "$out"
# No UI, no CPU binding (the machine is shared), ASan needs no memory
# limit; crashes are reported by the stats file, not by core dumps.
# afl-fuzz refuses ASAN_OPTIONS without symbolize=0 (tests/run exports
# its own for the sanitizer runs), and leak checks would slow every exec.
ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0 \
UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:symbolize=0 \
AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 \
AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_STARTUP_CALIBRATION=1 \
  afl-fuzz -V "$secs" -m none -t 1000 -i "tests/fuzz/corpus/$name" \
  -o "$out" -- "$bin" >"$out.log" 2>&1
rc=$?
stats=$out/default/fuzzer_stats
st() { awk -F: -v k="$1" '$1 ~ "^"k" *$" { gsub(/ /, "", $2); print $2 }' "$stats" 2>/dev/null; }
execs=$(st execs_done) crashes=$(st saved_crashes)
if [ $rc -eq 0 ] && [ "${execs:-0}" -gt 0 ] && [ "${crashes:-x}" = 0 ]; then
  echo "ok 2 - afl-fuzz fuzz_$name ${secs}s: $execs executions, no crash"
else
  tail -20 "$out.log"
  echo "not ok 2 - afl-fuzz fuzz_$name (exit $rc, execs '${execs:-}', crashes '${crashes:-}')"
  ls "$out/default/crashes" 2>/dev/null | sed 's/^/# crash: /'
fi
echo "1..2"

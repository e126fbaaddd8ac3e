#!/usr/bin/env bash
# A short run of every libFuzzer target in fuzz/ (the CTest test fuzz.short):
# builds them with clang in a build directory of their own, then runs each
# for GT_FUZZ_SECONDS (20) from its seed corpus in fuzz/corpus/<name>/,
# copied so the repository's corpus is left alone. A crash, a leak, a UBSan
# report or a broken invariant fails the test, and the input that did it is
# kept in <build>/artifacts/. Exit 77 (skipped, never passed) when clang or
# its libFuzzer runtime is missing.
#   usage: short_fuzz.sh <source dir> <build dir>
set -uo pipefail
src=${1:?source dir} build=${2:?build dir}
secs=${GT_FUZZ_SECONDS:-20}
jobs=${GT_FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}

cc=$(command -v clang || command -v clang-14 || true)
if [ -z "$cc" ]; then
	echo "fuzz.short: clang not found: skipped (apt-get install clang)"
	exit 77
fi
mkdir -p "$build"
probe="$build/probe"
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$probe.c"
if ! "$cc" -fsanitize=fuzzer "$probe.c" -o "$probe" 2>"$probe.log"; then
	echo "fuzz.short: $cc cannot link libFuzzer programs: skipped"
	cat "$probe.log"
	exit 77
fi

cmake -S "$src" -B "$build" -DGT_FUZZ=ON -DCMAKE_C_COMPILER="$cc" -DGT_WERROR=OFF \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build/configure.log" 2>&1 ||
	{ cat "$build/configure.log"; echo "fuzz.short: configure failed"; exit 1; }
targets=()
for f in "$src"/fuzz/fuzz_*.c; do
	targets+=("$(basename "$f" .c)")
done
cmake --build "$build" -j "$jobs" --target "${targets[@]}" >"$build/build.log" 2>&1 ||
	{ tail -50 "$build/build.log"; echo "fuzz.short: build failed"; exit 1; }

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
mkdir -p "$build/artifacts"
status=0
for t in "${targets[@]}"; do
	name=${t#fuzz_}
	work="$build/corpus-$name"
	rm -rf "$work"
	mkdir -p "$work"
	seeds=()
	[ -d "$src/fuzz/corpus/$name" ] && seeds=("$src/fuzz/corpus/$name")
	log="$build/$t.log"
	"$build/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$build/artifacts/$name-" "$work" "${seeds[@]}" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
	if [ "$rc" -ne 0 ]; then
		echo "fuzz.short: $t FAILED (exit $rc); input in $build/artifacts/"
		grep -E 'fuzz invariant|ERROR|SUMMARY|runtime error|Assertion' "$log" | head -20
		status=1
	else
		echo "fuzz.short: $t ok: ${execs:-?} executions in ${secs} s, ${cov:-cov: ?}"
		grep 'known issue' "$log" | sort -u
	fi
done
exit $status

#!/usr/bin/env bash
# test.sh — builds libmtrr every way it ships and runs every test:
#   1. gcc, static, -Werror: unit tests, fuzz-corpus replays, tool goldens,
#      the KVM example (skipped where /dev/kvm is unusable), install consumer
#   2. clang, shared library, -Werror: the same
#   3. ASan+UBSan (no recovery): the same
#   4. gcc coverage: gcovr gates libmtrr/ at >= 95 % lines, >= 90 % branches
#   5. clang + libFuzzer: each fuzz target for a bounded time
# Ends with one "N passed, N failed" line; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
need_pkgs cmake make gcc g++ clang libc6-dev pkg-config libcmocka-dev gcovr libclang-rt-14-dev \
	libxml2-utils zip

root=${MTRR_BUILD_ROOT:-build/test}
jobs=$(nproc)
fuzz_seconds=${MTRR_FUZZ_SECONDS:-20}
passed=0
failed=0
failures=()

# step NAME COMMAND...: runs a step, counts it, never stops the script.
step() {
	local name=$1
	shift
	echo
	echo "== $name"
	if "$@"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failures+=("$name")
		echo "!! FAILED: $name"
	fi
}

# build_and_test DIR CMAKE-ARGS...: configure, build, ctest.
build_and_test() {
	local dir=$1
	shift
	cmake -S . -B "$dir" -DMTRR_WERROR=ON "$@" >/dev/null &&
		cmake --build "$dir" -j"$jobs" >/dev/null &&
		ctest --test-dir "$dir" --output-on-failure -j"$jobs"
}

coverage() {
	local dir=$root/coverage
	rm -rf "$dir"
	build_and_test "$dir" -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Coverage \
		-DMTRR_BUILD_BENCH=OFF || return 1
	mkdir -p "$dir/report"
	gcovr -r . --object-directory "$dir" --filter 'libmtrr/' --gcov-ignore-parse-errors \
		--print-summary --fail-under-line 95 --fail-under-branch 90 \
		--html-details "$dir/report/index.html" --cobertura "$dir/report/coverage.xml"
}

fuzz() {
	local dir=$root/libfuzzer
	cmake -S . -B "$dir" -DCMAKE_C_COMPILER=clang -DMTRR_LIBFUZZER=ON -DMTRR_BUILD_TESTS=OFF \
		-DMTRR_BUILD_BENCH=OFF -DMTRR_BUILD_TOOLS=ON -DMTRR_BUILD_EXAMPLES=OFF \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null &&
		cmake --build "$dir" -j"$jobs" >/dev/null &&
		bash fuzz/run_fuzzers.sh "$dir" "$fuzz_seconds"
}

step "gcc, static" build_and_test "$root/gcc" -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo
step "clang, shared" build_and_test "$root/clang" -DCMAKE_C_COMPILER=clang \
	-DBUILD_SHARED_LIBS=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
step "ASan+UBSan" build_and_test "$root/asan" -DCMAKE_C_COMPILER=clang -DMTRR_SANITIZE=ON \
	-DCMAKE_BUILD_TYPE=Debug -DMTRR_BUILD_BENCH=OFF
step "coverage" coverage
step "libFuzzer (${fuzz_seconds}s per target)" fuzz

echo
[ ${#failures[@]} -eq 0 ] || echo "failed steps: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/bin/sh
# run_fuzzers.sh BUILD_DIR SECONDS [TARGET...]
#
# Runs each libFuzzer target for SECONDS (-max_total_time), one after the
# other, on a temporary copy of its committed corpus (fuzz/corpus/<name>/ is
# never modified) with its dictionary.  Exits non-zero if any target finds a
# crash, a leak, a timeout or an out-of-memory; the input is kept in
# BUILD_DIR/fuzz-findings/ and the command to replay it is printed.
#
# BUILD_DIR must be (or becomes) a clang build with -DMTRR_LIBFUZZER=ON: when
# it has no CMakeCache.txt, it is configured here (CC=clang).  The targets
# are (re)built with -j2 before running.  Extra libFuzzer flags can be given
# in FUZZ_FLAGS, e.g. FUZZ_FLAGS=-jobs=2.
#
# A slow input is a finding.  Every call a VMM makes on guest-chosen state
# has a documented worst case (include/mtrr.h, BOUNDED WORK: <= 2 ms per call
# in Release), and every target makes a bounded number of such calls per
# input.  Instrumented (ASan+UBSan+coverage), the slowest input measured
# over the grown corpora of 60 s runs took 40 ms (the resolver target with
# all its map-wide checks on; the others stayed under 25 ms).  -timeout=2
# (FUZZ_TIMEOUT, in seconds: libFuzzer's granularity) leaves 50x that, yet a
# call that walks runs one by one (2^39 of them for one non-contiguous
# mask) or loops blows through it at once and becomes a crash with a
# reproducer.  -report_slow_units=1 names every input over 1 s in the log
# before it would time out.
set -eu

if [ $# -lt 2 ]; then
	echo "usage: $0 BUILD_DIR SECONDS [TARGET...]" >&2
	exit 2
fi
build=$1
secs=$2
shift 2
src=$(cd "$(dirname "$0")/.." && pwd)

if [ ! -f "$build/CMakeCache.txt" ]; then
	CC=${CC:-clang} cmake -S "$src" -B "$build" -DMTRR_LIBFUZZER=ON \
		-DMTRR_BUILD_TESTS=OFF -DMTRR_BUILD_BENCH=OFF \
		-DMTRR_BUILD_EXAMPLES=OFF >/dev/null
fi
if ! grep -q '^MTRR_LIBFUZZER:BOOL=ON' "$build/CMakeCache.txt"; then
	echo "$0: $build is not a -DMTRR_LIBFUZZER=ON build" >&2
	exit 2
fi
cmake --build "$build" -j2 >/dev/null

if [ $# -eq 0 ]; then
	set -- resolver diff_cover range msr snapshot pat plan parse
fi

findings=$build/fuzz-findings
mkdir -p "$findings"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
status=0

for name in "$@"; do
	bin=$build/fuzz/${name}_fuzzer
	if [ ! -x "$bin" ]; then
		echo "== $name: not built, skipped"
		continue
	fi
	mkdir -p "$work/$name"
	cp "$src/fuzz/corpus/$name/"* "$work/$name/"
	dict=
	if [ -f "$src/fuzz/$name.dict" ]; then
		dict=-dict=$src/fuzz/$name.dict
	fi
	echo "== $name: ${secs}s"
	# -timeout: a slow input is a finding (see above); -error_exitcode:
	# findings -> 77, timeouts -> 78.
	# shellcheck disable=SC2086
	if "$bin" -max_total_time="$secs" -timeout="${FUZZ_TIMEOUT:-2}" \
		-report_slow_units=1 -rss_limit_mb=2048 \
		-print_final_stats=1 -error_exitcode=77 -timeout_exitcode=78 \
		-artifact_prefix="$findings/$name-" $dict ${FUZZ_FLAGS:-} \
		"$work/$name" >"$work/$name.log" 2>&1; then
		grep -E '^(Done|stat::(number_of_executed_units|average_exec_per_sec|slowest_unit_time_sec|peak_rss_mb))|DONE|Slowest unit' \
			"$work/$name.log" || true
	else
		status=1
		tail -n 40 "$work/$name.log"
		echo "== $name: FAILED; replay with: $bin $findings/$name-*" >&2
	fi
done
exit $status

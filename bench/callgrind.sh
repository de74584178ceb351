#!/bin/sh
# callgrind.sh — instructions per lookup, counted by valgrind's callgrind: the
# figure that does not move with the machine's load.
#
#   bench/callgrind.sh [--strict] [MTRR_BENCH [N]]
#
# For each typical configuration and input set it runs `mtrr_bench --count
# CONFIG SET IMPL N` once with N and once with 2N lookups; the difference of
# the two instruction totals, divided by N, cancels the setup (state, map,
# inputs).  The same is done for IMPL "none" (the loop without a lookup), whose
# cost is subtracted: what remains is the call and the lookup itself.
# --strict exits 1 when the map needs more than 20 instructions per lookup.
set -eu

strict=0
if [ "${1:-}" = "--strict" ]; then
	strict=1
	shift
fi
bench=${1:-./bench/mtrr_bench}
n=${2:-100000}
target=20

if ! command -v valgrind >/dev/null 2>&1; then
	echo "callgrind.sh: valgrind is not installed" >&2
	exit 2
fi
if [ ! -x "$bench" ]; then
	echo "callgrind.sh: $bench is not an executable (pass the path of mtrr_bench)" >&2
	exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# Total instructions of one run: callgrind's "summary:" line.
ir() {
	valgrind --tool=callgrind --callgrind-out-file="$tmp/out" "$bench" --count "$@" \
		>/dev/null 2>"$tmp/log" || { cat "$tmp/log" >&2; exit 2; }
	awk '/^summary:/ { print $2 }' "$tmp/out"
}

# Instructions per call of IMPL beyond those of N calls: (I(2N) - I(N)) / N.
per_call() {
	a=$(ir "$1" "$2" "$3" "$n")
	b=$(ir "$1" "$2" "$3" $((2 * n)))
	awk -v a="$a" -v b="$b" -v n="$n" 'BEGIN { printf "%.2f", (b - a) / n }'
}

missed=0
printf 'instructions per lookup (callgrind, N = %s, loop overhead subtracted)\n' "$n"
printf '%-10s %-8s %8s %8s %8s %8s %8s   %s\n' config inputs map inline ref scan list "map <= $target"
for cfg in desktop qemu-ovmf; do
	for set in uniform below4g seq4k; do
		loop=$(per_call "$cfg" "$set" none)
		line=$(printf '%-10s %-8s' "$cfg" "$set")
		mapv=0
		for impl in map inline ref scan list; do
			v=$(per_call "$cfg" "$set" "$impl")
			v=$(awk -v v="$v" -v l="$loop" 'BEGIN { printf "%.1f", v - l }')
			[ "$impl" = map ] && mapv=$v
			line="$line $(printf '%8s' "$v")"
		done
		if awk -v v="$mapv" -v t="$target" 'BEGIN { exit !(v <= t) }'; then
			verdict=met
		else
			verdict=MISSED
			missed=1
		fi
		printf '%s   %s\n' "$line" "$verdict"
	done
done
printf '(loop overhead per call, subtracted above: %s instructions)\n' "$loop"
if [ "$strict" = 1 ] && [ "$missed" = 1 ]; then
	exit 1
fi
exit 0

#!/bin/sh
# ossfuzz.sh — OSS-Fuzz style build (the build.sh of an OSS-Fuzz project).
#
# Uses the OSS-Fuzz environment: $CC $CFLAGS compile the library, the dump
# parser and every fuzz/<name>_fuzzer.c; $LIB_FUZZING_ENGINE is the fuzzing
# engine to link (-fsanitize=fuzzer for libFuzzer); the link uses $CXX
# $CXXFLAGS when $CXX is set (engines are C++), else $CC $CFLAGS.  Writes
# $OUT/<name>, $OUT/<name>_seed_corpus.zip and $OUT/<name>.dict.
#
# Locally, e.g.:
#   CC=clang CFLAGS="-fsanitize=address,fuzzer-no-link" \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=/tmp/out fuzz/ossfuzz.sh
set -eu

: "${CC:?}" "${OUT:?}" "${LIB_FUZZING_ENGINE:?}"
CFLAGS=${CFLAGS:-}
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "${WORK:-}" ]; then
	work=$WORK
else
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT INT TERM
fi
mkdir -p "$OUT" "$work/obj"
if [ -n "${CXX:-}" ]; then
	link="$CXX ${CXXFLAGS:-}"
else
	link="$CC $CFLAGS"
fi

# cc OUTPUT SOURCE: one object, with the flags of the environment.
cc() {
	# shellcheck disable=SC2086
	$CC $CFLAGS -std=c11 -DMTRR_STATIC -I"$root/include" -I"$root/libmtrr" \
		-I"$root/tools" -I"$root/fuzz" -c "$2" -o "$1"
}

lib=
for f in "$root"/libmtrr/*.c; do
	o=$work/obj/lib_$(basename "$f" .c).o
	cc "$o" "$f"
	lib="$lib $o"
done
parse=
for f in "$root"/tools/parse*.c; do
	[ -f "$f" ] || continue
	o=$work/obj/tool_$(basename "$f" .c).o
	cc "$o" "$f"
	parse="$parse $o"
done

for f in "$root"/fuzz/*_fuzzer.c; do
	name=$(basename "$f" _fuzzer.c)
	extra=
	if [ "$name" = parse ]; then
		[ -n "$parse" ] || continue
		extra=$parse
	fi
	cc "$work/obj/$name.o" "$f"
	# shellcheck disable=SC2086
	$link "$work/obj/$name.o" $extra $lib $LIB_FUZZING_ENGINE -o "$OUT/$name"
	if [ -d "$root/fuzz/corpus/$name" ]; then
		rm -f "$OUT/${name}_seed_corpus.zip"
		(cd "$root/fuzz/corpus/$name" && zip -q -j "$OUT/${name}_seed_corpus.zip" ./*)
	fi
	if [ -f "$root/fuzz/$name.dict" ]; then
		cp "$root/fuzz/$name.dict" "$OUT/$name.dict"
	fi
	echo "built $OUT/$name"
done

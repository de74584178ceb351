#!/bin/sh
# test_tool.sh TOOL DATA_DIR — runs the `mtrr` tool on the dumps in DATA_DIR
# and compares exit status, stdout and stderr with DATA_DIR/golden/<case>.out
# and .err (no .err file: stderr must be empty).  The cases are listed below
# as  name|exit status|file for stdin (or empty)|arguments.  In arguments,
# @PIC@ stands for a picture file the case writes (map --svg/--html); it is
# compared with golden/<case>.svg or .html, checked for well-formedness with
# xmllint, and rendered with a headless Chromium whose screenshot must not
# be empty.  Both checks say "skip" when the program is missing.
#
# The golden files were checked by hand (maps worked out from the registers,
# see tests/data/README.md).  After a deliberate output change, regenerate
# them with MTRR_UPDATE_GOLDEN=1 and check the diff by hand again.
set -u
set -f
TOOL=$1
DATA=$2
GOLDEN=$DATA/golden
LC_ALL=C
export LC_ALL
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0
count=0
pictures=
has_python=
command -v python3 >/dev/null 2>&1 && has_python=yes
# the pictures a browser renders (each screenshot costs seconds)
render="svg-intel.svg svg-overlap.svg svg-noncontig.svg html-old-kernel.html"

while IFS='|' read -r name want input args; do
	case $name in ''|'#'*) continue ;; esac
	count=$((count + 1))
	pic=
	case $want/$args in
	0/*--svg\ @PIC@*) pic=$name.svg ;;
	0/*--html\ @PIC@*) pic=$name.html ;;
	esac
	rm -f "$tmp/picture"
	# --json output must parse (checked where python3 is installed)
	json=
	case " $args " in *" --json "*) [ "$want" = 2 ] || json=$has_python ;; esac
	# shellcheck disable=SC2086
	set -- $args
	for a in "$@"; do
		shift
		if [ "$a" = @PIC@ ]; then set -- "$@" "$tmp/picture"; else set -- "$@" "$a"; fi
	done
	if [ -n "$input" ]; then
		(cd "$DATA" && "$TOOL" "$@" <"$input" >"$tmp/out" 2>"$tmp/err")
	else
		(cd "$DATA" && "$TOOL" "$@" </dev/null >"$tmp/out" 2>"$tmp/err")
	fi
	got=$?
	if [ "${MTRR_UPDATE_GOLDEN:-0}" = 1 ]; then
		cp "$tmp/out" "$GOLDEN/$name.out"
		if [ -s "$tmp/err" ]; then cp "$tmp/err" "$GOLDEN/$name.err"
		else rm -f "$GOLDEN/$name.err"; fi
		[ -z "$pic" ] || cp "$tmp/picture" "$GOLDEN/$pic"
	fi
	: >"$tmp/empty"
	err_golden=$GOLDEN/$name.err
	[ -f "$err_golden" ] || err_golden=$tmp/empty
	if [ "$got" != "$want" ]; then
		echo "FAIL $name: exit status $got, expected $want"
		cat "$tmp/err"
		fail=$((fail + 1))
	elif ! diff -u "$GOLDEN/$name.out" "$tmp/out"; then
		echo "FAIL $name: stdout differs from golden/$name.out"
		fail=$((fail + 1))
	elif ! diff -u "$err_golden" "$tmp/err"; then
		echo "FAIL $name: stderr differs"
		fail=$((fail + 1))
	elif [ -n "$json" ] && ! python3 -m json.tool "$tmp/out" >/dev/null; then
		echo "FAIL $name: stdout is not valid JSON"
		fail=$((fail + 1))
	elif [ -n "$pic" ] && ! cmp -s "$GOLDEN/$pic" "$tmp/picture"; then
		echo "FAIL $name: the picture differs from golden/$pic"
		diff "$GOLDEN/$pic" "$tmp/picture" | head -20
		fail=$((fail + 1))
	else
		echo "ok   $name"
		[ -z "$pic" ] || pictures="$pictures $pic"
	fi
done <<'CASES'
# the built-in sample (QEMU/OVMF guest), help, version
default|0||
version|0||--version
help|0||--help
help-command|0||help
help-show|0||help show
help-map|0||map --help
help-lookup|0||lookup -h
help-check|0||help check
help-diff|0||diff --help
help-help|0||help help
help-formats|0||help formats
help-json|0||help json
help-dump|0||help dump
help-plan|0||help plan
help-plan-dash|0||plan --help
# the realistic dumps, one per format: show + map
intel|0||intel-desktop.journal
amd|0||amd-ryzen.dmesg
old-kernel|0||old-kernel.syslog
linux-2.6.24|0||linux-2.6.24-mtrr-show.syslog
bracket|0||bracket-ranges.dmesg
mail-quoted|0||mail-quoted.txt
forum-crlf|0||forum-indented-crlf.log
journal-iso|0||journal-iso.log
dmesg-iso-tom2|0||dmesg-iso-tom2.log
syslog-interleaved|0||syslog-interleaved.log
xen|0||xen.log
xen-tom2|0||xen-amd-tom2.log
rdmsr|0||rdmsr-pairs.txt
proc|0||proc-mtrr.txt
proc-old|0||proc-mtrr-old.txt
overlap|0||overlap.msr
noncontig|0||noncontig.msr
disabled|0||disabled.msr
everything|0||--no-fixed everything.msr
# AMD: a TOM2 line sets SYSCFG.Tom2ForceMemTypeWB; AMD's registers as MSRs
epyc|0||epyc-5.4.dmesg
phenom|0||phenom-2.6.32.syslog
threadripper|0||threadripper-6.8.journal
xen-tom2-no-wb|0||xen-amd-tom2-no-wb.log
amd-msr|0||amd-syscfg.msr
amd-msr-json|0||show --json amd-syscfg.msr
map-no-tom2-wb|0||map --no-tom2-wb amd-ryzen.dmesg
tom2-vendor-intel|0||--vendor intel map amd-ryzen.dmesg
amd-msr-intel|3||--vendor intel show amd-syscfg.msr
# real AMD boot logs with Linux's TOM2 line (tests/data/README.md: sources): [4 GiB, TOM2) WB
real-epyc-mz01|0||map amd-epyc7351p-mz01-5.0.dmesg
real-epyc-dl325|0||map amd-epyc7351p-dl325-5.0.dmesg
real-thelio|0||map amd-thelio-5.3.dmesg
real-x470|0||map amd-ryzen2700x-x470-5.9.dmesg
real-a320m|0||map amd-ryzen-a320m-5.9.dmesg
real-m4a78t|0||map amd-phenom2-m4a78t-3.2.txt
real-c7h-wrapped|0||map amd-ryzen-c7h-5.2-wrapped.txt
real-elitebook-quoted|0||map amd-elitebook735g6-5.10-quoted.txt
real-x4600m2|0||map amd-opteron-x4600m2-5.11.dmesg
real-x570pro-wrapped|0||map amd-ryzen-x570pro-5.4-wrapped.txt
real-x570d4u|0||map amd-ryzen3900xt-x570d4u-5.10.dmesg
real-b450|0||map amd-ryzen-b450tomahawk-5.6.dmesg
real-microserver|0||map amd-microserver-3.2.syslog
real-760gm-delta|0||map amd-athlon2-760gm-3.8-delta.dmesg
real-amd-check|0||check amd-epyc7351p-mz01-5.0.dmesg amd-epyc7351p-dl325-5.0.dmesg amd-thelio-5.3.dmesg amd-ryzen2700x-x470-5.9.dmesg amd-ryzen-a320m-5.9.dmesg amd-phenom2-m4a78t-3.2.txt amd-ryzen-c7h-5.2-wrapped.txt amd-elitebook735g6-5.10-quoted.txt amd-opteron-x4600m2-5.11.dmesg amd-ryzen-x570pro-5.4-wrapped.txt amd-ryzen3900xt-x570d4u-5.10.dmesg amd-ryzen-b450tomahawk-5.6.dmesg amd-microserver-3.2.syslog amd-athlon2-760gm-3.8-delta.dmesg
real-plan-wrapped-e820|3||plan amd-ryzen-c7h-5.2-wrapped.txt
amd-bus-tom2-only|0||map amd-bus-tom2-only.dmesg
amd-bus-tom2-both|0||map amd-bus-tom2-both.dmesg
# logs without the MTRR block: what they are, what to run instead (exit 3)
no-block-debian12|3||debian12-no-block.dmesg
no-block-summary|3||linux-6.8-summary-only.dmesg
no-block-forced|3||--format dmesg rdmsr-pairs.txt
# single commands and options
show-intel|0||show intel-desktop.journal
show-linux-map-tom2|0||show dmesg-iso-tom2.log
show-linux-map-no-tom2-wb|0||show --no-tom2-wb dmesg-iso-tom2.log
show-linux-map-short|0||show linux-map-short.journal
map-old|0||map old-kernel.syslog
map-json-old|0||map --json old-kernel.syslog
map-json-sample|0||map --json
map-stdin|0|rdmsr-pairs.txt|map -
map-overlap-wb|0||--overlap-wb map overlap.msr
map-proc-wb|0||map --default-type WB proc-mtrr.txt
map-default-type-conflict|0||map --default-type UC intel-desktop.journal
map-msr-no-deftype|0||map --default-type WB overlap-no-deftype.msr
map-msr-no-deftype-off|0||map overlap-no-deftype.msr
show-proc-vcnt|0||show --vcnt=8 proc-mtrr.txt
show-no-fixed|0||show --no-fixed --vcnt 4 intel-desktop.journal
show-json|0||show --json dmesg-iso-tom2.log
default-json|0||--json bracket-ranges.dmesg
lookup-sample|0||lookup 0xfee00000 0xa0000 4G 0x7fff0000-0x8000ffff 0xc0000+64K
lookup-overlap|1||lookup -f overlap.msr 0x48000000 0x55555000 0x71000000 0x10000 0x90000000 0x40000000+256M 0x3ff00000-0x400fffff 1T
lookup-old|0||lookup -f old-kernel.syslog 0 0xb8000 0xdf800000 5G 0x130000000-0x13fffffff 0x100000-0x1fffffff
lookup-json|1||lookup --json -f overlap.msr 0x48000000 0x3ff00000-0x400fffff 1T
lookup-parts|0||lookup -f bracket-ranges.dmesg 0x100000-0xbfffffff 0xc0000000-0xffffffff 0x80000000+1G
map-too-large|3||map huge.msr
lookup-too-large|0||lookup -f huge.msr 0 0x1000 0x100000000 0-0x2fff 0x100000000-0x1ffffffff
diff-same|0||diff intel-desktop.journal rdmsr-pairs.txt
diff-proc|1||diff old-kernel.syslog proc-mtrr.txt
diff-bits|1||diff intel-desktop.journal amd-ryzen.dmesg
diff-json|1||diff --json old-kernel.syslog proc-mtrr.txt
check-good|0||check intel-desktop.journal amd-ryzen.dmesg old-kernel.syslog xen.log rdmsr-pairs.txt proc-mtrr.txt proc-mtrr-old.txt overlap.msr noncontig.msr linux-2.6.24-mtrr-show.syslog bracket-ranges.dmesg mail-quoted.txt forum-indented-crlf.log journal-iso.log dmesg-iso-tom2.log syslog-interleaved.log xen-amd-tom2.log epyc-5.4.dmesg phenom-2.6.32.syslog threadripper-6.8.journal xen-amd-tom2-no-wb.log amd-syscfg.msr
check-json|3||check --json intel-desktop.journal bad/invalid-type.msr bad/garbage.msr
# the memory map as a picture: golden files, xmllint, a Chromium screenshot
svg-intel|0||map --svg @PIC@ intel-desktop.journal
svg-overlap|0||map --svg @PIC@ overlap.msr
svg-noncontig|0||map --svg @PIC@ noncontig.msr
svg-forum|0||map --svg @PIC@ forum-indented-crlf.log
html-old-kernel|0||map --html @PIC@ old-kernel.syslog
svg-json|0||map --json --svg @PIC@ xen-amd-tom2.log
svg-unwritable|4||map --svg /nonexistent-dir/map.svg overlap.msr
svg-too-large|3||map --svg @PIC@ huge.msr
# bad registers: exit 1 naming file:line, for every command
check-invalid-type|1||check bad/invalid-type.msr
check-reserved|1||check --phys-bits 40 bad/reserved-bit.msr
check-absent|1||check bad/absent-pair.msr
check-wc|1||check --no-wc bad/wc-fixed.dmesg
check-question|1||check bad/question-type.dmesg
check-mixed|1||check intel-desktop.journal bad/absent-pair.msr
show-invalid-type|1||show bad/invalid-type.msr
map-reserved|1||map --phys-bits 40 bad/reserved-bit.msr
lookup-reserved|1||lookup -f bad/reserved-bit.msr --phys-bits 40 0
phys-bits-too-small|1||--phys-bits 36 intel-desktop.journal
# malformed input: exit 3 with file:line: reason
check-garbage|3||check bad/garbage.msr
check-two-values|3||check bad/two-values.msr
check-cut|3||check bad/cut.dmesg
check-fixed-gap|3||check bad/fixed-gap.dmesg
check-fixed-unaligned|3||check bad/fixed-unaligned.dmesg
check-var-order|3||check bad/var-order.dmesg
check-two-boots|3||check bad/two-boots.log
check-unknown-line|3||check bad/unknown-in-block.log
check-wrapped|3||check bad/wrapped.txt
check-proc-nonroot|3||check bad/proc-nonroot.txt
check-proc-size|3||check bad/proc-size.txt
check-proc-mb|3||check bad/proc-mb.txt
check-empty|3||check bad/empty.txt
check-comments|3||check bad/comments-only.msr
check-huge|3||check bad/huge-value.msr
check-not-mtrr|3||check bad/not-mtrr.msr
check-binary|3||check bad/binary.bin
check-smrr-amd|3||check --vendor amd bad/smrr-amd.msr
format-forced|3||--format proc intel-desktop.journal
missing-file|3||show no-such-file.txt
missing-file-json|3||map --json no-such-file.txt
# plan: the registers for a memory map (BIOS-e820 lines, START END TYPE lines)
plan-e820|0||plan --phys-bits 39 intel-desktop.journal
plan-e820-gaps-uc|0||plan --phys-bits 39 --gaps-uc intel-desktop.journal
plan-e820-free|0||plan --phys-bits 39 --default free intel-desktop.journal
plan-e820-old|0||plan linux-2.6.24-mtrr-show.syslog
plan-e820-no-block|0||plan --phys-bits 39 --gaps-uc debian12-no-block.dmesg
plan-epyc|0||plan --phys-bits 43 --gaps-uc epyc-5.4.dmesg
plan-phenom-json|0||plan --json --phys-bits 48 --gaps-uc phenom-2.6.32.syslog
plan-ranges|0||plan --phys-bits 40 qemu-q35.ranges
plan-ranges-wrmsr|0||plan --phys-bits 40 --format wrmsr qemu-q35.ranges
plan-ranges-c|0||plan --phys-bits 40 --format c qemu-q35.ranges
plan-ranges-json|0||plan --json --phys-bits 40 qemu-q35.ranges
plan-ranges-stdin|0|qemu-q35.ranges|plan --phys-bits 40 --reserve 2 -
plan-no-fixed|0||plan --phys-bits 40 --no-fixed --default free whole-space.ranges
plan-no-fixed-too-few|1||plan --phys-bits 40 --no-fixed qemu-q35.ranges
plan-whole-space|0||plan --phys-bits 40 --vcnt 2 --whole-space whole-space.ranges
plan-too-few|1||plan --phys-bits 40 --vcnt 2 whole-space.ranges
plan-too-few-json|1||plan --json --phys-bits 40 --vcnt 1 qemu-q35.ranges
plan-fixed-conflict|1||plan --phys-bits 39 --reserved-uc intel-desktop.journal
plan-fixed-conflict-json|1||plan --json --phys-bits 39 --reserved-uc intel-desktop.journal
plan-reserved-uc|1||plan --phys-bits 39 --reserved-uc --gaps-uc --no-fixed intel-desktop.journal
# plan --from-log: a dump's own map with the fewest pairs, next to the firmware's
plan-log-intel|0||plan --from-log intel-desktop.journal
plan-log-fewer|0||plan --from-log overlap.msr
plan-log-tom2|0||plan --from-log dmesg-iso-tom2.log
plan-log-tom2-json|0||plan --from-log --json dmesg-iso-tom2.log
plan-log-amd-msr|0||plan --from-log --format wrmsr amd-syscfg.msr
plan-log-no-tom2-wb|0||plan --from-log --no-tom2-wb --format c threadripper-6.8.journal
plan-log-vcnt|1||plan --from-log --vcnt 4 forum-indented-crlf.log
plan-log-noncontig|1||plan --from-log noncontig.msr
plan-log-no-block|3||plan --from-log debian12-no-block.dmesg
plan-log-bad-register|1||plan --from-log bad/invalid-type.msr
# plan: bad input, file:line: reason
plan-bad-overlap|3||plan bad/plan-overlap.dmesg
plan-bad-overlap-json|3||plan --json bad/plan-overlap.dmesg
plan-bad-e820|3||plan bad/plan-e820-garbled.dmesg
plan-bad-unaligned|3||plan bad/plan-unaligned.ranges
plan-bad-inclusive|3||plan bad/plan-inclusive.ranges
plan-bad-beyond|3||plan --phys-bits 36 bad/plan-beyond.ranges
plan-bad-type|3||plan bad/plan-type.ranges
plan-bad-overlap-ranges|3||plan bad/plan-overlap.ranges
plan-bad-empty|3||plan bad/plan-empty.ranges
plan-bad-wc|3||plan --no-wc bad/plan-wc.ranges
plan-mtrr-block|3||plan amd-ryzen.dmesg
plan-missing|3||plan no-such-file.txt
# usage errors: exit 2, nothing read
usage-plan-none|2||plan
usage-plan-two|2||plan qemu-q35.ranges xen.log
usage-plan-format|2||plan --format dmesg qemu-q35.ranges
usage-plan-default|2||plan --default UC- qemu-q35.ranges
usage-plan-reserve|2||plan --phys-bits 40 --reserve 9 qemu-q35.ranges
usage-plan-only|2||map --reserve 2 xen.log
usage-plan-from-log|2||show --from-log xen.log
usage-format-c|2||map --format c xen.log
usage-option|2||--frobnicate
usage-typo|2||shwo intel-desktop.journal
usage-typo-prefix|2||look 0x1000
usage-unknown-word|2||frobnicate
usage-help-topic|2||help frobnicate
usage-lookup-none|2||lookup
usage-lookup-bad|2||lookup 0xzz
usage-diff-one|2||diff xen.log
usage-svg-show|2||show --svg x.svg
usage-svg-value|2||map --svg
usage-f-map|2||map -f xen.log
usage-two-files|2||show xen.log amd-ryzen.dmesg
usage-phys-bits|2||--phys-bits 60
usage-format|2||--format yaml
usage-type|2||--default-type UC- proc-mtrr.txt
file-dot-slash|0||show ./xen.log
CASES

# exit status 4: stdout cannot be written
count=$((count + 1))
if (cd "$DATA" && "$TOOL" map overlap.msr >/dev/full 2>"$tmp/err"); then
	echo "FAIL write-error: exit status 0, expected 4"
	fail=$((fail + 1))
elif [ $? -ne 4 ] || ! grep -q 'write error' "$tmp/err"; then
	echo "FAIL write-error: expected exit status 4 and 'write error'"
	fail=$((fail + 1))
else
	echo "ok   write-error"
fi

# plan round trips: the MSR dump 'plan --from-log' prints, read back, has the
# map of the dump it was planned from ('mtrr diff': identical); the C output
# compiles where a C compiler is installed
for f in intel-desktop.journal rdmsr-pairs.txt amd-ryzen.dmesg old-kernel.syslog xen.log \
	 proc-mtrr.txt proc-mtrr-old.txt overlap.msr linux-2.6.24-mtrr-show.syslog \
	 bracket-ranges.dmesg mail-quoted.txt forum-indented-crlf.log journal-iso.log \
	 dmesg-iso-tom2.log syslog-interleaved.log xen-amd-tom2.log epyc-5.4.dmesg \
	 phenom-2.6.32.syslog threadripper-6.8.journal xen-amd-tom2-no-wb.log amd-syscfg.msr; do
	count=$((count + 1))
	if (cd "$DATA" && "$TOOL" plan --from-log "$f" >"$tmp/plan.msr" 2>"$tmp/err" &&
	    "$TOOL" diff "$f" "$tmp/plan.msr" >"$tmp/out" 2>>"$tmp/err"); then
		echo "ok   plan round trip $f"
	else
		echo "FAIL plan round trip $f: 'mtrr diff' of the dump and its plan"
		cat "$tmp/out" "$tmp/err"
		fail=$((fail + 1))
	fi
done
cc=
for c in "${CC:-}" cc gcc clang; do
	if [ -n "$c" ] && command -v "$c" >/dev/null 2>&1; then cc=$c; break; fi
done
if [ -n "$cc" ]; then
	for g in plan-ranges-c plan-log-no-tom2-wb; do
		count=$((count + 1))
		if "$cc" -std=c11 -Wall -Wextra -Wpedantic -Werror -x c -c "$GOLDEN/$g.out" \
		   -o "$tmp/plan.o" 2>"$tmp/err"; then
			echo "ok   $cc compiles golden/$g.out"
		else
			echo "FAIL $cc does not compile golden/$g.out"
			cat "$tmp/err"
			fail=$((fail + 1))
		fi
	done
else
	echo "skip C compiler: none installed, the C output is not compiled"
fi

# the pictures: well-formed XML, and a real browser engine draws them
if command -v xmllint >/dev/null 2>&1; then
	for p in $pictures; do
		count=$((count + 1))
		if xmllint --noout "$GOLDEN/$p"; then
			echo "ok   xmllint $p"
		else
			echo "FAIL xmllint $p"
			fail=$((fail + 1))
		fi
	done
else
	echo "skip xmllint: not installed (Debian: apt-get install libxml2-utils)"
fi
chrome=
for c in chromium chromium-browser google-chrome; do
	if command -v "$c" >/dev/null 2>&1; then chrome=$c; break; fi
done
# screenshot FILE PNG: 1400x900, no sandbox (root in CI), own profile
screenshot() {
	timeout 90 "$chrome" --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--user-data-dir="$tmp/profile" --screenshot="$2" --window-size=1400,900 \
		"file://$1" >/dev/null 2>&1
}
# png_size PNG: "WIDTH HEIGHT BYTES" from the IHDR chunk
png_size() {
	sig=$(od -An -tx1 -N8 "$1" | tr -d ' \n')
	[ "$sig" = 89504e470d0a1a0a ] || return 1
	w=$(od -An -tu1 -j16 -N4 "$1" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
	h=$(od -An -tu1 -j20 -N4 "$1" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
	echo "$w $h $(wc -c <"$1")"
}
if [ -n "$chrome" ]; then
	# an empty page of the same size: what "nothing drawn" compresses to
	printf '<svg xmlns="http://www.w3.org/2000/svg" width="1400" height="900"><rect width="100%%" height="100%%" fill="#ffffff"/></svg>\n' >"$tmp/blank.svg"
	if screenshot "$tmp/blank.svg" "$tmp/blank.png" && blank=$(png_size "$tmp/blank.png"); then
		blank_bytes=${blank##* }
		for p in $render; do
			count=$((count + 1))
			cp "$GOLDEN/$p" "$tmp/$p"
			if screenshot "$tmp/$p" "$tmp/$p.png" && got=$(png_size "$tmp/$p.png") &&
			   [ "${got% *}" = "1400 900" ] && [ "${got##* }" -gt $((4 * blank_bytes)) ]; then
				echo "ok   chromium $p ($got bytes; blank page $blank_bytes)"
			else
				echo "FAIL chromium $p: screenshot missing or empty (${got:-none}; blank $blank_bytes)"
				fail=$((fail + 1))
			fi
		done
	else
		echo "skip chromium: $chrome could not take a screenshot here"
	fi
else
	echo "skip chromium: not installed, the pictures are not rendered (Debian: apt-get install chromium)"
fi

echo "$count cases, $fail failed"
[ "$fail" -eq 0 ]

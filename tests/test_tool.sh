#!/bin/sh
# test_tool.sh TOOL DATA_DIR — runs the `mtrr` tool on the dumps in DATA_DIR
# and compares exit status, stdout and stderr with DATA_DIR/golden/<case>.out
# and .err (no .err file: stderr must be empty).  The cases are listed below
# as  name|exit status|file for stdin (or empty)|arguments.
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

while IFS='|' read -r name want input args; do
	case $name in ''|'#'*) continue ;; esac
	count=$((count + 1))
	# shellcheck disable=SC2086
	set -- $args
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
	fi
	[ -f "$GOLDEN/$name.err" ] || : >"$tmp/empty"
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
	else
		echo "ok   $name"
	fi
done <<'CASES'
# the built-in sample (QEMU/OVMF guest), help, version
default|0||
help|0||--help
version|0||--version
# the realistic dumps: show + map
intel|0||intel-desktop.journal
amd|0||amd-ryzen.dmesg
old-kernel|0||old-kernel.syslog
xen|0||xen.log
rdmsr|0||rdmsr-pairs.txt
proc|0||proc-mtrr.txt
proc-old|0||proc-mtrr-old.txt
overlap|0||overlap.msr
noncontig|0||noncontig.msr
disabled|0||disabled.msr
everything|0||--no-fixed everything.msr
# single commands and options
show-intel|0||show intel-desktop.journal
map-old|0||map old-kernel.syslog
map-json-old|0||map --json old-kernel.syslog
map-json-sample|0||map --json
map-stdin|0|rdmsr-pairs.txt|map -
map-overlap-wb|0||--overlap-wb map overlap.msr
map-proc-wb|0||map --default-type WB proc-mtrr.txt
show-proc-vcnt|0||show --vcnt=8 proc-mtrr.txt
show-no-fixed|0||show --no-fixed --vcnt 4 intel-desktop.journal
lookup-sample|0||lookup 0xfee00000 0xa0000 4G 0x7fff0000-0x8000ffff 0xc0000+64K
lookup-overlap|1||lookup -f overlap.msr 0x48000000 0x55555000 0x71000000 0x10000 0x90000000 0x40000000+256M 0x3ff00000-0x400fffff 1T
lookup-old|0||lookup -f old-kernel.syslog 0 0xb8000 0xdf800000 5G 0x130000000-0x13fffffff
map-too-large|2||map huge.msr
lookup-too-large|0||lookup -f huge.msr 0 0x1000 0x100000000 0-0x2fff
diff-same|0||diff intel-desktop.journal rdmsr-pairs.txt
diff-proc|1||diff old-kernel.syslog proc-mtrr.txt
diff-bits|1||diff intel-desktop.journal amd-ryzen.dmesg
check-good|0||check intel-desktop.journal amd-ryzen.dmesg old-kernel.syslog xen.log rdmsr-pairs.txt proc-mtrr.txt proc-mtrr-old.txt overlap.msr noncontig.msr
# bad registers: check exits 1 naming file:line; other commands exit 2
check-invalid-type|1||check bad/invalid-type.msr
check-reserved|1||check --phys-bits 40 bad/reserved-bit.msr
check-absent|1||check bad/absent-pair.msr
check-wc|1||check --no-wc bad/wc-fixed.dmesg
check-question|1||check bad/question-type.dmesg
check-mixed|1||check intel-desktop.journal bad/absent-pair.msr
show-invalid-type|2||show bad/invalid-type.msr
phys-bits-too-small|2||--phys-bits 36 intel-desktop.journal
# malformed input: exit 2 with file:line: reason
check-garbage|2||check bad/garbage.msr
check-two-values|2||check bad/two-values.msr
check-cut|2||check bad/cut.dmesg
check-fixed-gap|2||check bad/fixed-gap.dmesg
check-fixed-unaligned|2||check bad/fixed-unaligned.dmesg
check-var-order|2||check bad/var-order.dmesg
check-two-boots|2||check bad/two-boots.log
check-proc-nonroot|2||check bad/proc-nonroot.txt
check-proc-size|2||check bad/proc-size.txt
check-proc-mb|2||check bad/proc-mb.txt
check-empty|2||check bad/empty.txt
check-comments|2||check bad/comments-only.msr
check-huge|2||check bad/huge-value.msr
check-not-mtrr|2||check bad/not-mtrr.msr
check-binary|2||check bad/binary.bin
check-smrr-amd|2||check --vendor amd bad/smrr-amd.msr
format-forced|2||--format proc intel-desktop.journal
missing-file|2||show no-such-file.txt
# usage errors
usage-option|2||--frobnicate
usage-lookup-none|2||lookup
usage-lookup-bad|2||lookup 0xzz
usage-diff-one|2||diff xen.log
usage-json|2||--json show
usage-two-files|2||show xen.log amd-ryzen.dmesg
usage-phys-bits|2||--phys-bits 60
usage-format|2||--format yaml
usage-type|2||--default-type UC- proc-mtrr.txt
CASES

echo "$count cases, $fail failed"
[ "$fail" -eq 0 ]

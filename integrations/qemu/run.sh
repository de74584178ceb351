#!/bin/bash
# integrations/qemu/run.sh — QEMU's x86 MTRRs on libmtrr, proven with a guest.
#
# Fetches Debian's QEMU 7.2 source package, builds a stock QEMU and one with
# patches/*.patch applied (linked with libmtrr built from this checkout),
# builds a test initramfs (busybox-static, the msr module of the Debian
# kernel, guest/msrtool.c) and runs the same guest checks against both.
# One line per check and QEMU, then 'N passed, N failed, N skipped' per QEMU.
#
# Needs root on Debian 12 with network access to deb.debian.org (apt-get
# installs missing build dependencies).  Everything else lives under $WORK
# (default /var/tmp/libmtrr-qemu): a rerun reuses the source trees, the
# builds and the guest files, and rebuilds only what changed.  The system's
# APT sources are not touched: the deb-src entries are in a private APT
# configuration under $WORK/apt.
#
# Environment: WORK (the work directory), JOBS (parallel build jobs, default
# nproc).  Every guest's console log and QEMU's stderr stay in $WORK/runs.
# Exit status: 0 when the patched QEMU passes every check it ran, else 1
# (2 when the setup failed).
set -u
set -o pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-/var/tmp/libmtrr-qemu}
JOBS=${JOBS:-$(nproc)}
SUITE=bookworm
QEMU_PKG=qemu
MIRROR=http://deb.debian.org/debian
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

mkdir -p "$WORK"
T0=$(date +%s)

log() { printf '[%4ds] %s\n' $(( $(date +%s) - T0 )) "$*" >&2; }
die() { log "ERROR: $*"; exit 2; }

# ---------------------------------------------------------------------------
# Build dependencies (only the missing ones are installed)
# ---------------------------------------------------------------------------
install_deps() {
	local missing=() p
	for p in dpkg-dev meson ninja-build pkg-config gcc libc6-dev make cmake \
		 libglib2.0-dev libpixman-1-dev libfdt-dev flex bison python3 \
		 cpio gzip; do
		dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		log "installing ${missing[*]}"
		DEBIAN_FRONTEND=noninteractive apt-get install -y \
			--no-install-recommends "${missing[@]}" >"$WORK/apt-install.log" 2>&1 ||
			die "apt-get install failed, see $WORK/apt-install.log"
	fi
}

# ---------------------------------------------------------------------------
# Source: a private APT configuration with deb-src, apt-get source
# ---------------------------------------------------------------------------
APT_DIR=$WORK/apt
private_apt() {
	mkdir -p "$APT_DIR"/{lists/partial,archives/partial,cache,sources.list.d,preferences.d}
	cat >"$APT_DIR/sources.list" <<-EOF
	deb-src [signed-by=$KEYRING] $MIRROR $SUITE main
	deb-src [signed-by=$KEYRING] $MIRROR $SUITE-updates main
	deb-src [signed-by=$KEYRING] http://deb.debian.org/debian-security $SUITE-security main
	EOF
	cat >"$APT_DIR/apt.conf" <<-EOF
	Dir::Etc::SourceList "$APT_DIR/sources.list";
	Dir::Etc::SourceParts "$APT_DIR/sources.list.d";
	Dir::Etc::Preferences "$APT_DIR/preferences";
	Dir::Etc::PreferencesParts "$APT_DIR/preferences.d";
	Dir::State::Lists "$APT_DIR/lists";
	Dir::Cache "$APT_DIR/cache";
	Dir::Cache::Archives "$APT_DIR/archives";
	EOF
	if ! ls "$APT_DIR"/lists/*_Sources* >/dev/null 2>&1; then
		log "apt-get update (private deb-src configuration)"
		APT_CONFIG=$APT_DIR/apt.conf apt-get update >"$WORK/apt-update.log" 2>&1 ||
			die "apt-get update failed, see $WORK/apt-update.log"
	fi
}

fetch_source() {
	mkdir -p "$WORK/src"
	if ! ls "$WORK"/src/${QEMU_PKG}_*.dsc >/dev/null 2>&1; then
		log "apt-get source $QEMU_PKG"
		(cd "$WORK/src" && APT_CONFIG=$APT_DIR/apt.conf apt-get source \
			--download-only "$QEMU_PKG") >"$WORK/apt-source.log" 2>&1 ||
			die "apt-get source failed, see $WORK/apt-source.log"
	fi
	DSC=$(ls "$WORK"/src/${QEMU_PKG}_*.dsc | sort -V | tail -1)
	if [ ! -d "$WORK/src/stock" ]; then
		log "dpkg-source -x $(basename "$DSC") (Debian's patches applied)"
		dpkg-source -x "$DSC" "$WORK/src/stock" >/dev/null 2>&1 ||
			die "dpkg-source -x failed"
	fi
}

# The patched tree: a fresh extraction with the series applied, copied over
# the previous patched tree file by file only where the content differs, so
# that ninja recompiles only what the series changed since the last run.
prepare_patched() {
	local fresh=$WORK/src/patched.new f files
	rm -rf "$fresh"
	cp -a "$WORK/src/stock" "$fresh"
	for f in "$HERE"/patches/*.patch; do
		patch -d "$fresh" -p1 -s --no-backup-if-mismatch <"$f" ||
			die "$(basename "$f") does not apply"
	done
	if [ ! -d "$WORK/src/patched" ]; then
		mv "$fresh" "$WORK/src/patched"
	else
		files=$( { cat "$WORK/src/patched.files" 2>/dev/null
			   sed -n 's,^+++ b/,,p' "$HERE"/patches/*.patch; } | sort -u)
		for f in $files; do
			if [ -f "$fresh/$f" ]; then
				cmp -s "$fresh/$f" "$WORK/src/patched/$f" ||
					cp "$fresh/$f" "$WORK/src/patched/$f"
			else
				rm -f "$WORK/src/patched/$f"
			fi
		done
		rm -rf "$fresh"
	fi
	sed -n 's,^+++ b/,,p' "$HERE"/patches/*.patch | sort -u >"$WORK/src/patched.files"
}

# ---------------------------------------------------------------------------
# libmtrr from this checkout, into a private prefix (static library: the
# patched QEMU finds it with pkg-config and needs nothing at run time)
# ---------------------------------------------------------------------------
PREFIX=$WORK/prefix
build_libmtrr() {
	log "libmtrr: build and install into $PREFIX"
	{ cmake -S "$TOP" -B "$WORK/libmtrr-build" -DCMAKE_BUILD_TYPE=Release \
		-DBUILD_SHARED_LIBS=OFF -DMTRR_BUILD_TESTS=OFF \
		-DMTRR_BUILD_EXAMPLES=OFF -DMTRR_BUILD_BENCH=OFF \
		-DMTRR_BUILD_FUZZERS=OFF -DMTRR_BUILD_TOOLS=ON \
		-DCMAKE_INSTALL_PREFIX="$PREFIX" &&
	  nice cmake --build "$WORK/libmtrr-build" -j "$JOBS" &&
	  cmake --install "$WORK/libmtrr-build"; } >"$WORK/libmtrr-build.log" 2>&1 ||
		die "libmtrr build failed, see $WORK/libmtrr-build.log"
	MTRR_TOOL=$PREFIX/bin/mtrr
}

# ---------------------------------------------------------------------------
# QEMU builds (x86_64-softmmu only, TCG and KVM)
# ---------------------------------------------------------------------------
build_qemu() {
	local name=$1 b=$WORK/build-$1 t
	mkdir -p "$b"
	if [ ! -f "$b/build.ninja" ]; then
		log "QEMU $name: configure"
		(cd "$b" && PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig nice \
			"$WORK/src/$name/configure" --target-list=x86_64-softmmu \
			--without-default-features --without-default-devices \
			--enable-kvm --enable-tcg --enable-fdt=system --disable-docs) \
			>"$b/configure.log" 2>&1 || die "configure ($name) failed, see $b/configure.log"
	fi
	log "QEMU $name: build (ninja, $JOBS jobs)"
	t=$(date +%s)
	(cd "$b" && PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig nice ninja -j "$JOBS" \
		qemu-system-x86_64) >"$b/build.log" 2>&1 ||
		die "build ($name) failed, see $b/build.log"
	log "QEMU $name: built in $(( $(date +%s) - t ))s"
}

# ---------------------------------------------------------------------------
# Guest: Debian kernel, busybox-static, firmware, the msr module, msrtool
# ---------------------------------------------------------------------------
GUEST=$WORK/guest
prepare_guest() {
	local kpkg debs=$WORK/debs
	mkdir -p "$debs" "$GUEST"
	kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/.*Depends: \(linux-image-[0-9].*\)/\1/p' | head -1)
	if [ -z "$kpkg" ]; then
		log "apt-get update (the system's package lists)"
		apt-get update >"$WORK/apt-update-system.log" 2>&1
		kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
			sed -n 's/.*Depends: \(linux-image-[0-9].*\)/\1/p' | head -1)
	fi
	[ -n "$kpkg" ] || die "cannot resolve linux-image-amd64 (apt-get update?)"
	if [ ! -f "$GUEST/stamp-$kpkg" ]; then
		log "guest packages: $kpkg busybox-static seabios ovmf qemu-system-data"
		rm -rf "$debs"/*.deb "$GUEST/root"
		(cd "$debs" && apt-get download "$kpkg" busybox-static seabios ovmf \
			qemu-system-data) >"$WORK/apt-download.log" 2>&1 ||
			die "apt-get download failed, see $WORK/apt-download.log"
		mkdir -p "$GUEST/root"
		for d in "$debs"/*.deb; do
			dpkg-deb -x "$d" "$GUEST/root" || die "dpkg-deb -x $d"
		done
		touch "$GUEST/stamp-$kpkg"
	fi
	KERNEL=$(ls "$GUEST"/root/boot/vmlinuz-* | head -1)
	# -L directory: SeaBIOS and the option ROMs QEMU loads (linuxboot_dma.bin
	# for -kernel, kvmvapic.bin); Debian's source package has no blobs.
	mkdir -p "$GUEST/fw"
	cp -f "$GUEST"/root/usr/share/seabios/bios-256k.bin "$GUEST"/root/usr/share/seabios/bios.bin \
	      "$GUEST"/root/usr/share/qemu/linuxboot_dma.bin "$GUEST"/root/usr/share/qemu/kvmvapic.bin \
	      "$GUEST"/root/usr/share/qemu/multiboot_dma.bin "$GUEST/fw/"
	OVMF=$GUEST/root/usr/share/ovmf/OVMF.fd
	QBOOT=$GUEST/root/usr/share/qemu/qboot.rom

	# initramfs
	local ir=$GUEST/initramfs msrko
	rm -rf "$ir"
	mkdir -p "$ir/bin" "$ir/proc" "$ir/sys" "$ir/dev" "$ir/tmp"
	cp "$GUEST/root/bin/busybox" "$ir/bin/busybox"
	ln -s busybox "$ir/bin/sh"
	gcc -O2 -Wall -Wextra -static -o "$ir/bin/msrtool" "$HERE/guest/msrtool.c" ||
		die "msrtool does not build"
	msrko=$(find "$GUEST/root/lib/modules" -name 'msr.ko*' | head -1)
	if [ -n "$msrko" ]; then
		case "$msrko" in
		*.xz) xz -dc "$msrko" >"$ir/msr.ko" ;;
		*.zst) zstd -dc "$msrko" >"$ir/msr.ko" ;;
		*) cp "$msrko" "$ir/msr.ko" ;;
		esac
	fi # else CONFIG_X86_MSR=y: /dev/cpu/N/msr is built in
	cp "$HERE/guest/init" "$ir/init"
	chmod +x "$ir/init"
	(cd "$ir" && find . | cpio -o -H newc --quiet | gzip -1) >"$GUEST/initramfs.gz"
}

# ---------------------------------------------------------------------------
# Running guests
# ---------------------------------------------------------------------------
RUNS=$WORK/runs
mkdir -p "$RUNS"
QEMU_EXTRA=() # added to every QEMU command line (the KVM checks set it)
qemu_bin() { echo "$WORK/build-$1/qemu-system-x86_64"; }

# run_guest QEMU NAME TEST FIRMWARE [extra QEMU args...]: boots the test
# kernel, console to $RUNS/NAME.log, QEMU's stderr to $RUNS/NAME.err.
run_guest() {
	local q=$1 name=$2 test=$3 fw=$4 fwargs=() reboot=(-no-reboot)
	shift 4
	[ "$test" = reboot ] && reboot=()
	case "$fw" in
	seabios) fwargs=(-L "$GUEST/fw") ;;
	ovmf) fwargs=(-L "$GUEST/fw" -bios "$OVMF") ;;
	qboot) fwargs=(-L "$GUEST/fw" -bios "$QBOOT") ;;
	esac
	rm -f "$RUNS/$name.log"
	timeout 240 "$(qemu_bin "$q")" -nodefaults -no-user-config -display none \
		-machine pc -m 512 "${reboot[@]}" "${fwargs[@]}" -kernel "$KERNEL" \
		-initrd "$GUEST/initramfs.gz" \
		-append "console=ttyS0 loglevel=4 panic=-1 mtrrtest=$test" \
		-serial "file:$RUNS/$name.log" ${QEMU_EXTRA[@]+"${QEMU_EXTRA[@]}"} "$@" \
		2>"$RUNS/$name.err"
}

# dump LOG TAG: the "0xMSR 0xVALUE" lines of one DUMP block
dump() {
	sed -n "/^DUMP-BEGIN $2\r*\$/,/^DUMP-END $2\r*\$/p" "$1" | tr -d '\r' |
		grep -v '^DUMP-'
}
finished() { grep -q "^MTRRTEST-END" "$1" 2>/dev/null; }

# mtrr check on a dump: caps from the dump's '# cpu ... vendor V phys_bits N'
mtrr_check() {
	local f=$1 vendor pb
	vendor=$(sed -n 's/^# cpu .* vendor \([^ ]*\) .*/\1/p' "$f" | head -1)
	pb=$(sed -n 's/^# cpu .* phys_bits \([0-9]*\).*/\1/p' "$f" | head -1)
	case "$vendor" in
	AuthenticAMD) vendor=amd ;;
	*) vendor=intel ;;
	esac
	"$MTRR_TOOL" check --format msr --vendor "$vendor" --phys-bits "${pb:-40}" "$f"
}

# HMP over the monitor's UNIX socket
hmp() {
	/usr/bin/python3 - "$1" "$2" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
def until_prompt():
    buf = b""
    while not buf.endswith(b"(qemu) "):
        d = s.recv(4096)
        if not d:
            break
        buf += d
    return buf.decode(errors="replace")
until_prompt()
s.sendall(sys.argv[2].encode() + b"\n")
print(until_prompt())
EOF
}

# migrate_out QEMU NAME TEST FILE: boots TEST, waits for READY, migrates the
# running guest into FILE (exec:cat), and quits.  Returns 0 when the stream
# was written.
migrate_out() {
	local q=$1 name=$2 test=$3 file=$4 sock=$RUNS/$2.mon pid i st
	rm -f "$file" "$sock"
	run_guest "$q" "$name" "$test" seabios -monitor "unix:$sock,server=on,wait=off" &
	pid=$!
	for i in $(seq 1 600); do
		grep -q '^MTRRTEST-READY' "$RUNS/$name.log" 2>/dev/null && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.2
	done
	if ! grep -q '^MTRRTEST-READY' "$RUNS/$name.log" 2>/dev/null; then
		kill $pid 2>/dev/null; wait $pid 2>/dev/null
		return 1
	fi
	hmp "$sock" "migrate -d \"exec:cat > $file\"" >/dev/null
	st=
	for i in $(seq 1 300); do
		st=$(hmp "$sock" "info migrate" | sed -n 's/^Migration status: *//p' | tr -d '\r')
		case "$st" in completed|failed|cancelled) break ;; esac
		sleep 0.2
	done
	hmp "$sock" quit >/dev/null 2>&1
	wait $pid 2>/dev/null
	[ "$st" = completed ]
}

# migrate_in QEMU NAME TEST FILE: loads FILE (same command line as the
# source); the guest finishes its scenario.
migrate_in() {
	run_guest "$1" "$2" "$3" seabios -incoming "exec:cat $4"
}

# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------
declare -A RES NOTE
CHECKS=()
QEMUS=(stock patched)
result() { # result CHECK QEMU PASS|FAIL|SKIP [note]
	local key="$1|$2"
	[ -n "${RES[$key]+x}" ] || true
	case " ${CHECKS[*]-} " in *" $1 "*) ;; *) CHECKS+=("$1") ;; esac
	RES[$key]=$3
	NOTE[$key]=${4:-}
	printf '%-4s %-8s %-34s %s\n' "$3" "$2" "$1" "${4:-}"
}

# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------
check_badwr() {
	local q=$1 log=$RUNS/badwr-$1.log n bad
	run_guest "$q" "badwr-$q" badwr seabios
	if ! finished "$log"; then
		result invalid-wrmsr-gp "$q" FAIL "guest did not finish (see $log)"
		result mtrrcap-write-gp "$q" FAIL "guest did not finish"
		result beyond-vcnt-gp "$q" FAIL "guest did not finish"
		result legal-wrmsr "$q" FAIL "guest did not finish"
		result mtrr-check-after-bad "$q" FAIL "guest did not finish"
		return
	fi
	tr -d '\r' <"$log" | grep '^BADWR' >"$RUNS/badwr-$q.txt"
	n=$(grep -v 'mtrrcap\|beyond_vcnt' "$RUNS/badwr-$q.txt" | wc -l)
	bad=$(grep -v 'mtrrcap\|beyond_vcnt' "$RUNS/badwr-$q.txt" | grep -cv 'gp=1 changed=0')
	if [ "$n" -gt 0 ] && [ "$bad" -eq 0 ]; then
		result invalid-wrmsr-gp "$q" PASS "$n invalid writes: #GP, register unchanged"
	else
		result invalid-wrmsr-gp "$q" FAIL "$bad of $n invalid writes accepted"
	fi
	if grep 'mtrrcap_write' "$RUNS/badwr-$q.txt" | grep -q 'gp=1 changed=0'; then
		result mtrrcap-write-gp "$q" PASS "#GP"
	else
		result mtrrcap-write-gp "$q" FAIL "no #GP (write dropped silently)"
	fi
	if [ "$(grep 'beyond_vcnt' "$RUNS/badwr-$q.txt" | grep -c 'gp=1 changed=0')" -eq 2 ]; then
		result beyond-vcnt-gp "$q" PASS "PHYSBASE8, PHYSMASK39: #GP"
	else
		result beyond-vcnt-gp "$q" FAIL "pairs beyond VCNT: no #GP"
	fi
	if tr -d '\r' <"$log" | grep -q "^WR 0x20e 0x80000004 OK" &&
	   tr -d '\r' <"$log" | grep -q "^WR 0x20f 0xff80000800 OK" &&
	   tr -d '\r' <"$log" | grep -q "^RD 0x20e 0x80000004" &&
	   tr -d '\r' <"$log" | grep -q "^RD 0x20f 0xff80000800"; then
		result legal-wrmsr "$q" PASS "pair 7 written and read back"
	else
		result legal-wrmsr "$q" FAIL "a legal write failed"
	fi
	dump "$log" afterbad >"$RUNS/afterbad-$q.msr"
	if mtrr_check "$RUNS/afterbad-$q.msr" >"$RUNS/afterbad-$q.check" 2>&1; then
		result mtrr-check-after-bad "$q" PASS "mtrr check: the guest's MTRRs are valid"
	else
		result mtrr-check-after-bad "$q" FAIL "mtrr check: $(grep -m1 -v ': ok' "$RUNS/afterbad-$q.check" | sed 's,.*/,,')"
	fi
}

# The same invalid writes with Intel's rules (vendor=GenuineIntel).
check_badwr_intel() {
	local q=$1 log=$RUNS/badwr-intel-$1.log n bad
	run_guest "$q" "badwr-intel-$q" badwr seabios -cpu qemu64,vendor=GenuineIntel
	if ! finished "$log"; then
		result invalid-wrmsr-gp-intel "$q" FAIL "guest did not finish (see $log)"
		return
	fi
	n=$(tr -d '\r' <"$log" | grep -c '^BADWR')
	bad=$(tr -d '\r' <"$log" | grep '^BADWR' | grep -cv 'gp=1 changed=0')
	if [ "$n" -gt 0 ] && [ "$bad" -eq 0 ] && grep -q 'vendor GenuineIntel' "$log"; then
		result invalid-wrmsr-gp-intel "$q" PASS "all $n (MTRRCAP, beyond VCNT too): #GP, unchanged"
	else
		result invalid-wrmsr-gp-intel "$q" FAIL "$bad of $n bad writes without #GP"
	fi
}

check_smp() {
	local q=$1 fw=$2 log=$RUNS/smp-$2-$1.log d0 d1
	run_guest "$q" "smp-$fw-$q" smp "$fw" -smp 2
	if ! finished "$log"; then
		result "init-keeps-mtrrs-$fw" "$q" FAIL "guest did not finish (see $log)"
		return
	fi
	d0=$(dump "$log" cpu0 | grep '^0x'); d1=$(dump "$log" cpu1 | grep '^0x')
	if grep -qi 'inconsistent' "$log"; then
		result "init-keeps-mtrrs-$fw" "$q" FAIL "Linux: $(tr -d '\r' <"$log" | grep -i -m1 'inconsistent' | sed 's/^LOG *//; s/^\[[^]]*\] //')"
	elif [ -z "$d0" ] || [ "$d0" != "$d1" ]; then
		result "init-keeps-mtrrs-$fw" "$q" FAIL "CPU 0 and CPU 1 differ"
	else
		result "init-keeps-mtrrs-$fw" "$q" PASS "-smp 2: no 'inconsistent', both CPUs identical"
	fi
}

check_reboot() {
	local q=$1 log=$RUNS/reboot-$1.log b1 b2
	run_guest "$q" "reboot-$q" reboot seabios
	b1=$(dump "$log" boot1); b2=$(dump "$log" boot2)
	if ! finished "$log" || [ -z "$b2" ]; then
		result reboot-power-on-state "$q" FAIL "no second boot (see $log)"
	elif [ "$b1" = "$b2" ] && ! echo "$b2" | grep -q '^0x20f 0xff80000800'; then
		result reboot-power-on-state "$q" PASS "firmware state identical on both boots"
	else
		result reboot-power-on-state "$q" FAIL "second boot differs from the first"
	fi
}

check_fw_twice() {
	local q=$1 fw=$2 a b
	run_guest "$q" "fw-$fw-$q-1" fw "$fw"
	run_guest "$q" "fw-$fw-$q-2" fw "$fw"
	if ! finished "$RUNS/fw-$fw-$q-1.log" || ! finished "$RUNS/fw-$fw-$q-2.log"; then
		result "boot-twice-$fw" "$q" FAIL "guest did not finish"
		return
	fi
	a=$(tr -d '\r' <"$RUNS/fw-$fw-$q-1.log" | grep -E '^PROC |^0x'); b=$(tr -d '\r' <"$RUNS/fw-$fw-$q-2.log" | grep -E '^PROC |^0x')
	dump "$RUNS/fw-$fw-$q-1.log" fw >"$RUNS/fw-$fw-$q.msr"
	if [ -z "$a" ] || [ "$a" != "$b" ]; then
		result "boot-twice-$fw" "$q" FAIL "/proc/mtrr or MSRs differ between boots"
	elif ! mtrr_check "$RUNS/fw-$fw-$q.msr" >"$RUNS/fw-$fw-$q.check" 2>&1; then
		result "boot-twice-$fw" "$q" FAIL "mtrr check refuses the firmware's MTRRs"
	else
		result "boot-twice-$fw" "$q" PASS "$(grep -c '^PROC' <<<"$a") /proc/mtrr lines (x2), identical; mtrr check ok"
	fi
}

# The patched QEMU must not change what firmware and Linux set up: the
# first boot's /proc/mtrr and MSRs equal stock's (patched column only).
check_same_as_stock() {
	local fw=$1 a b
	a=$(tr -d '\r' <"$RUNS/fw-$fw-stock-1.log" 2>/dev/null | grep -E '^PROC |^0x')
	b=$(tr -d '\r' <"$RUNS/fw-$fw-patched-1.log" 2>/dev/null | grep -E '^PROC |^0x')
	if [ -n "$a" ] && [ "$a" = "$b" ]; then
		result "same-mtrrs-as-stock-$fw" patched PASS "first boot: /proc/mtrr and MSRs equal stock's"
	else
		result "same-mtrrs-as-stock-$fw" patched FAIL "first boot differs from stock's"
	fi
}

# mig_check CHECK QEMU SRC DST
mig_check() {
	local check=$1 col=$2 src=$3 dst=$4 f=$RUNS/mig-$3-$4.stream s d
	if ! migrate_out "$src" "migsrc-$src-$dst" mig "$f"; then
		result "$check" "$col" FAIL "migration from $src did not complete"
		return
	fi
	migrate_in "$dst" "migdst-$src-$dst" mig "$f"
	s=$(dump "$RUNS/migsrc-$src-$dst.log" src); d=$(dump "$RUNS/migdst-$src-$dst.log" dst)
	if [ -z "$d" ]; then
		result "$check" "$col" FAIL "$dst did not run the guest on: $(head -c 200 "$RUNS/migdst-$src-$dst.err")"
	elif [ "$s" = "$d" ]; then
		result "$check" "$col" PASS "$src -> $dst: all $(grep -c '^0x' <<<"$d") MTRR MSRs identical"
	else
		result "$check" "$col" FAIL "$src -> $dst: MTRRs differ after migration"
	fi
}

check_migbad() {
	local f=$RUNS/migbad.stream q d err
	if ! migrate_out stock migbad-src migbad "$f"; then
		for q in "${QEMUS[@]}"; do
			result refuse-invalid-stream "$q" FAIL "stock source did not migrate"
		done
		return
	fi
	for q in "${QEMUS[@]}"; do
		migrate_in "$q" "migbad-dst-$q" migbad "$f"
		d=$(dump "$RUNS/migbad-dst-$q.log" dst)
		err=$(grep -m1 'invalid MTRR' "$RUNS/migbad-dst-$q.err")
		if [ -n "$d" ]; then
			result refuse-invalid-stream "$q" FAIL "loaded; guest reads $(grep '^0x20e ' <<<"$d")"
		elif [ -n "$err" ]; then
			result refuse-invalid-stream "$q" PASS "refused: ${err#*: }"
		else
			result refuse-invalid-stream "$q" FAIL "destination failed for another reason"
		fi
	done
}

check_kvm() {
	local q=$1
	if [ -r /dev/kvm ] && [ -w /dev/kvm ] &&
	   "$(qemu_bin "$q")" -nodefaults -display none -machine pc,accel=kvm \
		-S -monitor none -daemonize -pidfile "$RUNS/kvmprobe.pid" >/dev/null 2>&1; then
		kill "$(cat "$RUNS/kvmprobe.pid")" 2>/dev/null
		QEMU_EXTRA=(-accel kvm -cpu host)
		run_guest "$q" "kvm-badwr-$q" badwr seabios
		if finished "$RUNS/kvm-badwr-$q.log" &&
		   ! tr -d '\r' <"$RUNS/kvm-badwr-$q.log" | grep '^BADWR' | grep -v mtrrcap | grep -qv 'gp=1 changed=0'; then
			result kvm-invalid-wrmsr-gp "$q" PASS "KVM"
		else
			result kvm-invalid-wrmsr-gp "$q" FAIL "KVM"
		fi
		mig_check kvm-migration "$q" "$q" "$q"
		QEMU_EXTRA=()
	else
		result kvm-invalid-wrmsr-gp "$q" SKIP "no usable /dev/kvm"
		result kvm-migration "$q" SKIP "no usable /dev/kvm"
	fi
}

# ---------------------------------------------------------------------------
main() {
	local t q
	RC=0
	install_deps
	private_apt
	fetch_source
	prepare_patched
	build_libmtrr
	t=$(date +%s); build_qemu stock; T_STOCK=$(( $(date +%s) - t ))
	t=$(date +%s); build_qemu patched; T_PATCHED=$(( $(date +%s) - t ))
	prepare_guest
	log "setup done; running the checks (TCG, -cpu qemu64)"
	t=$(date +%s)
	for q in "${QEMUS[@]}"; do
		check_badwr "$q"
		check_badwr_intel "$q"
		check_smp "$q" seabios
		check_smp "$q" ovmf
		check_reboot "$q"
		check_fw_twice "$q" seabios
		check_fw_twice "$q" ovmf
		check_fw_twice "$q" qboot
		mig_check migration-same-qemu "$q" "$q" "$q"
	done
	for q in seabios ovmf qboot; do
		check_same_as_stock "$q"
	done
	mig_check migration-from-other stock patched stock
	mig_check migration-from-other patched stock patched
	check_migbad
	for q in "${QEMUS[@]}"; do
		check_kvm "$q"
	done
	T_TESTS=$(( $(date +%s) - t ))

	echo
	printf '%-34s %-6s %-6s\n' check stock patched
	for c in "${CHECKS[@]}"; do
		printf '%-34s %-6s %-6s\n' "$c" "${RES[$c|stock]:--}" "${RES[$c|patched]:--}"
	done
	echo
	for q in "${QEMUS[@]}"; do
		local p=0 f=0 s=0
		for c in "${CHECKS[@]}"; do
			case "${RES[$c|$q]:-}" in
			PASS) p=$((p + 1)) ;; FAIL) f=$((f + 1)) ;; SKIP) s=$((s + 1)) ;;
			esac
		done
		echo "$q: $p passed, $f failed, $s skipped"
		[ "$q" = patched ] && [ "$f" -gt 0 ] && RC=1
	done
	echo "timings: stock build ${T_STOCK}s, patched build ${T_PATCHED}s, checks ${T_TESTS}s, total $(( $(date +%s) - T0 ))s"
	return $RC
}

# RUN_SH_LIB=1: define the functions only (for running single checks by hand)
[ "${RUN_SH_LIB:-}" = 1 ] || main "$@"

#!/usr/bin/env bash
# run.sh — builds libmtrr and runs the main job on the bundled default: the
# `mtrr` tool on its embedded sample (a QEMU/OVMF guest's MTRRs), then a
# short benchmark of the resolver against its reference and the baselines.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
need_pkgs cmake make gcc libc6-dev

build=${MTRR_BUILD_DIR:-build/release}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DMTRR_BUILD_TESTS=OFF \
	-DMTRR_BUILD_FUZZERS=OFF -DMTRR_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null

echo "== mtrr show (embedded sample)"
"$build/tools/mtrr" show
echo
echo "== mtrr map (embedded sample)"
"$build/tools/mtrr" map
echo
echo "== benchmark (quick)"
"$build/bench/mtrr_bench" --quick

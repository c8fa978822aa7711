#!/usr/bin/env bash
# `npm run test:asan`: the native layer under AddressSanitizer + UndefinedBehaviorSanitizer.
#
# 1. Builds native/test/core_test.cc with the native core and runs it with LeakSanitizer on: the
#    core's paths (batch decoding, validation, classifier, parser, handle table) with no Node around.
# 2. Builds the addon itself with the sanitizers (soft NIC, N-API layer, and the dpdk backend when
#    pkg-config finds libdpdk) into a temporary directory, and runs the native ava tests
#    (dist/test/native/*.test.js) against it under Node, with the sanitizer runtimes preloaded.
#    Leak detection is on there too.
# Any sanitizer report fails the run (halt_on_error, no recovery). The normal build in
# native/build/ is not touched. Needs g++ (libasan and libubsan come with it) and a built dist/
# (`npx tsc -p tsconfig.json`), which it runs when dist/ is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

CXX=${CXX:-g++}
work=$(mktemp -d "${TMPDIR:-/tmp}/ovs-hwol-asan.XXXXXX")
trap 'rm -rf "$work"' EXIT

san=(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1)
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=native/test/lsan.supp:print_suppressions=0

echo "asan: building the core test driver" >&2
"$CXX" -std=c++17 -Wall -Wextra "${san[@]}" native/src/core/*.cc native/test/core_test.cc -o "$work/core_test"
echo "asan: running the core test driver" >&2
"$work/core_test"

node_include=$(node -p "require('path').resolve(process.execPath, '..', '..', 'include', 'node')")
napi_include=$(node -p "require('node-addon-api').include_dir")
if [ ! -f "$node_include/node_api.h" ]; then
  node_include="$HOME/.cache/node-gyp/$(node -p process.versions.node)/include/node"
fi
sources=(native/src/core/*.cc native/src/napi/*.cc)
dpdk_cflags=()
dpdk_libs=()
if [ "$(bash native/tools/dpdk-config.sh detect 2>/dev/null)" = "true" ]; then
  sources+=(native/src/dpdk/*.cc)
  read -r -a dpdk_cflags <<<"$(pkg-config --cflags libdpdk) -DOVS_HWOL_WITH_DPDK"
  read -r -a dpdk_libs <<<"$(pkg-config --libs libdpdk)"
else
  echo "asan: dpdk backend left out (pkg-config does not find libdpdk)" >&2
fi
echo "asan: building the addon with the sanitizers (${#sources[@]} files)" >&2
"$CXX" -std=c++17 -shared -fPIC -Wall -Wextra "${san[@]}" -DNAPI_VERSION=8 -DNAPI_CPP_EXCEPTIONS \
  -I"$node_include" -I"$napi_include" "${dpdk_cflags[@]}" "${sources[@]}" "${dpdk_libs[@]}" -o "$work/ovs_hwol.node"

[ -d dist/test/native ] || npx tsc -p tsconfig.json
preload="$("$CXX" -print-file-name=libasan.so) $("$CXX" -print-file-name=libubsan.so)"
# Only ava's workers (one process per test file) load the sanitized addon: the sanitizer runtimes
# are preloaded into them alone, through ava's environmentVariables, not into npx or ava itself.
cat >"$work/ava.config.mjs" <<EOF_CONFIG
export default {
  files: ['dist/test/native/**/*.test.js'],
  timeout: '5m',
  concurrency: 2,
  workerThreads: false,
  environmentVariables: {
    OVS_HWOL_ADDON: '$work/ovs_hwol.node',
    LD_PRELOAD: '$preload',
    ASAN_OPTIONS: '$ASAN_OPTIONS',
    UBSAN_OPTIONS: '$UBSAN_OPTIONS',
    LSAN_OPTIONS: 'suppressions=$PWD/native/test/lsan.supp:print_suppressions=0',
  },
};
EOF_CONFIG
echo "asan: running the native tests against the sanitized addon" >&2
env -u ASAN_OPTIONS -u UBSAN_OPTIONS -u LSAN_OPTIONS npx ava --config "$work/ava.config.mjs"
echo "asan: no sanitizer reports" >&2

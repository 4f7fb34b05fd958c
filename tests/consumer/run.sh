#!/usr/bin/env bash
# run.sh BUILD_DIR SOURCE_DIR: installs BUILD_DIR into a temporary prefix, builds the consumers
# in tests/consumer against it with CMake (find_package) and with pkg-config, scans
# samples/interview.mp4 with each and checks the report names findings.
set -euo pipefail
build=${1:?build dir}; src=${2:?source dir}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
sample=$src/samples/interview.mp4
libdir=$(dirname "$(find "$tmp/prefix" -name wm.pc)")/..

cmake -S "$src/tests/consumer" -B "$tmp/cmake" -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/cmake" >/dev/null
export PKG_CONFIG_PATH=$libdir/pkgconfig
cc -Wall -Wextra -Werror "$src/tests/consumer/consumer.c" -o "$tmp/pc_c" $(pkg-config --cflags --libs wm) \
   -Wl,-rpath,"$(pkg-config --variable=libdir wm)"
c++ -std=c++20 -Wall -Wextra -Werror "$src/tests/consumer/consumer.cpp" -o "$tmp/pc_cpp" \
   $(pkg-config --cflags --libs wm) -Wl,-rpath,"$(pkg-config --variable=libdir wm)"

fail=0
for exe in "$tmp/cmake/consumer_cpp" "$tmp/cmake/consumer_c" "$tmp/pc_c" "$tmp/pc_cpp"; do
  out=$("$exe" "$sample" 2>/dev/null) || { echo "FAIL $(basename "$exe"): exit $?"; fail=1; continue; }
  if /usr/bin/python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); r=d["files"][0] if "files" in d else d; sys.exit(0 if r["findings"] else 1)' <<<"$out"; then
    echo "ok   $(basename "$exe")"
  else
    echo "FAIL $(basename "$exe"): no findings"; fail=1
  fi
done
exit $fail

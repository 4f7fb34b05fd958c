#!/usr/bin/env bash
# Metadata-only scan throughput: wmscan against ExifTool over the same folder, same run.
#
#   tools/bench/meta_throughput.sh WMSCAN FIXTURE_DIR [N_FILES]
#
# Builds a folder of N_FILES (default 500) small media files by copying the fixture set made
# by tests/fixtures/make_fixtures.sh (MP4, MOV, M4A, MKV, WAV, MP3 with and without metadata)
# under distinct names, drops the page cache effect by a warm-up pass of each tool, then times
#   wmscan scan --format jsonl --fail-on none DIR/*     and     exiftool -j -q DIR
# and prints files/s for both and the ratio. Wall-clock figures: run on an idle machine.
set -euo pipefail
wmscan=${1:?path to wmscan}
fixtures=${2:?fixture dir (build/testdata)}
n=${3:-500}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/archive"
mapfile -t sources < <(ls "$fixtures"/clean.* "$fixtures"/meta.* | grep -v MANIFEST)
for ((i = 0; i < n; i++)); do
  src=${sources[i % ${#sources[@]}]}
  cp "$src" "$work/archive/file$(printf %04d "$i")_$(basename "$src")"
done
now() { date +%s.%N; }
rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.1f", n / t }'; }

"$wmscan" scan --format jsonl --fail-on none "$work"/archive/* >/dev/null
exiftool -j -q "$work/archive" >/dev/null
t0=$(now); "$wmscan" scan --format jsonl --fail-on none "$work"/archive/* >"$work/wm.jsonl"; t1=$(now)
exiftool -j -q "$work/archive" >"$work/exif.json"; t2=$(now)
wm_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
ex_s=$(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')
records=$(wc -l <"$work/wm.jsonl")
echo "files: $n (wmscan wrote $records records)"
echo "wmscan  : $(printf %.2f "$wm_s") s  $(rate "$n" "$wm_s") files/s"
echo "exiftool: $(printf %.2f "$ex_s") s  $(rate "$n" "$ex_s") files/s"
echo "ratio   : wmscan is $(awk -v a="$ex_s" -v b="$wm_s" 'BEGIN { printf "%.1f", a / b }')x the speed of exiftool -j"

#!/usr/bin/env bash
# Video family speed against plain decoding, same file, same run (issue 3's speed target).
#
#   tools/bench/video_speed.sh WMSCAN [DURATION_S] [WORK_DIR]
#
# Makes (once, in WORK_DIR, default a temporary folder) two H.264 screen-share-like clips of
# DURATION_S seconds (default 60): 1280x720 and 1920x1080, scrolling text over a moving
# gradient with a semi-transparent tiled text mark. For each clip it times
#   ffmpeg -v error -i FILE -f null -                           (decode only, FFmpeg's threads)
#   ffmpeg -v error -threads 1 -i FILE -f null -                (decode only, one thread)
#   wmscan scan --format jsonl --detectors video FILE           (decode + sampling + analysis)
# and prints the seconds and the ratio wmscan / decode. A ratio below 1 means the scan is
# faster than decoding the file with ffmpeg. Wall-clock figures: run on an idle machine.
set -euo pipefail
wmscan=${1:?path to wmscan}
dur=${2:-60}
work=${3:-}
if [[ -z "$work" ]]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"
font=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
mono=/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf
text=/usr/share/common-licenses/GPL-3

make_clip() {  # W H OUT
  local w=$1 h=$2 out=$3
  [[ -s "$out" ]] && return 0
  local size=$((h / 30)) mark=$((h / 24))
  local line="bench.viewer@example.com      bench.viewer@example.com      bench.viewer@example.com"
  ffmpeg -y -v error -f lavfi -i "gradients=s=${w}x${h}:c0=0xF0F0E0:c1=0xB0C8F0:speed=0.02:r=25:d=${dur},\
drawtext=fontfile=${mono}:textfile=${text}:fontsize=${size}:fontcolor=black:x=20:y=h-${h}/6*t:line_spacing=6" \
    -filter_complex "color=c=black@0.0:s=${w}x${h}:d=1,format=rgba,\
drawtext=fontfile=${font}:text='${line}':fontsize=${mark}:fontcolor=white:x=0:y=h/5,\
drawtext=fontfile=${font}:text='${line}':fontsize=${mark}:fontcolor=white:x=-${w}/7:y=2*h/5,\
drawtext=fontfile=${font}:text='${line}':fontsize=${mark}:fontcolor=white:x=0:y=3*h/5,\
drawtext=fontfile=${font}:text='${line}':fontsize=${mark}:fontcolor=white:x=-${w}/7:y=4*h/5,\
colorchannelmixer=aa=0.25[m];[0:v][m]overlay=0:0[v]" \
    -map "[v]" -t "$dur" -c:v libx264 -preset veryfast -crf 26 -pix_fmt yuv420p "$out"
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

printf '%-10s %9s %10s %10s %9s %11s\n' clip decode_s decode1t_s wmscan_s ratio ratio_1t
for res in 1280x720 1920x1080; do
  w=${res%x*}
  h=${res#*x}
  clip="$work/bench_${res}_${dur}s.mp4"
  make_clip "$w" "$h" "$clip"
  ffmpeg -v error -i "$clip" -f null - # warm the page cache
  t0=$(now); ffmpeg -v error -i "$clip" -f null -; t1=$(now)
  ffmpeg -v error -threads 1 -i "$clip" -f null -; t2=$(now)
  "$wmscan" scan --format jsonl --fail-on none --detectors video "$clip" >"$work/out_${res}.jsonl"; t3=$(now)
  dec=$(elapsed "$t0" "$t1")
  dec1=$(elapsed "$t1" "$t2")
  scan=$(elapsed "$t2" "$t3")
  printf '%-10s %9s %10s %10s %9s %11s\n' "$res" "$dec" "$dec1" "$scan" \
    "$(awk -v a="$scan" -v b="$dec" 'BEGIN { printf "%.2f", a / b }')" \
    "$(awk -v a="$scan" -v b="$dec1" 'BEGIN { printf "%.2f", a / b }')"
  if ! grep -q '"video.tiled_text"' "$work/out_${res}.jsonl"; then
    echo "  note: the tiled mark in $clip was not reported" >&2
  fi
done

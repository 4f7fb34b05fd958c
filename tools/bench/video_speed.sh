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
#   the same with --param video.frames=all                       (every frame decoded)
# (BENCH_RESOLUTIONS="1280x720" in the environment limits the sizes) and prints wall and CPU
# seconds (user + system) and the ratios wmscan / decode. A ratio below 1 means the scan is
# faster than decoding the file with ffmpeg. The default (video.frames=auto) decodes key frames
# only when the container's index lists at least 40 of them: at x264's default GOP (250 frames,
# 10 s at 25 fps) that is a clip of 400 s or more, so use DURATION_S=600 for the issue's
# 10-minute case. Wall seconds need an idle machine; on a shared one compare the CPU ratios.
# It also says whether the mark was reported and read as an e-mail address in each run.
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
drawtext=fontfile=${mono}:textfile=${text}:fontsize=${size}:fontcolor=black:x=20:y=h-mod(${h}/6*t\\,th+h):line_spacing=6" \
    -filter_complex "color=c=black@0.0:s=${w}x${h}:d=1,format=rgba,\
drawtext=fontfile=${font}:text='${line}':fontsize=${mark}:fontcolor=white:x=0:y=h/5,\
drawtext=fontfile=${font}:text='${line}':fontsize=${mark}:fontcolor=white:x=-${w}/7:y=2*h/5,\
drawtext=fontfile=${font}:text='${line}':fontsize=${mark}:fontcolor=white:x=0:y=3*h/5,\
drawtext=fontfile=${font}:text='${line}':fontsize=${mark}:fontcolor=white:x=-${w}/7:y=4*h/5,\
colorchannelmixer=aa=0.25[m];[0:v][m]overlay=0:0[v]" \
    -map "[v]" -t "$dur" -c:v libx264 -preset veryfast -crf 26 -pix_fmt yuv420p "$out"
}

# measure NAME CMD...: runs CMD and sets NAME_wall and NAME_cpu (user + system seconds, children
# included). CPU seconds stay meaningful when other jobs share the machine; wall seconds do not.
measure() {
  local name=$1 t
  shift
  t=$( { TIMEFORMAT='%R %U %S'; time "$@" >/dev/null 2>>"$work/stderr.log"; } 2>&1 )
  read -r wall user sys <<<"$t"
  printf -v "${name}_wall" '%s' "$wall"
  printf -v "${name}_cpu" '%.2f' "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

printf '%-10s | %-15s | %-15s | %-22s | %-22s\n' "" "ffmpeg -f null" "  -threads 1" "wmscan (frames=auto)" "wmscan (frames=all)"
printf '%-10s | %7s %7s | %7s %7s | %7s %7s %6s | %7s %7s %6s\n' clip wall_s cpu_s wall_s cpu_s wall_s cpu_s ratio \
  wall_s cpu_s ratio
for res in ${BENCH_RESOLUTIONS:-1280x720 1920x1080}; do
  w=${res%x*}
  h=${res#*x}
  clip="$work/bench_${res}_${dur}s.mp4"
  make_clip "$w" "$h" "$clip"
  ffmpeg -v error -i "$clip" -f null - # warm the page cache
  measure dec ffmpeg -v error -i "$clip" -f null -
  measure dec1 ffmpeg -v error -threads 1 -i "$clip" -f null -
  measure scan sh -c '"$0" scan --format jsonl --fail-on none --detectors video "$1" >"$2"' \
    "$wmscan" "$clip" "$work/out_${res}.jsonl"
  measure all sh -c '"$0" scan --format jsonl --fail-on none --detectors video --param video.frames=all "$1" >"$2"' \
    "$wmscan" "$clip" "$work/out_all_${res}.jsonl"
  # Ratios: wall to wall and CPU to CPU against the threaded decode (what `ffmpeg -f null` does).
  printf '%-10s | %7s %7s | %7s %7s | %7s %7s %6s | %7s %7s %6s\n' "$res" "$dec_wall" "$dec_cpu" "$dec1_wall" "$dec1_cpu" \
    "$scan_wall" "$scan_cpu" "$(ratio "$scan_wall" "$dec_wall")" "$all_wall" "$all_cpu" "$(ratio "$all_wall" "$dec_wall")"
  printf '%-10s | %15s | %15s | %15s %6s | %15s %6s\n' "" "" "" "cpu ratio" "$(ratio "$scan_cpu" "$dec_cpu")" \
    "cpu ratio" "$(ratio "$all_cpu" "$dec_cpu")"
  for out in "$work/out_${res}.jsonl" "$work/out_all_${res}.jsonl"; do
    if ! grep -q '"video.tiled_text"' "$out"; then
      echo "  note: $(basename "$out"): the tiled mark was not reported" >&2
    elif ! grep -q '"text_kind":"email"' "$out"; then
      echo "  note: $(basename "$out"): the tiled mark was reported but not read as an e-mail address" >&2
    fi
    grep -o '"decoded":"[^"]*"' "$out" | sed 's/^/  /' >&2
  done
done

#!/usr/bin/env bash
# Audio detector speed: `wmscan scan --detectors audio` (all audio detectors, decode included)
# against `ffmpeg -f null` decode of the same 48 kHz stereo file, and `audiowmark get` on the
# same file when the binary is on PATH (skipped cleanly otherwise).
#
#   tools/bench/audio_speed.sh WMSCAN [SECONDS] [INPUT]
#
# Without INPUT, makes a SECONDS-long (default 600) 48 kHz stereo FLAC of programme-like
# material (pink noise under a slowly swept tone, a different sweep per channel) with ffmpeg.
# Each command runs once as a warm-up, then the best of 3 runs is kept (wall clock, one file,
# one process: wmscan's audio detectors run on one core). Prints seconds, the real-time factor
# (audio seconds per wall-clock second) and wmscan's time as a multiple of the decode time.
# Wall-clock figures: run on an idle machine.
set -euo pipefail
wmscan=${1:?path to wmscan}
seconds=${2:-600}
input=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [[ -z "$input" ]]; then
  input=$work/programme_48k_stereo.flac
  ffmpeg -nostdin -v error -f lavfi -i "anoisesrc=color=pink:sample_rate=48000:amplitude=0.2:duration=$seconds" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=$seconds" \
    -filter_complex "[1]vibrato=f=0.2:d=0.5,volume=0.3[t];[0][t]amix=inputs=2:normalize=0,aformat=channel_layouts=stereo,aeval=val(0)|0.8*val(0)+0.01*sin(2*PI*330*t)" \
    -ar 48000 -c:a flac "$input"
fi
duration=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$input")
now() { date +%s.%N; }
best_of() {  # best_of COMMAND...: prints the best wall-clock seconds of 3 runs (after a warm-up)
  "$@" >/dev/null 2>&1 || true
  local best=""
  for _ in 1 2 3; do
    local t0 t1
    t0=$(now)
    "$@" >/dev/null 2>&1 || true
    t1=$(now)
    best=$(awk -v a="$t0" -v b="$t1" -v best="$best" 'BEGIN { d = b - a; if (best == "" || d < best) best = d; print best }')
  done
  echo "$best"
}
decode_s=$(best_of ffmpeg -nostdin -v error -i "$input" -f null -)
wm_s=$(best_of "$wmscan" scan --format json --no-hash --fail-on none --detectors audio "$input")
echo "input          : $input ($(printf %.1f "$duration") s, $(ffprobe -v error -select_streams a:0 -show_entries stream=sample_rate,channels -of csv=p=0 "$input"))"
echo "ffmpeg decode  : $(printf %.2f "$decode_s") s  ($(awk -v d="$duration" -v t="$decode_s" 'BEGIN { printf "%.0f", d / t }')x real time)"
echo "wmscan audio   : $(printf %.2f "$wm_s") s  ($(awk -v d="$duration" -v t="$wm_s" 'BEGIN { printf "%.0f", d / t }')x real time; $(awk -v a="$wm_s" -v b="$decode_s" 'BEGIN { printf "%.1f", a / b }')x the decode time)"
if command -v audiowmark >/dev/null 2>&1; then
  aw_s=$(best_of audiowmark get "$input")
  echo "audiowmark get : $(printf %.2f "$aw_s") s  ($(awk -v d="$duration" -v t="$aw_s" 'BEGIN { printf "%.0f", d / t }')x real time; wmscan audio is $(awk -v a="$aw_s" -v b="$wm_s" 'BEGIN { printf "%.1f", a / b }')x faster)"
else
  echo "audiowmark get : skipped (audiowmark not on PATH)"
fi

#!/usr/bin/env bash
# Archive-scale figures (issue 5): throughput, peak memory and resume, against the obvious
# references in the same run.
#
#   tools/bench/archive_bench.sh WMSCAN [N_FILES] [WORK_DIR]
#
# Builds an archive of N_FILES (default 2000) small, distinct media files: 12 base clips made
# with ffmpeg (MP4/MKV video 2 s 640x360 with audio, M4A/MP3/WAV/Opus audio 2-3 s, with and
# without identifying tags, one with a 19 kHz beacon) remuxed (-c copy) each time with its own
# title, so no two files share content. Then measures, each after one warm-up pass:
#   1. all families (meta + audio + video): wmscan -j 1 and -j 2, files/s and peak RSS
#      (/usr/bin/time -v, the whole process tree's maximum is reported per process: the
#      scanner is one process, so its maximum resident set is the figure);
#   2. metadata only: wmscan --detectors meta -j 1 / -j 2 against `exiftool -r -j` on the
#      same folder, files/s and ratio;
#   3. resume: a --cache run killed (SIGKILL) when half the files are in the cache, then the
#      same command again; its time against a fresh --cache run over the whole archive, and
#      the resumed output checked equal to the fresh one.
# BENCH_ONLY=resume runs only part 3.
# Wall-clock figures: run on an otherwise idle machine and read the ratios, not the seconds.
set -euo pipefail
wmscan=$(realpath "${1:?path to wmscan}")
n=${2:-2000}
work=${3:-$(mktemp -d)}
keep_work=${3:+1}
[[ -z $keep_work ]] && trap 'rm -rf "$work"' EXIT
mkdir -p "$work"
archive=$work/archive
base=$work/base

ff() { ffmpeg -nostdin -hide_banner -loglevel error -y "$@"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.1f", n / t }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

make_base() {
  mkdir -p "$base"
  local tags=(-metadata "artist=Jane Doe" -metadata "comment=jane.doe@example.com")
  ff -f lavfi -i "testsrc2=s=640x360:r=25:d=2" -f lavfi -i "sine=f=440:r=48000:d=2" \
     -c:v libx264 -preset veryfast -crf 28 -pix_fmt yuv420p -c:a aac -b:a 96k "$base/talk.mp4"
  ff -f lavfi -i "testsrc=s=640x360:r=25:d=2" -f lavfi -i "anoisesrc=d=2:c=pink:r=48000:a=0.1" \
     -c:v libx264 -preset veryfast -crf 28 -pix_fmt yuv420p -c:a aac -b:a 96k "${tags[@]}" "$base/tagged.mp4"
  ff -f lavfi -i "mandelbrot=s=640x360:r=25" -f lavfi -i "sine=f=300:r=44100:d=2" -t 2 \
     -c:v libx264 -preset veryfast -crf 30 -pix_fmt yuv420p -c:a libopus -b:a 64k "${tags[@]}" "$base/clip.mkv"
  ff -f lavfi -i "anoisesrc=d=3:c=brown:r=48000:a=0.2" -c:a aac -b:a 128k "$base/voice.m4a"
  ff -f lavfi -i "sine=f=523:r=44100:d=3" -c:a libmp3lame -b:a 128k "${tags[@]}" "$base/song.mp3"
  ff -f lavfi -i "anoisesrc=d=3:c=pink:r=48000:a=0.1" -c:a pcm_s16le "$base/room.wav"
  ff -f lavfi -i "anoisesrc=d=3:c=pink:r=48000:a=0.1" -c:a pcm_s16le -write_bext 1 \
     -metadata "originator=John Smith" "$base/field.wav"
  ff -f lavfi -i "anoisesrc=d=3:c=white:r=48000:a=0.05" -c:a libopus -b:a 96k "$base/call.opus"
  ff -f lavfi -i "sine=f=19000:r=48000:d=3" -af "volume='0.01*lt(mod(t,1),0.5)':eval=frame" \
     -c:a pcm_s16le "$base/beacon_tone.wav"
  ff -f lavfi -i "anoisesrc=d=3:c=pink:r=48000:a=0.1" -i "$base/beacon_tone.wav" \
     -filter_complex "[0][1]amix=inputs=2:normalize=0" -c:a pcm_s16le "$base/beacon.wav"
  rm "$base/beacon_tone.wav"
  ff -f lavfi -i "smptebars=s=640x360:r=25:d=2" -c:v libx264 -preset veryfast -crf 30 -pix_fmt yuv420p \
     "$base/bars.mp4"
  ff -f lavfi -i "testsrc2=s=640x360:r=25:d=2" -c:v libvpx-vp9 -deadline realtime -cpu-used 8 -b:v 300k \
     "$base/screen.webm"
}

make_archive() {
  mkdir -p "$archive"
  mapfile -t sources < <(ls "$base"/*)
  for ((i = 0; i < n; i++)); do
    local src=${sources[i % ${#sources[@]}]}
    local dir=$archive/batch$((i / 250))
    mkdir -p "$dir"
    local name; name=$(basename "$src")
    ff -i "$src" -map 0 -c copy -metadata "title=Recording $i" "$dir/$(printf %05d "$i")_$name"
  done
}

# run_timed NAME COMMAND...: wall seconds to $NAME.s, peak RSS (kB) to $NAME.rss
run_timed() {
  local name=$1; shift
  local t0 t1
  t0=$(now)
  /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" || true
  t1=$(now)
  elapsed "$t0" "$t1" >"$work/$name.s"
  awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/$name.time" >"$work/$name.rss"
}

if [[ ! -d $archive ]]; then
  echo "making the archive ($n files) in $work ..." >&2
  make_base
  make_archive
fi
files=$(find "$archive" -type f | wc -l)
bytes=$(du -sb "$archive" | cut -f1)
echo "archive: $files files, $((bytes / 1024 / 1024)) MiB, in $archive"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

scan=("$wmscan" scan -r --format jsonl --fail-on none --progress none)
# Warm-up: page cache and the first-run costs (Tesseract, FFTW) out of the figures.
if [[ ${BENCH_ONLY:-} != resume ]]; then
  "${scan[@]}" -j 2 "$archive" >/dev/null 2>&1 || true
  exiftool -r -j -q "$archive" >/dev/null 2>&1 || true
fi

# BENCH_ONLY=resume skips the throughput runs (their last figures stay in WORK_DIR).
if [[ ${BENCH_ONLY:-} != resume ]]; then
  run_timed all_j1 "${scan[@]}" -j 1 "$archive"
  run_timed all_j2 "${scan[@]}" -j 2 "$archive"
  run_timed meta_j1 "${scan[@]}" -j 1 --detectors meta "$archive"
  run_timed meta_j2 "${scan[@]}" -j 2 --detectors meta "$archive"
  run_timed exiftool exiftool -r -j -q "$archive"
fi

# Resume: fresh cached run, then a run killed at 50 % and resumed.
rm -rf "$work/cache_fresh" "$work/cache_resume"
run_timed fresh "${scan[@]}" -j 2 --cache "$work/cache_fresh" "$archive"
"${scan[@]}" -j 2 --cache "$work/cache_resume" "$archive" >"$work/killed.out" 2>/dev/null &
victim=$!
while kill -0 "$victim" 2>/dev/null; do
  done_files=$( (find "$work/cache_resume" -type f -name "*.json" 2>/dev/null || true) | wc -l)
  if ((done_files >= files / 2)); then kill -KILL "$victim"; break; fi
  sleep 0.05
done
wait "$victim" 2>/dev/null || true
at_kill=$(find "$work/cache_resume" -type f -name "*.json" | wc -l)
run_timed resumed "${scan[@]}" -j 2 --cache "$work/cache_resume" "$archive"

records() { wc -l <"$work/$1.out"; }
echo
echo "| run | files | records | wall s | files/s | peak RSS MiB |"
echo "|---|---|---|---|---|---|"
for r in all_j1 all_j2 meta_j1 meta_j2 exiftool fresh resumed; do
  s=$(cat "$work/$r.s")
  rec=$([[ $r == exiftool ]] && python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$work/$r.out" || records "$r")
  echo "| $r | $files | $rec | $s | $(rate "$files" "$s") | $(( $(cat "$work/$r.rss") / 1024 )) |"
done
echo
echo "all families: -j 2 is $(ratio "$(cat "$work/all_j1.s")" "$(cat "$work/all_j2.s")")x the speed of -j 1"
echo "metadata only: wmscan -j 1 is $(ratio "$(cat "$work/exiftool.s")" "$(cat "$work/meta_j1.s")")x, -j 2 is $(ratio "$(cat "$work/exiftool.s")" "$(cat "$work/meta_j2.s")")x the speed of exiftool -r -j"
echo "resume: killed with $at_kill of $files files cached; the resumed run took $(cat "$work/resumed.s") s against $(cat "$work/fresh.s") s fresh ($(ratio "$(cat "$work/resumed.s")" "$(cat "$work/fresh.s")") of it)"
norm() { python3 -c "
import json, sys
recs = sorted((json.loads(l) for l in open(sys.argv[1])), key=lambda r: r['path'])
for r in recs:
    r.pop('timing', None)
print(json.dumps(recs, sort_keys=True))" "$1"; }
if [[ $(norm "$work/resumed.out") == "$(norm "$work/fresh.out")" ]]; then
  echo "resume: the resumed output equals the fresh run's"
else
  echo "resume: OUTPUT DIFFERS from the fresh run" && exit 1
fi

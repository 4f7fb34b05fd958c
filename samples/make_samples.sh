#!/usr/bin/env bash
# make_samples.sh - regenerate the small demo recordings in samples/.
#
# Each file shows one kind of identifying metadata wmscan reports (see
# samples/README.md).  Tools: espeak-ng (speech), ffmpeg (encoding, tags, bext,
# chapters, attachments), exiftool (XMP in MP4) and tests/fixtures/inject.py
# (C2PA box, iXML, ID3 PRIV/POPM/GEOB).  Deterministic as far as the tools
# allow: fixed seeds, -fflags +bitexact where no muxer string is wanted,
# single-threaded x264.  Output overwrites the files in this directory.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
OUT=$HERE
INJECT=("/usr/bin/python3" "$ROOT/tests/fixtures/inject.py")

for tool in ffmpeg exiftool espeak-ng; do
    command -v "$tool" >/dev/null || { echo "$0: $tool not found" >&2; exit 2; }
done

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

ff() { ffmpeg -nostdin -hide_banner -loglevel error -y "$@"; }
inject() { "${INJECT[@]}" "$@"; }
say() {  # say OUT.wav SECONDS TEXT: espeak-ng speech padded/cut to SECONDS at 48 kHz
    espeak-ng -v en-us -s 165 -w "$W/say.wav" "$3"
    ff -i "$W/say.wav" -af "aresample=48000,apad" -t "$2" -c:a pcm_s16le "$1"
}

NAME="Jane Doe"
EMAIL="jane.doe@example.com"
NAME2="John Smith"
ISO6709="+48.8584+002.2945/"
DOCID="xmp.did:7c2e9a10-3f4b-4d8e-a1c6-5b9d0e2f8a34"
UMID="0x060A2B340101010501010D43130000003A1B2C3D4E5F60710011223344556677"
C2PA_UUID="d8fec3d61b0e483c92975828877ec481"

BX=(-map_metadata -1 -map_chapters -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact)
X264=(-c:v libx264 -preset veryfast -crf 34 -pix_fmt yuv420p -threads 1 -g 40)
AAC=(-c:a aac -b:a 40k -ac 1)

# ------------------------------------------------------------ clean.mp4
# stream copy from an intermediate so no encoder string is attached anywhere;
# filter_units drops the x264 SEI version string, bitexact the AAC "Lavc" element
say "$W/clean.wav" 4 "This sample carries no metadata at all."
ff -f lavfi -i "smptebars=size=320x180:rate=10:duration=4" -i "$W/clean.wav" "${BX[@]}" \
   "${X264[@]}" -bsf:v filter_units=remove_types=6 "${AAC[@]}" "$W/clean.nut"
ff -i "$W/clean.nut" -c copy "${BX[@]}" "$OUT/clean.mp4"

# ------------------------------------------------------------ interview.mp4
say "$W/interview.wav" 5 "Interview with Jane Doe, recorded in Paris on January fifteenth."
ff -f lavfi -i "testsrc2=size=320x180:rate=10:duration=5" -i "$W/interview.wav" \
   "${X264[@]}" "${AAC[@]}" -map_metadata -1 \
   -metadata "title=Interview with $NAME" -metadata "artist=$NAME" \
   -metadata "comment=Contact: $EMAIL" -metadata "location=$ISO6709" \
   -metadata "com.apple.quicktime.location.ISO6709=$ISO6709" \
   -metadata "make=Apple" -metadata "model=iPhone 15 Pro" \
   -movflags use_metadata_tags "$W/interview_ff.mp4"
exiftool -q -q -overwrite_original "-XMP-dc:Creator=$NAME" "-XMP-xmpMM:DocumentID=$DOCID" \
    "$W/interview_ff.mp4"
inject c2pa-store "$W/c2pa_bmff.bin" --wrap bmff --author "$NAME" --author-email "$EMAIL" \
    --signer "$NAME" --signer-email "$EMAIL" --title interview.mp4 --format video/mp4 --seed 11
inject mp4-boxes "$W/interview_ff.mp4" "$OUT/interview.mp4" --uuid "$C2PA_UUID=$W/c2pa_bmff.bin"

# ------------------------------------------------------------ podcast.mp3
say "$W/podcast.wav" 4 "Welcome to episode twelve of the privacy podcast. I am Jane Doe."
ff -i "$W/podcast.wav" -map_metadata -1 -flags:a +bitexact -c:a libmp3lame -b:a 48k -ac 1 \
   -id3v2_version 3 -metadata "title=Privacy podcast, episode 12" -metadata "artist=$NAME" \
   "$W/podcast_ff.mp3"
printf 'Show notes by %s <%s>\n' "$NAME" "$EMAIL" >"$W/notes.txt"
inject id3 "$W/podcast_ff.mp3" "$OUT/podcast.mp3" --version 3 --keep-existing \
    --comm "=Hosted by $NAME, produced by $NAME2" \
    --priv "www.amazon.com=4a616e65446f650001020304" \
    --popm "$EMAIL=255:3" \
    --geob "text/plain:notes.txt:Show notes=$W/notes.txt"

# ------------------------------------------------------------ field-recording.wav
say "$W/field_voice.wav" 3 "Scene twelve, take three. Rolling."
ff -f lavfi -i "anoisesrc=color=brown:amplitude=0.05:sample_rate=48000:duration=3:seed=42" \
   -i "$W/field_voice.wav" -filter_complex "[0][1]amix=inputs=2:normalize=0" \
   -map_metadata -1 -fflags +bitexact -flags:a +bitexact -c:a pcm_s16le -write_bext 1 \
   -metadata "description=Scene 12 take 3" -metadata "originator=$NAME2" \
   -metadata "originator_reference=JSMITH-20260115-0003" -metadata origination_date=2026-01-15 \
   -metadata origination_time=14:00:00 -metadata "umid=$UMID" \
   -metadata "coding_history=A=PCM,F=48000,W=16,M=mono,T=Zoom F6" \
   -metadata "artist=$NAME2" "$W/field_ff.wav"
cat >"$W/ixml.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<BWFXML>
 <IXML_VERSION>2.10</IXML_VERSION>
 <PROJECT>Documentary</PROJECT>
 <SCENE>12</SCENE>
 <TAKE>3</TAKE>
 <NOTE>Sound recordist: $NAME2</NOTE>
 <USER>RECORDIST=$NAME2</USER>
</BWFXML>
EOF
inject riff-chunks "$W/field_ff.wav" "$OUT/field-recording.wav" --chunk "iXML=$W/ixml.xml"

# ------------------------------------------------------------ lecture.mkv
say "$W/lecture.wav" 4 "Welcome to the lecture. Questions please to Jane."
cat >"$W/lecture.ffmeta" <<EOF
;FFMETADATA1
title=Lecture: privacy basics
artist=$NAME

[CHAPTER]
TIMEBASE=1/1000
START=0
END=2000
title=Introduction by $NAME

[CHAPTER]
TIMEBASE=1/1000
START=2000
END=4000
title=Questions from $NAME2
EOF
printf 'Slides and contact: %s <%s>\n' "$NAME" "$EMAIL" >"$W/contact.txt"
ff -f lavfi -i "smptebars=size=320x180:rate=10:duration=4" -i "$W/lecture.wav" -i "$W/lecture.ffmeta" \
   -map 0:v -map 1:a "${X264[@]}" "${AAC[@]}" -map_metadata 2 -map_chapters 2 \
   -attach "$W/contact.txt" -metadata:s:t:0 mimetype=text/plain \
   -fflags +bitexact "$OUT/lecture.mkv"

# ------------------------------------------------------------ screen-share.mp4
# A shared screen as a meeting client records it for one viewer: a document scrolling over a
# slowly moving background, the viewer's e-mail tiled across the frame in grey at 20 % opacity and
# rotated 30°, and under the speech a 19 kHz on/off beacon (0.5 s on, 0.5 s off,
# -58 dBFS peak: the sine source is 1/8 of full scale (-18 dBFS), then volume 0.01 = -40 dB).
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
MONO=/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf
for i in $(seq 0 40); do
    printf '%*s' $(( (i % 2) * 4 )) ''
    for _ in $(seq 1 12); do printf '%s        ' "$EMAIL"; done
    printf '\n'
done >"$W/tiles.txt"
ff -f lavfi -i "color=c=black@0.0:s=2600x2600:d=1,format=rgba,drawtext=fontfile=$FONT:textfile=$W/tiles.txt:fontsize=30:fontcolor=0x606060:line_spacing=70,rotate=a=30*PI/180:c=none,crop=1280:720,colorchannelmixer=aa=0.20" \
   -frames:v 1 "$W/tiles.png"
say "$W/share_voice.wav" 8 "Let me share my screen. This is the draft of the licence text we discussed last week."
ff -f lavfi -i "sine=frequency=19000:sample_rate=48000:duration=8" \
   -af "volume='0.01*lt(mod(t,1),0.5)':eval=frame" -c:a pcm_s16le "$W/beacon.wav"
ff -f lavfi -i "gradients=s=1280x720:c0=0xF0F0E0:c1=0xB0C8F0:speed=0.02:seed=7:r=10:d=8,drawtext=fontfile=$MONO:textfile=/usr/share/common-licenses/GPL-3:fontsize=24:fontcolor=black:x=20:y=40-120*t:line_spacing=6" \
   -loop 1 -i "$W/tiles.png" -i "$W/share_voice.wav" -i "$W/beacon.wav" \
   -filter_complex "[0:v][1:v]overlay=0:0:shortest=1[v];[2:a][3:a]amix=inputs=2:normalize=0[a]" \
   -map "[v]" -map "[a]" -t 8 "${BX[@]}" -c:v libx264 -preset veryfast -crf 32 -pix_fmt yuv420p -threads 1 -g 50 \
   -bsf:v filter_units=remove_types=6 -c:a aac -b:a 160k -cutoff 22000 -ac 1 "$OUT/screen-share.mp4"

# ------------------------------------------------------------ gallery-view.mp4
# A meeting's gallery view as a participant's screen recorder captures it: four camera-like
# tiles (soft shapes drifting, sensor noise) with each participant's name at the bottom left on
# a semi-transparent plate, as Zoom and Teams draw it. No audio.
GALLERY_NAMES=("$NAME" "$NAME2" "Ana Lima" "Raj Patel")
GALLERY_COLOURS=(0x806050 0x305070 0x507030 0x703050)
tiles=() chains=""
for i in 0 1 2 3; do
    tiles+=(-f lavfi -i "gradients=s=636x356:c0=${GALLERY_COLOURS[$i]}:c1=0x304060:c2=0xA08070:n=3:speed=0.0$((i + 3)):seed=$((i + 11)):r=10:d=6,format=yuv420p,noise=alls=3:allf=t:all_seed=$((i + 5))")
    chains+="[$i:v]drawtext=fontfile=$FONT:text='${GALLERY_NAMES[$i]}':fontsize=20:fontcolor=white:box=1:boxcolor=black@0.5:boxborderw=6:x=12:y=h-th-14,pad=640:360:2:2:color=0x1a1a1a[t$i];"
done
ff "${tiles[@]}" -filter_complex "${chains}[t0][t1]hstack[a];[t2][t3]hstack[b];[a][b]vstack[v]" -map "[v]" -t 6 \
   "${BX[@]}" -c:v libx264 -preset veryfast -crf 28 -pix_fmt yuv420p -threads 1 -g 50 \
   -bsf:v filter_units=remove_types=6 "$OUT/gallery-view.mp4"

# ------------------------------------------------------------ zoom-export/
mkdir -p "$OUT/zoom-export"
say "$W/zoom.wav" 3 "Hello everyone, thanks for joining."
ff -i "$W/zoom.wav" "${BX[@]}" "${AAC[@]}" "$OUT/zoom-export/audioJaneDoe11234567890.m4a"
printf '14:01:02 From %s to Everyone: hello\n14:01:30 From %s to Everyone: thanks, slides at %s\n' \
    "$NAME" "$NAME2" "$EMAIL" >"$OUT/zoom-export/chat.txt"
cat >"$OUT/zoom-export/GMT20260115-140000_Recording.transcript.vtt" <<EOF
WEBVTT

1
00:00:00.000 --> 00:00:02.500
<v $NAME>Hello everyone, thanks for joining.

2
00:00:02.500 --> 00:00:03.000
$NAME2: Thanks Jane.
EOF

du -ch "$OUT"/*.mp4 "$OUT"/*.mp3 "$OUT"/*.wav "$OUT"/*.mkv "$OUT"/zoom-export/* | tail -n1

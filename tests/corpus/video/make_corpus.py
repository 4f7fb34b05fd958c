#!/usr/bin/env python3
"""Labelled corpus for the video overlay detectors (issue 3), made with ffmpeg at run time.

Content is screen-share-like: real text from /usr/share/common-licenses scrolled over a slowly
changing colour gradient (dark and light themes). Marks are drawn by ffmpeg: a tiled layer
(drawtext of a repeated line on a transparent canvas, rotated, opacity scaled) overlaid with
`overlay`, or a single centred drawtext. Hard negatives: no mark, opaque toolbar, picture-in-
picture webcam, subtitles, letterbox, still slide. Every clip's truth goes to manifest.json.

Segments (a tiled mark switched on part-way, truth start_s) and burned-in name labels (an
opaque drawtext box over camera-like content) are scored too; a toolbar without text is a
negative for burned-in text.

Logos: generated icons (ring, flower, diamond frame, plus in a square, play button; drawn by
ffmpeg's geq at 4x and scaled down, so edges are anti-aliased), 60-200 px, opacity 0.15-0.40,
white on the dark theme, black on the light one, static in a corner or the centre. Their hard negatives: the same icon opaque
(a toolbar/app icon: static UI, not a mark), the icon moving across the screen (a sprite), and
a picture-in-picture webcam whose person sits still over sensor noise.

usage: make_corpus.py OUT_DIR [--medium | --full] [--seed N] [--only COND,...]
  --only keeps the clips of the named conditions (e.g. tiled_fullpage,neg_fullpage), for a
         quick look at one class; the clips drawn differ from those of the whole corpus.
"""
import argparse
import json
import os
import random
import subprocess
import sys

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
LICENSES = ["/usr/share/common-licenses/GPL-3", "/usr/share/common-licenses/Apache-2.0",
            "/usr/share/common-licenses/GFDL-1.3", "/usr/share/common-licenses/LGPL-3",
            "/usr/share/common-licenses/Artistic"]
MARKS = ["jane.doe@example.com", "j.smith", "Maria Keller", "+1 415 555 0134",
         "alex.chen@corp.example", "p.novak", "Tom Berger", "ops-team@example.org"]
NAMES = ["Maria Keller", "Tom Berger", "Alex Chen", "Priya Raman", "Jonas Weber", "Sofia Lindqvist"]
COLOURS = {"white": "white", "grey": "gray", "black": "black"}
# --gop N: encode every clip with a key frame every N frames (clips are 25 fps) instead of the
# encoder's default (250 frames for x264: one or two key frames per clip). With N = 13 the key
# frames are 0.52 s apart, just over the detector's 0.5 s sampling interval, so decoding key
# frames only (video.frames=keyframes) sees as many frames as decoding all of them, and an A/B
# of the two measures only what key-frame sampling costs.
GOP_FRAMES = 0
# --moving-seconds S: moving-line clips last S seconds instead of 12 or 18 (drawn all the same, so
# the rest of the set stays as it was). A long clip offers the detector more sampled frames than
# it keeps, as a recording of a meeting does.
MOVING_SECONDS = 0


def gop_args(dur):
    del dur  # same GOP for every clip length
    return ["-g", str(GOP_FRAMES), "-keyint_min", str(GOP_FRAMES)] if GOP_FRAMES > 0 else []


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit("ffmpeg failed: " + " ".join(cmd) + "\n" + r.stderr[-2000:])


def esc(path):
    return path.replace("\\", "\\\\").replace(":", "\\:").replace("'", "\\'")


def content_filter(w, h, dur, theme, text_file, seed, full_page=False):
    """A scrolling document over a slowly moving gradient background.

    By default the document scrolls in from the bottom, so much of the frame shows bare
    background for a while. With full_page it fills the frame from the first frame and scrolls
    by whole lines (a page, terminal or editor scrolled with the arrow keys): every sampled
    frame then has text on the same rows, the hard case for consistent-gradient statistics."""
    fg = "black" if theme == "light" else "white"
    c0, c1 = ("0xF0F0E0", "0xB0C8F0") if theme == "light" else ("0x202830", "0x403050")
    size = max(14, h // 30)
    if full_page:
        line_px = size + 6
        y = f"40-{line_px}*floor({2 + seed % 3}*t)"  # 2-4 whole lines per second
    else:
        y = f"h-{h // 6}*t-{seed % 200}"
    return (f"gradients=s={w}x{h}:c0={c0}:c1={c1}:speed=0.02:seed={seed}:r=25:d={dur},"
            f"drawtext=fontfile={MONO}:textfile='{esc(text_file)}':fontsize={size}:fontcolor={fg}:"
            f"x=20:y={y}:line_spacing=6")


def make_tiled_layer(path, w, h, text, size, angle_deg, colour, opacity):
    """RGBA PNG: `text` tiled on a staggered grid, rotated, opacity scaled."""
    big = int(2 * max(w, h))
    gap = " " * 6
    lines_file = path + ".txt"
    with open(lines_file, "w") as f:
        for i in range(big // (size * 3) + 2):
            f.write(("   " * (i % 2)) + (text + gap) * (big // (size * len(text) // 2 + 1) + 2) + "\n")
    vf = (f"color=c=black@0.0:s={big}x{big}:d=1,format=rgba,"
          f"drawtext=fontfile={FONT}:textfile='{esc(lines_file)}':fontsize={size}:fontcolor={colour}:"
          f"x=0:y=0:line_spacing={2 * size},"
          f"rotate=a={angle_deg}*PI/180:c=none,"
          f"crop={w}:{h},colorchannelmixer=aa={opacity}")
    run(["ffmpeg", "-y", "-v", "error", "-f", "lavfi", "-i", vf, "-frames:v", "1", path])
    os.remove(lines_file)


# Icon shapes as geq alpha expressions over u, v in [-1, 1] (centre of the canvas at 0, 0).
_U, _V = "((X-W/2)/(W/2))", "((Y-H/2)/(H/2))"
_R = f"hypot({_U},{_V})"
LOGO_SHAPES = {
    "ring": f"between({_R},0.6,0.95)+lt({_R},0.35)",
    "flower": f"lt({_R},0.55+0.4*cos(5*atan2({_V},{_U})))",
    "diamond": f"between(abs({_U})+abs({_V}),0.55,0.95)",
    "plus": (f"between(max(abs({_U}),abs({_V})),0.75,0.95)+lt(abs({_U}),0.15)*lt(abs({_V}),0.55)"
             f"+lt(abs({_V}),0.15)*lt(abs({_U}),0.55)"),
    "play": f"lt({_R},0.95)*(1-gt({_U},-0.35)*lt(abs({_V}),0.6*(0.55-{_U})))",
}


def make_logo(path, shape, size, colour, opacity):
    """RGBA PNG, size x size: one icon of LOGO_SHAPES drawn at 4x and area-scaled (anti-aliased)."""
    rgb = {"white": 255, "grey": 128, "black": 0}[colour]
    vf = (f"color=c=black@0.0:s={4 * size}x{4 * size}:d=1,format=rgba,"
          f"geq=r={rgb}:g={rgb}:b={rgb}:a='255*{opacity}*min(1,{LOGO_SHAPES[shape]})',"
          f"scale={size}:{size}:flags=area")
    run(["ffmpeg", "-y", "-v", "error", "-f", "lavfi", "-i", vf, "-frames:v", "1", path])


def camera_filter(w, h, dur):
    """Camera-like content: soft colour shapes drifting slowly, with sensor noise (converted to
    YUV first: noise on the gradients' RGBA output would also hit the alpha channel)."""
    return (f"gradients=s={w}x{h}:c0=0x806050:c1=0x304060:c2=0xA08070:n=3:speed=0.05:r=25:d={dur},"
            f"format=yuv420p,noise=alls=3:allf=t")


def pip_box(kind, first_input, w, h, dur):
    """A picture-in-picture box in the bottom-right corner: ffmpeg's test pattern ("pip") or a
    still webcam tile ("pip_cam"). Returns the extra inputs and a filter chain from them to [p]
    (inputs numbered from `first_input`)."""
    if kind == "pip":
        return (["-f", "lavfi", "-i", f"testsrc2=s={w // 4}x{h // 4}:r=25:d={dur}"],
                f"[{first_input}:v]pad=iw+8:ih+8:4:4:color=white[p]")
    # A webcam tile whose person sits still: a dark head and shoulders over a slowly changing
    # wall, sensor noise everywhere; only the noise and the wall vary.
    pw, ph = w // 4, h // 4
    head = (f"lt(hypot((X-W/2)/(0.16*W),(Y-0.42*H)/(0.26*H)),1)"
            f"+lt(hypot((X-W/2)/(0.38*W),(Y-1.05*H)/(0.4*H)),1)")
    inputs = ["-f", "lavfi", "-i", f"gradients=s={pw}x{ph}:c0=0x9098A0:c1=0x707880:speed=0.03:r=25:d={dur}",
              "-f", "lavfi", "-i",
              f"color=c=black@0.0:s={pw}x{ph}:d=1,format=rgba,geq=r=60:g=45:b=40:a='255*min(1,{head})'"]
    return (inputs, f"[{first_input}:v][{first_input + 1}:v]overlay=0:0[c];"
                    f"[c]noise=alls=5:allf=t,pad=iw+8:ih+8:4:4:color=white[p]")


def logo_xy(position, w, h, size, margin=40):
    """Top-left corner of a size x size logo at a named position."""
    x = {"tl": margin, "bl": margin, "tr": w - size - margin, "br": w - size - margin}.get(position, (w - size) // 2)
    y = {"tl": margin, "tr": margin, "bl": h - size - margin, "br": h - size - margin}.get(position, (h - size) // 2)
    return x, y


def encode(out, vf_inputs, filter_complex, dur, codec, crf):
    cmd = ["ffmpeg", "-y", "-v", "error"] + vf_inputs + ["-filter_complex", filter_complex, "-map", "[v]", "-t", str(dur)]
    if codec == "vp9":
        cmd += ["-c:v", "libvpx-vp9", "-crf", str(crf), "-b:v", "0", "-deadline", "realtime", "-cpu-used", "8"]
    else:
        cmd += ["-c:v", "libx264", "-preset", "veryfast", "-crf", str(crf), "-pix_fmt", "yuv420p"]
    run(cmd + gop_args(dur) + [out])


def content_draws(rng):
    """The page text and the content's seed: the two draws every clip takes from the generator,
    whatever its kind (mark_presence.py takes them too, for the clips it does not remake)."""
    text_file = rng.choice([p for p in LICENSES if os.path.exists(p)])
    return text_file, rng.randrange(1000)


def clip_name(idx, spec):
    return f"{idx:03d}_{spec['condition']}." + ("webm" if spec["codec"] == "vp9" else "mp4")


def clip(out_dir, idx, spec, rng):
    w, h, dur = spec["width"], spec["height"], spec["duration_s"]
    ext = "webm" if spec["codec"] == "vp9" else "mp4"
    name = clip_name(idx, spec)
    out = os.path.join(out_dir, name)
    text_file, content_seed = content_draws(rng)
    base = content_filter(w, h, dur, spec.get("theme", "light"), text_file, content_seed,
                          full_page=spec.get("full_page", False))
    if spec.get("camera"):
        base = camera_filter(w, h, dur)
    inputs = ["-f", "lavfi", "-i", base]
    kind = spec["kind"]
    region = None
    if kind == "tiled":
        layer = out + ".layer.png"
        make_tiled_layer(layer, w, h, spec["text"], spec["size_px"], spec["angle_deg"],
                         COLOURS[spec["colour"]], spec["opacity"])
        inputs += ["-loop", "1", "-i", layer]
        fc = "[0:v][1:v]overlay=0:0:shortest=1[v]"
        if spec.get("pip"):
            # A meeting's webcam tile drawn over the marked share (the client marks the share).
            extra, box = pip_box(spec["pip"], 2, w, h, dur)
            inputs += extra
            fc = f"[0:v][1:v]overlay=0:0:shortest=1[m];{box};[m][p]overlay=W-w-20:H-h-20:shortest=1[v]"
        region = [0, 0, w, h]
    elif kind == "single":
        fc = (f"[0:v]drawtext=fontfile={FONT}:text='{spec['text']}':fontsize={spec['size_px']}:"
              f"fontcolor={COLOURS[spec['colour']]}@{spec['opacity']}:x=(w-tw)/2:y=(h-th)/2[v]")
        tw = int(0.6 * spec["size_px"] * len(spec["text"]))
        region = [(w - tw) // 2, (h - spec["size_px"]) // 2, tw, spec["size_px"]]
    elif kind == "single_moving":
        # One line that jumps between places (a "dynamic" watermark), each shown for an equal
        # share of the clip: truth per place (region, time range).
        size, tw = spec["size_px"], int(0.6 * spec["size_px"] * len(spec["text"]))
        share = dur / len(spec["places"])
        draws, places = [], []
        for k, (x, y) in enumerate(spec["places"]):
            start_s, end_s = k * share, (k + 1) * share
            draws.append(f"drawtext=fontfile={FONT}:text='{spec['text']}':fontsize={size}:"
                         f"fontcolor={COLOURS[spec['colour']]}@{spec['opacity']}:x={x}:y={y}:"
                         f"enable='between(t,{start_s:.3f},{end_s - 0.001:.3f})'")
            places.append(dict(region=[x, y, tw, size], start_s=round(start_s, 3), end_s=round(end_s, 3)))
        fc = "[0:v]" + ",".join(draws) + "[v]"
        region = places[0]["region"]
        spec = dict(spec, places=places)
    elif kind == "tiled_late":
        # The same tiled mark, switched on part-way through (a segment): truth time range.
        layer = out + ".layer.png"
        make_tiled_layer(layer, w, h, spec["text"], spec["size_px"], spec["angle_deg"],
                         COLOURS[spec["colour"]], spec["opacity"])
        inputs += ["-loop", "1", "-i", layer]
        fc = f"[0:v][1:v]overlay=0:0:shortest=1:enable='gte(t,{spec['start_s']})'[v]"
        region = [0, 0, w, h]
    elif kind == "label":
        # Camera-like content (moving soft shapes with sensor noise) and an opaque name label.
        inputs = ["-f", "lavfi", "-i", camera_filter(w, h, dur)]
        size = spec["size_px"]
        fc = (f"[0:v]drawtext=fontfile={FONT}:text='{spec['text']}':fontsize={size}:fontcolor=white:"
              f"box=1:boxcolor=0x202020:boxborderw={size // 3}:x={w // 40}:y=h-th-{h // 20}[v]")
        tw = int(0.6 * size * len(spec["text"]))
        region = [w // 40 - size // 3, h - size - h // 20 - size // 3, tw + 2 * (size // 3), size + 2 * (size // 3)]
    elif kind == "gallery":
        inputs, fc, labels = gallery_view(spec, w, h, dur)
        truth = dict(spec, labels=labels)
    elif kind in ("logo", "logo_opaque", "sprite"):
        size = spec["size_px"]
        layer = out + ".layer.png"
        make_logo(layer, spec["shape"], size, spec["colour"], spec["opacity"])
        inputs += ["-loop", "1", "-i", layer]
        if kind == "sprite":
            # Moves over the whole frame along a Lissajous path (a bouncing sprite, an animation).
            pos = (f"x='(W-w)/2+0.45*(W-w)*sin(0.9*t)':y='(H-h)/2+0.45*(H-h)*sin(0.6*t+1)'")
        else:
            x, y = logo_xy(spec["position"], w, h, size)
            pos = f"x={x}:y={y}"
            region = [x, y, size, size]
        fc = f"[0:v][1:v]overlay={pos}:shortest=1[v]"
    elif kind in ("pip", "pip_cam"):
        extra, box = pip_box(kind, 1, w, h, dur)
        inputs += extra
        fc = f"{box};[0:v][p]overlay=W-w-20:H-h-20:shortest=1[v]"
    elif kind == "toolbar_notext":
        icons = ",".join(f"drawbox=x={20 + 50 * k}:y={h // 48}:w=30:h=30:color=0x8090A0:t=fill" for k in range(6))
        fc = f"[0:v]drawbox=x=0:y=0:w=iw:h={h // 12}:color=0x303338:t=fill,{icons}[v]"
    elif kind == "toolbar":
        fc = (f"[0:v]drawbox=x=0:y=0:w=iw:h={h // 12}:color=0x303338:t=fill,"
              f"drawtext=fontfile={FONT}:text='File   Edit   View   Share   Record':fontsize={h // 30}:"
              f"fontcolor=white:x=20:y={h // 40}[v]")
    elif kind == "subtitles":
        fc = (f"[0:v]drawtext=fontfile={FONT}:text='and then we moved on':fontsize={h // 20}:fontcolor=white:"
              f"box=1:boxcolor=black@0.6:x=(w-tw)/2:y=h-th-30:enable='between(t,1,3)',"
              f"drawtext=fontfile={FONT}:text='next item on the agenda':fontsize={h // 20}:fontcolor=white:"
              f"box=1:boxcolor=black@0.6:x=(w-tw)/2:y=h-th-30:enable='between(t,5,7)'[v]")
    elif kind == "letterbox":
        fc = f"[0:v]scale={w}:{h * 3 // 4},pad={w}:{h}:0:{h // 8}:black[v]"
    elif kind == "still":
        inputs = ["-f", "lavfi", "-i",
                  f"color=c=0x2050A0:s={w}x{h}:r=25:d={dur},drawtext=fontfile={FONT}:text='Quarterly review':"
                  f"fontsize={h // 10}:fontcolor=white:x=(w-tw)/2:y=h/3"]
        fc = "[0:v]null[v]"
    else:
        fc = "[0:v]null[v]"
    encode(out, inputs, fc, dur, spec["codec"], spec["crf"])
    if kind in ("tiled", "tiled_late", "logo", "logo_opaque", "sprite"):
        os.remove(out + ".layer.png")
    scale = spec.get("downscale")
    if scale:
        small = out.replace(f".{ext}", f"_x{scale}.{ext}")
        run(["ffmpeg", "-y", "-v", "error", "-i", out, "-vf", f"scale=iw/{scale}:-2", "-c:v", "libx264",
             "-crf", str(spec["crf"]), "-pix_fmt", "yuv420p"] + gop_args(dur) + [small])
        os.replace(small, out)
        region = [v // scale for v in region] if region else None
    truth = dict(spec if kind != "gallery" else truth, file=name, region=region)
    return truth


# How meeting clients draw a participant's name on a video tile (drawtext options).
LABEL_STYLES = {"opaque": "box=1:boxcolor=0x202020:boxborderw={pad}",       # an opaque plate
                "semi": "box=1:boxcolor=black@0.5:boxborderw={pad}",         # Zoom, Teams
                "bare": "shadowcolor=black@0.8:shadowx=1:shadowy=1"}         # Meet: no plate


def gallery_view(spec, w, h, dur):
    """A gallery view: n x n camera tiles (each its own drifting shapes and sensor noise, seeded)
    with 2-px borders, centred in a dark frame with `margin_px` around, each tile's participant
    name at its bottom left in `label_style` (none: no labels, a hard negative whose tile grid
    repeats like a tiled mark). Returns the inputs, the filter graph to [v] and the labels' truth
    (text and region, frame pixels)."""
    n, margin, size = spec["tiles"], spec["margin_px"], spec["size_px"]
    cell_w, cell_h = (w - 2 * margin) // n, (h - 2 * margin) // n
    tile_w, tile_h = (cell_w - 4) & ~1, (cell_h - 4) & ~1
    inputs, fc, labels = [], "", []
    for i in range(n * n):
        c0, c1 = spec["tile_colours"][i]
        inputs += ["-f", "lavfi", "-i", f"gradients=s={tile_w}x{tile_h}:c0={c0}:c1={c1}:c2=0xA08070:n=3:"
                   f"speed={spec['tile_speeds'][i]}:r=25:d={dur}:seed={spec['tile_seeds'][i]},"
                   f"format=yuv420p,noise=alls=3:allf=t"]
        chain = f"[{i}:v]"
        if spec["label_style"] != "none":
            name = spec["names"][i]
            pad = max(3, size // 4)
            style = LABEL_STYLES[spec["label_style"]].format(pad=pad)
            chain += (f"drawtext=fontfile={FONT}:text='{name}':fontsize={size}:fontcolor=white:{style}:"
                      f"x={size // 2}:y=h-th-{size // 2},")
            col, row = i % n, i // n
            x0 = (w - n * cell_w) // 2 + col * cell_w + 2
            y0 = (h - n * cell_h) // 2 + row * cell_h + 2
            tw = int(0.6 * size * len(name))
            labels.append(dict(text=name, region=[x0 + size // 2 - pad, y0 + tile_h - size // 2 - size - pad,
                                                  tw + 2 * pad, size + 2 * pad]))
        fc += chain + f"pad={cell_w}:{cell_h}:2:2:color=0x1a1a1a[t{i}];"
    for r in range(n):
        fc += "".join(f"[t{r * n + c}]" for c in range(n)) + f"hstack=inputs={n}[r{r}];"
    fc += "".join(f"[r{r}]" for r in range(n)) + f"vstack=inputs={n},pad={w}:{h}:(ow-iw)/2:(oh-ih)/2:color=0x1a1a1a[v]"
    return inputs, fc, labels


def tiled_theme(i, n_opacities, varied):
    """The page theme of tiled clip i. Opacity cycles with i, so a theme that also followed
    i % 2 would put every 0.08 mark on a light page and every 0.15 mark on a dark one (the
    medium and full corpora made before 2026-12-01 evening do): alternate by whole opacity
    cycles instead, so each opacity meets both themes. Small mode keeps its old pairing (CI's
    subset is unchanged)."""
    return ["light", "dark"][(i // n_opacities) % 2 if varied else i % 2]


def specs(mode, rng, n_tiled=0):
    """mode: "small" (CI-sized), "medium" (about 10 min on 2 cores) or "full".
    n_tiled: how many tiled clips (spread over the opacities); 0 = the mode's default."""
    full, medium = mode == "full", mode == "medium"
    out = []
    sizes = [(1280, 720)] + ([(1920, 1080)] if full else [])
    opacities = [0.08, 0.15, 0.25, 0.40] if (full or medium) else [0.15, 0.30]
    n_tiled = n_tiled or (24 if full else 12 if medium else 4)
    varied = full or medium
    for i in range(n_tiled):
        w, h = rng.choice(sizes)
        out.append(dict(kind="tiled", condition=f"tiled_op{opacities[i % len(opacities)]:.2f}",
                        text=rng.choice(MARKS), opacity=opacities[i % len(opacities)],
                        colour=rng.choice(["white", "grey", "black"]) if varied else ["white", "black"][i % 2],
                        size_px=rng.choice([18, 24, 32, 48]) if varied else [28, 36][i % 2],
                        angle_deg=rng.choice([0, 15, 30, 45]) if varied else [0, 25][i % 2],
                        crf=rng.choice([23, 28, 30, 36]) if varied else 26, codec="h264",
                        theme=tiled_theme(i, len(opacities), varied), width=w, height=h,
                        duration_s=20 if full else 12))
    if full or medium:
        for i in range(4 if full else 2):
            out.append(dict(kind="tiled", condition="tiled_downscaled", text=rng.choice(MARKS), opacity=0.25,
                            colour="white", size_px=32, angle_deg=20, crf=26, codec="h264", theme="dark",
                            width=1280, height=720, duration_s=20 if full else 12, downscale=2))
            out.append(dict(kind="tiled", condition="tiled_vp9", text=rng.choice(MARKS), opacity=0.25,
                            colour="black", size_px=32, angle_deg=30, crf=33, codec="vp9", theme="light",
                            width=1280, height=720, duration_s=20 if full else 12))
        # A document that fills the frame from the start, scrolled by whole lines (held-out
        # shape of samples/screen-share.mp4), with and without a tiled mark.
        for i in range(4 if full else 2):
            out.append(dict(kind="tiled", condition="tiled_fullpage", text=rng.choice(MARKS), opacity=0.2,
                            colour=["grey", "black", "white"][i % 3], size_px=rng.choice([24, 30, 36]),
                            angle_deg=rng.choice([15, 30, 45]), crf=28, codec="h264", theme=["light", "dark"][i % 2],
                            width=1280, height=720, duration_s=12, full_page=True))
        # A tiled mark over camera video (a gallery view or a webcam shared whole): no text
        # content at all, a background that drifts slowly.
        for i in range(4 if full else 2):
            out.append(dict(kind="tiled", condition="tiled_camera", text=rng.choice(MARKS),
                            opacity=[0.15, 0.25][i % 2], colour=rng.choice(["white", "grey", "black"]),
                            size_px=rng.choice([24, 32, 48]), angle_deg=rng.choice([0, 15, 30, 45]), crf=26,
                            codec="h264", width=1280, height=720, duration_s=12, camera=True))
            out.append(dict(kind="none", condition="neg_fullpage", crf=28, codec="h264",
                            theme=["light", "dark"][i % 2], width=1280, height=720, duration_s=12, full_page=True))
    for i in range(4 if full else 2 if medium else 1):
        out.append(dict(kind="single", condition="single", text=rng.choice(MARKS), opacity=0.3, colour="white",
                        size_px=48, angle_deg=0, crf=26, codec="h264", theme="dark", width=1280, height=720,
                        duration_s=12))
    # Segments: the mark is switched on after about a third of the clip.
    for i in range(3 if full else 2 if medium else 1):
        out.append(dict(kind="tiled_late", condition="tiled_segment", text=rng.choice(MARKS), opacity=0.3,
                        colour=["white", "black"][i % 2], size_px=32, angle_deg=[0, 20, 35][i % 3], crf=26,
                        codec="h264", theme=["dark", "light"][i % 2], width=1280, height=720, duration_s=18,
                        start_s=6))
    # Burned-in name labels over camera-like content.
    for i in range(4 if full else 3 if medium else 1):
        out.append(dict(kind="label", condition="burned_label", text=rng.choice(NAMES), size_px=[24, 28, 34, 20][i % 4],
                        crf=26, codec="h264", width=1280, height=720, duration_s=12))
    # Semi-transparent logos: static, in a corner or the centre; small ones separately.
    n_logo = 4 if full else 3 if medium else 1
    shapes = list(LOGO_SHAPES)
    logo_opacities = [0.15, 0.25, 0.40]
    for cond, sizes_px, positions in (("logo_corner", [100, 140, 200], ["tl", "tr", "bl", "br"]),
                                      ("logo_centre", [100, 140, 200], ["centre"]),
                                      ("logo_small", [60, 80], ["tl", "tr", "bl", "br", "centre"])):
        for i in range(n_logo):
            out.append(dict(kind="logo", condition=cond, shape=rng.choice(shapes), size_px=rng.choice(sizes_px),
                            position=rng.choice(positions), opacity=logo_opacities[i % 3],
                            colour=["white", "black"][i % 2], crf=rng.choice([23, 26, 30]), codec="h264",
                            theme=["dark", "light"][i % 2], width=1280, height=720, duration_s=12))
    # Logo-like hard negatives: an opaque icon (static UI), a moving sprite, a still webcam.
    for i in range(3 if full else 2 if medium else 1):
        out.append(dict(kind="logo_opaque", condition="neg_opaque_logo", shape=rng.choice(shapes),
                        size_px=rng.choice([80, 120, 160]), position=rng.choice(["tl", "tr", "bl", "br"]),
                        opacity=1.0, colour=["white", "black"][i % 2], crf=26, codec="h264",
                        theme=["light", "dark"][i % 2], width=1280, height=720, duration_s=12))
        out.append(dict(kind="sprite", condition="neg_sprite", shape=rng.choice(shapes),
                        size_px=rng.choice([100, 160]), opacity=[0.3, 1.0][i % 2],
                        colour=["white", "black"][i % 2], crf=26, codec="h264",
                        theme=["dark", "light"][i % 2], width=1280, height=720, duration_s=12))
        out.append(dict(kind="pip_cam", condition="neg_pip_cam", crf=26, codec="h264",
                        theme=["light", "dark"][i % 2], width=1280, height=720, duration_s=12))
    negatives = ["none", "toolbar", "toolbar_notext", "pip", "subtitles", "letterbox", "still"]
    for i in range(3 if full else 2 if medium else 1):
        for kind in negatives:
            out.append(dict(kind=kind, condition="neg_" + kind, crf=26, codec="h264",
                            theme=["light", "dark"][i % 2], width=1280, height=720, duration_s=12))
    if full or medium:
        # Single lines of other colours, sizes and opacities, over pages of either theme, and over
        # camera video (no text content: what the median keeps of the content is everywhere).
        # Late in the list, so the specs before them are those of earlier corpora of the same seed
        # (their content, drawn by clip() from the same generator after all specs, is not: corpora
        # made before these conditions came have other pages; the tiled_pip block below keeps the
        # generator's state).
        for i in range(4 if full else 2):
            out.append(dict(kind="single", condition="single_varied", text=rng.choice(MARKS),
                            opacity=rng.choice([0.2, 0.3, 0.4]), colour=rng.choice(["white", "grey", "black"]),
                            size_px=rng.choice([24, 32, 48]), angle_deg=0, crf=rng.choice([23, 28]), codec="h264",
                            theme=["light", "dark"][i % 2], width=1280, height=720, duration_s=12))
            out.append(dict(kind="single", condition="single_camera", text=rng.choice(MARKS),
                            opacity=rng.choice([0.2, 0.3, 0.4]), colour=rng.choice(["white", "grey", "black"]),
                            size_px=rng.choice([24, 32, 48]), angle_deg=0, crf=26, codec="h264",
                            width=1280, height=720, duration_s=12, camera=True))
        # Tiled marks beside a picture-in-picture box (a test pattern or a still webcam tile). The
        # generator's state is restored after them: clip() draws each clip's content from it, so
        # the clips of earlier conditions stay those that corpora of the same seed had before.
        state = rng.getstate()
        for i in range(4 if full else 2):
            out.append(dict(kind="tiled", condition="tiled_pip", text=rng.choice(MARKS),
                            opacity=rng.choice([0.15, 0.25]), colour=rng.choice(["white", "grey", "black"]),
                            size_px=rng.choice([24, 32, 48]), angle_deg=rng.choice([0, 15, 30, 45]), crf=26,
                            codec="h264", theme=["light", "dark"][i % 2], width=1280, height=720, duration_s=12,
                            pip=["pip", "pip_cam"][i % 2]))
        rng.setstate(state)
        # Gallery views: name labels on the video tiles, drawn the three ways meeting clients draw
        # them, and a gallery without labels (a hard negative: its tile grid repeats). After the
        # state is restored above and with it saved again, so every earlier clip stays as it was.
        state = rng.getstate()
        for i in range(6 if full else 3):
            out.append(gallery_spec(rng, "burned_label_gallery", ["opaque", "semi", "bare"][i % 3]))
        for i in range(2 if full else 1):
            out.append(gallery_spec(rng, "neg_gallery", "none"))
        rng.setstate(state)
        # A single line that moves: it jumps between two or three places, over pages of either
        # theme and over camera video. With the generator's state restored after them, as above.
        state = rng.getstate()
        for i in range(6 if full else 3):
            out.append(moving_line_spec(rng, i))
        rng.setstate(state)
    return out


def moving_line_spec(rng, i, w=1280, h=720):
    text, size = rng.choice(MARKS), rng.choice([24, 32, 48])
    tw = int(0.6 * size * len(text))
    # Distinct cells of a 3 x 3 grid over the frame, the line placed at random inside each; drawn
    # again while two places' boxes overlap (a long line in two cells of a row can).
    count = rng.choice([2, 3])
    while True:
        places = []
        for c in rng.sample(range(9), count):
            cx, cy = c % 3, c // 3
            x_lo, x_hi = 20 + cx * (w - tw - 40) // 3, 20 + (cx + 1) * (w - tw - 40) // 3
            y_lo, y_hi = 20 + cy * (h - size - 40) // 3, 20 + (cy + 1) * (h - size - 40) // 3
            places.append((rng.randrange(x_lo, max(x_lo + 1, x_hi)), rng.randrange(y_lo, max(y_lo + 1, y_hi))))
        if all(abs(a[0] - b[0]) >= tw or abs(a[1] - b[1]) >= size for i, a in enumerate(places) for b in places[i + 1:]):
            break
    opacity = rng.choice([0.2, 0.3, 0.4])
    colour, crf, duration_s = rng.choice(["white", "grey", "black"]), rng.choice([23, 26, 28]), rng.choice([12, 18])
    return dict(kind="single_moving", condition="single_moving", text=text, opacity=opacity, colour=colour,
                size_px=size, angle_deg=0, crf=crf, codec="h264", theme=["light", "dark", "light"][i % 3],
                camera=i % 3 == 2, width=w, height=h, duration_s=MOVING_SECONDS or duration_s, places=places)


def gallery_spec(rng, condition, label_style):
    n = rng.choice([2, 3])
    colours = ["0x806050", "0x305070", "0x507030", "0x703050", "0x605080", "0x408060", "0x806040", "0x506070",
               "0x705060", "0x304060", "0x203040"]
    return dict(kind="gallery", condition=condition, label_style=label_style, tiles=n,
                margin_px=rng.choice([0, 16, 40]), size_px=rng.choice([18, 20, 24, 28]),
                names=rng.sample(NAMES + ["Ines Duarte", "Kofi Mensah", "Lena Vogel"], n * n),
                tile_colours=[(rng.choice(colours), rng.choice(colours)) for _ in range(n * n)],
                tile_speeds=[rng.choice([0.01, 0.03, 0.05, 0.08]) for _ in range(n * n)],
                tile_seeds=[rng.randrange(1000) for _ in range(n * n)],
                crf=rng.choice([23, 26, 30]), codec="h264", width=1280, height=720, duration_s=12)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out_dir")
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--medium", action="store_true")
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--only", default="", help="comma-separated conditions to keep")
    ap.add_argument("--gop", type=int, default=0,
                    help="a key frame every this many frames (default: the encoder's GOP)")
    ap.add_argument("--tiled", type=int, default=0,
                    help="how many tiled clips over the opacities (default: 24 full, 12 medium, 4 small)")
    ap.add_argument("--moving-seconds", type=int, default=0,
                    help="length of the moving-line clips (default: 12 or 18 s)")
    args = ap.parse_args()
    global GOP_FRAMES, MOVING_SECONDS
    GOP_FRAMES = args.gop
    MOVING_SECONDS = args.moving_seconds
    os.makedirs(args.out_dir, exist_ok=True)
    rng = random.Random(args.seed)
    chosen = specs("full" if args.full else "medium" if args.medium else "small", rng, args.tiled)
    if args.only:
        keep = set(args.only.split(","))
        chosen = [s for s in chosen if s["condition"] in keep]
    truths = [clip(args.out_dir, i, s, rng) for i, s in enumerate(chosen)]
    with open(os.path.join(args.out_dir, "manifest.json"), "w") as f:
        json.dump(truths, f, indent=1)
    print(f"{len(truths)} clips in {args.out_dir}")


if __name__ == "__main__":
    main()

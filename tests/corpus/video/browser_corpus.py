#!/usr/bin/env python3
"""A second, independent video corpus: pages and marks rendered by a web browser (Chromium).

make_corpus.py draws its marks with ffmpeg's drawtext over license text that it lays out
itself; a detector tuned on it can end up fitting that generator (its fonts, its line pitch,
its whole-line scrolling). This corpus changes all of those at once, as a check of how the
detectors generalise, not as a tuning set:
- content is HTML rendered by headless Chromium: a documentation page in a proportional serif
  or sans font (headings, coloured call-outs, a table) from the READMEs under /usr/share/doc, a
  dark-theme code view of a C++ header with syntax colours and a fractional line height, and
  slide decks with coloured gradient backgrounds;
- the viewport scrolls smoothly by arbitrary pixel amounts with reading pauses (pages) or
  jumps slide to slide;
- the mark is a CSS layer: rows of spans, staggered, rotated with a CSS transform, in a font
  the content does not use, rendered by Chromium on a transparent background; its opacity is
  applied when ffmpeg composites it;
- the identities are not those of make_corpus.py; H.264 at CRF 23-32 and VP9.
Hard negatives: the same content without a mark, with an opaque meeting toolbar, and a page that
never moves (undecidable, not clean).
Still marks (`still_tiled`, after all of the above, so that a seed's earlier clips stay the
same): a page that never moves with a mark over it at 0.15, 0.25 or 0.40 — a slide shown for
the whole recording — and more unmarked still crops (`neg_still`) of every kind of page. A
tiled mark must be found there and the rest still said to be undecided.
Spreadsheets (`--sheets K`, after all of the above; none by default, so that a seed's other clips
stay the same): an office suite's window — menu bar, tool bar, formula bar and column letters
frozen at the top, grid lines, right-aligned numbers, dates and words in cells — either scrolled
by whole rows, as spreadsheets scroll, or a live dashboard whose numbers change once a second
under a still grid. K of each, light and dark in turn, each as a hard negative (`neg_sheet`; the
window's menu is burned-in text indeed, as a toolbar's) and with a tiled mark at 0.15 and 0.25
(`sheet_tiled_op0.15`, `sheet_tiled_op0.25`, kind `sheet_tiled`: kept out of the `tiled_op` rows
and the OCR target row, so that the issue's target rows stay comparable across seeds).

manifest.json has make_corpus.py's fields, so evaluate.py scores it unchanged:
  browser_corpus.py OUT_DIR [--seed N] [--per-cell K] [--still K] [--sheets K]
  evaluate.py OUT_DIR --wmscan BIN
Needs chromium and ffmpeg (Debian packages chromium, ffmpeg). ~3 minutes for the default size
before the still clips were added (not measured since; a still clip, like a scrolled one, has
ffmpeg decode the whole page image for every frame).
"""
import argparse
import glob
import gzip
import html
import json
import os
import random
import re
import subprocess
import sys

WIDTH, HEIGHT, DURATION_S, FPS = 1280, 720, 12, 25
PAGE_HEIGHT = 6000
IDENTITIES = ["k.lindgren@acme.test", "R. Okafor", "sam.taylor", "+44 20 7946 0958",
              "li.wei@uni.example", "Dana Whitfield", "viewer-0042@meet.example"]
MARK_FONTS = ["DejaVu Sans", "DejaVu Serif", "DejaVu Sans Condensed", "DejaVu Sans Mono"]
MARK_COLOURS = {"white": "#ffffff", "grey": "#808080", "black": "#000000"}
KEYWORDS = {"class", "struct", "namespace", "template", "typename", "const", "return", "virtual",
            "public", "private", "protected", "static", "inline", "void", "int", "bool", "double",
            "float", "if", "else", "for", "while", "#include", "#define", "#ifndef", "#endif"}


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit("failed: " + " ".join(cmd) + "\n" + r.stderr[-2000:])


def screenshot(html_path, png_path, height, transparent=False):
    cmd = ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           "--force-device-scale-factor=1", f"--window-size={WIDTH},{height}", f"--screenshot={png_path}"]
    if transparent:
        cmd.append("--default-background-color=00000000")
    run(cmd + ["file://" + os.path.abspath(html_path)])


def readme_paragraphs(rng, count):
    paths = sorted(glob.glob("/usr/share/doc/*/README*"))
    rng.shuffle(paths)
    paragraphs = []
    for p in paths:
        try:
            raw = gzip.open(p, "rt", errors="replace").read() if p.endswith(".gz") else open(p, errors="replace").read()
        except OSError:
            continue
        for block in re.split(r"\n\s*\n", raw):
            text = " ".join(block.split())
            if 80 <= len(text) <= 700 and sum(c.isalpha() for c in text) > 0.7 * len(text):
                paragraphs.append(text)
        if len(paragraphs) >= count:
            break
    return paragraphs[:count]


def doc_page(rng):
    font = rng.choice(["DejaVu Serif", "DejaVu Sans"])
    size = rng.choice([16, 17, 18, 19])
    hue = rng.randrange(360)
    parts = []
    for i, para in enumerate(readme_paragraphs(rng, 60)):
        if i % 7 == 0:
            parts.append(f"<h2 style='color:hsl({hue},55%,35%)'>{html.escape(para[:40].title())}</h2>")
        if i % 11 == 5:
            parts.append(f"<div style='background:hsl({(hue + 140) % 360},70%,92%);border-left:6px solid "
                         f"hsl({(hue + 140) % 360},60%,45%);padding:12px 18px;margin:18px 0'>{html.escape(para)}</div>")
        elif i % 13 == 9:
            words = para.split()[:24]
            rows = "".join("<tr>" + "".join(f"<td style='border:1px solid #bbb;padding:4px 8px'>{html.escape(w)}</td>"
                                             for w in words[r:r + 4]) + "</tr>" for r in range(0, len(words), 4))
            parts.append(f"<table style='border-collapse:collapse;margin:14px 0'>{rows}</table>")
        else:
            parts.append(f"<p>{html.escape(para)}</p>")
    body = "".join(parts)
    return (f"<html><body style='margin:0;background:#fbfbf8;color:#1d1d1d;font-family:\"{font}\";"
            f"font-size:{size}px;line-height:1.55'><div style='position:absolute;left:0;top:0;width:230px;"
            f"height:{PAGE_HEIGHT}px;background:hsl({hue},25%,95%)'></div><div style='margin-left:290px;"
            f"width:820px;padding-top:30px'>{body}</div></body></html>"), "light"


def code_page(rng):
    headers = sorted(glob.glob("/usr/include/opencv4/opencv2/core/*.hpp")) or sorted(glob.glob("/usr/include/*.h"))
    text = open(rng.choice(headers), errors="replace").read()
    out = []
    for line in text.splitlines()[:400]:
        tokens = re.split(r"(\s+|//.*$|\"[^\"]*\")", line)
        coloured = []
        for tok in tokens:
            if not tok:
                continue
            esc = html.escape(tok)
            if tok.startswith("//"):
                coloured.append(f"<span style='color:#6a9955'>{esc}</span>")
            elif tok.startswith('"'):
                coloured.append(f"<span style='color:#ce9178'>{esc}</span>")
            elif tok in KEYWORDS:
                coloured.append(f"<span style='color:#569cd6'>{esc}</span>")
            else:
                coloured.append(esc)
        out.append("".join(coloured))
    size = rng.choice([14, 15, 16])
    return (f"<html><body style='margin:0;background:#1e1e1e;color:#d4d4d4'><pre style='font-family:\"DejaVu Sans Mono\";"
            f"font-size:{size}px;line-height:1.45;margin:0;padding:20px 0 0 70px'>{chr(10).join(out)}</pre>"
            f"</body></html>"), "dark"


def slides_page(rng):
    paragraphs = readme_paragraphs(rng, 40)
    slides = []
    for i in range(PAGE_HEIGHT // HEIGHT):
        h1, h2 = rng.randrange(360), rng.randrange(360)
        light = rng.random() < 0.5
        bg = (f"linear-gradient({rng.randrange(360)}deg,hsl({h1},60%,{85 if light else 25}%),"
              f"hsl({h2},55%,{70 if light else 40}%))")
        colour = "#1a1a1a" if light else "#f4f4f4"
        words = paragraphs[i % len(paragraphs)].split()
        bullets = "".join(f"<li>{html.escape(' '.join(words[k:k + 7]))}</li>" for k in range(0, min(len(words), 35), 7))
        slides.append(f"<div style='height:{HEIGHT}px;background:{bg};color:{colour};box-sizing:border-box;"
                      f"padding:60px 90px;font-family:\"DejaVu Sans\"'><div style='font-size:46px;font-weight:bold'>"
                      f"{html.escape(' '.join(words[:5]).title())}</div><ul style='font-size:28px;line-height:1.6'>"
                      f"{bullets}</ul></div>")
    return f"<html><body style='margin:0'>{''.join(slides)}</body></html>", "mixed"


SHEET_ROW_PX = 20   # a spreadsheet's row pitch as Chromium lays the rows out
SHEET_CHROME_PX = 118  # menu bar, tool bar, formula bar and column letters, frozen at the top


def sheet_columns(rng):
    """Column widths (px) across the window and what each column holds."""
    widths = []
    while sum(widths) < WIDTH:
        widths.append(rng.choice([100, 100, 100, 100, 80, 120, 160]))
    kinds = ["text"] + [rng.choice(["text", "money", "pct", "date", "int"]) for _ in widths[1:]]
    return widths, kinds


def sheet_cell(rng, kind, words):
    if kind == "text":
        return " ".join(rng.choice(words) for _ in range(rng.randint(1, 2)))
    if kind == "money":
        return f"{rng.uniform(-2000, 90000):,.2f}"
    if kind == "pct":
        return f"{rng.uniform(0, 100):.1f}%"
    if kind == "date":
        return f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return str(rng.randint(0, 5000))


def sheet_page(columns, words, rows, labels_seed, numbers_rng, dark):
    """A grid of `rows` rows with row numbers, a bold heading row, words and dates from
    `labels_seed` (the same in every call with that seed) and numbers from `numbers_rng`."""
    widths, kinds = columns
    bg, fg, grid, head, heading = (("#1f1f1f", "#e3e3e3", "#3c3c3c", "#2b2b2b", "#334") if dark
                                   else ("#ffffff", "#202124", "#e2e3e3", "#f8f9fa", "#dbe8fb"))
    labels = random.Random(labels_seed)
    trs = []
    for n in range(1, rows + 1):
        cells = [f"<td style='width:46px;background:{head};text-align:center;color:#777'>{n}</td>"]
        for c, w in enumerate(widths):
            kind = kinds[c]
            if n == 1:
                value, style = words[c % len(words)].title(), f"font-weight:bold;background:{heading}"
            else:
                value, style = sheet_cell(labels if kind in ("text", "date") else numbers_rng, kind, words), ""
            align = "left" if kind in ("text", "date") else "right"
            cells.append(f"<td style='width:{w - 9}px;max-width:{w - 9}px;overflow:hidden;text-align:{align};{style}'>"
                         f"{html.escape(value)}</td>")
        trs.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<html><body style='margin:0;background:{bg};color:{fg};font:13px \"DejaVu Sans\"'>"
            f"<style>td{{border:1px solid {grid};height:{SHEET_ROW_PX}px;padding:0 4px;box-sizing:border-box}}</style>"
            f"<table style='border-collapse:collapse;table-layout:fixed;white-space:nowrap'>{''.join(trs)}</table>"
            f"</body></html>")


def sheet_chrome(columns, dark):
    """The office suite's frozen top, opaque, on a transparent page."""
    widths = columns[0]
    bar, fg, head, grid = ("#2b2b2b", "#ddd", "#2b2b2b", "#3c3c3c") if dark else ("#f1f3f4", "#333", "#f8f9fa", "#c0c0c0")
    menu = "".join(f"<span style='margin-right:22px'>{m}</span>" for m in
                   ["File", "Edit", "View", "Insert", "Format", "Data", "Tools", "Extensions", "Help"])
    letters = "".join(f"<div style='width:{w}px;box-sizing:border-box;border-right:1px solid {grid};text-align:center'>"
                      f"{chr(65 + i)}</div>" for i, w in enumerate(widths))
    return (f"<html><body style='margin:0;background:transparent;font:13px \"DejaVu Sans\";color:{fg}'>"
            f"<div style='position:absolute;left:0;top:0;width:{WIDTH}px;height:{SHEET_CHROME_PX}px;background:{bar}'>"
            f"<div style='height:34px;line-height:34px;padding-left:14px;font-size:15px'>Quarterly budget {menu}</div>"
            f"<div style='height:30px;line-height:30px;padding-left:14px;border-top:1px solid {grid}'>"
            f"100% &nbsp; $ &nbsp; % &nbsp; .0 &nbsp; 123 &nbsp; Default (DejaVu) &nbsp; 10 &nbsp; B I S A</div>"
            f"<div style='height:30px;line-height:30px;padding-left:14px;border-top:1px solid {grid}'>fx</div>"
            f"<div style='display:flex;height:23px;line-height:23px;background:{head};border-top:1px solid {grid};"
            f"border-bottom:1px solid {grid}'><div style='width:46px'></div>{letters}</div></div></body></html>")


def row_scroll_expression(rng, rows):
    """ffmpeg crop y(t) of a spreadsheet: jumps by whole rows (2-12) between pauses."""
    expr, t, y = "0", 0.0, 0
    while True:
        t += rng.uniform(0.6, 1.8)
        if t >= DURATION_S:
            return expr
        y = min((rows - 40) * SHEET_ROW_PX, y + SHEET_ROW_PX * rng.randint(2, 12))
        expr = f"if(gte(t\\,{t:.3f})\\,{y}\\,{expr})"


def mark_layer(rng, text, colour, size_px, angle_deg, font):
    """Rows of the identity, staggered, on a canvas larger than the viewport, rotated about the
    viewport's centre (a CSS transform), on a transparent background."""
    gap_px = rng.randint(3, 8) * size_px
    row_pitch = int(size_px * rng.uniform(3.0, 5.5))
    stagger = rng.uniform(0.2, 0.5)
    rows = []
    cell_w = int(0.6 * size_px * len(text)) + gap_px
    for r in range(int(3 * HEIGHT / row_pitch) + 2):
        left = -cell_w + int((r * stagger % 1.0) * cell_w)
        spans = "".join(f"<span style='display:inline-block;width:{cell_w}px'>{html.escape(text)}</span>"
                        for _ in range(int(3 * WIDTH / cell_w) + 3))
        rows.append(f"<div style='position:absolute;white-space:nowrap;left:{left}px;top:{r * row_pitch}px'>{spans}</div>")
    return (f"<html><body style='margin:0;background:transparent;overflow:hidden'><div style='position:absolute;"
            f"left:{-WIDTH}px;top:{-HEIGHT}px;width:{3 * WIDTH}px;height:{3 * HEIGHT}px;transform:rotate({-angle_deg}deg);"
            f"color:{colour};font-family:\"{font}\";font-size:{size_px}px'>{''.join(rows)}</div></body></html>")


def toolbar_layer():
    items = "".join(f"<span style='margin-right:38px'>{w}</span>" for w in
                    ["Mute", "Stop Video", "Participants (6)", "Chat", "Share Screen", "Record", "Reactions"])
    return ("<html><body style='margin:0;background:transparent'><div style='position:absolute;left:0;right:0;"
            "bottom:0;height:64px;background:#232323;color:#eee;font:17px \"DejaVu Sans\";display:flex;"
            f"align-items:center;justify-content:center'>{items}</div></body></html>")


def scroll_expression(rng, content, page_height):
    """ffmpeg crop y(t): pages scroll smoothly by arbitrary amounts between reading pauses;
    slides jump one screen at a time."""
    knots = [(0.0, 0.0)]
    t, y = 0.0, 0.0
    while t < DURATION_S:
        t += rng.uniform(0.8, 2.2)  # pause
        knots.append((t, y))
        if content == "slides":
            t += 1.0 / FPS
            y = min(page_height - HEIGHT, y + HEIGHT)
        else:
            t += rng.uniform(0.25, 0.9)
            y = min(page_height - HEIGHT, y + rng.randint(90, 520))
        knots.append((t, y))
    expr = str(int(knots[-1][1]))
    for (t0, y0), (t1, y1) in reversed(list(zip(knots, knots[1:]))):
        seg = f"{y0:.0f}+({y1 - y0:.0f})*(t-{t0:.3f})/{max(t1 - t0, 1e-3):.3f}"
        expr = f"if(lt(t\\,{t1:.3f})\\,{seg}\\,{expr})"
    return f"floor({expr})"


def encode(page_png, layer_png, opacity, y_expr, codec, crf, out_path):
    if layer_png:
        graph = (f"[0]crop={WIDTH}:{HEIGHT}:0:{y_expr},format=rgb24[bg];[1]format=rgba,colorchannelmixer=aa={opacity}[m];"
                 f"[bg][m]overlay=0:0,format=yuv420p")
        inputs = ["-loop", "1", "-framerate", str(FPS), "-i", page_png, "-loop", "1", "-framerate", str(FPS), "-i", layer_png]
    else:
        graph = f"[0]crop={WIDTH}:{HEIGHT}:0:{y_expr},format=yuv420p"
        inputs = ["-loop", "1", "-framerate", str(FPS), "-i", page_png]
    if codec == "vp9":
        enc = ["-c:v", "libvpx-vp9", "-crf", str(crf), "-b:v", "0", "-deadline", "realtime", "-cpu-used", "8"]
    else:
        enc = ["-c:v", "libx264", "-preset", "veryfast", "-crf", str(crf)]
    run(["ffmpeg", "-v", "error", "-y"] + inputs + ["-filter_complex", graph, "-t", str(DURATION_S), "-r", str(FPS)]
        + enc + [out_path])


def encode_sheet(background, chrome_png, layer_png, opacity, crf, out_path):
    """`background`: (ffmpeg inputs, filter making [bg] of the cells below the frozen top)."""
    inputs, cells = background
    inputs = inputs + ["-loop", "1", "-framerate", str(FPS), "-i", chrome_png]
    graph = f"{cells},pad={WIDTH}:{HEIGHT}:0:{SHEET_CHROME_PX},format=rgb24[bg];[bg][1]overlay=0:0"
    if layer_png:
        inputs += ["-loop", "1", "-framerate", str(FPS), "-i", layer_png]
        graph += f"[ui];[2]format=rgba,colorchannelmixer=aa={opacity}[m];[ui][m]overlay=0:0"
    run(["ffmpeg", "-v", "error", "-y"] + inputs + ["-filter_complex", graph + ",format=yuv420p", "-t", str(DURATION_S),
         "-r", str(FPS), "-c:v", "libx264", "-preset", "veryfast", "-crf", str(crf), out_path])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-cell", type=int, default=2, help="positives per (opacity, content) cell")
    ap.add_argument("--still", type=int, default=3,
                    help="still marked pages per content kind (and one more unmarked still crop of each)")
    ap.add_argument("--sheets", type=int, default=0,
                    help="spreadsheets scrolled by rows and live dashboards, K of each (one negative and two marks each)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out_dir, exist_ok=True)
    work = os.path.join(args.out_dir, "render")
    os.makedirs(work, exist_ok=True)

    pages = {}
    for content, maker in (("doc", doc_page), ("code", code_page), ("slides", slides_page)):
        for variant in range(2):
            page_html, theme = maker(rng)
            path = os.path.join(work, f"{content}{variant}.html")
            with open(path, "w") as f:
                f.write(page_html)
            screenshot(path, path[:-5] + ".png", PAGE_HEIGHT)
            pages[(content, variant)] = (path[:-5] + ".png", theme)
    toolbar_html = os.path.join(work, "toolbar.html")
    with open(toolbar_html, "w") as f:
        f.write(toolbar_layer())
    screenshot(toolbar_html, toolbar_html[:-5] + ".png", HEIGHT, transparent=True)

    manifest = []

    def name(entry, codec, crf):
        entry["file"] = f"{len(manifest):03d}_{entry['condition']}.{'webm' if codec == 'vp9' else 'mp4'}"
        entry.update({"crf": crf, "codec": codec, "width": WIDTH, "height": HEIGHT, "duration_s": DURATION_S})
        manifest.append(entry)
        print(entry["file"], file=sys.stderr)
        return os.path.join(args.out_dir, entry["file"])

    def add(entry, page_png, layer_png, opacity, y_expr, codec, crf):
        encode(page_png, layer_png, opacity, y_expr, codec, crf, name(entry, codec, crf))

    def new_mark():
        """A random identity rendered as a mark layer: (label fields, layer PNG path)."""
        text = rng.choice(IDENTITIES)
        colour = rng.choice(list(MARK_COLOURS))
        size_px = rng.choice([18, 22, 26, 30, 36])
        angle = rng.choice([0, 10, 20, 30, 45])
        font = rng.choice(MARK_FONTS)
        layer_html = os.path.join(work, f"mark{len(manifest)}.html")
        with open(layer_html, "w") as f:
            f.write(mark_layer(rng, text, MARK_COLOURS[colour], size_px, angle, font))
        screenshot(layer_html, layer_html[:-5] + ".png", HEIGHT, transparent=True)
        return ({"text": text, "colour": colour, "size_px": size_px, "angle_deg": angle, "font": font,
                 "region": [0, 0, WIDTH, HEIGHT]}, layer_html[:-5] + ".png")

    for opacity in (0.08, 0.15, 0.25):
        for content in ("doc", "code", "slides"):
            for k in range(args.per_cell):
                page_png, theme = pages[(content, k % 2)]
                fields, layer_png = new_mark()
                codec = "vp9" if rng.random() < 0.25 else "h264"
                crf = rng.choice([23, 26, 30]) if codec == "h264" else rng.choice([30, 34])
                add(dict(kind="tiled", condition=f"tiled_op{opacity}", content=content, opacity=opacity, theme=theme,
                         **fields),
                    page_png, layer_png, opacity, scroll_expression(rng, content, PAGE_HEIGHT), codec, crf)
    for content in ("doc", "code", "slides"):
        for variant in range(2):
            page_png, theme = pages[(content, variant)]
            add({"kind": "none", "condition": "neg_none", "content": content, "theme": theme},
                page_png, None, 0, scroll_expression(rng, content, PAGE_HEIGHT), "h264", 26)
        add({"kind": "toolbar", "condition": "neg_toolbar", "content": content, "theme": pages[(content, 0)][1]},
            pages[(content, 1)][0], toolbar_html[:-5] + ".png", 1.0, scroll_expression(rng, content, PAGE_HEIGHT),
            "h264", 26)
    for content in ("doc", "slides"):
        add({"kind": "still", "condition": "neg_still", "content": content, "theme": pages[(content, 0)][1]},
            pages[(content, 0)][0], None, 0, "0", "h264", 26)

    def still_offset(content):
        # Slides are whole screens; pages stop anywhere.
        if content == "slides":
            return str(HEIGHT * rng.randrange(PAGE_HEIGHT // HEIGHT))
        return str(rng.randrange(PAGE_HEIGHT - HEIGHT))

    for content in ("doc", "code", "slides"):
        for k in range(args.still):
            opacity = (0.15, 0.25, 0.40)[k % 3]
            page_png, theme = pages[(content, k % 2)]
            fields, layer_png = new_mark()
            add(dict(kind="still_tiled", condition=f"still_op{opacity}", content=content, opacity=opacity, theme=theme,
                     **fields),
                page_png, layer_png, opacity, still_offset(content), "h264", rng.choice([23, 26, 30]))
        if args.still > 0:
            variant = rng.randrange(2)
            add({"kind": "still", "condition": "neg_still", "content": content, "theme": pages[(content, variant)][1]},
                pages[(content, variant)][0], None, 0, still_offset(content), "h264", rng.choice([23, 26, 30]))
    def shot(stem, page_html, height, transparent=False):
        path = os.path.join(work, stem)
        with open(path + ".html", "w") as f:
            f.write(page_html)
        screenshot(path + ".html", path + ".png", height, transparent)
        return path + ".png"

    words = [w for p in readme_paragraphs(rng, 20) for w in re.findall(r"[A-Za-z]{4,}", p)] if args.sheets else []
    for k in range(2 * args.sheets):
        live, dark = k % 2 == 1, (k // 2) % 2 == 1
        columns = sheet_columns(rng)
        labels_seed = rng.randrange(1 << 30)
        chrome_png = shot(f"sheet{k}_chrome", sheet_chrome(columns, dark), HEIGHT, transparent=True)
        if live:
            rows = (HEIGHT - SHEET_CHROME_PX) // SHEET_ROW_PX + 2
            for second in range(DURATION_S):
                shot(f"sheet{k}_{second:02d}", sheet_page(columns, words, rows, labels_seed,
                                                          random.Random(rng.randrange(1 << 30)), dark), rows * SHEET_ROW_PX)
            background = (["-framerate", "1", "-i", os.path.join(work, f"sheet{k}_%02d.png")],
                          f"[0]fps={FPS},crop={WIDTH}:{HEIGHT - SHEET_CHROME_PX}:0:0")
        else:
            rows = 300
            page_png = shot(f"sheet{k}", sheet_page(columns, words, rows, labels_seed, rng, dark), rows * SHEET_ROW_PX)
            background = (["-loop", "1", "-framerate", str(FPS), "-i", page_png],
                          f"[0]crop={WIDTH}:{HEIGHT - SHEET_CHROME_PX}:0:{row_scroll_expression(rng, rows)}")
        content, theme = ("sheet_live" if live else "sheet"), ("dark" if dark else "light")
        encode_sheet(background, chrome_png, None, 0, 26,
                     name({"kind": "toolbar", "condition": "neg_sheet", "content": content, "theme": theme}, "h264", 26))
        for opacity in (0.15, 0.25):
            fields, layer_png = new_mark()
            crf = rng.choice([23, 26, 30])
            encode_sheet(background, chrome_png, layer_png, opacity, crf,
                         name(dict(kind="sheet_tiled", condition=f"sheet_tiled_op{opacity}", content=content, opacity=opacity,
                                   theme=theme, **fields), "h264", crf))
    with open(os.path.join(args.out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    main()

"""Checks pictures as a person sees them: renders SpectralKD's HTML report and SVG plots in
headless Chromium and fails on a blank or broken page.

python3 scripts/check_render.py DEMO_FOLDER [--chromium chromium] [--keep DIR]

For each page: Chromium must exit cleanly and write a screenshot; the DOM Chromium built must
hold the expected SVG figures and no XML parse error; the screenshot must not be blank (enough
non-white pixels, enough distinct colours, ink in several regions of the page). PNGs are decoded
here with zlib only (no Pillow), so the check needs nothing beyond Chromium and Python.
"""
import argparse
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib


def decode_png(path):
    """(width, height, rows of RGB tuples) of an 8-bit RGB or RGBA PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            if depth != 8 or colour not in (2, 6):
                raise ValueError(f"{path}: unsupported PNG (depth {depth}, colour type {colour})")
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * channels:x * channels + 3]) for x in range(width)])
        previous = line
    return width, height, rows


def ink_report(path):
    """Share of non-white pixels, distinct colours, and inked cells of a 4 x 4 grid."""
    width, height, rows = decode_png(path)
    colours, ink, cells = set(), 0, set()
    for y in range(0, height, 2):
        for x in range(0, width, 2):
            pixel = rows[y][x]
            colours.add(pixel)
            if min(pixel) < 235:
                ink += 1
                cells.add((4 * y // height, 4 * x // width))
    samples = ((height + 1) // 2) * ((width + 1) // 2)
    return ink / samples, len(colours), len(cells)


def render(chromium, page, png, size):
    common = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--allow-file-access-from-files"]
    url = "file://" + os.path.abspath(page)
    shot = subprocess.run(common + [f"--window-size={size}", f"--screenshot={png}", url], capture_output=True, text=True, timeout=120)
    if shot.returncode != 0 or not os.path.exists(png):
        raise RuntimeError(f"{page}: Chromium failed (exit {shot.returncode}): {shot.stderr.strip()[-300:]}")
    dom = subprocess.run(common + ["--dump-dom", url], capture_output=True, text=True, timeout=120)
    if dom.returncode != 0:
        raise RuntimeError(f"{page}: Chromium --dump-dom failed (exit {dom.returncode})")
    return dom.stdout


def check_page(chromium, page, png, size, expected_svgs, minimum_ink, minimum_cells):
    dom = render(chromium, page, png, size)
    problems = []
    if "parsererror" in dom or "This page contains the following errors" in dom:
        problems.append("the browser reports a parse error")
    svgs = len(re.findall(r"<svg[\s>]", dom))
    if svgs < expected_svgs:
        problems.append(f"{svgs} SVG figures in the rendered DOM, expected {expected_svgs}")
    if re.search(r'="[^"]*\bNaN\b', dom):
        problems.append("NaN in an attribute")
    share, colours, cells = ink_report(png)
    if share < minimum_ink:
        problems.append(f"blank: only {100 * share:.2f}% of pixels inked")
    if colours < 12:
        problems.append(f"only {colours} distinct colours")
    if cells < minimum_cells:
        problems.append(f"ink in only {cells} of 16 regions")
    status = "ok" if not problems else "FAILED: " + "; ".join(problems)
    print(f"{page}: {svgs} svg, {100 * share:.1f}% inked, {colours} colours, {cells}/16 regions: {status}")
    return not problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="a demo output folder (report.html and *.svg)")
    parser.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser") or "chromium")
    parser.add_argument("--keep", help="keep the screenshots in this folder")
    args = parser.parse_args()
    shots = args.keep or tempfile.mkdtemp(prefix="check-render-")
    os.makedirs(shots, exist_ok=True)
    report = os.path.join(args.folder, "report.html")
    figures = len(re.findall(r"<svg[\s>]", open(report, encoding="utf-8").read()))
    ok = check_page(args.chromium, report, os.path.join(shots, "report.png"), "1000,4000", max(figures, 1), 0.02, 8)
    for name in sorted(os.listdir(args.folder)):
        if name.endswith(".svg"):
            ok &= check_page(args.chromium, os.path.join(args.folder, name), os.path.join(shots, name[:-4] + ".png"),
                             "800,500", 1, 0.03, 8)
    print(f"screenshots in {shots}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

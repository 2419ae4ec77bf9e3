"""One table of ratios for `make bench`: every benchmark records its head-to-head results here.

A benchmark calls `record(...)` once per comparison; when `SPECTRALKD_BENCH_SUMMARY` names a file
(as `bench/all.sh` sets it) the row is appended to it as one JSON line, otherwise nothing happens,
so each benchmark still runs on its own. `python3 bench/summary.py FILE` prints the table:
SpectralKD's time, the peer named, the peer's time and peer / SpectralKD (above 1: SpectralKD is
faster).
"""
import json
import os
import platform
import sys


def record(benchmark, case, ours, peer, theirs, note=""):
    """Append one comparison (times in seconds) to the summary file, if there is one."""
    path = os.environ.get("SPECTRALKD_BENCH_SUMMARY")
    if not path:
        return
    row = {"benchmark": benchmark, "case": case, "spectralkd_s": ours, "peer": peer, "peer_s": theirs, "note": note}
    with open(path, "a") as f:
        f.write(json.dumps(row) + "\n")


def cpu_name():
    """The CPU's model name (platform.processor() is empty on Linux)."""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "cpu unknown"


def main():
    rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    print()
    print(f"make bench summary: {platform.machine()}, {os.cpu_count()} cores, {cpu_name()}; "
          "absolute times vary on a shared machine, ratios taken in one run vary less")
    print("ratio = peer s / spectralkd s: above 1, spectralkd (as the case names it) is faster")
    widths = (11, 34, 13, 40, 9, 7)

    def line(cells):  # text columns left-aligned, numbers right-aligned
        return " ".join(c.ljust(w) if i in (0, 1, 3) else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    print(line(("benchmark", "case", "spectralkd s", "peer", "peer s", "ratio")))
    for r in rows:
        ratio = r["peer_s"] / r["spectralkd_s"]
        cells = (r["benchmark"], r["case"], f"{r['spectralkd_s']:.3f}", r["peer"], f"{r['peer_s']:.3f}", f"{ratio:.2f}x")
        print(line(cells) + (f"  ({r['note']})" if r["note"] else ""))

if __name__ == "__main__":
    main()

"""Builds the libFuzzer targets and runs each for a fixed time; fails on any finding.

python3 fuzz/run.py [--seconds 300] [--targets FuzzNPY,FuzzNPZ,FuzzCSV,FuzzJSON,FuzzSafetensors]   (make fuzz)

A finding is a crash or trap (a reader that breaks its one-line-error contract traps on purpose),
an ASan report, a leak, an input slower than 1 s, or a single allocation above 64 MiB, which is
4096 times the largest input (-max_len 16384): readers must size buffers from what the file really
holds, never from what its header claims. Findings land in fuzz/findings/<target>/; copy each one
into Tests/ArrayIOTests/Fixtures/reader-regressions/ (make test then feeds it to the reader).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TARGETS = {"FuzzNPY": "npy", "FuzzNPZ": "npz", "FuzzCSV": "csv", "FuzzJSON": "json", "FuzzSafetensors": "safetensors"}
MAX_LEN = 16384


def build():
    command = ["swift", "build", "-c", "release", "--package-path", HERE, "--scratch-path", os.path.join(HERE, ".build"),
               "-Xswiftc", "-sanitize=fuzzer,address", "-Xswiftc", "-parse-as-library", "-Xswiftc", "-use-ld=lld"]
    print("$", " ".join(command), flush=True)
    subprocess.run(command, check=True)


def run(target, seconds):
    kind = TARGETS[target]
    seeds = os.path.join(HERE, "corpus", kind)
    work = os.path.join(HERE, ".corpus", kind)
    findings = os.path.join(HERE, "findings", kind)
    os.makedirs(work, exist_ok=True)
    os.makedirs(findings, exist_ok=True)
    binary = os.path.join(HERE, ".build", "release", target)
    command = [binary, f"-max_total_time={seconds}", "-timeout=1", "-rss_limit_mb=2048", "-malloc_limit_mb=64",
               f"-max_len={MAX_LEN}", "-detect_leaks=1", "-print_final_stats=1", "-use_value_profile=1",
               f"-artifact_prefix={findings}/", work, seeds]
    env = dict(os.environ, SWIFT_BACKTRACE="enable=no", ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=0")
    started = time.time()
    result = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, errors="replace")
    elapsed = time.time() - started
    log = os.path.join(findings, "last-run.log")
    with open(log, "w") as f:
        f.write(result.stderr)
    executions = re.findall(r"stat::number_of_executed_units: (\d+)", result.stderr)
    executions = int(executions[-1]) if executions else 0
    artifacts = [f for f in os.listdir(findings) if f.split("-")[0] in ("crash", "leak", "timeout", "oom", "slow")]
    return {"target": target, "exit": result.returncode, "executions": executions, "seconds": elapsed,
            "findings": artifacts, "log": log, "corpus": len(os.listdir(work))}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("FUZZ_SECONDS", 300)))
    parser.add_argument("--targets", default=",".join(TARGETS))
    args = parser.parse_args()
    if shutil.which("swift") is None:
        sys.exit("swift is not on PATH")
    build()
    rows = [run(t, args.seconds) for t in args.targets.split(",")]
    print(f"\n{'target':<10} {'executions':>12} {'seconds':>8} {'exec/s':>9} {'corpus':>7}  result")
    failed = False
    for r in rows:
        bad = r["exit"] != 0 or r["findings"]
        failed |= bool(bad)
        result = "ok" if not bad else f"FINDINGS {r['findings'] or ''} (exit {r['exit']}; log {r['log']})"
        print(f"{r['target']:<10} {r['executions']:>12,} {r['seconds']:>8.0f} {r['executions'] / max(r['seconds'], 1e-9):>9,.0f} {r['corpus']:>7}  {result}")
    total = sum(r["executions"] for r in rows)
    print(f"{'total':<10} {total:>12,}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

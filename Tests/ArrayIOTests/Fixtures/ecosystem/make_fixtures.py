#!/usr/bin/env python3
"""Files as numpy, pandas and the safetensors package write them, for SpectralKD's readers.

Run from this folder: python3 make_fixtures.py        (writes the fixtures and expected.json)
                      python3 make_fixtures.py --check (rewrites them in a temporary folder and
                      fails unless every file is byte-identical to the committed one: `make test`
                      runs this, so the fixtures stay what the current packages write)

Every array holds values the tests recompute: base = (arange(12).reshape(3, 4) - 5) * 0.5 for the
floats, arange(12).reshape(3, 4) - 5 for signed and arange(12).reshape(3, 4) for unsigned integers.
"""
import json
import os
import shutil
import struct
import sys
import tempfile

import numpy as np
import pandas as pd
from safetensors.numpy import save_file

signed = np.arange(12).reshape(3, 4) - 5
unsigned = np.arange(12).reshape(3, 4)
floats = signed * 0.5


def write(out):
    expected = {}
    def record(name, values):
        expected[name] = {"shape": list(np.shape(values)), "values": np.asarray(values, dtype=np.float64).ravel().tolist()}
    # Every numeric dtype numpy writes, both byte orders where it has one.
    for code in ["f2", "f4", "f8", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8"]:
        source = floats if code[0] == "f" else signed if code[0] == "i" else unsigned
        for order in ["<", ">"] if code[1] != "1" else ["|"]:
            array = source.astype(order + code)
            name = f"{code}_{'little' if order == '<' else 'big' if order == '>' else 'byte'}.npy"
            np.save(os.path.join(out, name), array)
            record(name, array)
    labels = np.array([0, 2, 1, 1, 0], dtype=np.int16)
    np.save(os.path.join(out, "labels_i2.npy"), labels)
    record("labels_i2.npy", labels)
    np.save(os.path.join(out, "labels_bool.npy"), np.array([True, False, True, True]))
    # safetensors, through its numpy API (no torch needed).
    save_file({"logits": floats.astype(np.float16)}, os.path.join(out, "f16.safetensors"))
    record("f16.safetensors", floats.astype(np.float16))
    save_file({"logits": floats.astype(np.float32), "labels": np.array([0, 3, 1], dtype=np.int64)},
              os.path.join(out, "two.safetensors"), metadata={"model": "fixture"})
    record("two.safetensors:logits", floats.astype(np.float32))
    record("two.safetensors:labels", np.array([0, 3, 1]))
    for dtype, name in [(np.float64, "f64"), (np.int32, "i32"), (np.uint8, "u8"), (np.bool_, "bool")]:
        source = unsigned % 2 == 0 if dtype == np.bool_ else unsigned if dtype == np.uint8 else floats if dtype == np.float64 else signed
        save_file({"x": source.astype(dtype)}, os.path.join(out, f"{name}.safetensors"))
        record(f"{name}.safetensors", source.astype(dtype))
    # BF16 has no numpy dtype: written by hand to the format's specification (the top 16 bits of
    # each float32; these values are exact in bfloat16).
    bits = (floats.astype(np.float32).view(np.uint32) >> 16).astype("<u2")
    header = json.dumps({"x": {"dtype": "BF16", "shape": [3, 4], "data_offsets": [0, bits.nbytes]}}, separators=(",", ":")).encode()
    header += b" " * (-len(header) % 8)
    with open(os.path.join(out, "bf16.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(header)) + header + bits.tobytes())
    record("bf16.safetensors", floats)
    # pandas CSVs as users write them.
    frame = pd.DataFrame(floats)
    frame.to_csv(os.path.join(out, "pandas_index_false.csv"), index=False)      # header 0,1,2,3
    frame.to_csv(os.path.join(out, "pandas_index_true.csv"))                   # header ,0,1,2,3 and an index column
    pd.DataFrame(floats, columns=["a", "b", "c", "d"]).to_csv(os.path.join(out, "pandas_named.csv"))
    pd.Series([2, 0, 1], name="label").to_csv(os.path.join(out, "pandas_labels_index.csv"))   # header ,label
    pd.DataFrame(floats).reset_index().to_csv(os.path.join(out, "pandas_reset_index.csv"), index=False)  # column "index"
    for name in ["pandas_index_false.csv", "pandas_index_true.csv", "pandas_named.csv", "pandas_reset_index.csv"]:
        record(name, floats)
    record("pandas_labels_index.csv", np.array([2, 0, 1]))
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


here = os.path.dirname(os.path.abspath(__file__))
if "--check" in sys.argv:
    with tempfile.TemporaryDirectory() as tmp:
        write(tmp)
        bad = [n for n in sorted(os.listdir(tmp)) if open(os.path.join(tmp, n), "rb").read() != open(os.path.join(here, n), "rb").read()]
        passed = len(os.listdir(tmp)) - len(bad)
        for n in bad:
            print(f"FAILED: {n} differs from what numpy/pandas/safetensors write now", file=sys.stderr)
        print(f"ecosystem fixtures: {passed} passed, {len(bad)} failed")
        sys.exit(1 if bad else 0)
write(here)

"""Writes the seed corpus of valid and near-valid files for the fuzz targets (numpy only).

python3 fuzz/make_corpus.py   # from the repository root; rewrites fuzz/corpus/<target>/
Deterministic: the same files every run.
"""
import io
import os
import shutil
import zipfile

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def put(target, name, data):
    os.makedirs(os.path.join(ROOT, target), exist_ok=True)
    with open(os.path.join(ROOT, target, name), "wb") as f:
        f.write(data)


def npy_bytes(array, version=None):
    buffer = io.BytesIO()
    if version is None:
        np.save(buffer, array)
    else:
        np.lib.format.write_array(buffer, array, version=version)
    return buffer.getvalue()


def handmade_npy(descr, shape, body):
    """A version 1.0 .npy with the header text given verbatim (shapes numpy would never write)."""
    text = "{'descr': %s, 'fortran_order': False, 'shape': %s, }" % (descr, shape)
    text += " " * (63 - (10 + len(text)) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + len(text).to_bytes(2, "little") + text.encode() + body


def main():
    shutil.rmtree(ROOT, ignore_errors=True)
    rng = np.random.default_rng(0)
    m = rng.standard_normal((3, 4))
    arrays = {
        "f8": m, "f4": m.astype(np.float32), "i4": np.arange(6, dtype=np.int32).reshape(2, 3),
        "i8": np.array([0, 2, 1, 4], dtype=np.int64), "u1": np.array([1, 0, 3], dtype=np.uint8),
        "b1": np.array([True, False, True]), "f8_big": m.astype(">f8"), "fortran": np.asfortranarray(m),
        "scalar": np.array(3.5), "empty": np.zeros((0, 3)), "vector": np.linspace(0, 1, 5),
    }
    for name, a in arrays.items():
        put("npy", f"{name}.npy", npy_bytes(a))
    put("npy", "v2.npy", npy_bytes(m, (2, 0)))
    put("npy", "v3.npy", npy_bytes(m, (3, 0)))
    good = npy_bytes(m)
    put("npy", "truncated_body.npy", good[:-5])
    put("npy", "truncated_header.npy", good[:40])
    put("npy", "huge_shape.npy", handmade_npy("'<f8'", "(1000000000000,)", b"\x00" * 4))
    put("npy", "overflow_shape.npy", handmade_npy("'<f8'", "(4611686018427387904, 4611686018427387904)", b""))
    put("npy", "negative_shape.npy", handmade_npy("'<i8'", "(-1, 3)", b""))
    put("npy", "object_dtype.npy", handmade_npy("'|O'", "(2,)", b"\x00" * 16))

    for name, compress in [("stored", zipfile.ZIP_STORED), ("deflated", zipfile.ZIP_DEFLATED)]:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compress) as z:
            # ZipInfo keeps the 1980 timestamp (writestr with a bare name stamps the current time).
            z.writestr(zipfile.ZipInfo("logits.npy"), npy_bytes(m.astype(np.float32)), compress)
            z.writestr(zipfile.ZipInfo("labels.npy"), npy_bytes(np.array([0, 1, 2], dtype=np.int64)), compress)
        put("npz", f"{name}.npz", buffer.getvalue())
    single = io.BytesIO()
    np.savez_compressed(single, x=np.arange(4.0))
    put("npz", "savez_compressed.npz", single.getvalue())
    put("npz", "truncated.npz", single.getvalue()[:-30])
    # Layouts numpy writes only for huge or streamed archives, built by the test fixtures' script.
    fixtures = os.path.join(os.path.dirname(ROOT), "..", "Tests", "ArrayIOTests", "Fixtures")
    for name in ["zip64.npz", "streamed.npz"]:
        with open(os.path.join(fixtures, name), "rb") as f:
            put("npz", name, f.read())

    put("csv", "header.csv", b"eigenvalue\n0.1\n0.25\n-3e-05\n")
    put("csv", "two_columns.csv", b"x,density\n0,1.5\n1,2.5\n")
    put("csv", "no_header.csv", b"1,2,3\n4,5,6\n")
    put("csv", "crlf_quoted.csv", b'"a","b"\r\n1,"2"\r\n\r\n3,4\r\n')
    put("csv", "nan_inf.csv", b"v\nnan\ninf\n-inf\n1e308\n")
    put("csv", "ragged.csv", b"a,b\n1,2\n3\n")
    put("csv", "runs.csv", b"role,seed,temperature,alpha_h,test_accuracy\nteacher,0,1,1.0,0.8\ndistilled,0,4,0.5,0.7\n")

    put("json", "summary.json", b'{\n  "samples": 10000,\n  "q": 0.0099,\n  "support": [[-0.0003, 0.0036]],\n  "adequate": true,\n  "reason": "KS 0.12 <= 0.13"\n}\n')
    put("json", "escapes.json", '{"s": "\\u00e9\\ud83d\\ude00 \\"q\\" \\n", "n": null, "a": [1, -2.5e-10, false]}'.encode())
    put("json", "nested.json", b"[[[[[[{}]]]]]]")


if __name__ == "__main__":
    main()

"""Writes the ArrayIO test fixtures with numpy (run from this folder: python3 make_fixtures.py).

Every array holds values the tests can recompute: base = arange(12).reshape(3, 4) * 0.5 - 1.
"""
import numpy as np

base = np.arange(12).reshape(3, 4) * 0.5 - 1.0
for version in [(1, 0), (2, 0), (3, 0)]:
    with open(f"base_v{version[0]}.npy", "wb") as f:
        np.lib.format.write_array(f, base, version=version)
np.save("base_f32.npy", base.astype(np.float32))
np.save("base_fortran.npy", np.asfortranarray(base))
np.save("base_bigendian.npy", base.astype(">f8"))
np.save("int_i4.npy", np.arange(12, dtype=np.int32).reshape(3, 4) - 5)
np.save("int_i8.npy", np.arange(12, dtype=np.int64).reshape(3, 4) - 5)
np.save("int_u1.npy", np.arange(12, dtype=np.uint8).reshape(3, 4))
np.save("bool.npy", (np.arange(12).reshape(3, 4) % 3 == 0))
np.save("vector.npy", np.array([3, 1, 4, 1, 5], dtype=np.int64))
np.save("scalar.npy", np.float64(2.5))
np.save("unsupported_c16.npy", np.zeros((2, 2), dtype=np.complex128))
np.save("three_d.npy", np.zeros((2, 2, 2)))
np.savez("stored.npz", base=base, labels=np.array([0, 1, 2]))
np.savez_compressed("deflated.npz", base=base)
np.savetxt("with_header.csv", base, delimiter=",", header="a,b,c,d", comments="")
np.savetxt("no_header.csv", base, delimiter=",")

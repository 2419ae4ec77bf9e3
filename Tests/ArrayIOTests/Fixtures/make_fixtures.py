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


class Unseekable:
    """A write-only stream: zipfile then writes data descriptors (flag bit 3) after each member."""
    def __init__(self, f):
        self.f = f

    def write(self, b):
        return self.f.write(b)

    def flush(self):
        self.f.flush()

    def read(self, *args):  # numpy.savez takes objects with `read` as files, not paths
        raise OSError("write-only")


with open("streamed.npz", "wb") as f:
    np.savez_compressed(Unseekable(f), base=base, **{"labels_é": np.array([0, 1, 2])})


def rewrite_as_zip64(source, target):
    """Rewrites a zip so its directory uses every ZIP64 form: 0xFFFFFFFF sizes and offsets with a
    ZIP64 extra field per entry, and a ZIP64 end record with its locator (as zipfile writes for
    archives past 4 GiB or 65535 members)."""
    import struct
    import zipfile
    data = open(source, "rb").read()
    infos = zipfile.ZipFile(source).infolist()
    body = data[:data.find(b"PK\x01\x02")]  # the members, up to the central directory
    central = b""
    for i in infos:
        name = i.filename.encode("utf-8")
        extra = struct.pack("<HHQQQ", 1, 24, i.file_size, i.compress_size, i.header_offset)
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, i.flag_bits, i.compress_type, 0, 0x21,
                               i.CRC, 0xFFFFFFFF, 0xFFFFFFFF, len(name), len(extra), 0, 0, 0, 0, 0xFFFFFFFF) + name + extra
    offset = len(body)
    end64 = struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, len(infos), len(infos), len(central), offset)
    locator = struct.pack("<IIQI", 0x07064B50, 0, offset + len(central), 1)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    with open(target, "wb") as f:
        f.write(body + central + end64 + locator + end)
    with np.load(target) as z, np.load(source) as y:  # Python's zipfile reads it the same
        assert z.files == y.files and all((z[k] == y[k]).all() for k in z.files)


rewrite_as_zip64("stored.npz", "zip64.npz")

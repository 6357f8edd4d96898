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

/// File name extensions of the images `cccd scan` reads from directories.
pub const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "webp", "gif", "bmp"];

/// The files named by `paths`: a file as given; a directory walked recursively (symbolic
/// links to directories inside it not followed), keeping the files whose extension is one of
/// `extensions` (any case), in name order.
pub fn files(
    paths: &[std::path::PathBuf],
    extensions: &[&str],
) -> io::Result<Vec<std::path::PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        if std::fs::metadata(path)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?
            .is_dir()
        {
            walk(path, extensions, &mut out)?;
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

fn walk(
    dir: &std::path::Path,
    extensions: &[&str],
    out: &mut Vec<std::path::PathBuf>,
) -> io::Result<()> {
    let mut entries = std::fs::read_dir(dir)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", dir.display())))?
        .map(|e| e.map(|e| e.path()))
        .collect::<io::Result<Vec<_>>>()?;
    entries.sort();
    for path in entries {
        let meta = std::fs::symlink_metadata(&path)?;
        if meta.is_dir() {
            walk(&path, extensions, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
        {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod file_tests {
    use super::*;

    #[test]
    fn walks_directories_for_images_in_name_order() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("b/c")).unwrap();
        for f in ["a.PNG", "b/c/z.jpg", "b/c/notes.txt", "b/y.webp", "readme"] {
            std::fs::write(d.join(f), b"x").unwrap();
        }
        let found = files(&[d.to_path_buf(), d.join("readme")], IMAGE_EXTENSIONS).unwrap();
        let names: Vec<String> = found
            .iter()
            .map(|p| p.strip_prefix(d).unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.PNG", "b/c/z.jpg", "b/y.webp", "readme"]);
        let missing = files(&[d.join("nope")], IMAGE_EXTENSIONS).unwrap_err();
        assert!(missing.to_string().contains("nope"));
    }
}

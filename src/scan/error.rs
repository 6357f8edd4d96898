//! [`ScanError`]: why a scan failed, built like the crate's [`Error`](crate::Error).

use std::fmt;
use std::time::Duration;

use super::Step;

/// A machine-readable scan error code, stable across releases (see [`ScanErrorCode::as_str`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ScanErrorCode {
    /// No QR code was found.
    NotFound,
    /// QR codes were found, but none holds a card payload.
    NotACard,
    /// Two or more different card payloads were found in one image.
    MultipleCards,
    /// The file could not be read or decoded as an image (truncated, corrupt, unknown format).
    UnreadableImage,
    /// The path names a directory, FIFO, device or socket, not a regular file.
    NotARegularFile,
    /// The file or image exceeds the configured size or memory limits.
    TooLarge,
    /// The image is too small in a dimension to hold a QR code (fewer than 21 pixels).
    TooSmall,
    /// The time budget ran out before a code was found.
    TimeBudget,
}

impl ScanErrorCode {
    /// The code as used in JSON output: `not_found`, `not_a_card`, `multiple_cards`,
    /// `unreadable_image`, `not_a_regular_file`, `too_large`, `too_small`, `time_budget`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ScanErrorCode::NotFound => "not_found",
            ScanErrorCode::NotACard => "not_a_card",
            ScanErrorCode::MultipleCards => "multiple_cards",
            ScanErrorCode::UnreadableImage => "unreadable_image",
            ScanErrorCode::NotARegularFile => "not_a_regular_file",
            ScanErrorCode::TooLarge => "too_large",
            ScanErrorCode::TooSmall => "too_small",
            ScanErrorCode::TimeBudget => "time_budget",
        }
    }
}

impl fmt::Display for ScanErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The facts behind the message. Never payload text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Detail {
    None,
    /// Codes found (not a card) or different cards found (multiple cards).
    Count(usize),
    /// Image dimensions.
    Size(u32, u32),
    /// Image dimensions and the memory they need and may use, in bytes.
    Memory {
        size: (u32, u32),
        need: u64,
        limit: u64,
    },
    /// A file's size and the limit, in bytes.
    FileSize {
        len: u64,
        limit: u64,
    },
    /// The budget and the steps that ran before it ran out.
    Budget {
        budget: Duration,
        tried: Vec<Step>,
    },
    /// A decoder's or the file system's message (no payload text).
    Text(String),
}

/// Why a scan failed: a [`code`](ScanError::code), a finer [`reason`](ScanError::reason),
/// and a message that never contains payload text.
///
/// When codes were found but none is a card, [`source`](std::error::Error::source) is the
/// parse error of the first of them.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ScanError {
    code: ScanErrorCode,
    reason: &'static str,
    detail: Detail,
    source: Option<crate::Error>,
}

impl ScanError {
    pub(crate) fn new(code: ScanErrorCode, reason: &'static str, detail: Detail) -> Self {
        ScanError {
            code,
            reason,
            detail,
            source: None,
        }
    }

    pub(crate) fn not_found() -> Self {
        Self::new(ScanErrorCode::NotFound, "no_code", Detail::None)
    }

    /// Nothing found, and the engines were kept from an image crowded with finder patterns.
    pub(crate) fn crowded() -> Self {
        Self::new(ScanErrorCode::NotFound, "crowded", Detail::None)
    }

    pub(crate) fn not_a_card(found: usize, source: crate::Error) -> Self {
        ScanError {
            code: ScanErrorCode::NotACard,
            reason: source.code().as_str(),
            detail: Detail::Count(found),
            source: Some(source),
        }
    }

    pub(crate) fn multiple_cards(count: usize) -> Self {
        Self::new(
            ScanErrorCode::MultipleCards,
            "different_payloads",
            Detail::Count(count),
        )
    }

    pub(crate) fn unreadable(reason: &'static str, message: impl Into<String>) -> Self {
        Self::new(
            ScanErrorCode::UnreadableImage,
            reason,
            Detail::Text(message.into()),
        )
    }

    pub(crate) fn not_a_regular_file(kind: &'static str) -> Self {
        Self::new(ScanErrorCode::NotARegularFile, kind, Detail::None)
    }

    pub(crate) fn too_large(reason: &'static str, width: u32, height: u32) -> Self {
        Self::new(ScanErrorCode::TooLarge, reason, Detail::Size(width, height))
    }

    pub(crate) fn too_much_memory(size: (u32, u32), need: u64, limit: u64) -> Self {
        Self::new(
            ScanErrorCode::TooLarge,
            "memory",
            Detail::Memory { size, need, limit },
        )
    }

    /// The error for input over a size cap that a caller enforces while reading (such as an
    /// image read from standard input): `too_large`, reason `file_size`. `len` is how many
    /// bytes were seen (at least `limit + 1`).
    pub fn file_too_large(len: u64, limit: u64) -> Self {
        Self::new(
            ScanErrorCode::TooLarge,
            "file_size",
            Detail::FileSize { len, limit },
        )
    }

    pub(crate) fn too_small(width: u32, height: u32) -> Self {
        Self::new(
            ScanErrorCode::TooSmall,
            "dimension",
            Detail::Size(width, height),
        )
    }

    pub(crate) fn time_budget(budget: Duration, tried: Vec<Step>) -> Self {
        Self::new(
            ScanErrorCode::TimeBudget,
            if tried.is_empty() {
                "before_scanning"
            } else {
                "during_scanning"
            },
            Detail::Budget { budget, tried },
        )
    }

    /// The machine-readable code.
    pub const fn code(&self) -> ScanErrorCode {
        self.code
    }

    /// What exactly went wrong, in `snake_case`, finer than the code:
    /// - `not_found`: `no_code`, or `crowded` when the image holds so many finder patterns
    ///   that the engines were not run on it (they would take seconds to minutes; see
    ///   [`Scanner::max_finder_patterns`](crate::Scanner::max_finder_patterns));
    /// - `not_a_card`: the [`ErrorCode`](crate::ErrorCode) of the first code's parse error
    ///   (`field_count`, `id_number`, …);
    /// - `multiple_cards`: `different_payloads`;
    /// - `unreadable_image`: `unknown_format`, `decode_failed`, `decoder_panicked`,
    ///   `file_not_found`, `permission_denied`, `io_error`, `unusable_path`;
    /// - `not_a_regular_file`: `directory`, `fifo`, `socket`, `device`, `other`;
    /// - `too_large`: `dimension`, `pixels`, `memory`, `file_size`;
    /// - `too_small`: `dimension`;
    /// - `time_budget`: `before_scanning` (decoding used it up) or `during_scanning`.
    pub const fn reason(&self) -> &'static str {
        self.reason
    }

    /// For `not_a_card`, how many distinct codes were found; for `multiple_cards`, how many
    /// different card payloads.
    pub fn count(&self) -> Option<usize> {
        match self.detail {
            Detail::Count(n) => Some(n),
            _ => None,
        }
    }

    /// The image's width and height, for `too_large` and `too_small` when known.
    pub fn dimensions(&self) -> Option<(u32, u32)> {
        match self.detail {
            Detail::Size(w, h) => Some((w, h)),
            Detail::Memory { size, .. } => Some(size),
            _ => None,
        }
    }

    /// For `time_budget`, the steps of the cascade that started before the budget ran out
    /// (empty when reading and decoding used it up).
    pub fn tried(&self) -> &[Step] {
        match &self.detail {
            Detail::Budget { tried, .. } => tried,
            _ => &[],
        }
    }

    /// An error for input that never reached the scanner, such as a path that could not be
    /// represented: code `unreadable_image` with this reason, and `message` after
    /// `unreadable image: `. The message must not hold personal data.
    pub fn unreadable_input(reason: &'static str, message: impl Into<String>) -> Self {
        Self::unreadable(reason, message)
    }
}

impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.code, &self.detail) {
            (ScanErrorCode::NotFound, _) if self.reason == "crowded" => {
                f.write_str("no qr code found (too many finder patterns: the engines were not run)")
            }
            (ScanErrorCode::NotFound, _) => f.write_str("no qr code found"),
            (ScanErrorCode::NotACard, Detail::Count(n)) => {
                write!(f, "{n} qr code(s) found, none holds a card payload")
            }
            (ScanErrorCode::MultipleCards, Detail::Count(n)) => {
                write!(f, "{n} different card payloads found in one image")
            }
            (ScanErrorCode::UnreadableImage, Detail::Text(t)) => {
                write!(f, "unreadable image: {t}")
            }
            (ScanErrorCode::NotARegularFile, _) => {
                let what = match self.reason {
                    "directory" => "a directory",
                    "fifo" => "a fifo",
                    "socket" => "a socket",
                    "device" => "a device",
                    _ => "a special file",
                };
                write!(f, "not a regular file: {what}")
            }
            (_, Detail::Memory { size, need, limit }) => write!(
                f,
                "image too large: {}x{} needs about {} MB, over the limit of {} MB",
                size.0,
                size.1,
                need.div_ceil(1 << 20),
                limit / (1 << 20)
            ),
            (_, Detail::FileSize { len, limit }) => write!(
                f,
                "file too large: {len} bytes exceeds the limit of {limit} bytes"
            ),
            (ScanErrorCode::TooLarge, Detail::Size(w, h)) => {
                write!(f, "image too large: {w}x{h} exceeds the limit")
            }
            (ScanErrorCode::TooSmall, Detail::Size(w, h)) => write!(
                f,
                "image too small: {w}x{h}, a qr code needs at least 21x21 pixels"
            ),
            (ScanErrorCode::TimeBudget, Detail::Budget { budget, tried }) => {
                write!(
                    f,
                    "time budget of {} ms exhausted before a code was found",
                    budget.as_millis()
                )?;
                if tried.is_empty() {
                    f.write_str(" (while decoding)")
                } else {
                    f.write_str(" (tried:")?;
                    for (i, s) in tried.iter().enumerate() {
                        write!(f, "{}{s}", if i == 0 { " " } else { ", " })?;
                    }
                    f.write_str(")")
                }
            }
            (code, _) => f.write_str(code.as_str()),
        }
    }
}

impl std::error::Error for ScanError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

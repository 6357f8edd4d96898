//! cccd: reader for Vietnamese chip ID cards (skeleton, see issues).
#![forbid(unsafe_code)]

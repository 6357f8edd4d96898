//! The checked-in `include/cccd.h` is what cbindgen generates from the current source.

use std::path::Path;

#[test]
fn header_is_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("cbindgen.toml");
    let mut fresh = Vec::new();
    cbindgen::Builder::new()
        .with_crate(dir)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header")
        .write(&mut fresh);
    let path = dir.join("include/cccd.h");
    if std::env::var_os("CCCD_BLESS").is_some() {
        std::fs::write(&path, &fresh).expect("write include/cccd.h");
        return;
    }
    let checked_in = std::fs::read(&path).unwrap_or_default();
    assert!(
        checked_in == fresh,
        "bindings/c/include/cccd.h differs from a fresh generation; regenerate it with \
         `CCCD_BLESS=1 cargo test -p cccd-ffi --test header` and commit it"
    );
}

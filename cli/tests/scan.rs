//! `cccd scan` on generated photos: JSON, exit status, `--raw`.

use cccd::synth::{CardGenerator, PhotoGenerator};

/// `cccd scan`: one JSON object per file, in order; exit status 1 when any file failed.
#[test]
fn command_scan() {
    let dir = std::env::temp_dir().join(format!("cccd-scan-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let payload = CardGenerator::new(5).payload();
    let card = dir.join("card.jpg");
    let photo = PhotoGenerator::new(5)
        .second_code(0.0)
        .photo_at(&payload, (1024, 768));
    std::fs::write(&card, &photo.jpeg).unwrap();
    let other = dir.join("other.jpg");
    let photo = PhotoGenerator::new(9)
        .second_code(0.0)
        .photo_at("https://example.com/not-a-card", (640, 480));
    std::fs::write(&other, &photo.jpeg).unwrap();
    let missing = dir.join("missing.png");
    let run = |args: &[&std::ffi::OsStr]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_cccd"))
            .arg("scan")
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&[card.as_os_str(), other.as_os_str(), missing.as_os_str()]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["ok"], true, "{}", lines[0]);
    assert_eq!(lines[0]["file"], card.display().to_string());
    let parsed = cccd::Parser::new().lenient(true).parse(&payload).unwrap();
    assert_eq!(
        lines[0]["card"],
        serde_json::to_value(&parsed.card).unwrap()
    );
    assert_eq!(lines[0]["codes"][0]["engine"], "rxing");
    assert_eq!(lines[0]["codes"][0]["corners"].as_array().unwrap().len(), 4);
    assert_eq!(lines[1]["error"]["code"], "not_a_card");
    assert!(lines[1].get("card").is_none());
    assert_eq!(lines[2]["error"]["code"], "unreadable_image");
    // --raw: any code succeeds, no card.
    let out = run(&["--raw".as_ref(), other.as_os_str()]);
    assert_eq!(out.status.code(), Some(0));
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["codes"][0]["text"], "https://example.com/not-a-card");
    assert!(line.get("card").is_none());
    std::fs::remove_dir_all(&dir).unwrap();
}

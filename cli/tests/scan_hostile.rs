//! `cccd scan` under hostile input (issue 11): special files, non-UTF-8 names, folders.
#![cfg(unix)]

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::time::Duration;

use cccd::synth::{CardGenerator, PhotoGenerator};

fn lines(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8(stdout.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Runs `cccd scan --format json ARGS` with a time limit: a hang is a failure.
fn scan(args: &[&OsStr], stdin: Option<&[u8]>) -> std::process::Output {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cccd"))
        .args(["scan", "--format", "json", "--fail-on", "never"])
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(bytes) = stdin {
        input.write_all(bytes).unwrap();
    }
    drop(input);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    rx.recv_timeout(Duration::from_secs(120))
        .expect("cccd scan hung")
        .unwrap()
}

/// A FIFO named like an image in a folder of good photos, and `/dev/zero`: each its own
/// error line; the photos are read.
#[test]
fn special_files_are_error_lines_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut cards = CardGenerator::new(31);
    let mut photos = PhotoGenerator::new(31).second_code(0.0);
    for name in ["a.jpg", "c.jpg"] {
        let photo = photos.photo_at(&cards.payload(), (800, 600));
        std::fs::write(dir.path().join(name), &photo.jpeg).unwrap();
    }
    let fifo = dir.path().join("b.png");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let out = scan(&[dir.path().as_os_str(), OsStr::new("/dev/zero")], None);
    let lines = lines(&out.stdout);
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert_eq!(lines[0]["ok"], true, "{}", lines[0]);
    assert_eq!(lines[1]["error"]["code"], "not_a_regular_file");
    assert_eq!(lines[1]["error"]["message"], "not a regular file: a fifo");
    assert!(lines[1]["file"].as_str().unwrap().ends_with("b.png"));
    assert_eq!(lines[2]["ok"], true, "{}", lines[2]);
    assert_eq!(lines[3]["file"], "/dev/zero");
    assert_eq!(lines[3]["error"]["message"], "not a regular file: a device");
}

/// Two names that differ only in a byte that is not UTF-8 are two files, printed apart;
/// paths from standard input are opened as given too.
#[test]
fn non_utf8_names_stay_two() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join(OsStr::from_bytes(b"card\xff.jpg"));
    let b = dir.path().join(OsStr::from_bytes(b"card\xfe.jpg"));
    let payload = CardGenerator::new(32).payload();
    let photo = PhotoGenerator::new(32)
        .second_code(0.0)
        .photo_at(&payload, (800, 600));
    std::fs::write(&a, &photo.jpeg).unwrap();
    std::fs::write(&b, b"not an image").unwrap();
    let out = scan(&[dir.path().as_os_str()], None);
    let found = lines(&out.stdout);
    assert_eq!(found.len(), 2, "{found:?}");
    let dir_text = dir.path().to_str().unwrap();
    // Name order: 0xFE before 0xFF.
    assert_eq!(found[0]["file"], format!("{dir_text}/card\\xFE.jpg"));
    assert_eq!(found[0]["error"]["code"], "unreadable_image");
    assert_eq!(found[1]["file"], format!("{dir_text}/card\\xFF.jpg"));
    assert_eq!(found[1]["ok"], true);
    let mut list = a.as_os_str().as_bytes().to_vec();
    list.push(b'\n');
    list.extend_from_slice(b.as_os_str().as_bytes());
    list.push(b'\n');
    let out = scan(&[], Some(&list));
    let found = lines(&out.stdout);
    assert_eq!(found[0]["ok"], true, "{}", found[0]);
    assert_eq!(found[1]["error"]["code"], "unreadable_image");
}

/// A folder that cannot be read is one error line, not the end of the run.
#[test]
fn unreadable_folder_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let payload = CardGenerator::new(33).payload();
    let photo = PhotoGenerator::new(33)
        .second_code(0.0)
        .photo_at(&payload, (800, 600));
    std::fs::write(dir.path().join("ok.jpg"), &photo.jpeg).unwrap();
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::write(locked.join("x.jpg"), b"x").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable = std::fs::read_dir(&locked).is_ok(); // root reads it anyway
    let out = scan(&[dir.path().as_os_str()], None);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    let found = lines(&out.stdout);
    if readable {
        assert_eq!(found.len(), 2);
    } else {
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0]["error"]["code"], "unreadable_image");
        assert!(found[0]["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("unreadable image: folder"));
        assert_eq!(found[1]["ok"], true);
    }
}

/// Two different cards in one photo: `multiple_cards` with the count, or one object per
/// card under `--all-cards`.
#[test]
fn two_cards_in_one_photo() {
    let dir = tempfile::tempdir().unwrap();
    let mut cards = CardGenerator::new(34);
    let (one, two) = (cards.payload(), cards.payload());
    let side = |p: &str| qrcode::QrCode::new(p.as_bytes()).unwrap();
    let (c1, c2) = (side(&one), side(&two));
    let m = 4u32;
    let (w1, w2) = (c1.width() as u32, c2.width() as u32);
    let mut img =
        image::GrayImage::from_pixel((w1 + w2) * m + 72, w1.max(w2) * m + 48, image::Luma([255]));
    for (code, x0) in [(&c1, 24u32), (&c2, 48 + w1 * m)] {
        let w = code.width() as u32;
        for (i, c) in code.to_colors().into_iter().enumerate() {
            if c == qrcode::Color::Dark {
                let (mx, my) = (i as u32 % w, i as u32 / w);
                for d in 0..m * m {
                    img.put_pixel(x0 + mx * m + d % m, 24 + my * m + d / m, image::Luma([0]));
                }
            }
        }
    }
    let file = dir.path().join("two.png");
    img.save(&file).unwrap();
    let out = scan(&[file.as_os_str()], None);
    let found = lines(&out.stdout);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["error"]["code"], "multiple_cards");
    assert_eq!(
        found[0]["error"]["message"],
        "2 different card payloads found in one image"
    );
    let out = scan(&[OsStr::new("--all-cards"), file.as_os_str()], None);
    let found = lines(&out.stdout);
    assert_eq!(found.len(), 2, "{found:?}");
    let mut ids: Vec<String> = found
        .iter()
        .map(|l| l["card"]["id_number"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    let mut want: Vec<String> = [&one, &two]
        .iter()
        .map(|p| p.split('|').next().unwrap().to_owned())
        .collect();
    want.sort();
    assert_eq!(ids, want);
    assert!(found.iter().all(|l| l["file"] == file.to_str().unwrap()));
}

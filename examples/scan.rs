//! Scan a photo for a card's QR code: `cargo run --example scan --features image -- card.jpg`.
//!
//! Prints the masked ID number, the engine and step that found the code, and the repairs; with
//! a photo of any other QR code, prints its text (raw mode).

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: scan IMAGE");
        return ExitCode::from(2);
    };
    let scanner = cccd::Scanner::new();
    let path = std::path::Path::new(&path);
    match scanner.card(path) {
        Ok(card) => {
            let c = &card.card;
            println!("card {} ({} layout)", c.id_number().masked(), c.layout());
            println!("found by {} at step {}", card.code.engine, card.code.step);
            for r in &card.repairs {
                println!("repair: {}", r.as_str());
            }
            ExitCode::SUCCESS
        }
        Err(e) if e.code() == cccd::ScanErrorCode::NotACard => {
            // Not a card: show whatever QR codes are there.
            for code in scanner.codes(path).unwrap_or_default() {
                println!("{} ({} / {})", code.text, code.engine, code.step);
            }
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("scan: {} ({})", e, e.code());
            ExitCode::from(1)
        }
    }
}

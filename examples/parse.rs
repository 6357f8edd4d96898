//! Parse one payload given as the first argument (or a synthetic sample), strictly and then
//! leniently, and print what the library reads.
//!
//! `cargo run --example parse -- '079203001234|123456789|Nguyễn Văn Ánh|01012003|Nam|Hà Nội|15082021'`

use cccd::Parser;

fn main() {
    let payload = std::env::args().nth(1).unwrap_or_else(|| {
        "036303000777||Lê Minh Châu|30092003|Nữ|Xóm 2, Hải Hậu, Nam Định|12112024||||".to_owned()
    });
    match Parser::new().lenient(true).parse(&payload) {
        Ok(parsed) => {
            let card = &parsed.card;
            println!("layout        {}", card.layout());
            println!("id number     {}", card.id_number());
            println!(
                "old id number {}",
                card.old_id_number().map_or("-".into(), |o| o.to_string())
            );
            println!("full name     {}", card.full_name());
            println!("date of birth {}", card.date_of_birth());
            println!("sex           {}", card.sex());
            println!("address       {}", card.address());
            println!("issue date    {}", card.issue_date());
            for repair in &parsed.repairs {
                println!("repaired      {repair}");
            }
        }
        Err(e) => {
            eprintln!("error: {e} (code {})", e.code());
            std::process::exit(1);
        }
    }
}

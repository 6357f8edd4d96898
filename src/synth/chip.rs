//! Synthetic chips: EF.COM, DG1, DG2, DG13 and an EF.SOD signed by a generated document
//! signer whose certificate is signed by a generated CSCA, all deterministic from a seed, and
//! tampered variants for every passive-authentication outcome.

use std::io;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use der::asn1::ObjectIdentifier as Oid;
use ecdsa::signature::hazmat::PrehashSigner;
use p256::NistP256;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sha2::{Digest, Sha256};

use super::CardGenerator;
use crate::chip::{Chip, ElementaryFile};
use crate::{Card, Sex};

type SigningKey = ecdsa::SigningKey<NistP256>;

const ETHNICITIES: [&str; 8] = [
    "Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "H'Mông",
];
const RELIGIONS: [&str; 4] = ["Không", "Phật giáo", "Công giáo", "Cao Đài"];
const MARKS: [&str; 4] = [
    "Nốt ruồi C:1cm dưới sau mép phải",
    "Sẹo chấm C:2cm trên trước đầu mày trái",
    "Nốt ruồi C:3cm trên sau cánh mũi trái",
    "Sẹo chấm C:1,5cm dưới sau đuôi mắt phải",
];

/// How to spoil a generated chip, one variant per passive-authentication failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Tamper {
    /// One digit of the ID number in DG13 changed after signing: `dg_hash_mismatch` (dg13).
    Dg13Byte,
    /// The chip is signed by a document signer whose certificate another CSCA signed (same
    /// names, other key), not the generator's CSCA: `chain_not_verified`.
    ForeignCsca,
    /// EF.SOD cut in half: `malformed_sod`.
    TruncatedSod,
    /// The last byte of the SOD's signature changed: `bad_signature`.
    BadSignature,
    /// The LDSSecurityObject names MD5 as its hash algorithm (properly signed):
    /// `unsupported_algorithm`.
    UnsupportedDigest,
}

impl Tamper {
    /// Every variant.
    pub const ALL: [Tamper; 5] = [
        Tamper::Dg13Byte,
        Tamper::ForeignCsca,
        Tamper::TruncatedSod,
        Tamper::BadSignature,
        Tamper::UnsupportedDigest,
    ];
}

/// A generated chip: the QR card it belongs to, its files, and the CSCA certificate (DER) that
/// anchors its signature.
#[derive(Clone, Debug)]
pub struct SyntheticChip {
    /// The card whose QR payload matches the chip.
    pub card: Card<'static>,
    /// The chip's files.
    pub chip: Chip,
    /// The CSCA certificate to verify it with (DER).
    pub csca: Vec<u8>,
}

impl SyntheticChip {
    /// Writes one file per elementary file into `dir` (created if needed): `com.bin`,
    /// `dg1.bin`, `dg2.bin`, `dg13.bin`, `sod.bin`, as a reader would dump them.
    ///
    /// # Errors
    /// Any I/O error.
    pub fn write_dir(&self, dir: impl AsRef<Path>) -> io::Result<()> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir)?;
        for (file, bytes) in self.chip.files() {
            std::fs::write(dir.join(format!("{}.bin", file.name())), bytes)?;
        }
        Ok(())
    }
}

/// Generates chips from a seed: one CSCA and one document signer per generator (keys from
/// the seeded RNG), one card per [`chip`](Self::chip) call.
///
/// ```
/// use cccd::synth::ChipGenerator;
/// use cccd::TrustAnchors;
/// let mut generator = ChipGenerator::new(7);
/// let sample = generator.chip();
/// let mut anchors = TrustAnchors::new();
/// anchors.add(&sample.csca).unwrap();
/// assert_eq!(sample.chip.verify(&anchors).code(), "verified");
/// let dg13 = sample.chip.dg13().unwrap().unwrap();
/// assert!(dg13.check_card(&sample.card).is_empty());
/// ```
pub struct ChipGenerator {
    rng: ChaCha8Rng,
    cards: CardGenerator,
    ds_key: SigningKey,
    csca: Vec<u8>,
    ds: Vec<u8>,
    foreign_ds: Vec<u8>,
    serial: u64,
}

impl std::fmt::Debug for ChipGenerator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChipGenerator").finish_non_exhaustive()
    }
}

const CSCA_NAME: &str = "CSCA Synthetic Test (not a real authority)";
const DS_NAME: &str = "Document Signer Synthetic Test";

impl ChipGenerator {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> ChipGenerator {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x0C41_9000_0000_0000);
        let csca_key = key(&mut rng);
        let ds_key = key(&mut rng);
        let foreign_key = key(&mut rng);
        let csca = certificate(
            1,
            CSCA_NAME,
            CSCA_NAME,
            csca_key.verifying_key(),
            &csca_key,
            true,
        );
        let ds = certificate(
            2,
            CSCA_NAME,
            DS_NAME,
            ds_key.verifying_key(),
            &csca_key,
            false,
        );
        let foreign_ds = certificate(
            2,
            CSCA_NAME,
            DS_NAME,
            ds_key.verifying_key(),
            &foreign_key,
            false,
        );
        ChipGenerator {
            cards: CardGenerator::new(rng.gen()),
            rng,
            ds_key,
            csca,
            ds,
            foreign_ds,
            serial: 2,
        }
    }

    /// The CSCA certificate (DER) that anchors every chip of this generator.
    pub fn csca_der(&self) -> &[u8] {
        &self.csca
    }

    /// The next genuine chip.
    pub fn chip(&mut self) -> SyntheticChip {
        let card = self.cards.card();
        self.chip_for(card)
    }

    /// A genuine chip for `card`.
    pub fn chip_for(&mut self, card: Card<'static>) -> SyntheticChip {
        let dg1 = dg1(&card);
        let dg2 = dg2(&mut self.rng);
        let dg13 = self.dg13(&card);
        let com = com();
        let sod = self.sod(&[(1, &dg1), (2, &dg2), (13, &dg13)], false, false);
        let chip = Chip::from_files([
            (ElementaryFile::Com, com),
            (ElementaryFile::Dg1, dg1),
            (ElementaryFile::Dg2, dg2),
            (ElementaryFile::Dg13, dg13),
            (ElementaryFile::Sod, sod),
        ]);
        SyntheticChip {
            card,
            chip,
            csca: self.csca.clone(),
        }
    }

    /// The next chip, spoiled as `tamper` says.
    pub fn tampered(&mut self, tamper: Tamper) -> SyntheticChip {
        let mut s = self.chip();
        let get = |s: &SyntheticChip, f| s.chip.get(f).map(<[u8]>::to_vec).unwrap_or_default();
        match tamper {
            Tamper::Dg13Byte => {
                let mut dg13 = get(&s, ElementaryFile::Dg13);
                let id = s.card.id_number().as_str().as_bytes().to_vec();
                if let Some(at) = dg13.windows(id.len()).position(|w| w == id.as_slice()) {
                    dg13[at + 11] ^= 1; // a digit stays a digit
                }
                s.chip.insert(ElementaryFile::Dg13, dg13);
            }
            Tamper::ForeignCsca | Tamper::UnsupportedDigest => {
                let files: Vec<(u32, Vec<u8>)> = [1u32, 2, 13]
                    .iter()
                    .filter_map(|&n| {
                        let f = ElementaryFile::from_data_group(n)?;
                        Some((n, s.chip.get(f)?.to_vec()))
                    })
                    .collect();
                let refs: Vec<(u32, &Vec<u8>)> = files.iter().map(|(n, b)| (*n, b)).collect();
                let foreign = tamper == Tamper::ForeignCsca;
                let sod = self.sod(&refs, !foreign, foreign);
                s.chip.insert(ElementaryFile::Sod, sod);
            }
            Tamper::TruncatedSod => {
                let mut sod = get(&s, ElementaryFile::Sod);
                sod.truncate(sod.len() / 2);
                s.chip.insert(ElementaryFile::Sod, sod);
            }
            Tamper::BadSignature => {
                let mut sod = get(&s, ElementaryFile::Sod);
                if let Some(last) = sod.last_mut() {
                    *last ^= 0x55;
                }
                s.chip.insert(ElementaryFile::Sod, sod);
            }
        }
        s
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.rng.gen_range(0..list.len())]
    }

    fn name_of(&mut self, sex: Sex) -> String {
        loop {
            let c = self.cards.card();
            if c.sex() == sex {
                return c.full_name().to_owned();
            }
        }
    }

    fn dg13(&mut self, card: &Card<'_>) -> Vec<u8> {
        let dmy = |d: NaiveDate| format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year());
        let expiry = match card.expiry().date() {
            Some(d) => dmy(d),
            None => "Không thời hạn".to_owned(),
        };
        let origin = self.cards.card().address().to_owned();
        let father = self.name_of(Sex::Male);
        let mother = self.name_of(Sex::Female);
        let ethnicity = self.pick(&ETHNICITIES);
        let religion = self.pick(&RELIGIONS);
        let marks = self.pick(&MARKS);
        let married = self.rng.gen_bool(0.5);
        let spouse_sex = if card.sex() == Sex::Male {
            Sex::Female
        } else {
            Sex::Male
        };
        let spouse = married.then(|| self.name_of(spouse_sex));
        let text = |n: u8, s: &str| seq(&[&int(n.into()), &tlv(0x0C, s.as_bytes())]);
        let mut entries = vec![
            text(1, card.id_number().as_str()),
            text(2, card.full_name()),
            text(3, &dmy(card.date_of_birth())),
            text(4, card.sex().as_card_str()),
            text(5, "Việt Nam"),
            text(6, ethnicity),
            text(7, religion),
            text(8, &origin),
            text(9, card.address()),
            text(10, marks),
            text(11, &dmy(card.issue_date())),
            text(12, &expiry),
            seq(&[
                &int(13),
                &seq(&[&tlv(0x0C, father.as_bytes()), &tlv(0x0C, mother.as_bytes())]),
            ]),
        ];
        if let Some(spouse) = spouse {
            entries.push(text(14, &spouse));
        }
        entries.push(text(
            15,
            card.old_id_number().map(|o| o.as_str()).unwrap_or(""),
        ));
        let entries: Vec<&[u8]> = entries.iter().map(Vec::as_slice).collect();
        let utf8 = Oid::new_unwrap("1.0.10646.1.0.8");
        tlv(
            0x6D,
            &seq(&[
                &int(1),
                &tlv(0x06, utf8.as_bytes()),
                &tlv(0x31, &entries.concat()),
            ]),
        )
    }

    fn sod(&mut self, files: &[(u32, &Vec<u8>)], md5: bool, foreign: bool) -> Vec<u8> {
        let sha256 = alg(&Oid::new_unwrap("2.16.840.1.101.3.4.2.1"));
        let lds_hash = if md5 {
            alg(&Oid::new_unwrap("1.2.840.113549.2.5"))
        } else {
            sha256.clone()
        };
        let hashes: Vec<Vec<u8>> = files
            .iter()
            .map(|(n, bytes)| seq(&[&int((*n).into()), &tlv(0x04, &Sha256::digest(bytes))]))
            .collect();
        let hashes: Vec<&[u8]> = hashes.iter().map(Vec::as_slice).collect();
        let lds = seq(&[&int(0), &lds_hash, &seq(&hashes)]);
        let lds_oid = Oid::new_unwrap("2.23.136.1.1.1");
        let attrs = [
            seq(&[
                &tlv(0x06, Oid::new_unwrap("1.2.840.113549.1.9.3").as_bytes()),
                &tlv(0x31, &tlv(0x06, lds_oid.as_bytes())),
            ]),
            seq(&[
                &tlv(0x06, Oid::new_unwrap("1.2.840.113549.1.9.4").as_bytes()),
                &tlv(0x31, &tlv(0x04, &Sha256::digest(&lds))),
            ]),
        ]
        .concat();
        let to_sign = tlv(0x31, &attrs);
        let signature = sign(&self.ds_key, &to_sign);
        let signer_info = seq(&[
            &int(1),
            &seq(&[&name(CSCA_NAME), &int(self.serial)]),
            &sha256,
            &tlv(0xA0, &attrs),
            &alg(&Oid::new_unwrap("1.2.840.10045.4.3.2")),
            &tlv(0x04, &signature),
        ]);
        let signed_data = seq(&[
            &int(3),
            &tlv(0x31, &sha256),
            &seq(&[&tlv(0x06, lds_oid.as_bytes()), &tlv(0xA0, &tlv(0x04, &lds))]),
            &tlv(0xA0, if foreign { &self.foreign_ds } else { &self.ds }),
            &tlv(0x31, &signer_info),
        ]);
        let content_info = seq(&[
            &tlv(0x06, Oid::new_unwrap("1.2.840.113549.1.7.2").as_bytes()),
            &tlv(0xA0, &signed_data),
        ]);
        tlv(0x77, &content_info)
    }
}

/// A P-256 key from the seeded RNG (retrying the rare 32 bytes that are not a valid scalar).
fn key(rng: &mut ChaCha8Rng) -> SigningKey {
    loop {
        let bytes: [u8; 32] = rng.gen();
        if let Ok(k) = SigningKey::from_slice(&bytes) {
            return k;
        }
    }
}

/// ECDSA P-256 with SHA-256 (deterministic, RFC 6979), DER-encoded.
fn sign(key: &SigningKey, data: &[u8]) -> Vec<u8> {
    let digest = Sha256::digest(data);
    let sig: ecdsa::Signature<NistP256> = key
        .sign_prehash(&digest)
        .expect("a 32-byte digest is a valid P-256 prehash");
    sig.to_der().as_bytes().to_vec()
}

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = crate::chip::der_header(tag, content.len());
    out.extend_from_slice(content);
    out
}

fn tlv2(tag: u16, content: &[u8]) -> Vec<u8> {
    let [hi, lo] = tag.to_be_bytes();
    let mut out = vec![hi];
    out.extend(tlv(lo, content));
    out
}

fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

fn int(n: u64) -> Vec<u8> {
    let bytes = n.to_be_bytes();
    let skip = bytes.iter().take_while(|&&b| b == 0).count().min(7);
    let mut v = bytes[skip..].to_vec();
    if v[0] & 0x80 != 0 {
        v.insert(0, 0);
    }
    tlv(0x02, &v)
}

fn alg(oid: &Oid) -> Vec<u8> {
    seq(&[&tlv(0x06, oid.as_bytes())])
}

fn name(cn: &str) -> Vec<u8> {
    let rdn = |oid: &str, tag: u8, value: &str| {
        tlv(
            0x31,
            &seq(&[
                &tlv(0x06, Oid::new_unwrap(oid).as_bytes()),
                &tlv(tag, value.as_bytes()),
            ]),
        )
    };
    seq(&[&rdn("2.5.4.6", 0x13, "VN"), &rdn("2.5.4.3", 0x0C, cn)])
}

fn certificate(
    serial: u64,
    issuer: &str,
    subject: &str,
    key: &ecdsa::VerifyingKey<NistP256>,
    signer: &SigningKey,
    ca: bool,
) -> Vec<u8> {
    let ecdsa_sha256 = alg(&Oid::new_unwrap("1.2.840.10045.4.3.2"));
    let point = key.to_sec1_bytes();
    let mut bits = vec![0u8];
    bits.extend_from_slice(&point);
    let spki = seq(&[
        &seq(&[
            &tlv(0x06, Oid::new_unwrap("1.2.840.10045.2.1").as_bytes()),
            &tlv(0x06, Oid::new_unwrap("1.2.840.10045.3.1.7").as_bytes()),
        ]),
        &tlv(0x03, &bits),
    ]);
    let validity = seq(&[&tlv(0x17, b"240101000000Z"), &tlv(0x17, b"491231235959Z")]);
    let mut parts: Vec<Vec<u8>> = vec![
        tlv(0xA0, &int(2)),
        int(serial),
        ecdsa_sha256.clone(),
        name(issuer),
        validity,
        name(subject),
        spki,
    ];
    if ca {
        // basicConstraints: cA TRUE, critical.
        let bc = seq(&[
            &tlv(0x06, Oid::new_unwrap("2.5.29.19").as_bytes()),
            &tlv(0x01, &[0xFF]),
            &tlv(0x04, &seq(&[&tlv(0x01, &[0xFF])])),
        ]);
        parts.push(tlv(0xA3, &seq(&[&bc])));
    }
    let parts: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    let tbs = seq(&parts);
    let mut sig = vec![0u8];
    sig.extend(sign(signer, &tbs));
    seq(&[&tbs, &ecdsa_sha256, &tlv(0x03, &sig)])
}

fn com() -> Vec<u8> {
    tlv(
        0x60,
        &[
            tlv2(0x5F01, b"0107"),
            tlv2(0x5F36, b"040000"),
            tlv(0x5C, &[0x61, 0x75, 0x6D]),
        ]
        .concat(),
    )
}

fn dg1(card: &Card<'_>) -> Vec<u8> {
    // DG1 holds the three lines without line breaks.
    let mrz: String = super::mrz_text(card).split('\n').collect();
    tlv(0x61, &tlv2(0x5F1F, mrz.as_bytes()))
}

/// A tiny grey placeholder face (an oval on a plain background), JPEG.
fn face_jpeg(rng: &mut ChaCha8Rng) -> (Vec<u8>, u16, u16) {
    let (w, h) = (48u32, 60u32);
    let shade: u8 = rng.gen_range(90..170);
    let img = image::GrayImage::from_fn(w, h, |x, y| {
        let dx = (f64::from(x) - 24.0) / 16.0;
        let dy = (f64::from(y) - 28.0) / 21.0;
        image::Luma([if dx * dx + dy * dy <= 1.0 { shade } else { 235 }])
    });
    let mut jpeg = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 60);
    img.write_with_encoder(encoder)
        .expect("encoding a small grey image to memory");
    (jpeg, w as u16, h as u16)
}

fn dg2(rng: &mut ChaCha8Rng) -> Vec<u8> {
    let (jpeg, w, h) = face_jpeg(rng);
    let mut block = Vec::new();
    block.extend_from_slice(&(u32::try_from(20 + 12 + jpeg.len()).unwrap_or(0)).to_be_bytes());
    block.extend_from_slice(&[0, 0]); // feature points
    block.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // facial information
    block.extend_from_slice(&[1, 0]); // full frontal, JPEG
    block.extend_from_slice(&w.to_be_bytes());
    block.extend_from_slice(&h.to_be_bytes());
    block.extend_from_slice(&[1, 2, 0, 0, 0, 0]);
    block.extend_from_slice(&jpeg);
    let mut record = b"FAC\x00010\x00".to_vec();
    record.extend_from_slice(&(u32::try_from(14 + block.len()).unwrap_or(0)).to_be_bytes());
    record.extend_from_slice(&[0, 1]);
    record.extend_from_slice(&block);
    let header = tlv(
        0xA1,
        &[
            tlv(0x80, &[1, 1]),
            tlv(0x81, &[2]),
            tlv(0x87, &[1, 1]),
            tlv(0x88, &[0, 8]),
        ]
        .concat(),
    );
    let bit = tlv2(0x7F60, &[header, tlv2(0x5F2E, &record)].concat());
    tlv(0x75, &tlv2(0x7F61, &[tlv(0x02, &[1]), bit].concat()))
}

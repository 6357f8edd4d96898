//! Passive authentication of EF.SOD (ICAO 9303 part 11): the data groups' hashes in the
//! LDSSecurityObject, the CMS SignedData signature by the document signer, and the document
//! signer certificate against the trust anchors the caller gives (feature `chip-pa`).
//!
//! The CMS structure is walked with the crate's defensive TLV reader (the signed attributes
//! must be verified over their exact bytes anyway); certificates are decoded with `x509-cert`
//! and signatures verified with `rsa`, `ecdsa` (P-256, P-384, P-521, brainpoolP256r1,
//! brainpoolP384r1), `sha1` and `sha2`.

use std::fmt;
use std::path::Path;

use der::asn1::ObjectIdentifier as Oid;
use der::{Decode, DecodePem};
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};
use x509_cert::Certificate;

use super::file::ElementaryFile;
use super::tlv::{Reader, Tlv};
use super::Chip;

const F: ElementaryFile = ElementaryFile::Sod;

// Content types and attributes.
const ID_SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
const ID_LDS_SECURITY_OBJECT: Oid = Oid::new_unwrap("2.23.136.1.1.1");
const ID_CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
const ID_MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
// Digests.
const ID_SHA1: Oid = Oid::new_unwrap("1.3.14.3.2.26");
const ID_SHA224: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.4");
const ID_SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
const ID_SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
const ID_SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");
// Keys and curves.
const ID_EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
const ID_RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
const ID_RSASSA_PSS: Oid = Oid::new_unwrap("1.2.840.113549.1.1.10");
const ID_MGF1: Oid = Oid::new_unwrap("1.2.840.113549.1.1.8");
const P256: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
const P384: Oid = Oid::new_unwrap("1.3.132.0.34");
const P521: Oid = Oid::new_unwrap("1.3.132.0.35");
const BP256R1: Oid = Oid::new_unwrap("1.3.36.3.3.2.8.1.1.7");
const BP384R1: Oid = Oid::new_unwrap("1.3.36.3.3.2.8.1.1.11");

/// A digest algorithm the verifier knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Hash {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    fn from_oid(oid: &Oid) -> Option<Hash> {
        [
            (ID_SHA1, Hash::Sha1),
            (ID_SHA224, Hash::Sha224),
            (ID_SHA256, Hash::Sha256),
            (ID_SHA384, Hash::Sha384),
            (ID_SHA512, Hash::Sha512),
        ]
        .into_iter()
        .find(|(o, _)| o == oid)
        .map(|(_, h)| h)
    }

    pub(crate) fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha1 => Sha1::digest(data).to_vec(),
            Hash::Sha224 => Sha224::digest(data).to_vec(),
            Hash::Sha256 => Sha256::digest(data).to_vec(),
            Hash::Sha384 => Sha384::digest(data).to_vec(),
            Hash::Sha512 => Sha512::digest(data).to_vec(),
        }
    }

    const fn name(self) -> &'static str {
        match self {
            Hash::Sha1 => "sha1",
            Hash::Sha224 => "sha224",
            Hash::Sha256 => "sha256",
            Hash::Sha384 => "sha384",
            Hash::Sha512 => "sha512",
        }
    }
}

/// The headline result of passive authentication. [`code`](Self::code) is stable.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PaOutcome {
    /// Every data group given hashes as the SOD says, the SOD's signature is valid, and its
    /// document signer certificate is signed by one of the trust anchors given.
    Verified,
    /// Hashes and signature are valid, but no trust anchor was given or none signed the
    /// document signer certificate: the data is consistent with *some* signer, not a known
    /// one.
    ChainNotVerified,
    /// The signature is valid but these data groups do not hash as the SOD says (or are not
    /// listed in it).
    DgHashMismatch(Vec<ElementaryFile>),
    /// The SOD's signature does not verify with its document signer certificate (or its
    /// message-digest attribute disagrees with its content).
    BadSignature,
    /// An algorithm (digest, signature, curve) the verifier does not implement.
    UnsupportedAlgorithm,
    /// EF.SOD is absent or not a well-formed SignedData holding an LDSSecurityObject.
    MalformedSod,
}

impl PaOutcome {
    /// `verified`, `chain_not_verified`, `dg_hash_mismatch`, `bad_signature`,
    /// `unsupported_algorithm` or `malformed_sod`.
    pub const fn code(&self) -> &'static str {
        match self {
            PaOutcome::Verified => "verified",
            PaOutcome::ChainNotVerified => "chain_not_verified",
            PaOutcome::DgHashMismatch(_) => "dg_hash_mismatch",
            PaOutcome::BadSignature => "bad_signature",
            PaOutcome::UnsupportedAlgorithm => "unsupported_algorithm",
            PaOutcome::MalformedSod => "malformed_sod",
        }
    }
}

impl fmt::Display for PaOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())?;
        if let PaOutcome::DgHashMismatch(files) = self {
            let names: Vec<_> = files.iter().map(|f| f.name()).collect();
            write!(f, " ({})", names.join(", "))?;
        }
        Ok(())
    }
}

/// How one data group fared against the SOD's hash list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum DgHashStatus {
    /// The file's hash equals the SOD's.
    Match,
    /// The file's hash differs from the SOD's.
    Mismatch,
    /// The file was given but the SOD lists no hash for it.
    NotInSod,
    /// The SOD lists a hash but the file was not given (DG3/DG4 need extended access).
    NotRead,
}

/// One data group's hash check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DgHash {
    /// The data group.
    pub file: ElementaryFile,
    /// The result.
    pub status: DgHashStatus,
}

/// Everything passive authentication found: the [`PaOutcome`], a fixed reason for it, each
/// data group's hash check, the algorithms, and the document signer and trust anchor (by
/// subject: the issuer's names, not the holder's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaReport {
    outcome: PaOutcome,
    reason: &'static str,
    dg_hashes: Vec<DgHash>,
    hash_algorithm: Option<&'static str>,
    signature_algorithm: Option<String>,
    signer: Option<String>,
    trust_anchor: Option<String>,
}

impl PaReport {
    fn fail(outcome: PaOutcome, reason: &'static str) -> PaReport {
        PaReport {
            outcome,
            reason,
            dg_hashes: Vec::new(),
            hash_algorithm: None,
            signature_algorithm: None,
            signer: None,
            trust_anchor: None,
        }
    }

    /// The headline result.
    pub const fn outcome(&self) -> &PaOutcome {
        &self.outcome
    }
    /// The outcome's stable code (`verified`, …).
    pub const fn code(&self) -> &'static str {
        self.outcome.code()
    }
    /// Whether the outcome is [`PaOutcome::Verified`].
    pub const fn is_verified(&self) -> bool {
        matches!(self.outcome, PaOutcome::Verified)
    }
    /// A fixed sentence saying what decided the outcome.
    pub const fn reason(&self) -> &'static str {
        self.reason
    }
    /// Each data group's hash check, DG1 first.
    pub fn dg_hashes(&self) -> &[DgHash] {
        &self.dg_hashes
    }
    /// The LDSSecurityObject's digest (`sha256`, …).
    pub const fn hash_algorithm(&self) -> Option<&'static str> {
        self.hash_algorithm
    }
    /// The signature algorithm's OID, dotted.
    pub fn signature_algorithm(&self) -> Option<&str> {
        self.signature_algorithm.as_deref()
    }
    /// The document signer certificate's subject (RFC 4514).
    pub fn signer(&self) -> Option<&str> {
        self.signer.as_deref()
    }
    /// The subject of the trust anchor that signed the document signer certificate.
    pub fn trust_anchor(&self) -> Option<&str> {
        self.trust_anchor.as_deref()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for PaReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("PaReport", 8)?;
        st.serialize_field("outcome", self.code())?;
        st.serialize_field("reason", self.reason)?;
        let mismatched: Vec<&str> = match &self.outcome {
            PaOutcome::DgHashMismatch(files) => files.iter().map(|f| f.name()).collect(),
            _ => Vec::new(),
        };
        st.serialize_field("mismatched", &mismatched)?;
        st.serialize_field("dg_hashes", &self.dg_hashes)?;
        st.serialize_field("hash_algorithm", &self.hash_algorithm)?;
        st.serialize_field("signature_algorithm", &self.signature_algorithm)?;
        st.serialize_field("signer", &self.signer)?;
        st.serialize_field("trust_anchor", &self.trust_anchor)?;
        st.end()
    }
}

/// Certificates the caller trusts to sign document signer certificates: a country signing
/// CA (CSCA) certificate, or several. None is bundled.
#[derive(Clone, Default)]
pub struct TrustAnchors {
    certs: Vec<Certificate>,
}

impl fmt::Debug for TrustAnchors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(
                self.certs
                    .iter()
                    .map(|c| c.tbs_certificate().subject().to_string()),
            )
            .finish()
    }
}

/// A trust anchor that could not be loaded. [`code`](Self::code) is `unreadable` or
/// `bad_certificate`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnchorError {
    code: &'static str,
    index: usize,
}

impl AnchorError {
    /// `unreadable` (the file could not be read) or `bad_certificate` (not a DER or PEM
    /// X.509 certificate).
    pub const fn code(&self) -> &'static str {
        self.code
    }
    /// Which certificate of the input (0 for the first) failed.
    pub const fn index(&self) -> usize {
        self.index
    }
}

impl fmt::Display for AnchorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.code {
            "unreadable" => f.write_str("trust anchor: cannot read the file"),
            _ => write!(
                f,
                "trust anchor: certificate {} is not a DER or PEM X.509 certificate",
                self.index
            ),
        }
    }
}

impl std::error::Error for AnchorError {}

impl TrustAnchors {
    /// No trust anchor: verification can then reach at most
    /// [`PaOutcome::ChainNotVerified`].
    pub fn new() -> TrustAnchors {
        TrustAnchors::default()
    }

    /// Adds the certificates in `bytes`: one DER certificate, or PEM text with one or more
    /// `CERTIFICATE` blocks.
    ///
    /// # Errors
    /// `bad_certificate` when `bytes` is neither.
    pub fn add(&mut self, bytes: &[u8]) -> Result<usize, AnchorError> {
        let before = self.certs.len();
        if bytes.starts_with(b"-----") || bytes.trim_ascii_start().starts_with(b"-----BEGIN") {
            let text = std::str::from_utf8(bytes).map_err(|_| AnchorError {
                code: "bad_certificate",
                index: 0,
            })?;
            let mut index = 0;
            for block in text.split_inclusive("-----END CERTIFICATE-----") {
                if !block.contains("-----BEGIN CERTIFICATE-----") {
                    continue;
                }
                let start = block.find("-----BEGIN").unwrap_or(0);
                let cert = Certificate::from_pem(&block[start..]).map_err(|_| AnchorError {
                    code: "bad_certificate",
                    index,
                })?;
                self.certs.push(cert);
                index += 1;
            }
            if index == 0 {
                return Err(AnchorError {
                    code: "bad_certificate",
                    index: 0,
                });
            }
        } else {
            let cert = Certificate::from_der(bytes).map_err(|_| AnchorError {
                code: "bad_certificate",
                index: 0,
            })?;
            self.certs.push(cert);
        }
        Ok(self.certs.len() - before)
    }

    /// Trust anchors from a DER or PEM certificate file.
    ///
    /// # Errors
    /// As for [`add_file`](Self::add_file).
    pub fn from_file(path: impl AsRef<Path>) -> Result<TrustAnchors, AnchorError> {
        let mut anchors = TrustAnchors::new();
        anchors.add_file(path)?;
        Ok(anchors)
    }

    /// Adds the certificates of a DER or PEM certificate file; returns how many.
    ///
    /// # Errors
    /// `unreadable` when the file cannot be read, `bad_certificate` as for [`add`](Self::add).
    pub fn add_file(&mut self, path: impl AsRef<Path>) -> Result<usize, AnchorError> {
        let bytes = std::fs::read(path).map_err(|_| AnchorError {
            code: "unreadable",
            index: 0,
        })?;
        self.add(&bytes)
    }

    /// How many certificates are trusted.
    pub fn len(&self) -> usize {
        self.certs.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.certs.is_empty()
    }
}

/// Why a signature check failed.
enum Fail {
    Unsupported(&'static str),
    Bad,
}

/// A signature algorithm as the verifier needs it.
#[derive(Clone, Copy)]
enum Scheme {
    EcdsaDer(Hash),
    EcdsaPlain(Hash),
    RsaPkcs1(Hash),
    RsaPss(Hash, usize),
}

/// The signature scheme of an AlgorithmIdentifier; `digest` is the separately stated digest
/// (SignerInfo's), used by bare `rsaEncryption` / `id-ecPublicKey`.
fn scheme(oid: &Oid, params: Option<&[u8]>, digest: Option<Hash>) -> Result<Scheme, Fail> {
    let s = oid.to_string();
    let need = |h: Option<Hash>| h.ok_or(Fail::Unsupported("signature algorithm without digest"));
    Ok(match s.as_str() {
        "1.2.840.10045.4.1" => Scheme::EcdsaDer(Hash::Sha1),
        "1.2.840.10045.4.3.1" => Scheme::EcdsaDer(Hash::Sha224),
        "1.2.840.10045.4.3.2" => Scheme::EcdsaDer(Hash::Sha256),
        "1.2.840.10045.4.3.3" => Scheme::EcdsaDer(Hash::Sha384),
        "1.2.840.10045.4.3.4" => Scheme::EcdsaDer(Hash::Sha512),
        "1.2.840.10045.2.1" => Scheme::EcdsaDer(need(digest)?),
        "0.4.0.127.0.7.1.1.4.1.1" => Scheme::EcdsaPlain(Hash::Sha1),
        "0.4.0.127.0.7.1.1.4.1.2" => Scheme::EcdsaPlain(Hash::Sha224),
        "0.4.0.127.0.7.1.1.4.1.3" => Scheme::EcdsaPlain(Hash::Sha256),
        "0.4.0.127.0.7.1.1.4.1.4" => Scheme::EcdsaPlain(Hash::Sha384),
        "0.4.0.127.0.7.1.1.4.1.5" => Scheme::EcdsaPlain(Hash::Sha512),
        "1.2.840.113549.1.1.5" => Scheme::RsaPkcs1(Hash::Sha1),
        "1.2.840.113549.1.1.14" => Scheme::RsaPkcs1(Hash::Sha224),
        "1.2.840.113549.1.1.11" => Scheme::RsaPkcs1(Hash::Sha256),
        "1.2.840.113549.1.1.12" => Scheme::RsaPkcs1(Hash::Sha384),
        "1.2.840.113549.1.1.13" => Scheme::RsaPkcs1(Hash::Sha512),
        _ if *oid == ID_RSA_ENCRYPTION => Scheme::RsaPkcs1(need(digest)?),
        _ if *oid == ID_RSASSA_PSS => pss_params(params.unwrap_or_default())?,
        _ => return Err(Fail::Unsupported("signature algorithm")),
    })
}

/// RSASSA-PSS-params: `[0]` hash (default SHA-1), `[1]` MGF1 with the same hash, `[2]` salt
/// length (default 20), `[3]` trailer 1.
fn pss_params(params: &[u8]) -> Result<Scheme, Fail> {
    let bad = || Fail::Unsupported("RSASSA-PSS parameters");
    let mut hash = Hash::Sha1;
    let mut salt = 20usize;
    let mut mgf_hash = Hash::Sha1;
    if !params.is_empty() && params != [0x05, 0x00] {
        let mut r = Reader::new(F, params).map_err(|_| bad())?;
        let seq = r.expect(0x30, "params").map_err(|_| bad())?;
        let mut items = seq.children(F).map_err(|_| bad())?;
        while let Some(t) = items.next_tlv().map_err(|_| bad())? {
            let mut inner = t.children(F).map_err(|_| bad())?;
            let v = inner.read("value").map_err(|_| bad())?;
            match t.tag {
                0xA0 => {
                    hash = alg_id(&v)
                        .ok()
                        .and_then(|(o, _)| Hash::from_oid(&o))
                        .ok_or_else(bad)?
                }
                0xA1 => {
                    let (o, p) = alg_id(&v).map_err(|_| bad())?;
                    if o != ID_MGF1 {
                        return Err(bad());
                    }
                    let mut pr = Reader::new(F, p.unwrap_or_default()).map_err(|_| bad())?;
                    let h = pr.expect(0x30, "mgf hash").map_err(|_| bad())?;
                    mgf_hash = alg_id(&h)
                        .ok()
                        .and_then(|(o, _)| Hash::from_oid(&o))
                        .ok_or_else(bad)?;
                }
                0xA2 => {
                    salt = usize::try_from(super::tlv::small_uint(F, &v).map_err(|_| bad())?)
                        .map_err(|_| bad())?
                }
                0xA3 => {
                    if super::tlv::small_uint(F, &v).map_err(|_| bad())? != 1 {
                        return Err(bad());
                    }
                }
                _ => return Err(bad()),
            }
        }
    }
    if mgf_hash != hash {
        return Err(bad());
    }
    Ok(Scheme::RsaPss(hash, salt))
}

/// An AlgorithmIdentifier: its OID and its parameters' encoding (if any).
fn alg_id<'a>(t: &Tlv<'a>) -> Result<(Oid, Option<&'a [u8]>), ()> {
    if t.tag != 0x30 {
        return Err(());
    }
    let mut r = t.children(F).map_err(|_| ())?;
    let o = r.expect(0x06, "algorithm").map_err(|_| ())?;
    let oid = Oid::from_bytes(o.value).map_err(|_| ())?;
    let params = r.next_tlv().map_err(|_| ())?.map(|p| p.raw);
    r.finish().map_err(|_| ())?;
    Ok((oid, params))
}

macro_rules! ec_verify {
    ($curve:ty, $point:expr, $digest:expr, $sig:expr, $der:expr) => {{
        use ecdsa::signature::hazmat::PrehashVerifier;
        let key = ecdsa::VerifyingKey::<$curve>::from_sec1_bytes($point).map_err(|_| Fail::Bad)?;
        let sig = if $der {
            ecdsa::Signature::<$curve>::from_der($sig)
        } else {
            ecdsa::Signature::<$curve>::from_slice($sig)
        }
        .map_err(|_| Fail::Bad)?;
        key.verify_prehash($digest, &sig).map_err(|_| Fail::Bad)
    }};
}

/// Verifies `signature` over `data` with the key in `spki` under `scheme`.
fn verify_with(
    spki: &spki::SubjectPublicKeyInfoOwned,
    scheme: Scheme,
    data: &[u8],
    signature: &[u8],
) -> Result<(), Fail> {
    let key_bytes = spki.subject_public_key.raw_bytes();
    let key_alg = &spki.algorithm.oid;
    match scheme {
        Scheme::EcdsaDer(h) | Scheme::EcdsaPlain(h) => {
            if *key_alg != ID_EC_PUBLIC_KEY {
                return Err(Fail::Bad);
            }
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<Oid>().ok())
                .ok_or(Fail::Unsupported("elliptic curve with explicit parameters"))?;
            let digest = h.digest(data);
            let der = matches!(scheme, Scheme::EcdsaDer(_));
            match curve {
                c if c == P256 => ec_verify!(p256::NistP256, key_bytes, &digest, signature, der),
                c if c == P384 => ec_verify!(p384::NistP384, key_bytes, &digest, signature, der),
                c if c == P521 => ec_verify!(p521::NistP521, key_bytes, &digest, signature, der),
                c if c == BP256R1 => {
                    ec_verify!(bp256::BrainpoolP256r1, key_bytes, &digest, signature, der)
                }
                c if c == BP384R1 => {
                    ec_verify!(bp384::BrainpoolP384r1, key_bytes, &digest, signature, der)
                }
                _ => Err(Fail::Unsupported("elliptic curve")),
            }
        }
        Scheme::RsaPkcs1(h) | Scheme::RsaPss(h, _) => {
            use rsa::pkcs1::DecodeRsaPublicKey;
            if *key_alg != ID_RSA_ENCRYPTION && *key_alg != ID_RSASSA_PSS {
                return Err(Fail::Bad);
            }
            let key = rsa::PublicKey::from_pkcs1_der(key_bytes).map_err(|_| Fail::Bad)?;
            let digest = h.digest(data);
            let result = match (scheme, h) {
                (Scheme::RsaPss(_, salt), Hash::Sha1) => {
                    key.verify(rsa::Pss::<Sha1>::new_with_salt(salt), &digest, signature)
                }
                (Scheme::RsaPss(_, salt), Hash::Sha224) => {
                    key.verify(rsa::Pss::<Sha224>::new_with_salt(salt), &digest, signature)
                }
                (Scheme::RsaPss(_, salt), Hash::Sha256) => {
                    key.verify(rsa::Pss::<Sha256>::new_with_salt(salt), &digest, signature)
                }
                (Scheme::RsaPss(_, salt), Hash::Sha384) => {
                    key.verify(rsa::Pss::<Sha384>::new_with_salt(salt), &digest, signature)
                }
                (Scheme::RsaPss(_, salt), Hash::Sha512) => {
                    key.verify(rsa::Pss::<Sha512>::new_with_salt(salt), &digest, signature)
                }
                (_, Hash::Sha1) => key.verify(rsa::Pkcs1v15Sign::new::<Sha1>(), &digest, signature),
                (_, Hash::Sha224) => {
                    key.verify(rsa::Pkcs1v15Sign::new::<Sha224>(), &digest, signature)
                }
                (_, Hash::Sha256) => {
                    key.verify(rsa::Pkcs1v15Sign::new::<Sha256>(), &digest, signature)
                }
                (_, Hash::Sha384) => {
                    key.verify(rsa::Pkcs1v15Sign::new::<Sha384>(), &digest, signature)
                }
                (_, Hash::Sha512) => {
                    key.verify(rsa::Pkcs1v15Sign::new::<Sha512>(), &digest, signature)
                }
            };
            result.map_err(|_| Fail::Bad)
        }
    }
}

/// The parts of EF.SOD passive authentication needs.
struct Sod<'a> {
    e_content: &'a [u8],
    e_content_type: Oid,
    certificates: Vec<&'a [u8]>,
    signer: SignerInfo<'a>,
}

struct SignerInfo<'a> {
    sid: Sid<'a>,
    digest: Oid,
    signed_attrs: Option<Tlv<'a>>,
    signature_alg: (Oid, Option<&'a [u8]>),
    signature: &'a [u8],
}

enum Sid<'a> {
    IssuerSerial { issuer: &'a [u8], serial: &'a [u8] },
    KeyId(&'a [u8]),
}

/// Walks EF.SOD down to the parts above; `Err` is a fixed reason for `malformed_sod`.
fn parse_sod(data: &[u8]) -> Result<Sod<'_>, &'static str> {
    let m = |_| "not well-formed BER-TLV";
    let mut r = Reader::new(F, data).map_err(m)?;
    let first = r.read("SOD").map_err(m)?;
    r.finish().map_err(m)?;
    let content_info = if first.tag == 0x77 {
        let mut inner = first.children(F).map_err(m)?;
        let ci = inner.read("ContentInfo").map_err(m)?;
        inner.finish().map_err(m)?;
        ci
    } else {
        first
    };
    if content_info.tag != 0x30 {
        return Err("no ContentInfo");
    }
    let mut ci = content_info.children(F).map_err(m)?;
    let ct = ci
        .expect(0x06, "contentType")
        .map_err(|_| "no content type")?;
    if Oid::from_bytes(ct.value).ok() != Some(ID_SIGNED_DATA) {
        return Err("content is not SignedData");
    }
    let explicit = ci.expect(0xA0, "content").map_err(|_| "no content")?;
    let mut ex = explicit.children(F).map_err(m)?;
    let sd = ex.expect(0x30, "SignedData").map_err(|_| "no SignedData")?;
    let mut sd = sd.children(F).map_err(m)?;
    sd.expect(0x02, "version")
        .map_err(|_| "no SignedData version")?;
    sd.expect(0x31, "digestAlgorithms")
        .map_err(|_| "no digest algorithms")?;
    let encap = sd
        .expect(0x30, "encapContentInfo")
        .map_err(|_| "no encapsulated content")?;
    let mut en = encap.children(F).map_err(m)?;
    let ect = en
        .expect(0x06, "eContentType")
        .map_err(|_| "no eContentType")?;
    let e_content_type = Oid::from_bytes(ect.value).map_err(|_| "bad eContentType")?;
    let ec = en.expect(0xA0, "eContent").map_err(|_| "no eContent")?;
    let mut ec = ec.children(F).map_err(m)?;
    let e_content = ec
        .expect(0x04, "eContent")
        .map_err(|_| "eContent is not an OCTET STRING")?
        .value;
    let mut next = sd.read("signerInfos").map_err(|_| "no signer infos")?;
    let mut certificates = Vec::new();
    if next.tag == 0xA0 {
        let mut certs = next.children(F).map_err(m)?;
        while let Some(c) = certs.next_tlv().map_err(m)? {
            if c.tag == 0x30 {
                certificates.push(c.raw);
            }
        }
        next = sd.read("signerInfos").map_err(|_| "no signer infos")?;
    }
    if next.tag == 0xA1 {
        next = sd.read("signerInfos").map_err(|_| "no signer infos")?;
    }
    if next.tag != 0x31 {
        return Err("no signer infos");
    }
    sd.finish().map_err(m)?;
    let mut infos = next.children(F).map_err(m)?;
    let si = infos
        .expect(0x30, "SignerInfo")
        .map_err(|_| "no signer info")?;
    if !infos.is_empty() {
        return Err("more than one signer info");
    }
    let mut si = si.children(F).map_err(m)?;
    si.expect(0x02, "version")
        .map_err(|_| "no SignerInfo version")?;
    let sid_t = si.read("sid").map_err(|_| "no signer identifier")?;
    let sid = match sid_t.tag {
        0x30 => {
            let mut s = sid_t.children(F).map_err(m)?;
            let issuer = s
                .expect(0x30, "issuer")
                .map_err(|_| "bad signer identifier")?
                .raw;
            let serial = s
                .expect(0x02, "serial")
                .map_err(|_| "bad signer identifier")?
                .value;
            Sid::IssuerSerial { issuer, serial }
        }
        0x80 => Sid::KeyId(sid_t.value),
        _ => return Err("bad signer identifier"),
    };
    let dt = si
        .expect(0x30, "digestAlgorithm")
        .map_err(|_| "no digest algorithm")?;
    let digest = alg_id(&dt).map_err(|_| "bad digest algorithm")?.0;
    let mut t = si
        .read("signatureAlgorithm")
        .map_err(|_| "no signature algorithm")?;
    let mut signed_attrs = None;
    if t.tag == 0xA0 {
        signed_attrs = Some(t);
        t = si
            .read("signatureAlgorithm")
            .map_err(|_| "no signature algorithm")?;
    }
    let signature_alg = alg_id(&t).map_err(|_| "bad signature algorithm")?;
    let signature = si
        .expect(0x04, "signature")
        .map_err(|_| "no signature")?
        .value;
    Ok(Sod {
        e_content,
        e_content_type,
        certificates,
        signer: SignerInfo {
            sid,
            digest,
            signed_attrs,
            signature_alg,
            signature,
        },
    })
}

/// The LDSSecurityObject: its digest and the hash of each data group.
/// The LDSSecurityObject's digest and each data group's number and hash.
type LdsHashes<'a> = (Oid, Vec<(u32, &'a [u8])>);

fn parse_lds(data: &[u8]) -> Result<LdsHashes<'_>, &'static str> {
    let m = |_| "LDSSecurityObject is not well-formed";
    let mut r = Reader::new(F, data).map_err(m)?;
    let seq = r.expect(0x30, "LDSSecurityObject").map_err(m)?;
    r.finish().map_err(m)?;
    let mut s = seq.children(F).map_err(m)?;
    s.expect(0x02, "version").map_err(m)?;
    let alg = s.expect(0x30, "hashAlgorithm").map_err(m)?;
    let (oid, _) = alg_id(&alg).map_err(|_| "bad LDSSecurityObject hash algorithm")?;
    let list = s.expect(0x30, "dataGroupHashValues").map_err(m)?;
    let mut l = list.children(F).map_err(m)?;
    let mut out = Vec::new();
    while let Some(e) = l.next_tlv().map_err(m)? {
        if e.tag != 0x30 {
            return Err("LDSSecurityObject is not well-formed");
        }
        let mut d = e.children(F).map_err(m)?;
        let n = d.expect(0x02, "dataGroupNumber").map_err(m)?;
        let n = super::tlv::small_uint(F, &n).map_err(m)?;
        let h = d.expect(0x04, "dataGroupHashValue").map_err(m)?;
        d.finish().map_err(m)?;
        if out.iter().any(|(k, _)| *k == n) {
            return Err("a data group listed twice");
        }
        out.push((n, h.value));
    }
    Ok((oid, out))
}

/// The value of the signed attribute `oid` (its single value's TLV).
fn attribute<'a>(attrs: &Tlv<'a>, oid: &Oid) -> Result<Option<Tlv<'a>>, &'static str> {
    let m = |_| "bad signed attributes";
    let mut r = attrs.children(F).map_err(m)?;
    let mut found = None;
    while let Some(a) = r.next_tlv().map_err(m)? {
        let mut ar = a.children(F).map_err(m)?;
        let t = ar.expect(0x06, "attrType").map_err(m)?;
        let vals = ar.expect(0x31, "attrValues").map_err(m)?;
        if Oid::from_bytes(t.value).ok().as_ref() == Some(oid) {
            if found.is_some() {
                return Err("a signed attribute given twice");
            }
            let mut v = vals.children(F).map_err(m)?;
            let one = v.read("value").map_err(m)?;
            if !v.is_empty() {
                return Err("a signed attribute with several values");
            }
            found = Some(one);
        }
    }
    Ok(found)
}

/// A DER length header for `len` bytes after `tag`.
pub(crate) fn der_header(tag: u8, len: usize) -> Vec<u8> {
    let mut out = vec![tag];
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out
}

/// Strips leading zero bytes of an INTEGER's value (for serial comparison).
fn trim_int(v: &[u8]) -> &[u8] {
    let skip = v.iter().take_while(|&&b| b == 0).count();
    &v[skip.min(v.len().saturating_sub(1))..]
}

impl Chip {
    /// Passive authentication: checks every data group given against the hashes in EF.SOD,
    /// the SOD's signature with its document signer certificate, and that certificate against
    /// `anchors`. Never fails: every problem is an outcome.
    ///
    /// Validity periods and revocation are not checked (a card outlives its document signer
    /// certificate's signing period; pass anchors valid for your purpose).
    pub fn verify(&self, anchors: &TrustAnchors) -> PaReport {
        let Some(sod_bytes) = self.get(ElementaryFile::Sod) else {
            return PaReport::fail(PaOutcome::MalformedSod, "EF.SOD was not read");
        };
        let sod = match parse_sod(sod_bytes) {
            Ok(s) => s,
            Err(reason) => return PaReport::fail(PaOutcome::MalformedSod, reason),
        };
        if sod.e_content_type != ID_LDS_SECURITY_OBJECT {
            return PaReport::fail(
                PaOutcome::MalformedSod,
                "content is not an LDSSecurityObject",
            );
        }
        let (lds_hash, hashes) = match parse_lds(sod.e_content) {
            Ok(x) => x,
            Err(reason) => return PaReport::fail(PaOutcome::MalformedSod, reason),
        };
        let Some(lds_hash) = Hash::from_oid(&lds_hash) else {
            return PaReport::fail(PaOutcome::UnsupportedAlgorithm, "data group hash algorithm");
        };
        // The document signer certificate: the one the signer identifier names.
        let mut ds = None;
        for raw in &sod.certificates {
            let Ok(cert) = Certificate::from_der(raw) else {
                return PaReport::fail(PaOutcome::MalformedSod, "a certificate does not decode");
            };
            let tbs = cert.tbs_certificate();
            let matches = match &sod.signer.sid {
                Sid::IssuerSerial { issuer, serial } => {
                    let issuer_der = der::Encode::to_der(tbs.issuer()).unwrap_or_default();
                    issuer_der == *issuer
                        && trim_int(tbs.serial_number().as_bytes()) == trim_int(serial)
                }
                Sid::KeyId(id) => {
                    use x509_cert::ext::pkix::SubjectKeyIdentifier;
                    matches!(tbs.get_extension::<SubjectKeyIdentifier>(), Ok(Some((_, ski))) if ski.0.as_bytes() == *id)
                }
            };
            if matches {
                ds = Some((cert, *raw));
                break;
            }
        }
        let Some((ds, ds_raw)) = ds else {
            return PaReport::fail(
                PaOutcome::MalformedSod,
                "no document signer certificate matches the signer",
            );
        };
        let mut report = PaReport::fail(PaOutcome::Verified, "");
        report.hash_algorithm = Some(lds_hash.name());
        report.signature_algorithm = Some(sod.signer.signature_alg.0.to_string());
        report.signer = Some(ds.tbs_certificate().subject().to_string());

        // 1. The signature over the content (through the signed attributes).
        let Some(digest) = Hash::from_oid(&sod.signer.digest) else {
            report.outcome = PaOutcome::UnsupportedAlgorithm;
            report.reason = "signer digest algorithm";
            return report;
        };
        let signed: Vec<u8> = match &sod.signer.signed_attrs {
            Some(attrs) => {
                let md = match attribute(attrs, &ID_MESSAGE_DIGEST) {
                    Ok(Some(md)) if md.tag == 0x04 => md.value,
                    Ok(_) => {
                        report.outcome = PaOutcome::MalformedSod;
                        report.reason = "no message digest attribute";
                        return report;
                    }
                    Err(reason) => {
                        report.outcome = PaOutcome::MalformedSod;
                        report.reason = reason;
                        return report;
                    }
                };
                match attribute(attrs, &ID_CONTENT_TYPE) {
                    Ok(Some(ct))
                        if ct.tag == 0x06
                            && Oid::from_bytes(ct.value).ok() == Some(sod.e_content_type) => {}
                    Ok(_) => {
                        report.outcome = PaOutcome::BadSignature;
                        report.reason = "content type attribute disagrees with the content";
                        return report;
                    }
                    Err(reason) => {
                        report.outcome = PaOutcome::MalformedSod;
                        report.reason = reason;
                        return report;
                    }
                }
                if digest.digest(sod.e_content) != md {
                    report.outcome = PaOutcome::BadSignature;
                    report.reason = "message digest attribute disagrees with the content";
                    return report;
                }
                let mut v = der_header(0x31, attrs.value.len());
                v.extend_from_slice(attrs.value);
                v
            }
            None => sod.e_content.to_vec(),
        };
        let (alg, params) = &sod.signer.signature_alg;
        let spki = ds.tbs_certificate().subject_public_key_info();
        match scheme(alg, *params, Some(digest))
            .and_then(|s| verify_with(spki, s, &signed, sod.signer.signature))
        {
            Ok(()) => {}
            Err(Fail::Unsupported(reason)) => {
                report.outcome = PaOutcome::UnsupportedAlgorithm;
                report.reason = reason;
                return report;
            }
            Err(Fail::Bad) => {
                report.outcome = PaOutcome::BadSignature;
                report.reason =
                    "the signature does not verify with the document signer certificate";
                return report;
            }
        }

        // 2. Every data group against its hash.
        let mut mismatched = Vec::new();
        for file in ElementaryFile::ALL {
            let Some(n) = file.data_group() else { continue };
            let listed = hashes
                .iter()
                .find(|(k, _)| *k == u32::from(n))
                .map(|(_, h)| *h);
            let status = match (self.get(file), listed) {
                (None, None) => continue,
                (None, Some(_)) => DgHashStatus::NotRead,
                (Some(_), None) => DgHashStatus::NotInSod,
                (Some(bytes), Some(h)) if lds_hash.digest(bytes) == h => DgHashStatus::Match,
                (Some(_), Some(_)) => DgHashStatus::Mismatch,
            };
            if matches!(status, DgHashStatus::Mismatch | DgHashStatus::NotInSod) {
                mismatched.push(file);
            }
            report.dg_hashes.push(DgHash { file, status });
        }
        if !mismatched.is_empty() {
            report.outcome = PaOutcome::DgHashMismatch(mismatched);
            report.reason = "a data group does not hash as EF.SOD says";
            return report;
        }

        // 3. The document signer certificate against the trust anchors.
        if anchors.is_empty() {
            report.outcome = PaOutcome::ChainNotVerified;
            report.reason = "no trust anchor given";
            return report;
        }
        let Some((tbs_raw, cert_sig_alg, cert_sig)) = cert_parts(ds_raw) else {
            report.outcome = PaOutcome::MalformedSod;
            report.reason = "document signer certificate is not well-formed";
            return report;
        };
        let mut unsupported = None;
        for anchor in &anchors.certs {
            let s = scheme(&cert_sig_alg.0, cert_sig_alg.1, None);
            let spki = anchor.tbs_certificate().subject_public_key_info();
            match s.and_then(|s| verify_with(spki, s, tbs_raw, cert_sig)) {
                Ok(()) => {
                    report.trust_anchor = Some(anchor.tbs_certificate().subject().to_string());
                    report.reason = "hashes, signature and chain verified";
                    return report;
                }
                Err(Fail::Unsupported(r)) => unsupported = Some(r),
                Err(Fail::Bad) => {}
            }
        }
        report.outcome = PaOutcome::ChainNotVerified;
        report.reason = match unsupported {
            Some(_) => {
                "no trust anchor verifies the document signer (an algorithm is not supported)"
            }
            None => "no trust anchor signed the document signer certificate",
        };
        report
    }
}

/// A certificate's TBS bytes, signature algorithm and signature value.
/// An AlgorithmIdentifier: its OID and its parameters' encoding.
type AlgId<'a> = (Oid, Option<&'a [u8]>);

fn cert_parts(raw: &[u8]) -> Option<(&[u8], AlgId<'_>, &[u8])> {
    let mut r = Reader::new(F, raw).ok()?;
    let cert = r.expect(0x30, "certificate").ok()?;
    let mut c = cert.children(F).ok()?;
    let tbs = c.expect(0x30, "tbs").ok()?;
    let alg = c.expect(0x30, "signatureAlgorithm").ok()?;
    let sig = c.expect(0x03, "signature").ok()?;
    let alg = alg_id(&alg).ok()?;
    // A BIT STRING's first byte counts unused bits: 0 for signatures.
    let (&unused, bits) = sig.value.split_first()?;
    (unused == 0).then_some((tbs.raw, alg, bits))
}

//! Synthetic samples for tests, fuzzing corpora and QA (feature `synth`). Everything here is
//! generated from a seed: no real person's data.

mod cards;
#[cfg(feature = "synth-chip")]
mod chip;
mod mrz;
mod photo;
mod samples;

pub use cards::{damage, CardGenerator};
#[cfg(feature = "synth-chip")]
pub use chip::{ChipGenerator, SyntheticChip, Tamper};
pub use mrz::{damage_mrz, mrz_for, mrz_text, MrzGenerator};
pub use photo::{Photo, PhotoGenerator, PhotoMeta};
pub use samples::{Expected, Sample, SampleGenerator, SampleKind};

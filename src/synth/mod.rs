//! Synthetic samples for tests, fuzzing corpora and QA (feature `synth`). Everything here is
//! generated from a seed: no real person's data.

mod cards;

pub use cards::{damage, CardGenerator};

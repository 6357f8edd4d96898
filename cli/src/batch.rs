//! Running one job over many inputs: in parallel (rayon) in bounded chunks, output in input
//! order, a progress bar on a terminal, a summary line, and the exit status.
//!
//! Streaming: a reader thread hands inputs over as they arrive; each chunk is whatever has
//! arrived (at least one input, at most [`CHUNK`]), so one line typed gives one result at
//! once while a large file still fills whole chunks. Output is flushed after every chunk
//! unless it goes to a regular file (where only the end matters).

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

use crate::render::Renderer;
use crate::{FailOn, OutputArgs};

/// How many inputs are read, processed in parallel and written before the next are read:
/// memory stays bounded whatever the number of inputs.
const CHUNK: usize = 1024;

/// How an outcome's object is needed: as JSON text straight away (JSON output: no
/// intermediate tree), or as a `Value` to lay out as CSV or text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Emit {
    /// One JSON line.
    Json,
    /// A `serde_json::Value`.
    Value,
}

/// The object printed for one input, in the form [`Emit`] asked for.
pub enum Body {
    /// One JSON line, with its newline.
    Json(Vec<u8>),
    /// The object.
    Value(Value),
    /// Several objects for one input, printed one after the other (`cccd scan --all-cards`).
    Many(Vec<Body>),
}

impl Body {
    /// `report` in the form `emit` asks for.
    pub fn new(report: &impl Serialize, emit: Emit) -> Body {
        match emit {
            Emit::Json => {
                let mut line = cccd::report::to_json(report).into_bytes();
                line.push(b'\n');
                Body::Json(line)
            }
            Emit::Value => Body::Value(serde_json::to_value(report).unwrap_or_default()),
        }
    }

    /// Drops the `file` key (`--no-paths`); only objects not yet JSON text have it to drop.
    fn drop_file(&mut self) {
        match self {
            Body::Json(_) => {}
            Body::Value(value) => {
                if let Some(map) = value.as_object_mut() {
                    map.remove("file");
                }
            }
            Body::Many(bodies) => bodies.iter_mut().for_each(Body::drop_file),
        }
    }

    /// The bytes to print, rendered by `renderer` when needed.
    fn bytes(&mut self, renderer: &Renderer) -> io::Result<Vec<u8>> {
        match self {
            Body::Json(line) => Ok(std::mem::take(line)),
            Body::Value(value) => renderer.render(value),
            Body::Many(bodies) => {
                let mut out = Vec::new();
                for body in bodies {
                    out.extend(body.bytes(renderer)?);
                }
                Ok(out)
            }
        }
    }
}

/// The outcome of one input: its JSON object and what to count it as.
pub struct Outcome {
    /// The object printed for this input (the public JSON contract).
    pub body: Body,
    /// Whether it succeeded.
    pub ok: bool,
    /// Whether the parser repaired anything.
    pub repaired: bool,
    /// Whether it succeeded with warnings.
    pub warned: bool,
}

/// What a batch is called in the summary and which CSV columns it has.
pub struct Job {
    /// The subcommand, for the summary line (`"parse"`).
    pub name: &'static str,
    /// What one input is (`"payload"`, `"file"`).
    pub noun: &'static str,
    /// The CSV columns: JSON keys, nested ones joined with `.`.
    pub columns: &'static [&'static str],
}

/// Runs `work` over the inputs that `inputs` makes (on a reader thread) and writes every
/// outcome to standard output in input order. `len` is the number of inputs when known (for
/// the progress bar).
pub fn run<T, I, M, F>(
    job: &Job,
    output: &OutputArgs,
    inputs: M,
    len: Option<u64>,
    work: F,
) -> io::Result<ExitCode>
where
    T: Send,
    M: FnOnce() -> I + Send,
    I: Iterator<Item = io::Result<T>>,
    F: Fn(T, Emit) -> Outcome + Sync,
{
    let started = Instant::now();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let format = output.format();
    let renderer = Renderer::new(format, job.columns, crate::color_stdout()).excel(output.excel);
    // Dropping `file` needs the object, not its JSON text.
    let emit = if format == crate::Format::Json && !output.no_paths {
        Emit::Json
    } else {
        Emit::Value
    };
    let flush_each = !stdout_is_file();
    out.write_all(&renderer.header()?)?;
    let progress = progress_bar(len, job.noun);
    let mut counts = Counts::default();
    std::thread::scope(|scope| -> io::Result<()> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<io::Result<T>>(CHUNK);
        scope.spawn(move || {
            for input in inputs() {
                if tx.send(input).is_err() {
                    break;
                }
            }
        });
        // Whatever has arrived, at least one input (waiting for it), at most CHUNK.
        while let Ok(first) = rx.recv() {
            let mut chunk = vec![first?];
            while chunk.len() < CHUNK {
                match rx.try_recv() {
                    Ok(input) => chunk.push(input?),
                    Err(_) => break,
                }
            }
            let rendered: Vec<(Outcome, io::Result<Vec<u8>>)> = chunk
                .into_par_iter()
                .map(|input| {
                    let mut outcome = work(input, emit);
                    if output.no_paths {
                        outcome.body.drop_file();
                    }
                    let bytes = outcome.body.bytes(&renderer);
                    progress.inc(1);
                    (outcome, bytes)
                })
                .collect();
            for (outcome, bytes) in rendered {
                counts.add(&outcome);
                out.write_all(&bytes?)?;
            }
            if flush_each {
                out.flush()?;
            }
        }
        Ok(())
    })?;
    out.flush()?;
    progress.finish_and_clear();
    if !output.quiet {
        let _ = writeln!(io::stderr(), "{}", counts.summary(job, started.elapsed()));
    }
    let failed = match output.fail_on {
        FailOn::Errors => counts.failed > 0,
        FailOn::Warnings => counts.failed > 0 || counts.warned > 0,
        FailOn::Never => false,
    };
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Whether standard output is a regular file (no reader waits on it line by line).
fn stdout_is_file() -> bool {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        io::stdout()
            .as_fd()
            .try_clone_to_owned()
            .map(std::fs::File::from)
            .and_then(|f| f.metadata())
            .is_ok_and(|m| m.is_file())
    }
    #[cfg(not(unix))]
    {
        false
    }
}

fn progress_bar(len: Option<u64>, noun: &str) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match len {
        Some(len) => ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr())
            .with_style(
                ProgressStyle::with_template(&format!(
                    "{{bar:40}} {{pos}}/{{len}} {noun}s  {{per_sec}}  eta {{eta}}"
                ))
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            ),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(
            ProgressStyle::with_template(&format!("{{spinner}} {{pos}} {noun}s  {{per_sec}}"))
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        ),
    };
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

#[derive(Default)]
struct Counts {
    total: u64,
    ok: u64,
    failed: u64,
    repaired: u64,
    warned: u64,
}

impl Counts {
    fn add(&mut self, o: &Outcome) {
        self.total += 1;
        if o.ok {
            self.ok += 1;
        } else {
            self.failed += 1;
        }
        self.repaired += u64::from(o.repaired);
        self.warned += u64::from(o.warned);
    }

    fn summary(&self, job: &Job, took: Duration) -> String {
        let plural = |n: u64, noun: &str| {
            if n == 1 {
                format!("{n} {noun}")
            } else {
                format!("{n} {noun}s")
            }
        };
        format!(
            "cccd {}: {}: {} ok ({} repaired, {} with warnings), {} failed, in {:.2} s",
            job.name,
            plural(self.total, job.noun),
            self.ok,
            self.repaired,
            self.warned,
            self.failed,
            took.as_secs_f64()
        )
    }
}

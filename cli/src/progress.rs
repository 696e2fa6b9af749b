//! A progress bar (indicatif) that appears only once a job has run for a second and
//! only when stderr is a terminal.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Delay before the bar is drawn: short jobs print nothing.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// Progress over a known total (milliseconds of media here).
#[derive(Debug)]
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    shown: bool,
    enabled: bool,
}

impl Progress {
    /// A hidden bar of `total` units labelled `message`.
    pub fn new(total: u64, message: &str) -> Self {
        let bar = ProgressBar::with_draw_target(Some(total.max(1)), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:40}] {percent:>3}% {elapsed_precise} (eta {eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message(message.to_string());
        let enabled = std::io::stderr().is_terminal() && std::env::var_os("WMWRITE_NO_PROGRESS").is_none();
        Progress { bar, started: Instant::now(), shown: false, enabled }
    }

    /// Move to `pos`; draws the bar once the job has taken a second.
    pub fn set(&mut self, pos: u64) {
        if !self.shown && self.enabled && self.started.elapsed() >= SHOW_AFTER {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
        self.bar.set_position(pos);
    }

    /// Remove the bar from the terminal.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

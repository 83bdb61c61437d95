//! What a build or check tells while it runs: the time of each stage (for
//! `--timings`), and on a terminal, when the run takes more than a second, a
//! progress bar on standard error that names the stage and counts the pages.
//! Nothing is drawn when standard error is not a terminal.

use std::io::IsTerminal;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::Mutex;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::messages::Language;
use crate::messages::Message;
use crate::msg;

/// How long a run goes on before its progress is shown.
const QUIET_FOR: Duration = Duration::from_secs(1);

/// A stage of a build or check, in the order they first run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Reading site.toml, the theme and the content files.
    Load,
    /// The checks across files, and the link check of the built pages.
    Checks,
    /// Making the pages, data files and feeds (a build stages them on disk as they come).
    Render,
    /// Making the search index, alongside the render stage.
    SearchIndex,
    /// Putting the build in place.
    Write,
}

impl Stage {
    /// The stage's name, as `--timings` and the progress bar say it.
    pub fn name(self) -> Message {
        match self {
            Stage::Load => msg!("stage_load"),
            Stage::Checks => msg!("stage_checks"),
            Stage::Render => msg!("stage_render"),
            Stage::SearchIndex => msg!("stage_search_index"),
            Stage::Write => msg!("stage_write"),
        }
    }
}

/// How long one stage took in all.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timing {
    /// The stage.
    pub stage: Stage,
    /// Its time, summed over the times it ran.
    pub duration: Duration,
    /// The stage it ran alongside, whose time includes its own.
    pub alongside: Option<Stage>,
}

/// Follows a run: the stage it is in, and the pages made so far.
pub struct Progress {
    stages: Mutex<(Option<Stage>, Instant, Vec<Timing>)>,
    bar: Option<Bar>,
}

/// The terminal's progress bar, hidden until the run has gone on for
/// [`QUIET_FOR`], and the thread that shows it then.
struct Bar {
    bar: ProgressBar,
    language: Language,
    stop: Sender<()>,
    shower: JoinHandle<()>,
}

impl Progress {
    /// Starts following a run. With `show`, the language to speak in, a bar
    /// is drawn on standard error if it is a terminal; the timings are kept
    /// either way.
    pub fn start(show: Option<Language>) -> Progress {
        let bar = show.filter(|_| std::io::stderr().is_terminal()).map(|language| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            bar.set_style(style("{spinner} {msg}"));
            let (stop, stopped) = mpsc::channel::<()>();
            let shown = bar.clone();
            let shower = std::thread::spawn(move || {
                if let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(QUIET_FOR) {
                    shown.set_draw_target(ProgressDrawTarget::stderr());
                    shown.enable_steady_tick(Duration::from_millis(120));
                }
            });
            Bar { bar, language, stop, shower }
        });
        Progress { stages: Mutex::new((None, Instant::now(), Vec::new())), bar }
    }

    /// Says that the run enters `stage`; the time since the last change of
    /// stage counts for the stage it leaves.
    pub fn stage(&self, stage: Stage) {
        self.close_stage(Some(stage));
        if let Some(Bar { bar, language, .. }) = &self.bar {
            bar.set_style(style("{spinner} {msg}"));
            bar.set_message(stage.name().render(*language));
        }
    }

    /// Runs `work`, which is `stage` run alongside the current stage, and
    /// counts its time for `stage`; the current stage goes on.
    pub fn alongside<T>(&self, stage: Stage, work: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let done = work();
        let mut stages = self.stages.lock().expect("not poisoned");
        let (current, _, timings) = &mut *stages;
        add(timings, Timing { stage, duration: started.elapsed(), alongside: *current });
        done
    }

    /// Says that `total` pages are to be made.
    pub fn pages(&self, total: usize) {
        if let Some(Bar { bar, .. }) = &self.bar {
            bar.set_position(0);
            bar.set_length(total as u64);
            bar.set_style(style("{spinner} {msg} {wide_bar} {pos}/{len}"));
        }
    }

    /// Says that one more page is made.
    pub fn page_done(&self) {
        if let Some(Bar { bar, .. }) = &self.bar {
            bar.inc(1);
        }
    }

    /// Ends the run: clears the bar, and returns each stage's time in the
    /// order of [`Stage`].
    pub fn finish(self) -> Vec<Timing> {
        self.close_stage(None);
        if let Some(Bar { bar, stop, shower, .. }) = self.bar {
            let _ = stop.send(());
            let _ = shower.join();
            bar.finish_and_clear();
        }
        let mut timings = self.stages.into_inner().expect("not poisoned").2;
        timings.sort_by_key(|t| t.stage);
        timings
    }

    fn close_stage(&self, next: Option<Stage>) {
        let mut stages = self.stages.lock().expect("not poisoned");
        let (current, since, timings) = &mut *stages;
        if let Some(stage) = *current {
            add(timings, Timing { stage, duration: since.elapsed(), alongside: None });
        }
        *current = next;
        *since = Instant::now();
    }
}

/// Adds `timing` to the time of its stage in `timings`.
fn add(timings: &mut Vec<Timing>, timing: Timing) {
    match timings.iter_mut().find(|t| t.stage == timing.stage) {
        Some(known) => known.duration += timing.duration,
        None => timings.push(timing),
    }
}

/// The bar's look: `template` in indicatif's terms.
fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).expect("the template is valid").progress_chars("=> ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stage_that_runs_twice_is_timed_once_with_both_times() {
        let progress = Progress::start(None);
        for stage in [Stage::Load, Stage::Checks, Stage::Render, Stage::Checks] {
            progress.stage(stage);
            std::thread::sleep(Duration::from_millis(5));
        }
        let timings = progress.finish();
        let stages: Vec<Stage> = timings.iter().map(|t| t.stage).collect();
        assert_eq!(stages, [Stage::Load, Stage::Checks, Stage::Render]);
        assert!(timings[1].duration >= Duration::from_millis(10), "{timings:?}");
    }

    #[test]
    fn a_stage_run_alongside_is_timed_on_its_own_and_the_current_stage_goes_on() {
        let progress = Progress::start(None);
        progress.stage(Stage::Render);
        let made = progress.alongside(Stage::SearchIndex, || {
            std::thread::sleep(Duration::from_millis(5));
            7
        });
        std::thread::sleep(Duration::from_millis(5));
        progress.stage(Stage::Write);
        let timings = progress.finish();
        assert_eq!(made, 7);
        let stages: Vec<(Stage, Option<Stage>)> = timings.iter().map(|t| (t.stage, t.alongside)).collect();
        assert_eq!(
            stages,
            [(Stage::Render, None), (Stage::SearchIndex, Some(Stage::Render)), (Stage::Write, None)],
            "in the order of the stages"
        );
        assert!(timings[0].duration >= Duration::from_millis(10), "the render stage's time includes it: {timings:?}");
        assert!(timings[1].duration >= Duration::from_millis(5), "{timings:?}");
    }
}

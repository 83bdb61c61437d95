//! Watches the site folder: site.toml, and everything under `content/`,
//! `static/` and `themes/`. Changes are reported once the folder has been
//! quiet for a moment, so that an editor that saves by writing twice, or by
//! writing a new file and renaming it over the old one, is done by then.
//!
//! Only changes count: a file merely opened or read (as every rebuild reads
//! the files that changed) is no change, or each rebuild would start another.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecursiveMode, Watcher};

use crate::config;
use crate::diagnostics::Failure;
use crate::messages::Language;
use crate::msg;

/// How long the folder must stay quiet before its changes are read.
const QUIET: Duration = Duration::from_millis(30);

/// The longest a change waits for quiet, while something keeps writing.
const LONGEST_WAIT: Duration = Duration::from_millis(500);

/// The folders watched with everything under them, when they exist.
const FOLDERS: [&str; 3] = ["content", "static", "themes"];

/// What changed in the site folder, as paths relative to its root.
#[derive(Debug, Default)]
pub struct Changes {
    /// site.toml changed: everything is read again.
    pub settings: bool,
    /// A file under `themes/` changed: the theme is read again.
    pub theme: bool,
    /// Files or folders under `content/` or `static/` that changed, appeared or went.
    pub paths: BTreeSet<String>,
}

impl Changes {
    fn is_empty(&self) -> bool {
        !self.settings && !self.theme && self.paths.is_empty()
    }

    /// Notes the change of `rel`, a path relative to the root. Paths outside
    /// what the site reads (its output folder, for one) are left out, and so
    /// are editors' hidden and backup files in the theme.
    fn add(&mut self, rel: &str) {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        match rel.split('/').next().unwrap_or("") {
            _ if rel == config::FILE_NAME => self.settings = true,
            "themes" if !name.starts_with('.') && !name.ends_with('~') => self.theme = true,
            "content" | "static" => {
                self.paths.insert(rel.to_string());
            }
            _ => {}
        }
    }
}

/// Starts watching `root`, calling `on_change` from a thread of its own
/// with what changed, for as long as the program runs.
pub fn start(root: &Path, language: Language, on_change: impl Fn(Changes) + Send + 'static) -> Result<(), Failure> {
    let cannot_watch = |error: notify::Error| Failure::Usage(msg!("serve_cannot_watch", error = error.to_string()));
    let (events, received) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.as_ref().map_or(true, is_change) {
            let _ = events.send(event);
        }
    })
    .map_err(cannot_watch)?;
    watcher.watch(root, RecursiveMode::NonRecursive).map_err(cannot_watch)?;
    let mut folders = Folders { root: root.to_path_buf(), watched: BTreeSet::new() };
    folders.update(&mut watcher, &BTreeSet::new()).map_err(cannot_watch)?;
    std::thread::spawn(move || {
        while let Ok(first) = received.recv() {
            let mut changes = Changes::default();
            let mut paths = BTreeSet::new();
            for event in std::iter::once(first).chain(until_quiet(&received)) {
                match event {
                    Ok(event) => paths.extend(event.paths.iter().filter_map(|path| folders.relative(path))),
                    // Events were lost: read everything again.
                    Err(_) => changes.settings = true,
                }
            }
            if let Err(error) = folders.update(&mut watcher, &paths) {
                eprintln!("{}", cannot_watch(error).render(language));
            }
            paths.iter().for_each(|rel| changes.add(rel));
            if !changes.is_empty() {
                on_change(changes);
            }
        }
    });
    Ok(())
}

/// Whether an event changed something: not a file merely opened or read.
fn is_change(event: &notify::Event) -> bool {
    match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// The events that come until none came for [`QUIET`], or for [`LONGEST_WAIT`] in all.
fn until_quiet<T>(received: &mpsc::Receiver<T>) -> Vec<T> {
    let deadline = Instant::now() + LONGEST_WAIT;
    let mut more = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match received.recv_timeout(QUIET.min(left)) {
            Ok(event) if !left.is_zero() => more.push(event),
            Ok(event) => {
                more.push(event);
                return more;
            }
            Err(_) => return more,
        }
    }
}

/// The watched folders of the site, which may come and go.
struct Folders {
    root: PathBuf,
    watched: BTreeSet<&'static str>,
}

impl Folders {
    /// Watches the folders that appeared (or were replaced, as `changed`
    /// tells), and forgets those that went.
    fn update(&mut self, watcher: &mut dyn Watcher, changed: &BTreeSet<String>) -> notify::Result<()> {
        for folder in FOLDERS {
            let path = self.root.join(folder);
            if changed.contains(folder) && self.watched.remove(folder) {
                let _ = watcher.unwatch(&path);
            }
            if path.is_dir() && !self.watched.contains(folder) {
                watcher.watch(&path, RecursiveMode::Recursive)?;
                self.watched.insert(folder);
            } else if !path.is_dir() {
                self.watched.remove(folder);
            }
        }
        Ok(())
    }

    /// `path` relative to the root, with `/` separators; `None` for the root
    /// itself or a path outside it.
    fn relative(&self, path: &Path) -> Option<String> {
        let rel = crate::paths::relative(&self.root, path);
        (path.starts_with(&self.root) && !rel.is_empty()).then_some(rel)
    }
}

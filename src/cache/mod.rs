//! What a rebuild may skip.
//!
//! `build` keeps a cache file beside its output folder (`.public.niemyet-cache`
//! beside `public/`). For each unit of work — a page, or the whole search
//! index — it holds the fingerprint of what the unit was made from, the files
//! it made and, for a page, the site files its links lead to. A rebuild that
//! finds a unit's fingerprint unchanged, and its files in the output as the
//! last build wrote them, keeps those files instead of making them again.
//!
//! What every page shares (site.toml, the theme, drafts or not) is one
//! fingerprint: when it changes, nothing is kept. Nor is anything kept from
//! a cache that another build of niemyet wrote ([`BUILD`]). The cache
//! belongs to the output the same build wrote (it ends with the hash of that
//! build's manifest): beside any other output it is ignored.
//!
//! A unit may also leave a memo for the next build, which it reads back
//! whether or not its files are kept: the search index keeps the terms it
//! found in each procedure file, so that after an edit it reads only the
//! edited files again, and what each of its shards and its files made from
//! front matter alone were made from, so that it makes again only those
//! whose inputs changed and keeps the others ([`Rebuild::keep_files`]). A
//! memo is written straight into the cache file, after the units, each as
//! its unit's name, its length and its bytes.
//!
//! Before all of these, the file holds what the build kept of its inputs
//! ([`kept_inputs`]: the procedures it parsed, [`crate::content::kept`]),
//! which the next build reads before its content, even when the output has
//! changed since.
//!
//! After the memos come the stamps of the output's folders that the build
//! did not write into, with which the next build checks the output without
//! reading every folder ([`Last::check_output`], [`crate::output::check_ours`]).
//!
//! The file is written in that order, each part as soon as the build knows
//! it ([`Staged`]): the kept inputs while the pages are made, the units and
//! memos while the output is moved into place, and the folders' stamps and
//! the header last.

mod file;
mod fingerprint;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use rustc_hash::FxHashMap;

use crate::links::LinkCheck;
use crate::output::Writer;
use file::{Previous, Stored, Unit};

pub use file::{kept_inputs, Last, Memo, Record, Recorded, Staged, BUILD};
pub use fingerprint::{Fingerprint, Hasher};

/// One build's use of the cache: what the previous build left, and what this
/// one makes or keeps, to be saved when it succeeds.
pub struct Rebuild<'a> {
    site: Fingerprint,
    previous: Previous,
    /// The link check's number for each of the previous build's link targets.
    link_numbers: Vec<u32>,
    inputs: Mutex<Vec<(String, Fingerprint)>>,
    memos: Mutex<Vec<(String, Box<dyn Memo>)>>,
    files: Mutex<FxHashMap<String, Vec<String>>>,
    kept: AtomicUsize,
    writer: &'a Writer,
    links: &'a LinkCheck,
}

impl<'a> Rebuild<'a> {
    /// Uses what the `last` build left only when it was written for the same
    /// site-wide inputs (`site`) and the output as it is.
    pub fn open(last: Option<Last>, site: Fingerprint, writer: &'a Writer, links: &'a LinkCheck) -> Rebuild<'a> {
        let last = last.filter(|last| last.for_this_output && last.site == site);
        let previous = last.map(|last| last.previous).unwrap_or_default();
        Rebuild {
            link_numbers: links.numbers(&previous.targets),
            previous,
            site,
            inputs: Mutex::new(Vec::new()),
            memos: Mutex::new(Vec::new()),
            files: Mutex::new(FxHashMap::default()),
            kept: AtomicUsize::new(0),
            writer,
            links,
        }
    }

    /// Whether the files of `unit` (a page's output path, or the name of a
    /// larger unit), made from `input`, stay as the previous build made them:
    /// then the writer keeps them, the link check learns their links, and
    /// their number is returned; otherwise (`None`) the caller makes them.
    pub fn keep(&self, unit: &str, input: Fingerprint) -> Option<usize> {
        self.inputs.lock().expect("not poisoned").push((unit.to_string(), input));
        let previous = self.previous.units.get(unit).filter(|u| u.input == input)?;
        let files: Vec<&str> =
            if previous.files.is_empty() { vec![unit] } else { previous.files.iter().map(String::as_str).collect() };
        if !files.iter().all(|f| self.writer.can_keep(f)) {
            return None;
        }
        for f in &files {
            self.writer.keep(f);
        }
        self.links.see_kept(&files, previous.links.iter().map(|&n| self.link_numbers[n as usize]).collect());
        if !previous.files.is_empty() {
            self.made(unit, previous.files.clone());
        }
        if let Some(memo) = self.take_memo(unit) {
            self.remember(unit, memo);
        }
        self.kept.fetch_add(files.len(), Ordering::Relaxed);
        Some(files.len())
    }

    /// Keeps the files at `paths`, some of the files of a unit that makes
    /// some of its files again and keeps the others (the search index), as
    /// the previous build wrote them, when the output still holds them so:
    /// all of them or none; whether it did. The files have no links to follow.
    pub fn keep_files(&self, paths: &[&str]) -> bool {
        if !paths.iter().all(|path| self.writer.can_keep(path)) {
            return false;
        }
        for path in paths {
            self.writer.keep(path);
        }
        self.links.see_kept(paths, Box::new([]));
        self.kept.fetch_add(paths.len(), Ordering::Relaxed);
        true
    }

    /// The memo the previous build left for `unit`, if it left one, given
    /// once: it served the same site-wide inputs, and says nothing of the
    /// unit's own.
    pub fn take_memo(&self, unit: &str) -> Option<Vec<u8>> {
        self.previous.memos.lock().expect("not poisoned").remove(unit)
    }

    /// Leaves `memo` for the next build to read back for `unit` ([`Rebuild::take_memo`]).
    /// A unit whose files are kept keeps its memo too.
    pub fn remember(&self, unit: &str, memo: impl Memo + 'static) {
        self.memos.lock().expect("not poisoned").push((unit.to_string(), Box::new(memo)));
    }

    /// Names the files that `unit` made, when it is not a page of its own name.
    pub fn made(&self, unit: &str, files: Vec<String>) {
        self.files.lock().expect("not poisoned").insert(unit.to_string(), files);
    }

    /// The fingerprint of what every unit shares (site.toml, the theme, the
    /// site's globals), as the cache was opened with.
    pub fn shared(&self) -> Fingerprint {
        self.site
    }

    /// How many files were kept so far.
    pub fn kept(&self) -> usize {
        self.kept.load(Ordering::Relaxed)
    }

    /// What this build made and kept, to be saved once its output is in place.
    pub fn record(self) -> Record {
        let by_page = self.links.targets_by_page();
        // The cache's number for each of the link check's, given as the targets are first met.
        let mut numbers: Vec<Option<u32>> = vec![None; by_page.count()];
        let mut targets: Vec<String> = Vec::new();
        let mut files = self.files.into_inner().expect("not poisoned");
        let mut units = Vec::new();
        for (unit, input) in self.inputs.into_inner().expect("not poisoned") {
            let own = files.remove(&unit).unwrap_or_default();
            let mut links: Vec<u32> = Vec::new();
            for &target in by_page.get(unit.as_str()).into_iter().flatten() {
                let n = *numbers[target as usize].get_or_insert_with(|| {
                    targets.push(by_page.name(target).to_string());
                    (targets.len() - 1) as u32
                });
                links.push(n);
            }
            units.push((unit, Unit { input, files: own, links }));
        }
        let mut memos = self.memos.into_inner().expect("not poisoned");
        memos.sort_by(|a, b| a.0.cmp(&b.0));
        let stored = Stored { targets, units };
        Record { site: self.site, stored, memos }
    }
}

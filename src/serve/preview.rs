//! The preview's state: the last good site, whose files are made when a
//! browser asks for them and kept until the next change, and the errors of
//! the latest rebuild.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::{Instant, SystemTime};

use serde::Serialize;

use super::live::Broadcast;
use super::say;
use super::sources::Sources;
use super::watch::Changes;
use crate::diagnostics::{self, Diagnostic, Failure, Format};
use crate::messages::Language;
use crate::msg;
use crate::render::PageRenderer;
use crate::site::Site;
use crate::theme::Theme;

/// The preview of one site folder, shared by the watcher and the server's threads.
pub struct Preview {
    /// The site folder in memory and the latest site made of it; only rebuilds use it.
    latest: Mutex<Latest>,
    /// What the server shows now.
    shown: RwLock<Shown>,
    /// Tells the open pages what [`Preview::shown`] holds.
    pub live: Broadcast,
    /// Tells this run's versions from an earlier run's.
    run: String,
    /// The language of the preview's own messages.
    language: Language,
    /// The site folder.
    root: PathBuf,
    /// Files the editor wrote and the preview already shows, with a hash of
    /// their bytes: their file events need no rebuild.
    written: Mutex<HashMap<String, u64>>,
}

struct Latest {
    sources: Sources,
    site: Result<Arc<Site>, Failure>,
    builds: u64,
}

/// What the server shows: the last good build, and the errors of the latest
/// rebuild (none when it was good).
#[derive(Clone)]
pub struct Shown {
    /// The last good build; none while the site has never built.
    pub built: Option<Arc<Built>>,
    /// Names [`Shown::built`]: a page made from another version reloads.
    pub version: String,
    /// The errors to show over the pages.
    pub problems: Vec<Problem>,
    /// The language of the preview's own messages.
    pub language: Language,
}

/// An error to show over the preview's pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// `PATH:LINE:COL`, when the error is in a file.
    pub at: Option<String>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

/// What an open page is told: the version to show, and the errors over it.
#[derive(Serialize)]
struct LiveState<'a> {
    version: &'a str,
    problems: &'a [Problem],
    heading: String,
    note: String,
    hint: String,
}

impl Preview {
    /// Reads and builds the site in `root`, whose preview is served at
    /// `base_url`. Fails when the site folder is unusable (no site.toml, no
    /// content/, a missing theme); errors in its files are shown until fixed.
    pub fn start(root: PathBuf, base_url: &str, language: Language) -> Result<Preview, Failure> {
        let sources = Sources::read(&root, base_url);
        let site = sources.site().map(Arc::new);
        for failure in [site.as_ref().err(), sources.theme().as_ref().err()].into_iter().flatten() {
            if let Failure::Usage(message) = failure {
                return Err(Failure::Usage(message.clone()));
            }
        }
        let run = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_millis()).to_string();
        let empty = Shown { built: None, version: String::new(), problems: Vec::new(), language };
        let preview = Preview {
            latest: Mutex::new(Latest { sources, site, builds: 0 }),
            shown: RwLock::new(empty.clone()),
            live: Broadcast::new(live_state(&empty)),
            run,
            language,
            written: Mutex::default(),
            root,
        };
        let mut latest = preview.latest.lock().expect("not poisoned");
        preview.show(&mut latest);
        drop(latest);
        Ok(preview)
    }

    /// What the server shows now.
    pub fn shown(&self) -> Shown {
        self.shown.read().expect("not poisoned").clone()
    }

    /// How many procedures the shown site has; `None` while the site has never built.
    pub fn procedures(&self) -> Option<usize> {
        self.shown().built.map(|built| built.site.procedures.len())
    }

    /// Reads again what changed and rebuilds the site from it. A good
    /// rebuild replaces the shown site; a failed one keeps it and shows its
    /// errors. Either way the open pages are told.
    pub fn rebuild(&self, changes: &Changes) {
        let started = Instant::now();
        let changes = self.not_written(changes);
        let mut latest = self.latest.lock().expect("not poisoned");
        let read = latest.sources.reread(&changes);
        if read.is_empty() {
            return;
        }
        if changes.settings || read.iter().any(|rel| rel.starts_with("content") || rel.starts_with("static")) {
            latest.site = latest.sources.site().map(Arc::new);
        }
        if self.show(&mut latest) {
            let what: crate::messages::Arg = match &read[..] {
                [one] => one.clone().into(),
                _ => msg!("serve_files", n = read.len()).into(),
            };
            let millis = started.elapsed().as_millis().to_string();
            say(&msg!("serve_rebuilt", what = what, millis = millis), self.language);
        }
    }

    /// Checks the site as it would be with the file at `rel` holding `text`
    /// and the files `statics` (paths under `static/`, bytes) added, by the
    /// same code as `check`. Fails with the errors the change brings (errors
    /// the site already had in other files are left out, so that one broken
    /// file does not stop every save). Then, with `save`, writes the files
    /// by calling it and shows the changed site at once (the site checked is
    /// the site shown: it is made once); without, makes the file's page from
    /// the changed site, to show what it would look like.
    pub fn edit(&self, edit: &Edit<'_>, save: Option<&dyn Fn() -> Result<(), Failure>>) -> Result<Checked, Failure> {
        let started = Instant::now();
        let mut latest = self.latest.lock().expect("not poisoned");
        let files = latest.sources.edited(edit.rel, edit.kind, edit.text, edit.statics)?;
        let site = match latest.sources.site_of(&files) {
            Ok(site) => site,
            Err(Failure::Content(errors)) => {
                let before: Vec<&Diagnostic> = match &latest.site {
                    Err(Failure::Content(old)) => old.iter().filter(|d| d.path != edit.rel).collect(),
                    _ => Vec::new(),
                };
                let new: Vec<Diagnostic> = errors.into_iter().filter(|d| !before.contains(&d)).collect();
                return if new.is_empty() { Ok(Checked::default()) } else { Err(Failure::content(new)) };
            }
            Err(usage) => return Err(usage),
        };
        let page = site_path_of(&site, edit.rel);
        if let Some(save) = save {
            save()?;
            let mut written = self.written.lock().expect("not poisoned");
            written.insert(edit.rel.to_string(), crate::text::fnv1a(edit.text.as_bytes()));
            for (path, bytes) in edit.statics {
                written.insert(path.clone(), crate::text::fnv1a(bytes));
            }
            drop(written);
            latest.sources.accept(files);
            latest.site = Ok(Arc::new(site));
            if self.show(&mut latest) {
                let millis = started.elapsed().as_millis().to_string();
                say(&msg!("serve_rebuilt", what = edit.rel, millis = millis), self.language);
            }
            return Ok(Checked { page, html: None });
        }
        let theme = latest.sources.theme()?;
        drop(latest);
        let html = match &page {
            Some(page) => {
                let renderer = PageRenderer::new(Arc::new(site), theme)?;
                renderer.render(&crate::site::file_of(page)).transpose()?
            }
            None => None,
        };
        Ok(Checked { page, html })
    }

    /// `changes` without the files the editor wrote that still hold what
    /// it wrote, which the preview already shows.
    fn not_written(&self, changes: &Changes) -> Changes {
        let mut written = self.written.lock().expect("not poisoned");
        let mut paths = changes.paths.clone();
        paths.retain(|rel| match written.get(rel) {
            Some(&hash) if std::fs::read(self.root.join(rel)).is_ok_and(|b| crate::text::fnv1a(&b) == hash) => {
                written.remove(rel);
                false
            }
            _ => true,
        });
        Changes { paths, settings: changes.settings, theme: changes.theme }
    }

    /// Builds what the latest site and theme make, shows it, prints its
    /// errors, and tells the open pages. Returns whether it was good.
    fn show(&self, latest: &mut Latest) -> bool {
        let theme = latest.sources.theme();
        let outcome = match (&latest.site, theme) {
            (Ok(site), Ok(theme)) => Built::new(Arc::clone(site), theme),
            (Err(failure), Ok(_)) => Err(failure.clone()),
            (Ok(_), Err(failure)) => Err(failure),
            (Err(failure), Err(more)) => Err(merge(failure.clone(), more)),
        };
        let next = match outcome {
            Ok(built) => {
                latest.builds += 1;
                let version = format!("{}.{}", self.run, latest.builds);
                let language = self.language;
                Ok(Shown { built: Some(Arc::new(built)), version, problems: Vec::new(), language })
            }
            Err(failure) => {
                let language = self.language;
                print_errors(&failure, language);
                Err(problems(&failure, language))
            }
        };
        let good = next.is_ok();
        let mut shown = self.shown.write().expect("not poisoned");
        let replaced = match next {
            Ok(next) => Some(std::mem::replace(&mut *shown, next)),
            Err(problems) => {
                shown.problems = problems;
                None
            }
        };
        self.live.publish(live_state(&shown));
        drop(shown);
        // A large site takes a while to free: not while the pages wait for the new one.
        std::thread::spawn(move || drop(replaced));
        good
    }
}

/// A change the editor asks for: the file at `rel`, of `kind`, to hold
/// `text`, and form files to add (paths under `static/`, bytes).
pub struct Edit<'a> {
    /// The file, relative to the site root.
    pub rel: &'a str,
    /// What it is.
    pub kind: crate::content::Kind,
    /// Its new text.
    pub text: &'a str,
    /// Form files to add.
    pub statics: &'a [(String, Vec<u8>)],
}

/// What [`Preview::edit`] found in a good change.
#[derive(Debug, Default)]
pub struct Checked {
    /// The changed file's site path, such as `/thu-tuc/x/`.
    pub page: Option<String>,
    /// Its page, made from the changed site, when asked for.
    pub html: Option<String>,
}

/// The site path of the procedure, notice or page read from file `rel`.
pub fn site_path_of(site: &Site, rel: &str) -> Option<String> {
    let procedures = site.procedures.iter().filter(|p| p.path == rel).map(|p| p.url());
    let notices = site.notices.iter().filter(|n| n.path == rel).map(|n| n.url());
    procedures.chain(notices).chain(site.pages.iter().filter(|p| p.path == rel).map(|p| p.url())).next()
}

/// Files by their path in the output.
type Files = HashMap<String, Arc<[u8]>>;

/// One good build of the site, whose files are made when first asked for.
pub struct Built {
    site: Arc<Site>,
    theme: Arc<Theme>,
    renderer: PageRenderer,
    /// Pages and data files made so far, by output path.
    made: Mutex<Files>,
    /// The search index's files, made all at once when one is first asked for.
    search: OnceLock<Result<Files, Failure>>,
    /// Indexes into the site's static files, by output path.
    static_files: HashMap<String, usize>,
}

/// Where the search index's files are, in the output.
const SEARCH_INDEX: &str = "tim-kiem/chi-muc/";

impl Built {
    fn new(site: Arc<Site>, theme: Arc<Theme>) -> Result<Built, Failure> {
        let renderer = PageRenderer::new(Arc::clone(&site), Arc::clone(&theme))?;
        let static_files = site.static_files.iter().enumerate().map(|(i, (path, _))| (path.clone(), i)).collect();
        Ok(Built { site, theme, renderer, made: Mutex::default(), search: OnceLock::new(), static_files })
    }

    /// The site this build shows.
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// The file at output path `rel` (such as "thu-tuc/x/index.html"), made
    /// if need be; `None` when the site has no such file.
    pub fn file(&self, rel: &str) -> Option<Result<Arc<[u8]>, Failure>> {
        if let Some(&i) = self.static_files.get(rel) {
            return Some(Ok(Arc::clone(&self.site.static_files[i].1)));
        }
        if let Some(asset) = rel.strip_prefix("assets/").and_then(|name| self.theme.static_files.get(name)) {
            return Some(Ok(Arc::from(asset.as_slice())));
        }
        if rel.starts_with(SEARCH_INDEX) {
            let search = self.search.get_or_init(|| {
                let files = Mutex::new(Files::default());
                let put = |path: &str, bytes: &[u8]| {
                    files.lock().expect("not poisoned").insert(path.to_string(), Arc::from(bytes));
                    Ok(())
                };
                crate::search::index(&self.site, &self.theme.strings, Default::default(), &put, &|_| false)?;
                Ok(files.into_inner().expect("not poisoned"))
            });
            return match search {
                Ok(files) => files.get(rel).cloned().map(Ok),
                Err(failure) => Some(Err(failure.clone())),
            };
        }
        if let Some(bytes) = self.made.lock().expect("not poisoned").get(rel) {
            return Some(Ok(Arc::clone(bytes)));
        }
        let made: Arc<[u8]> = match crate::data_file(&self.site, &self.theme, rel) {
            Some(bytes) => Arc::from(bytes),
            None => match self.renderer.render(rel)? {
                Ok(html) => Arc::from(html.into_bytes()),
                Err(failure) => return Some(Err(failure)),
            },
        };
        self.made.lock().expect("not poisoned").insert(rel.to_string(), Arc::clone(&made));
        Some(Ok(made))
    }
}

/// The errors of a failure, to show over the pages.
pub fn problems(failure: &Failure, language: Language) -> Vec<Problem> {
    match failure {
        Failure::Content(diagnostics) => diagnostics
            .iter()
            .map(|d| Problem {
                at: Some(format!("{}:{}:{}", d.path, d.line, d.col)),
                message: d.message.render(language),
                hint: d.hint.as_ref().map(|h| h.render(language)),
            })
            .collect(),
        Failure::Usage(message) => vec![Problem { at: None, message: message.render(language), hint: None }],
    }
}

/// Prints the errors of a failed build on standard error.
pub fn print_errors(failure: &Failure, language: Language) {
    match failure {
        Failure::Content(diagnostics) => {
            eprintln!("{}", diagnostics::render(diagnostics, Format::Text, language, false));
            eprintln!("{}", msg!("serve_shows_last_good").render(language));
        }
        Failure::Usage(_) => eprintln!("{}", failure.render(language)),
    }
}

fn live_state(shown: &Shown) -> String {
    let language = shown.language;
    let note = if shown.built.is_some() { msg!("serve_errors_note") } else { msg!("serve_not_built") };
    let state = LiveState {
        version: &shown.version,
        problems: &shown.problems,
        heading: msg!("serve_errors_heading").render(language),
        note: note.render(language),
        hint: msg!("serve_hint_label").render(language),
    };
    serde_json::to_string(&state).expect("the state serialises")
}

/// Both failures' errors; a usage failure first, as it stops everything else.
fn merge(first: Failure, second: Failure) -> Failure {
    match (first, second) {
        (Failure::Content(mut errors), Failure::Content(more)) => {
            errors.extend(more);
            Failure::content(errors)
        }
        (usage @ Failure::Usage(_), _) | (_, usage) => usage,
    }
}

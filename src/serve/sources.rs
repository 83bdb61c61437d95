//! The site folder read into memory file by file, so that a change re-reads
//! and re-parses only the files it touched.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::watch::Changes;
use crate::config::{self, Config};
use crate::content::{self, Content, File, Kind};
use crate::diagnostics::{Diagnostic, Failure};
use crate::site::Site;
use crate::theme::Theme;

/// Every file of `content/` and `static/` read, by path relative to the root.
type FileMap = BTreeMap<String, (Kind, Result<File, Vec<Diagnostic>>)>;

/// The files of a site folder with an edit of the editor in them.
pub struct Files(FileMap);

/// The site folder as last read.
pub struct Sources {
    root: PathBuf,
    base_url: String,
    config: Result<Config, Failure>,
    /// The theme; site.toml's failure when it could not be read.
    theme: Result<Arc<Theme>, Failure>,
    files: FileMap,
}

impl Sources {
    /// Reads everything: site.toml (with `base_url` in place of its own, so
    /// the preview's links lead to the preview), the theme, and every file
    /// of `content/` and `static/`.
    pub fn read(root: &Path, base_url: &str) -> Sources {
        let config = Config::load(root).map(|mut config| {
            config.base_url = base_url.to_string();
            config
        });
        let theme = load_theme(root, &config);
        let mut sources =
            Sources { root: root.to_path_buf(), base_url: base_url.to_string(), config, theme, files: BTreeMap::new() };
        sources.read_files_under("");
        sources
    }

    /// Reads again what `changes` touched. Returns what the site reads among
    /// it, such as "content/procedures/a.md", "site.toml" or "themes/"; none
    /// when only other files changed (an editor's swap file, say).
    pub fn reread(&mut self, changes: &Changes) -> Vec<String> {
        if changes.settings {
            *self = Sources::read(&self.root, &self.base_url);
            return vec![config::FILE_NAME.to_string()];
        }
        let mut read = Vec::new();
        if changes.theme {
            self.theme = load_theme(&self.root, &self.config);
            read.push("themes/".to_string());
        }
        for rel in &changes.paths {
            let inside = format!("{rel}/");
            let before = self.files.len();
            self.files.retain(|path, _| path != rel && !path.starts_with(&inside));
            let mut touched = self.files.len() != before;
            let full = self.root.join(rel);
            if full.is_dir() {
                touched |= self.read_files_under(&inside) > 0;
            } else if let (Some(kind), Ok(config), true) = (content::kind_of(rel), &self.config, full.is_file()) {
                self.files.insert(rel.clone(), (kind, content::read_file(&self.root, rel, kind, config)));
                touched = true;
            }
            if touched {
                read.push(rel.clone());
            }
        }
        read
    }

    /// The theme as last read.
    pub fn theme(&self) -> Result<Arc<Theme>, Failure> {
        self.theme.clone()
    }

    /// The site made of the files as last read, drafts included, with every
    /// error of its files and across them.
    pub fn site(&self) -> Result<Site, Failure> {
        let config = self.config.clone()?;
        content::check_folder(&self.root)?;
        let content = Content::gather(self.files.values().map(|(kind, result)| (*kind, result.clone())));
        Site::new(config, content, true)
    }

    /// The files as last read, with the file at `rel` holding `text`
    /// instead (a file of the editor's form, written or not yet) and with
    /// `statics` (paths under `static/`, bytes) added.
    pub fn edited(&self, rel: &str, kind: Kind, text: &str, statics: &[(String, Vec<u8>)]) -> Result<Files, Failure> {
        let config = self.config.as_ref().map_err(Clone::clone)?;
        let mut files = self.files.clone();
        files.insert(rel.to_string(), (kind, content::parse_file(rel, kind, text.as_bytes().to_vec(), config)));
        for (path, bytes) in statics {
            let file = File::Static(path["static/".len()..].to_string(), Arc::from(bytes.as_slice()));
            files.insert(path.clone(), (Kind::Static, Ok(file)));
        }
        Ok(Files(files))
    }

    /// The site made of `files` ([`Sources::edited`]), checked by the same
    /// code as [`Sources::site`], so as `check` would check it.
    pub fn site_of(&self, files: &Files) -> Result<Site, Failure> {
        let config = self.config.clone()?;
        content::check_folder(&self.root)?;
        let content = Content::gather(files.0.values().cloned());
        Site::new(config, content, true)
    }

    /// Takes `files` as the files last read, once they are written.
    pub fn accept(&mut self, files: Files) {
        self.files = files.0;
    }

    /// Reads, in parallel, every file of `content/` and `static/` whose path
    /// starts with `prefix`. Returns how many there were.
    fn read_files_under(&mut self, prefix: &str) -> usize {
        let Ok(config) = &self.config else {
            return 0;
        };
        let root = &self.root;
        let read: Vec<_> = content::site_files(root)
            .into_par_iter()
            .filter(|(rel, _)| rel.starts_with(prefix))
            .map(|(rel, kind)| {
                let result = content::read_file(root, &rel, kind, config);
                (rel, (kind, result))
            })
            .collect();
        let count = read.len();
        self.files.extend(read);
        count
    }
}

/// The theme the settings ask for; their own failure when they could not be read.
fn load_theme(root: &Path, config: &Result<Config, Failure>) -> Result<Arc<Theme>, Failure> {
    match config {
        Ok(config) => Theme::load(root, config).map(Arc::new),
        Err(failure) => Err(failure.clone()),
    }
}

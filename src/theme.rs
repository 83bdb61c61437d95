//! The theme: templates, static files and interface strings. The default
//! theme is compiled into the binary; a site's own `themes/<name>/` replaces
//! it file by file, and string by string for `i18n/<language>.toml`.

use std::collections::BTreeMap;
use std::path::Path;

use include_dir::{include_dir, Dir};
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::{line_col, Diagnostic, Failure};
use crate::messages::Language;
use crate::msg;

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Interface strings of one language, by key.
#[derive(Debug, Clone, Default)]
pub struct Strings(pub BTreeMap<String, String>);

impl Strings {
    /// The string for `key`, or the key itself when the theme lacks it.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.0.get(key).map_or(key, String::as_str)
    }
}

/// A template with the file it came from, for error messages.
#[derive(Debug, Clone)]
pub struct Template {
    /// Name used by `{% extends %}` and `{% include %}`, such as "base.html".
    pub name: String,
    /// The template text.
    pub source: String,
    /// Where it came from, such as "themes/default/templates/base.html".
    pub path: String,
}

/// A loaded theme.
#[derive(Debug, Clone)]
pub struct Theme {
    /// Templates by name.
    pub templates: BTreeMap<String, Template>,
    /// Static files by their path under the output's `assets/` folder.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// Interface strings in the site's language.
    pub strings: Strings,
}

impl Theme {
    /// Loads the built-in theme with the site's own theme folder laid over it.
    pub fn load(root: &Path, config: &Config) -> Result<Theme, Failure> {
        let own = root.join("themes").join(&config.theme);
        if config.theme != "default" && !own.is_dir() {
            return Err(Failure::Usage(msg!("theme_missing", theme = &config.theme)));
        }
        let mut files: BTreeMap<String, (Vec<u8>, String)> = BTreeMap::new();
        collect_builtin(&BUILTIN, &mut files);
        for entry in WalkDir::new(&own).sort_by_file_name().into_iter().filter_map(Result::ok) {
            if entry.file_type().is_file() && !crate::content::is_editor_temp(&entry.file_name().to_string_lossy()) {
                let rel = crate::paths::relative(&own, entry.path());
                let bytes = std::fs::read(entry.path()).map_err(|e| {
                    Failure::Usage(msg!(
                        "cannot_read_path",
                        path = entry.path().display().to_string(),
                        error = e.to_string()
                    ))
                })?;
                files.insert(rel.clone(), (bytes, format!("themes/{}/{rel}", config.theme)));
            }
        }
        let mut errors = Vec::new();
        let mut templates = BTreeMap::new();
        let mut static_files = BTreeMap::new();
        for (rel, (bytes, path)) in &files {
            if let Some(name) = rel.strip_prefix("templates/") {
                match String::from_utf8(bytes.clone()) {
                    Ok(source) => {
                        templates
                            .insert(name.to_string(), Template { name: name.to_string(), source, path: path.clone() });
                    }
                    Err(_) => errors.push(not_utf8(path)),
                }
            } else if let Some(name) = rel.strip_prefix("static/") {
                static_files.insert(name.to_string(), bytes.clone());
            }
        }
        let strings = load_strings(root, config, &mut errors);
        if !errors.is_empty() {
            return Err(Failure::content(errors));
        }
        Ok(Theme { templates, static_files, strings })
    }
}

/// Interface strings of `language` from the built-in theme only.
pub fn builtin_strings(language: Language) -> BTreeMap<String, String> {
    let file =
        BUILTIN.get_file(format!("i18n/{}.toml", language.code())).expect("the built-in theme has both languages");
    toml::from_str(file.contents_utf8().expect("UTF-8")).expect("the built-in strings are valid")
}

fn load_strings(root: &Path, config: &Config, errors: &mut Vec<Diagnostic>) -> Strings {
    let mut strings = builtin_strings(config.language);
    let rel = format!("themes/{}/i18n/{}.toml", config.theme, config.language.code());
    if let Ok(bytes) = std::fs::read(root.join(&rel)) {
        let text = String::from_utf8_lossy(&bytes);
        match toml::from_str::<BTreeMap<String, String>>(&text) {
            Ok(own) => strings.extend(own),
            Err(e) => {
                let (line, col) = line_col(&text, e.span().map_or(0, |s| s.start));
                let detail = e.message().lines().next().unwrap_or("").to_string();
                let message = msg!("theme_strings_invalid", detail = detail);
                errors.push(Diagnostic::error(rel, (line, col), message, Some(msg!("hint_strings_format"))));
            }
        }
    }
    Strings(strings)
}

fn collect_builtin(dir: &Dir<'static>, files: &mut BTreeMap<String, (Vec<u8>, String)>) {
    for file in dir.files() {
        let rel = file.path().to_string_lossy().replace('\\', "/");
        files.insert(rel.clone(), (file.contents().to_vec(), format!("themes/default/{rel}")));
    }
    for sub in dir.dirs() {
        collect_builtin(sub, files);
    }
}

fn not_utf8(path: &str) -> Diagnostic {
    Diagnostic::error(path, (1, 1), msg!("template_not_utf8"), Some(msg!("hint_save_utf8")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_theme_has_every_string_in_both_languages() {
        let vi = builtin_strings(Language::Vi);
        let en = builtin_strings(Language::En);
        let only_vi: Vec<_> = vi.keys().filter(|k| !en.contains_key(*k)).collect();
        let only_en: Vec<_> = en.keys().filter(|k| !vi.contains_key(*k)).collect();
        assert!(only_vi.is_empty() && only_en.is_empty(), "only in vi: {only_vi:?}; only in en: {only_en:?}");
    }
}

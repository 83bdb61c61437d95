//! `import` and `export`: the site's catalogue in and out of the tables
//! departments already have (the annex of a decision announcing procedures,
//! an export of the national database).
//!
//! An import is its own small pipeline, the same shape as a build:
//! read the table ([`table`]) → recognise header and sections ([`header`])
//! → rows as typed records with cell positions ([`records`]) → match to the
//! site by code, as a plan ([`plan`]) → edit files in place ([`edit`]) and
//! write them all or none ([`write`](mod@write)). [`export`] writes the catalogue back
//! in the same shape.

pub mod edit;
pub mod export;
pub mod header;
pub mod plan;
pub mod records;
pub mod table;
pub mod write;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::front_matter::Date;
use crate::content::procedure;
use crate::diagnostics::{Diagnostic, Failure};
use crate::messages::Message;
use crate::site::Site;
use crate::{content, msg, scaffold};
use header::Column;
use plan::Plan;

/// What `niemyet import` is asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The table to read.
    pub file: PathBuf,
    /// The sheet to read; the first sheet with a header when not given.
    pub sheet: Option<String>,
    /// Columns the importer does not know, as `Header=key`.
    pub map: Vec<String>,
    /// Print the plan; write nothing.
    pub dry_run: bool,
    /// Make new procedures drafts.
    pub draft: bool,
    /// Mark procedures the table does not list `status = "abolished"`.
    pub abolish_missing: bool,
    /// The `updated` date of new procedures.
    pub today: Date,
}

/// What an import found and did.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The table, as `file` or `file:Sheet`.
    pub table: String,
    /// What the import does (or, with `--dry-run`, would do).
    pub plan: Plan,
    /// Things staff should know: codes restored, columns not imported.
    pub warnings: Vec<Diagnostic>,
    /// How many files were written; `None` for a dry run.
    pub written: Option<usize>,
    /// Whether missing procedures were marked abolished.
    pub abolish_missing: bool,
}

/// Reads the table, plans, and (unless `dry_run`) writes every file or none.
pub fn import(options: &ImportOptions) -> Result<Imported, Failure> {
    let map = parse_map(&options.map)?;
    let site = load_site(&options.root)?;
    let shown = options.file.display().to_string();
    let tables = table::read(&options.file, &shown, options.sheet.as_deref())?;
    let Some((table, header)) = tables.iter().find_map(|t| header::find(t, &map).map(|h| (t, h))) else {
        let table = tables.first().cloned().unwrap_or(table::Table { file: shown, sheet: None, rows: Vec::new() });
        let hint = msg!("hint_import_no_header");
        return Err(Failure::content(vec![table.error((0, 0), msg!("import_no_header"), Some(hint))]));
    };
    let header = header.map_err(Failure::content)?;
    let rows = records::read(table, &header, &site.config);
    let mut warnings = rows.warnings;
    warnings.extend(header.unknown.iter().map(|(col, name)| {
        let hint = msg!("hint_import_map_column", header = name, keys = mappable_keys());
        table.error((header.row, *col), msg!("import_unknown_column", header = name), Some(hint)).warning()
    }));
    let mut errors = rows.errors;
    let plan = match plan::make(rows.records, &site, table, &header, options.abolish_missing) {
        Ok(plan) => Some(plan),
        Err(more) => {
            errors.extend(more);
            None
        }
    };
    let files = match &plan {
        Some(plan) if errors.is_empty() => match files(plan, &site.config, options) {
            Ok(files) => Some(files),
            Err(more) => {
                errors.extend(more);
                None
            }
        },
        _ => None,
    };
    let (Some(plan), Some(files)) = (plan, files) else {
        errors.extend(warnings);
        return Err(Failure::content(errors));
    };
    let written = if options.dry_run { None } else { Some(write::all(&options.root, &files)?) };
    let table = match &table.sheet {
        Some(sheet) => format!("{}:{sheet}", table.file),
        None => table.file.clone(),
    };
    warnings.sort();
    Ok(Imported { table, plan, warnings, written, abolish_missing: options.abolish_missing })
}

/// Reads the site's settings and every procedure, drafts too, checked
/// across files, so that codes are known and unique.
pub fn load_site(root: &Path) -> Result<Site, Failure> {
    if !root.is_dir() {
        return Err(Failure::Usage(msg!("no_site_folder", path = root.display().to_string())));
    }
    let config = Config::load(root)?;
    let content = content::load(root, &config, &Default::default())?;
    Site::new(config, content, true)
}

/// `--map "Header=key"` as (folded header words, column).
fn parse_map(map: &[String]) -> Result<Vec<(String, Column)>, Failure> {
    map.iter()
        .map(|pair| {
            let usage = || Failure::Usage(msg!("import_bad_map", map = pair, keys = mappable_keys()));
            let (name, key) = pair.rsplit_once('=').ok_or_else(usage)?;
            let column = Column::MAPPABLE.iter().find(|(k, _)| *k == key.trim()).ok_or_else(usage)?.1;
            Ok((header::words(name), column))
        })
        .collect()
}

fn mappable_keys() -> String {
    Column::MAPPABLE.iter().map(|(key, _)| *key).collect::<Vec<_>>().join(", ")
}

/// The text of every file the plan writes, each checked as `check` would
/// read it: (path relative to the root, text). Made in parallel.
fn files(plan: &Plan, config: &Config, options: &ImportOptions) -> Result<Vec<(String, String)>, Vec<Diagnostic>> {
    let changed = plan.changed.par_iter().map(|changed| {
        let error = |message| vec![Diagnostic::error(&changed.path, (1, 1), message, None)];
        let old = std::fs::read_to_string(options.root.join(&changed.path))
            .map_err(|e| error(msg!("cannot_read_file", error = e.to_string())))?;
        let values: Vec<_> = changed.changes.iter().map(|c| (c.key, edit::toml_value(&c.new))).collect();
        let text = edit::set_keys(&old, &values).ok_or_else(|| error(msg!("import_cannot_edit")))?;
        Ok((changed.path.clone(), text))
    });
    let added = plan.added.par_iter().map(|added| {
        let title = added.record.get("title").expect("a new procedure has a title").value.shown();
        let start = scaffold::render(scaffold::Kind::Procedure, title, options.today, config);
        let mut values: Vec<_> = added.record.entries.iter().map(|e| (e.key, edit::toml_value(&e.value))).collect();
        values.push(("draft", options.draft.into()));
        Ok((added.path.clone(), edit::set_keys(&start, &values).expect("the scaffold has front matter")))
    });
    let made: Vec<Result<(String, String), Vec<Diagnostic>>> = changed.chain(added).collect();
    let mut errors: Vec<Diagnostic> = made.iter().filter_map(|file| file.as_ref().err()).flatten().cloned().collect();
    let files: Vec<(String, String)> = made.into_iter().filter_map(Result::ok).collect();
    errors.extend(
        files
            .par_iter()
            .filter_map(|(path, text)| procedure::parse(path.clone(), text.as_bytes(), config).err())
            .flatten()
            .collect::<Vec<_>>(),
    );
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

impl Imported {
    /// The plan as people read it: a count, then each file added, changed
    /// (key by key, old → new) and missing, then what was written.
    pub fn lines(&self) -> Vec<Message> {
        let plan = &self.plan;
        let mut lines = vec![msg!(
            "import_plan",
            table = &self.table,
            added = plan.added.len(),
            changed = plan.changed.len(),
            unchanged = plan.unchanged,
            missing = plan.missing.len()
        )];
        for added in &plan.added {
            let title = added.record.get("title").map_or("", |e| e.value.shown());
            lines.push(msg!("import_plan_added", path = &added.path, code = &added.record.code, title = title));
        }
        for changed in &plan.changed {
            lines.push(msg!("import_plan_changed", path = &changed.path, code = &changed.code));
            for change in &changed.changes {
                let old = change.old.as_ref().map_or(msg!("import_no_value"), |old| msg!("import_value", value = old));
                let new = msg!("import_value", value = change.new.shown());
                lines.push(msg!("import_plan_change", key = change.key, old = old, new = new));
            }
        }
        for missing in &plan.missing {
            let line = msg!("import_plan_missing", path = &missing.path, code = &missing.code, title = &missing.title);
            lines.push(line);
        }
        if !plan.missing.is_empty() && !self.abolish_missing {
            lines.push(msg!("import_missing_hint"));
        }
        lines.push(match self.written {
            None => msg!("import_dry_run"),
            Some(0) => msg!("import_nothing_to_do"),
            Some(n) => msg!("import_written", n = n),
        });
        lines
    }
}

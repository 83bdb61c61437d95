//! The plan of an import: the table's records matched to the site's
//! procedures by code (never by file name), as what will be added, what
//! changes key by key, what stays, and what the site has that the table lacks.

use std::collections::{HashMap, HashSet};

use super::header::{Column, Header};
use super::records::{one_line, Entry, NewValue, Record};
use super::table::Table;
use crate::content::procedure::Procedure;
use crate::diagnostics::Diagnostic;
use crate::messages::Message;
use crate::site::Site;
use crate::{msg, scaffold, text};

/// A procedure the table adds: a new file.
#[derive(Debug, Clone)]
pub struct Added {
    /// The new file, relative to the site root.
    pub path: String,
    /// The record it is made from.
    pub record: Record,
}

/// One key of a procedure that the table changes.
#[derive(Debug, Clone)]
pub struct Change {
    /// The front matter key.
    pub key: &'static str,
    /// Its value in the file, if it has one.
    pub old: Option<String>,
    /// Its value in the table.
    pub new: NewValue,
}

/// A procedure whose file the table changes.
#[derive(Debug, Clone)]
pub struct Changed {
    /// The file, relative to the site root.
    pub path: String,
    /// The procedure's code.
    pub code: String,
    /// What changes, in the order of the table's columns.
    pub changes: Vec<Change>,
}

/// A procedure of the site that the table does not list.
#[derive(Debug, Clone)]
pub struct Missing {
    /// The file, relative to the site root.
    pub path: String,
    /// The procedure's code.
    pub code: String,
    /// The procedure's name.
    pub title: String,
}

/// Everything an import would do, decided before anything is written.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// New procedures, in the table's order.
    pub added: Vec<Added>,
    /// Procedures that change, in the table's order (with `--abolish-missing`,
    /// the missing ones too, each becoming `status = "abolished"`).
    pub changed: Vec<Changed>,
    /// How many procedures the table lists as they already are.
    pub unchanged: usize,
    /// Procedures in force that the table does not list, by code.
    pub missing: Vec<Missing>,
}

/// The keys a new procedure must have, with what they hold, and the column that gives each.
const REQUIRED: [(&str, Column); 5] = [
    ("title", Column::Title),
    ("field", Column::Field),
    ("agency", Column::Agency),
    ("service_level", Column::ServiceLevel),
    ("postal", Column::Postal),
];

/// Matches `records` to the procedures of `site` by code. Errors: a code
/// listed twice, a new procedure without a required value.
pub fn make(
    records: Vec<Record>,
    site: &Site,
    table: &Table,
    header: &Header,
    abolish_missing: bool,
) -> Result<Plan, Vec<Diagnostic>> {
    let by_code: HashMap<&str, &Procedure> = site.procedures.iter().map(|p| (p.code.value.as_str(), &**p)).collect();
    let mut slugs: HashSet<String> = site
        .procedures
        .iter()
        .flat_map(|p| {
            let stem = p.path.rsplit('/').next().unwrap_or(&p.path).trim_end_matches(".md").to_string();
            let aliases =
                p.aliases.iter().map(|a| a.value.trim_matches('/').rsplit('/').next().unwrap_or("").to_string());
            [p.slug.value.clone(), stem].into_iter().chain(aliases)
        })
        .collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut plan = Plan::default();
    let mut errors = Vec::new();
    for record in records {
        let code_cell = record.get("code").expect("every record has its code").cell;
        if let Some(first) = seen.insert(record.code.clone(), record.row) {
            let message = msg!("import_code_twice", code = &record.code, row = first + 1);
            errors.push(table.error(code_cell, message, Some(msg!("hint_import_code_twice"))));
            continue;
        }
        match by_code.get(record.code.as_str()) {
            Some(procedure) => {
                let changes = changes(&record, procedure);
                if changes.is_empty() {
                    plan.unchanged += 1;
                } else {
                    plan.changed.push(Changed { path: procedure.path.clone(), code: record.code.clone(), changes });
                }
            }
            None => {
                let missing: Vec<Diagnostic> = REQUIRED
                    .iter()
                    .filter(|(key, _)| record.get(key).is_none() && !record.unreadable.contains(key))
                    .map(|&(key, column)| {
                        let column =
                            if key == "postal" { [Column::Postal, Column::PostalReceive] } else { [column, column] };
                        let marks = header.level_marks.first().map(|(col, _)| *col).filter(|_| key == "service_level");
                        match column.iter().find_map(|c| header.position(*c)).or(marks) {
                            Some(col) => {
                                let hint = Some(msg!("hint_import_fill_cell"));
                                table.error((record.row, col), msg!("import_new_needs", key = key), hint)
                            }
                            None => table.error(code_cell, msg!("import_new_needs_column", key = key), hint_map(key)),
                        }
                    })
                    .collect();
                if !missing.is_empty() {
                    errors.extend(missing);
                    continue;
                }
                let title = record.get("title").expect("checked above").value.shown().to_string();
                let mut slug = scaffold::file_slug(&title, None).unwrap_or_else(|_| text::short_slug(&record.code));
                if !slugs.insert(slug.clone()) {
                    slug = text::short_slug(&format!("{slug} {}", record.code));
                    slugs.insert(slug.clone());
                }
                let path = format!("{}/{slug}.md", scaffold::Kind::Procedure.folder());
                plan.added.push(Added { path, record });
            }
        }
    }
    for procedure in &site.procedures {
        if seen.contains_key(&procedure.code.value) || !procedure.is_active() {
            continue;
        }
        let code = procedure.code.value.clone();
        if abolish_missing {
            let change = Change {
                key: "status",
                old: Some(procedure.status.word().to_string()),
                new: NewValue::Text("abolished".into()),
            };
            plan.changed.push(Changed { path: procedure.path.clone(), code: code.clone(), changes: vec![change] });
        }
        plan.missing.push(Missing { path: procedure.path.clone(), code, title: procedure.title.clone() });
    }
    plan.missing.sort_by(|a, b| a.path.cmp(&b.path));
    if errors.is_empty() {
        Ok(plan)
    } else {
        Err(errors)
    }
}

fn hint_map(key: &str) -> Option<Message> {
    Some(msg!("hint_import_map", key = key))
}

/// The keys whose value in the table differs from the file's. Text that
/// differs only in spacing is the same (cells join lines that files may not).
fn changes(record: &Record, procedure: &Procedure) -> Vec<Change> {
    record
        .entries
        .iter()
        .filter_map(|Entry { key, value, .. }| {
            let old = current(procedure, key);
            let same = old.as_deref().is_some_and(|old| one_line(old) == value.shown());
            (!same).then(|| Change { key, old, new: value.clone() })
        })
        .collect()
}

/// The value a procedure has for `key`, as the table would write it.
fn current(p: &Procedure, key: &str) -> Option<String> {
    let text = |value: &Option<String>| value.clone();
    match key {
        "code" => Some(p.code.value.clone()),
        "title" => Some(p.title.clone()),
        "field" => Some(p.field.clone()),
        "agency" => Some(p.agency.clone()),
        "service_level" => Some(p.service_level.clone()),
        "postal" => Some(p.postal.word().to_string()),
        "tier" => text(&p.tier),
        "processing_time" => text(&p.processing_time),
        "fee" => text(&p.fee),
        "submit_at" => text(&p.submit_at),
        "online_url" => text(&p.online_url),
        "decision" => text(&p.decision),
        "status" => Some(p.status.word().to_string()),
        _ => None,
    }
}

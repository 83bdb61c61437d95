//! The fields of a procedure file that are more than text: the service
//! level, the postal mode, the status, the forms and the ways of filing,
//! each checked against what it may be. Each reader notes its mistakes in the
//! [`Fields`] it reads from.

use toml::de::DeValue;

use super::{Channel, ChannelKind, Form, Postal, Status};
use crate::config::{level_id, Config};
use crate::content::front_matter::{self, Fields};
use crate::messages::Message;
use crate::{msg, text};

/// The `service_level` key: the id of a level that site.toml declares.
pub(super) fn read_level(f: &mut Fields<'_, '_>, config: &Config) -> Option<String> {
    let declared: Vec<String> = config.service_levels.iter().map(|l| format!("\"{}\" ({})", l.id, l.name)).collect();
    let hint = msg!("hint_declared_levels", levels = declared.join(", "));
    let Some(value) = f.raw("service_level") else {
        f.missing("service_level", msg!("what_level"));
        return None;
    };
    match level_id(value.get_ref()) {
        Some(id) if config.level(&id).is_some() => Some(id),
        Some(id) => {
            f.error_at(value.span(), msg!("unknown_level", id = id), Some(hint));
            None
        }
        None if value.get_ref().as_str().is_some_and(|s| s.trim().is_empty()) => {
            f.error_at(value.span(), msg!("field_empty", key = "service_level", what = msg!("what_level")), Some(hint));
            None
        }
        None => {
            let found = front_matter::describe(value.get_ref());
            f.error_at(value.span(), msg!("level_wrong_type", found = found), Some(hint));
            None
        }
    }
}

/// The `postal` key: `true`, `false` or one of the [`Postal`] words.
pub(super) fn read_postal(f: &mut Fields<'_, '_>) -> Option<Postal> {
    let Some(value) = f.raw("postal") else {
        f.missing("postal", msg!("what_postal"));
        return None;
    };
    let postal = match value.get_ref() {
        DeValue::Boolean(true) => Some(Postal::Both),
        DeValue::Boolean(false) => Some(Postal::None),
        DeValue::String(word) => Postal::from_word(&text::fold(word.trim())),
        _ => None,
    };
    if postal.is_none() {
        let message = match value.get_ref() {
            DeValue::String(word) if word.trim().is_empty() => {
                msg!("field_empty", key = "postal", what = msg!("what_postal"))
            }
            DeValue::String(word) => msg!("postal_invalid", value = format!("`{word}`")),
            other => msg!("postal_invalid", value = front_matter::describe(other)),
        };
        f.error_at(value.span(), message, Some(msg!("hint_postal")));
    }
    postal
}

/// The `status` key, [`Status::Active`] when it is not written.
pub(super) fn read_status(f: &mut Fields<'_, '_>) -> Status {
    let Some(status) = f.text("status") else {
        return Status::Active;
    };
    match status.value.as_str() {
        "active" => Status::Active,
        "amended" => Status::Amended,
        "abolished" => Status::Abolished,
        other => {
            let span = f.raw("status").expect("present").span();
            f.error_at(span, msg!("status_invalid", value = other), Some(msg!("hint_status")));
            Status::Active
        }
    }
}

/// The `[[forms]]` tables, each a name and a file under `static/`; a form
/// with a mistake is left out.
pub(super) fn read_forms(f: &mut Fields<'_, '_>) -> Vec<Form> {
    let Some(value) = f.raw("forms") else {
        return Vec::new();
    };
    let DeValue::Array(items) = value.get_ref() else {
        f.error_at(value.span(), msg!("forms_not_tables"), Some(msg!("hint_forms")));
        return Vec::new();
    };
    let mut forms = Vec::new();
    for item in items.iter() {
        let DeValue::Table(table) = item.get_ref() else {
            f.error_at(item.span(), msg!("form_not_table"), Some(msg!("hint_forms")));
            continue;
        };
        let mut sub = f.nested(item.span().start, table);
        let name = sub.required_text("name", msg!("what_form_name"));
        let file = sub.required_text("file", msg!("what_form_file"));
        if !file.value.is_empty() {
            if let Err(hint) = check_static_path(&file.value) {
                let span = sub.raw("file").expect("present").span();
                sub.error_at(span, msg!("form_outside_static", file = &file.value), Some(hint));
            }
        }
        let errors = sub.finish();
        if errors.is_empty() {
            forms.push(Form { name: name.value, file });
        }
        f.errors.extend(errors);
    }
    forms
}

/// Checks that `file` names a file inside `static/`, written as a path
/// relative to it with `/` between folders; otherwise says how to write it.
fn check_static_path(file: &str) -> Result<(), Message> {
    if file.contains("://") {
        return Err(msg!("hint_form_download"));
    }
    let outside = file.starts_with('/')
        || file.contains('\\')
        || file.as_bytes().get(1) == Some(&b':')
        || file.split('/').any(|part| matches!(part, "" | "." | ".."));
    if outside {
        return Err(msg!("hint_form_path"));
    }
    Ok(())
}

/// The `[[channels]]` tables, each a kind with its own time, fee and note; a
/// channel without a valid kind is left out.
pub(super) fn read_channels(f: &mut Fields<'_, '_>) -> Vec<Channel> {
    let hint = msg!("hint_channels");
    let Some(value) = f.raw("channels") else {
        return Vec::new();
    };
    let DeValue::Array(items) = value.get_ref() else {
        f.error_at(value.span(), msg!("channels_not_tables"), Some(hint));
        return Vec::new();
    };
    let mut channels = Vec::new();
    for item in items.iter() {
        let DeValue::Table(table) = item.get_ref() else {
            f.error_at(item.span(), msg!("channel_not_table"), Some(hint.clone()));
            continue;
        };
        let mut sub = f.nested(item.span().start, table);
        let kind = match sub.text("kind") {
            None => {
                sub.missing("kind", msg!("what_channel_kind"));
                None
            }
            Some(kind) => match kind.value.as_str() {
                "direct" => Some(ChannelKind::Direct),
                "online" => Some(ChannelKind::Online),
                "postal" => Some(ChannelKind::Postal),
                other => {
                    let span = sub.raw("kind").expect("present").span();
                    sub.error_at(span, msg!("channel_kind_invalid", value = other), Some(hint.clone()));
                    None
                }
            },
        };
        let processing_time = sub.text("processing_time").map(|v| v.value);
        let fee = sub.text("fee").map(|v| v.value);
        let note = sub.text("note").map(|v| v.value);
        f.errors.extend(sub.finish());
        if let Some(kind) = kind {
            channels.push(Channel { kind, processing_time, fee, note });
        }
    }
    channels
}

//! Form files staff upload (`[[forms]]`): kept under `static/mau-don/<code>/`
//! with a safe name, only in the formats citizens can open.

use crate::content::windows_cannot_hold;
use crate::text;

/// The formats a form file may have, by extension.
pub const FORMATS: [&str; 7] = ["pdf", "doc", "docx", "odt", "xls", "xlsx", "ods"];

/// The folder of a procedure's form files, under `static/`: `mau-don/<code>`,
/// the code kept as it is when it is plain (`1.000047`), else made a slug,
/// and never a name Windows reserves.
pub fn folder(code: &str) -> String {
    let plain = !code.is_empty()
        && !code.starts_with('.')
        && code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    let name = if plain { code.to_string() } else { text::short_slug(code) };
    let name = if windows_cannot_hold(&name) { format!("ma-{name}") } else { name };
    format!("mau-don/{name}")
}

/// A safe name for an uploaded file: its last path part only, Vietnamese
/// letters folded, lower case ASCII letters, digits and hyphens, never a
/// name Windows reserves (`con.pdf` becomes `tep-con.pdf`); `None` when it
/// is not one of the [`FORMATS`].
pub fn safe_name(sent: &str) -> Option<String> {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or(sent);
    let (stem, extension) = last.rsplit_once('.')?;
    let extension = extension.to_ascii_lowercase();
    if !FORMATS.contains(&extension.as_str()) {
        return None;
    }
    let stem = text::short_slug(stem);
    let name = format!("{stem}.{extension}");
    Some(if windows_cannot_hold(&name) { format!("tep-{name}") } else { name })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_get_safe_names_in_their_procedure_folder() {
        assert_eq!(safe_name("Tờ khai đăng ký.DOCX").as_deref(), Some("to-khai-dang-ky.docx"));
        assert_eq!(safe_name("../../x.pdf").as_deref(), Some("x.pdf"));
        assert_eq!(safe_name("C:\\Users\\a\\..\\mẫu.pdf").as_deref(), Some("mau.pdf"));
        assert_eq!(safe_name("con.pdf").as_deref(), Some("tep-con.pdf"));
        assert_eq!(safe_name("LPT1.xlsx").as_deref(), Some("tep-lpt1.xlsx"));
        assert_eq!(safe_name("...pdf").map(|n| n.ends_with(".pdf")), Some(true));
        assert_eq!(safe_name("x.exe"), None);
        assert_eq!(safe_name("pdf"), None);
        assert_eq!(folder("1.000047"), "mau-don/1.000047");
        assert_eq!(folder("../x"), "mau-don/x");
        assert_eq!(folder("CON"), "mau-don/ma-CON");
        assert_eq!(folder(".."), format!("mau-don/{}", text::short_slug("..")));
    }
}

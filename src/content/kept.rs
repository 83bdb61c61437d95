//! The procedures a build parsed, kept in its rebuild cache
//! ([`crate::cache::kept_inputs`]) so that the next build takes them back
//! instead of reading and parsing every file again.
//!
//! A procedure file is taken back unread when its size, its times of change
//! and its inode are as they were, and they were already two seconds old when
//! that build began: a later write then leaves at least one of them changed,
//! even where a file system keeps its times by the second. Otherwise the file
//! is read, and taken back unparsed when its bytes are as they were: so after
//! a fresh checkout, which gives every file new times, as in CI. What the
//! cache kept was parsed with the same site.toml by the same build of niemyet
//! ([`crate::cache::BUILD`]), or it is not used. A procedure keeps its
//! warnings, which the next build shows as if it had read the file.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::procedure::Procedure;
use crate::cache::{Fingerprint, Hasher, Memo};
use crate::config::Config;
use crate::stamp::Stamp;

/// The stamps of the procedure files a load read or took back, by path:
/// `None` for a file whose times are too recent to trust ([`Stamp::of`]).
pub type Stamps = FxHashMap<String, Option<Stamp>>;

/// What the last build parsed: each procedure, by path, with its file's stamp.
#[derive(Default)]
pub struct Parsed {
    procedures: FxHashMap<String, (Option<Stamp>, Arc<Procedure>)>,
}

/// What a parse depends on besides the file: site.toml as read.
fn parsed_with(config: &Config) -> Fingerprint {
    Hasher::new().value(config).finish()
}

impl Parsed {
    /// Reads what a build kept, as [`Keep`] wrote it, when it parsed with
    /// `config`; the bodies are left in their files under `root`. A cache cut
    /// short gives the procedures before the cut.
    pub fn read(mut kept: impl Read, config: &Config, root: &Path) -> Parsed {
        let root: Arc<Path> = Arc::from(root);
        let mut parsed = Parsed::default();
        let mut with = [0; 16];
        if kept.read_exact(&mut with).is_err() || u128::from_le_bytes(with) != parsed_with(config) {
            return parsed;
        }
        let mut bytes = Vec::new();
        let mut length = [0; 4];
        while kept.read_exact(&mut length).is_ok() {
            let length = u64::from(u32::from_le_bytes(length));
            bytes.clear();
            // Read as far as there are bytes, not allocated up front: a damaged length is not a 4 GB allocation.
            if (&mut kept).take(length).read_to_end(&mut bytes).map_or(true, |n| n as u64 != length) {
                break;
            }
            // One that does not read back (a message the catalogue no longer has) is read from its file.
            let Ok((stamp, mut procedure)) = postcard::from_bytes::<(Option<Stamp>, Procedure)>(&bytes) else {
                continue;
            };
            procedure.leave_body_in(&root);
            parsed.procedures.insert(procedure.path.clone(), (stamp, Arc::new(procedure)));
        }
        parsed
    }

    /// The procedure at `path`, when its file is still stamped `stamp`.
    pub fn unchanged(&self, path: &str, stamp: Option<Stamp>) -> Option<Arc<Procedure>> {
        let (kept, procedure) = self.procedures.get(path)?;
        (stamp.is_some() && *kept == stamp).then(|| Arc::clone(procedure))
    }

    /// The procedure at `path`, when it was parsed from the same bytes
    /// (whose fingerprint `fingerprint` gives, asked only for a path kept).
    pub fn same_bytes(&self, path: &str, fingerprint: impl FnOnce() -> Fingerprint) -> Option<Arc<Procedure>> {
        let (_, procedure) = self.procedures.get(path)?;
        (procedure.fingerprint == fingerprint()).then(|| Arc::clone(procedure))
    }
}

/// What a build keeps for the next ([`Parsed::read`]): its procedures
/// parsed with `config`, with their files' stamps.
pub struct Keep<'a> {
    /// What the parses depended on besides the files ([`parsed_with`]).
    parsed_with: Fingerprint,
    procedures: &'a [Arc<Procedure>],
    stamps: &'a Stamps,
}

impl<'a> Keep<'a> {
    /// Keeps `procedures` (those read, drafts too), parsed with `config`
    /// (site.toml as read), with their files' `stamps` ([`super::Content::stamps`]).
    pub fn new(config: &Config, procedures: &'a [Arc<Procedure>], stamps: &'a Stamps) -> Keep<'a> {
        Keep { parsed_with: parsed_with(config), procedures, stamps }
    }
}

impl Memo for Keep<'_> {
    fn write(&self, out: &mut dyn Write) -> std::io::Result<()> {
        out.write_all(&self.parsed_with.to_le_bytes())?;
        let mut bytes = Vec::new();
        for procedure in self.procedures {
            let Some(stamp) = self.stamps.get(&procedure.path) else {
                continue;
            };
            bytes.clear();
            postcard::to_io(&(stamp, &**procedure), &mut bytes).map_err(std::io::Error::other)?;
            out.write_all(&(bytes.len() as u32).to_le_bytes())?;
            out.write_all(&bytes)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ServiceLevel;

    fn config(levels: &[&str]) -> Config {
        let level = |id: &&str| ServiceLevel {
            id: id.to_string(),
            slug: id.to_string(),
            name: id.to_string(),
            description: None,
        };
        Config {
            title: "T".into(),
            base_url: "https://example.gov.vn".into(),
            language: crate::messages::Language::Vi,
            theme: "default".into(),
            description: None,
            organization: None,
            service_levels: levels.iter().map(level).collect(),
            search: Default::default(),
            edit: Default::default(),
        }
    }

    const FULL: &str = "+++\ntitle = \"Đăng ký khai sinh\"\ncode = \"1.000047\"\nfield = \"Hộ tịch\"\nagency = \"UBND xã\"\nservice_level = 4\npostal = \"receive\"\nstatus = \"amended\"\ntier = \"Cấp xã\"\nfee = \"Miễn phí\"\nonline_url = \"http://dichvucong.gov.vn\"\ndecision = \"QĐ 1\"\ndecision_date = 2020-09-21\nupdated = 2021-01-02\naliases = [\"/cu/\"]\nkeywords = [\"khai sinh\"]\napplicants = [\"Công dân\"]\nforms = [{ name = \"Tờ khai\", file = \"mau-don/to-khai.docx\" }]\n[[channels]]\nkind = \"online\"\nfee = \"0 đồng\"\n[[channels]]\nkind = \"direct\"\nprocessing_time = \"1 ngày\"\n[extra]\nx = [1, 2.5, \"y\"]\nz = { a = true }\n+++\n## Trình tự\n\nXem [trang](/gioi-thieu/).\n";

    #[test]
    fn a_procedure_reads_back_as_it_was_parsed_with_its_body_left_in_its_file() {
        let site_toml = config(&["4"]);
        let mut procedure =
            super::super::procedure::parse("content/procedures/a.md".into(), FULL.as_bytes(), &site_toml)
                .expect("the file parses");
        assert!(procedure.warnings.len() == 1 && procedure.extra.is_some() && procedure.channels.len() == 2);
        let root: Arc<Path> = Arc::from(Path::new("/site"));
        procedure.leave_body_in(&root);
        let procedures = [Arc::new(procedure)];
        let dir = tempfile::tempdir().unwrap();
        let stamp_of = |text: &str| {
            let file = dir.path().join(text);
            std::fs::write(&file, text).unwrap();
            let settled = std::time::SystemTime::now() + std::time::Duration::from_secs(3);
            Stamp::of(&std::fs::metadata(&file).unwrap(), settled).expect("settled")
        };
        let stamp = stamp_of("a");
        let stamps = Stamps::from_iter([(procedures[0].path.clone(), Some(stamp))]);
        let mut bytes = Vec::new();
        Keep::new(&site_toml, &procedures, &stamps).write(&mut bytes).unwrap();

        let parsed = Parsed::read(&bytes[..], &site_toml, &root);
        let back = parsed.unchanged("content/procedures/a.md", Some(stamp)).expect("taken back while unchanged");
        assert_eq!(format!("{back:?}"), format!("{:?}", procedures[0]));
        let other = stamp_of("bb");
        assert!(parsed.unchanged("content/procedures/a.md", Some(other)).is_none(), "not when the file changed");
        assert!(parsed.unchanged("content/procedures/a.md", None).is_none(), "not when the times are too recent");
        let fingerprint = procedures[0].fingerprint;
        assert!(
            parsed.same_bytes("content/procedures/a.md", || fingerprint).is_some(),
            "taken back for the same bytes"
        );
        assert!(parsed.same_bytes("content/procedures/a.md", || fingerprint ^ 1).is_none());

        let with_other_levels = Parsed::read(&bytes[..], &config(&["3", "4"]), &root);
        assert!(
            with_other_levels.same_bytes("content/procedures/a.md", || fingerprint).is_none(),
            "parsed again when site.toml changed"
        );
        let cut = Parsed::read(&bytes[..bytes.len() - 1], &site_toml, &root);
        assert!(cut.same_bytes("content/procedures/a.md", || fingerprint).is_none(), "an entry cut short is not read");
        let mut damaged = bytes.clone();
        damaged[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
        let damaged = Parsed::read(&damaged[..], &site_toml, &root);
        assert!(damaged.same_bytes("content/procedures/a.md", || fingerprint).is_none(), "nor one of a damaged length");
    }
}

//! Words and phrases that search treats as the same: the usual administrative
//! abbreviations, built in, and a site's own `[search] synonyms` (contract §7).
//! Either form in a query finds the other in the index.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use crate::text;

/// The built-in groups: an abbreviation as it is written in procedures and
/// in people's queries, then what it stands for (and other everyday names).
const BUILT_IN: &[&[&str]] = &[
    &["UBND", "ủy ban nhân dân"],
    &["HĐND", "hội đồng nhân dân"],
    &["GCN", "giấy chứng nhận"],
    &["CCCD", "căn cước công dân", "thẻ căn cước", "căn cước"],
    &["CMND", "chứng minh nhân dân", "chứng minh thư"],
    &["GPLX", "giấy phép lái xe", "bằng lái xe", "bằng lái"],
    &["BHXH", "bảo hiểm xã hội"],
    &["BHYT", "bảo hiểm y tế"],
    &["BHTN", "bảo hiểm thất nghiệp"],
    &["HTX", "hợp tác xã"],
    &["PCCC", "phòng cháy chữa cháy", "phòng cháy và chữa cháy"],
    &["QSDĐ", "quyền sử dụng đất"],
    &["GCNQSDĐ", "sổ đỏ", "giấy chứng nhận quyền sử dụng đất"],
    &["sổ hồng", "giấy chứng nhận quyền sở hữu nhà ở"],
    &["ĐKKD", "đăng ký kinh doanh"],
    &["GPKD", "giấy phép kinh doanh"],
    &["GPXD", "giấy phép xây dựng"],
    &["TNHH", "trách nhiệm hữu hạn"],
    &["DN", "doanh nghiệp"],
    &["DNTN", "doanh nghiệp tư nhân"],
    &["HKD", "hộ kinh doanh"],
    &["MST", "mã số thuế"],
    &["GTGT", "giá trị gia tăng"],
    &["TNCN", "thu nhập cá nhân"],
    &["TNDN", "thu nhập doanh nghiệp"],
    &["XNK", "xuất nhập khẩu"],
    &["ATTP", "an toàn thực phẩm"],
    &["VSATTP", "vệ sinh an toàn thực phẩm"],
    &["LLTP", "lý lịch tư pháp"],
    &["KCN", "khu công nghiệp"],
    &["CCN", "cụm công nghiệp"],
    &["KCX", "khu chế xuất"],
    &["TTHC", "thủ tục hành chính"],
    &["DVC", "dịch vụ công"],
    &["DVCTT", "dịch vụ công trực tuyến"],
    &["CNTT", "công nghệ thông tin"],
    &["KHCN", "khoa học và công nghệ", "khoa học công nghệ"],
    &["GDĐT", "giáo dục và đào tạo"],
    &["LĐTBXH", "lao động thương binh và xã hội"],
    &["TNMT", "tài nguyên và môi trường", "tài nguyên môi trường"],
    &["GTVT", "giao thông vận tải"],
    &["VHTTDL", "văn hóa thể thao và du lịch"],
    &["ĐTM", "đánh giá tác động môi trường"],
    &["THPT", "trung học phổ thông"],
    &["THCS", "trung học cơ sở"],
    &["CSKD", "cơ sở kinh doanh"],
    &["SXKD", "sản xuất kinh doanh"],
    &["NĐ", "nghị định"],
    &["QĐ", "quyết định"],
];

/// The groups in force on a site, each form also as its search words.
pub struct Synonyms {
    /// Each group's forms as written, built-in groups first; a group's
    /// position is its id, and its index term is `~<id>`.
    pub groups: Vec<Vec<String>>,
    /// The forms by their first search word.
    by_first: ByFirst,
    /// Each group's index term, by id: `~<id>`.
    terms: Vec<String>,
}

/// Forms by their first search word: (the form's words, group id).
type ByFirst = FxHashMap<String, Vec<(Vec<String>, usize)>>;

/// One place in a word sequence where a form of a group stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// Index of the form's first word.
    pub start: usize,
    /// Index just past its last word.
    pub end: usize,
    /// The group's id.
    pub group: usize,
}

impl Synonyms {
    /// The built-in groups and the site's own; groups that share a form
    /// (the same search words) are merged into one.
    pub fn new(site_groups: &[Vec<String>]) -> Synonyms {
        let all = BUILT_IN.iter().map(|g| g.iter().map(|f| f.to_string()).collect::<Vec<_>>());
        let mut groups: Vec<Vec<String>> = Vec::new();
        let mut owner: HashMap<Vec<String>, usize> = HashMap::new();
        for group in all.chain(site_groups.iter().cloned()) {
            let keys: Vec<Vec<String>> = group.iter().map(|f| text::words(f)).collect();
            let mut into: Option<usize> = None;
            for key in &keys {
                if let Some(&id) = owner.get(key) {
                    into = Some(into.map_or(id, |i| i.min(id)));
                }
            }
            let id = into.unwrap_or_else(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            for other in keys.iter().filter_map(|k| owner.get(k).copied()).filter(|&o| o != id).collect::<Vec<_>>() {
                let moved = std::mem::take(&mut groups[other]);
                owner.values_mut().filter(|v| **v == other).for_each(|v| *v = id);
                groups[id].extend(moved);
            }
            for (form, key) in group.into_iter().zip(keys) {
                if !key.is_empty() && owner.insert(key, id).is_none() {
                    groups[id].push(form);
                }
            }
        }
        let (groups, by_first) = index(groups);
        let terms = (0..groups.len()).map(|id| format!("~{id}")).collect();
        Synonyms { groups, by_first, terms }
    }

    /// The term that stands for a group in the index.
    pub fn term(&self, group: usize) -> &str {
        &self.terms[group]
    }

    /// Every place in `words` where a form of a group stands; overlapping
    /// places are all found ("giấy chứng nhận quyền sử dụng đất" holds both
    /// GCN and QSDĐ).
    pub fn find<W: AsRef<str>>(&self, words: &[W]) -> Vec<Found> {
        let mut found = Vec::new();
        for start in 0..words.len() {
            for (form, group) in self.by_first.get(words[start].as_ref()).into_iter().flatten() {
                let end = start + form.len();
                if end <= words.len() && words[start..end].iter().zip(form).all(|(w, f)| w.as_ref() == f) {
                    found.push(Found { start, end, group: *group });
                }
            }
        }
        found.dedup();
        found
    }
}

/// Drops the groups emptied by merging (ids become positions again) and
/// indexes the forms by their first word.
fn index(groups: Vec<Vec<String>>) -> (Vec<Vec<String>>, ByFirst) {
    let groups: Vec<Vec<String>> = groups.into_iter().filter(|g| g.len() >= 2).collect();
    let mut by_first = ByFirst::default();
    for (id, group) in groups.iter().enumerate() {
        for form in group {
            let words = text::words(form);
            by_first.entry(words[0].clone()).or_default().push((words, id));
        }
    }
    (groups, by_first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text::words(text)
    }

    #[test]
    fn a_site_group_sharing_a_form_joins_the_built_in_one() {
        let site = vec![
            vec!["CCCD".to_string(), "thẻ định danh".to_string()],
            vec!["khai sinh".into(), "giấy khai sinh".into()],
        ];
        let synonyms = Synonyms::new(&site);
        let cccd = synonyms.groups.iter().position(|g| g.contains(&"CCCD".to_string())).unwrap();
        assert!(synonyms.groups[cccd].contains(&"thẻ định danh".to_string()));
        assert!(synonyms.groups[cccd].contains(&"căn cước công dân".to_string()));
        assert_eq!(synonyms.groups.iter().filter(|g| g.contains(&"CCCD".to_string())).count(), 1);
        let found = synonyms.find(&words("Cấp bản sao giấy khai sinh"));
        let groups: Vec<usize> = found.iter().map(|f| f.group).collect();
        assert_eq!(groups.len(), 2, "giấy khai sinh and khai sinh: {found:?}");
        assert!(groups.iter().all(|&g| g == groups[0]));
    }

    #[test]
    fn overlapping_forms_are_all_found() {
        let synonyms = Synonyms::new(&[]);
        let found = synonyms.find(&words("Cấp giấy chứng nhận quyền sử dụng đất lần đầu"));
        let spans: Vec<(usize, usize)> = found.iter().map(|f| (f.start, f.end)).collect();
        assert!(spans.contains(&(1, 4)), "GCN: {spans:?}");
        assert!(spans.contains(&(4, 8)), "QSDĐ: {spans:?}");
        assert!(spans.contains(&(1, 8)), "sổ đỏ: {spans:?}");
        let ubnd = synonyms.find(&words("UBND"));
        assert_eq!(synonyms.find(&words("Ủy ban nhân dân"))[0].group, ubnd[0].group);
    }
}

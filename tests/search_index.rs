//! Contract §7: the search index the build writes under /tim-kiem/chi-muc/,
//! read the way the search script reads it.

mod common;

use common::*;
use serde_json::Value;

fn index_site() -> tempfile::TempDir {
    site(&[
        ("site.toml", SITE_TOML),
        (
            "content/procedures/hop-quy.md",
            &Proc::new(&nfd("Đăng ký công bố hợp quy"), "1.000045")
                .extra("keywords = [\"chứng nhận\"]")
                .body("## Thành phần hồ sơ\n\n<!-- ghichúngườisoạn -->\nGiấy xácnhậnđộcnhất (01 bản), [mẫu](https://example.gov.vn/diachilienket.pdf).\n")
                .md(),
        ),
        (
            "content/procedures/hop-chuan.md",
            &Proc::new("Đăng ký công bố hợp chuẩn", "1.000047").postal("\"none\"").md(),
        ),
        (
            "content/procedures/cu.md",
            &Proc::new("Thủ tục đã bỏ", "2.000001.000.00.00.H29").level("3").extra("status = \"abolished\"").md(),
        ),
    ])
}

fn json(tree: &Tree, name: &str) -> Value {
    serde_json::from_str(&page(tree, &format!("tim-kiem/chi-muc/{name}"))).expect("valid JSON")
}

/// The postings of `term` in a tier ("t" or "b"), read the way the script reads them: from the
/// shard whose key is the longest of the tier's keys the term starts with, runs of documents
/// `[gap, length, weight, …]` decoded into (doc, weight) pairs.
fn postings(tree: &Tree, tier: &str, term: &str) -> Vec<(u64, u64)> {
    let meta = json(tree, "meta.json");
    let keys = &meta[if tier == "t" { "title_shards" } else { "body_shards" }];
    let key = keys
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .filter(|k| term.starts_with(k))
        .max_by_key(|k| k.len());
    let Some(key) = key else { return Vec::new() };
    let shard = json(tree, &format!("{tier}-{key}.json"));
    let Some(list) = shard.get(term) else { return Vec::new() };
    let flat: Vec<u64> = list.as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
    let mut out = Vec::new();
    let mut doc = 0;
    for run in flat.chunks(3) {
        doc += run[0];
        for _ in 0..run[1] {
            out.push((doc, run[2]));
            doc += 1;
        }
    }
    out
}

/// The document number of each title, in the index's order.
fn doc_ids(tree: &Tree) -> std::collections::HashMap<String, u64> {
    let meta = json(tree, "meta.json");
    let chunk = meta["chunk"].as_u64().unwrap();
    let mut ids = std::collections::HashMap::new();
    for k in 0..meta["count"].as_u64().unwrap().div_ceil(chunk) {
        for (i, d) in json(tree, &format!("docs-{k}.json")).as_array().unwrap().iter().enumerate() {
            ids.insert(d[0].as_str().unwrap().to_string(), k * chunk + i as u64);
        }
    }
    ids
}

/// Each document's facts for narrowing, from meta's runs: [field, level, postal mode, abolished].
fn facts(meta: &Value) -> Vec<[u64; 4]> {
    let runs = meta["runs"].as_array().unwrap();
    let count = meta["count"].as_u64().unwrap();
    let mut out = Vec::new();
    for (i, run) in runs.iter().enumerate() {
        let r: Vec<u64> = run.as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
        let end = runs.get(i + 1).map_or(count, |next| next[0].as_u64().unwrap());
        out.extend((r[0]..end).map(|_| [r[1], r[2], r[3], r[4]]));
    }
    out
}

#[test]
fn meta_describes_every_document_for_narrowing() {
    let dir = index_site();
    let tree = build_ok(dir.path());
    let meta = json(&tree, "meta.json");
    assert_eq!(meta["version"], 2);
    assert_eq!(meta["count"], 3);
    let ids = doc_ids(&tree);
    let docs = json(&tree, "docs-0.json");
    let hop_chuan = &docs[ids["Đăng ký công bố hợp chuẩn"] as usize];
    assert_eq!(hop_chuan[1], "1.000047");
    assert_eq!(hop_chuan[2], "thu-tuc/hop-chuan/");
    assert!(ids.contains_key("Đăng ký công bố hợp quy"), "titles in NFC: {ids:?}");
    let postal_words: Vec<&str> =
        meta["postal"].as_array().unwrap().iter().map(|p| p["word"].as_str().unwrap()).collect();
    assert_eq!(postal_words, ["both", "receive", "return", "none"]);
    let level_ids: Vec<&str> = meta["levels"].as_array().unwrap().iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(level_ids, ["2", "3", "4"]);
    let facts = facts(&meta);
    assert_eq!(facts[ids["Đăng ký công bố hợp chuẩn"] as usize], [0, 2, 3, 0], "field, level 4, postal none, in force");
    assert_eq!(facts[ids["Đăng ký công bố hợp quy"] as usize], [0, 2, 0, 0]);
    assert_eq!(facts[ids["Thủ tục đã bỏ"] as usize], [0, 1, 0, 1], "level 3, abolished");
    assert_eq!(meta["field_slugs"], serde_json::json!(["tieu-chuan-do-luong-chat-luong"]), "as in /linh-vuc/<slug>/");
}

#[test]
fn title_words_and_pairs_are_folded_and_weighted() {
    let dir = index_site();
    let tree = build_ok(dir.path());
    let ids = doc_ids(&tree);
    let (quy, chuan, bo) = (ids["Đăng ký công bố hợp quy"], ids["Đăng ký công bố hợp chuẩn"], ids["Thủ tục đã bỏ"]);
    let sorted = |mut v: Vec<(u64, u64)>| {
        v.sort();
        v
    };
    // Six words: weight 9; the first word of a title also carries 16.
    assert_eq!(sorted(postings(&tree, "t", "dang")), sorted(vec![(quy, 25), (chuan, 25)]), "NFD folded like NFC");
    assert_eq!(sorted(postings(&tree, "t", "ki")), sorted(vec![(quy, 9), (chuan, 9)]), "ký is searched as ki");
    assert_eq!(postings(&tree, "t", "ky"), []);
    assert_eq!(sorted(postings(&tree, "t", "dang_ki")), sorted(vec![(quy, 4), (chuan, 4)]));
    assert_eq!(postings(&tree, "t", "chung"), [(quy, 5)], "keyword weight");
    assert_eq!(
        sorted(postings(&tree, "t", "chuan")),
        sorted(vec![(quy, 2), (chuan, 9), (bo, 2)]),
        "title 9 or field 2"
    );
    // "Thủ tục" is not where a title starts: "đã" is, and the title counts 3 words.
    assert_eq!(postings(&tree, "t", "thu"), [(bo, 10)]);
    assert_eq!(postings(&tree, "t", "da"), [(bo, 26)]);
}

#[test]
fn synonyms_are_indexed_as_one_term_for_every_form() {
    let toml = format!("{SITE_TOML}\n[search]\nsynonyms = [[\"khai sinh\", \"giấy khai sinh\"]]\n");
    let dir = site(&[
        ("site.toml", &toml),
        (
            "content/procedures/a.md",
            &Proc::new("Cấp bản sao giấy khai sinh", "1.000001").agency("Ủy ban nhân dân xã").md(),
        ),
        ("content/procedures/b.md", &Proc::new("Đăng ký khai sinh", "1.000002").agency("UBND huyện").md()),
    ]);
    let tree = build_ok(dir.path());
    let meta = json(&tree, "meta.json");
    let groups = meta["synonyms"].as_array().unwrap();
    let find = |form: &str| groups.iter().position(|g| g.as_array().unwrap().iter().any(|f| f == form)).unwrap();
    let (birth, ubnd) = (find("giấy khai sinh"), find("UBND"));
    assert_eq!(find("khai sinh"), birth);
    assert_eq!(find("ủy ban nhân dân"), ubnd, "built in");
    let ids = doc_ids(&tree);
    let (a, b) = (ids["Cấp bản sao giấy khai sinh"], ids["Đăng ký khai sinh"]);
    let mut both = vec![a, b];
    both.sort();
    let docs = |term: &str| {
        let mut d: Vec<u64> = postings(&tree, "t", term).into_iter().map(|(d, _)| d).collect();
        d.sort();
        d
    };
    assert_eq!(docs(&format!("~{birth}")), both, "either form");
    assert_eq!(docs(&format!("~{ubnd}")), both, "the agency, written out or abbreviated");
    assert_eq!(docs(&format!("ki_~{birth}")), [b], "pairs with the group");
    assert_eq!(docs(&format!("sao_~{birth}")), [a]);
}

#[test]
fn the_vocabulary_lists_title_words_most_common_first_with_their_spelling() {
    let dir = index_site();
    let tree = build_ok(dir.path());
    let vocab = json(&tree, "vocab.json");
    let list: Vec<&str> = vocab.as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(&list[..5], ["bo bố", "cong công", "dang đăng", "hop hợp", "ki ký"], "in two titles each, then by word");
    assert!(list.contains(&"chung chứng"), "keywords too: {list:?}");
}

#[test]
fn body_words_are_in_the_body_tier_only() {
    let dir = index_site();
    let tree = build_ok(dir.path());
    let quy = doc_ids(&tree)["Đăng ký công bố hợp quy"];
    assert_eq!(postings(&tree, "b", "xacnhandocnhat"), [(quy, 1)]);
    assert_eq!(postings(&tree, "t", "xacnhandocnhat"), []);
    // What readers do not see is not searched: writers' notes and link addresses.
    let all: String = tree
        .keys()
        .filter(|k| k.starts_with("tim-kiem/chi-muc/b-"))
        .map(|k| json(&tree, k.trim_start_matches("tim-kiem/chi-muc/")).to_string())
        .collect();
    assert!(all.contains("\"mau\""), "the link text is searched");
    assert!(!all.contains("ghichunguoisoan"), "an HTML comment was indexed");
    assert!(!all.contains("diachilienket"), "a link address was indexed");
}

#[test]
fn codes_lead_to_their_document() {
    let dir = index_site();
    let tree = build_ok(dir.path());
    let ids = doc_ids(&tree);
    let meta = json(&tree, "meta.json");
    let keys: Vec<&str> = meta["code_shards"].as_array().unwrap().iter().map(|k| k.as_str().unwrap()).collect();
    assert_eq!(keys, ["10000", "20000"]);
    let shard = json(&tree, "c-10000.json");
    assert_eq!(shard["1000047"], ids["Đăng ký công bố hợp chuẩn"]);
    assert_eq!(shard["1000045"], ids["Đăng ký công bố hợp quy"]);
    assert_eq!(json(&tree, "c-20000.json")["20000010000000h29"], ids["Thủ tục đã bỏ"]);
}

#[test]
fn a_synonym_group_of_one_form_is_an_error_at_its_place() {
    let toml = format!("{SITE_TOML}\n[search]\nsynonyms = [[\"khai sinh\"], [\"a\", \"b\"]]\n");
    let dir = site(&[("site.toml", &toml), ("content/procedures/a.md", &Proc::new("Đăng ký", "1.000001").md())]);
    let out = build(dir.path());
    out.expect(1);
    let line = toml.lines().position(|l| l.starts_with("synonyms")).unwrap() + 1;
    assert!(out.stderr.contains(&format!("site.toml:{line}:13: error: ")), "{}", out.stderr);
    assert!(out.stderr.contains("synonyms = [["), "the hint shows how: {}", out.stderr);
    assert_eq!(out.stderr.matches("error:").count(), 1, "{}", out.stderr);
}

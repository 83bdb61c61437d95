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

/// Decodes a flat `[doc delta, weight, …]` posting list into (doc, weight) pairs.
fn postings(list: &Value) -> Vec<(u64, u64)> {
    let flat: Vec<u64> = list.as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
    let mut doc = 0;
    flat.chunks(2)
        .map(|pair| {
            doc += pair[0];
            (doc, pair[1])
        })
        .collect()
}

#[test]
fn meta_describes_every_document_for_narrowing() {
    let dir = index_site();
    let tree = build_ok(dir.path());
    let meta = json(&tree, "meta.json");
    assert_eq!(meta["version"], 1);
    assert_eq!(meta["count"], 3);
    let docs = json(&tree, "docs-0.json");
    let titles: Vec<&str> = docs.as_array().unwrap().iter().map(|d| d[0].as_str().unwrap()).collect();
    assert_eq!(
        titles,
        ["Đăng ký công bố hợp chuẩn", "Đăng ký công bố hợp quy", "Thủ tục đã bỏ"],
        "NFC, in title order"
    );
    assert_eq!(docs[0][1], "1.000047");
    assert_eq!(docs[0][2], "thu-tuc/hop-chuan/");
    let postal_words: Vec<&str> =
        meta["postal"].as_array().unwrap().iter().map(|p| p["word"].as_str().unwrap()).collect();
    assert_eq!(postal_words, ["both", "receive", "return", "none"]);
    assert_eq!(meta["postal_of"], serde_json::json!([3, 0, 0]));
    let level_ids: Vec<&str> = meta["levels"].as_array().unwrap().iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(level_ids, ["2", "3", "4"]);
    assert_eq!(meta["level"], serde_json::json!([2, 2, 1]));
    assert_eq!(meta["field"], serde_json::json!([0, 0, 0]));
    assert_eq!(meta["field_slugs"], serde_json::json!(["tieu-chuan-do-luong-chat-luong"]), "as in /linh-vuc/<slug>/");
    assert_eq!(meta["abolished"], serde_json::json!([2]));
}

#[test]
fn title_words_and_bigrams_are_folded_and_weighted() {
    let dir = index_site();
    let tree = build_ok(dir.path());
    let meta = json(&tree, "meta.json");
    assert!(meta["title_shards"].as_array().unwrap().contains(&Value::from("da")));
    let shard = json(&tree, "t-da.json");
    assert_eq!(postings(&shard["dang"]), [(0, 8), (1, 8)], "title weight 8 for both, NFD folded like NFC");
    assert_eq!(postings(&shard["dang_ky"]), [(0, 4), (1, 4)]);
    let chung = json(&tree, "t-ch.json");
    assert_eq!(postings(&chung["chung"]), [(1, 5)], "keyword weight");
    assert_eq!(postings(&chung["chuan"]), [(0, 8), (1, 2), (2, 2)], "the highest of title 8 and field 2; field only");
}

#[test]
fn body_words_are_in_the_body_tier_only() {
    let dir = index_site();
    let tree = build_ok(dir.path());
    let body = json(&tree, "b-xac.json");
    assert_eq!(postings(&body["xacnhandocnhat"]), [(1, 1)]);
    assert!(!tree.contains_key("tim-kiem/chi-muc/t-xa.json"));
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
    let meta = json(&tree, "meta.json");
    let keys: Vec<&str> = meta["code_shards"].as_array().unwrap().iter().map(|k| k.as_str().unwrap()).collect();
    assert_eq!(keys, ["10000", "20000"]);
    let shard = json(&tree, "c-10000.json");
    assert_eq!(shard["1000047"], 0);
    assert_eq!(shard["1000045"], 1);
    assert_eq!(json(&tree, "c-20000.json")["20000010000000h29"], 2);
}

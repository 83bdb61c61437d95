//! Issue 3: the search script folds queries exactly as the build folded the
//! index. The same table of words goes through `niemyet::text` and through
//! `themes/default/static/search.js` under Node, and the results must agree.

use std::process::Command;

use unicode_normalization::UnicodeNormalization;

const WORDS: &[&str] = &[
    "Đăng ký công bố hợp quy",
    "ĐĂNG KÝ CÔNG BỐ HỢP CHUẨN",
    "hòa hoà HÒA HOÀ",
    "thủy thuỷ",
    "Nghị định 132/2008/NĐ-CP",
    "Giấy chứng nhận (bản sao)",
    "1.000494.000.00.00.H29",
    "phương tiện đo, lượng của hàng đóng gói sẵn",
    "ưu tiên Ơn Ư ư",
    "Ångström naïve façade",
    "  nhiều   khoảng   trắng  ",
    "tab\tvà\nxuống dòng",
    "emoji 🙂 giữa",
    "",
];

fn node_fold(inputs: &[String]) -> Vec<(String, Vec<String>, String)> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/static/search.js");
    let program = format!(
        "const s = require({script:?}); const inputs = JSON.parse(process.argv[1]); \
         console.log(JSON.stringify(inputs.map(w => [s.fold(w), s.words(w), s.codeToken(w)])));"
    );
    let output = Command::new("node")
        .args(["-e", &program, &serde_json::to_string(inputs).unwrap()])
        .output()
        .expect("node runs (Node.js is needed for this test)");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON from node")
}

#[test]
fn javascript_folds_like_rust() {
    let mut inputs: Vec<String> = Vec::new();
    for word in WORDS {
        inputs.push(word.to_string());
        inputs.push(word.nfd().collect());
        inputs.push(word.nfkc().collect());
    }
    let from_node = node_fold(&inputs);
    for (input, (fold, words, code)) in inputs.iter().zip(from_node) {
        assert_eq!(fold, niemyet::text::fold(input), "fold of {input:?}");
        assert_eq!(words, niemyet::text::words(input), "words of {input:?}");
        assert_eq!(code, niemyet::text::code_token(input), "code token of {input:?}");
    }
}

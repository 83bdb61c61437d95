//! The search script reads queries exactly as the build read the index (issues 3
//! and 9). The same table of words goes through `niemyet::text` and through
//! `themes/default/static/search.js` under Node, and the results must agree:
//! folding, the i/y spellings of one syllable, and codes. Words typed in Telex
//! or VNI with the input method off are read by the script only (the content
//! is never typed so): every word of the demo's titles, typed both ways, must
//! read back as the word it spells.

use std::io::Write;
use std::process::{Command, Stdio};

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
    "ký kí lý lí kỹ kĩ Mỹ Mĩ quy qui Quý hy sinh tỷ lệ sĩ quan",
    "y tế ý kiến yên yêu tuy thủy thuỷ ay máy quyết khuyến huy uy nguy quỳnh",
];

/// Runs `expression` (of `s`, the script's exports, and `inputs`) under Node for a list of inputs.
fn node<T: serde::de::DeserializeOwned>(expression: &str, inputs: &[String]) -> T {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/static/search.js");
    let program = format!(
        "const s = require({script:?}); const inputs = JSON.parse(require('fs').readFileSync(0, 'utf8')); \
         console.log(JSON.stringify({expression}));"
    );
    let mut child = Command::new("node")
        .args(["-e", &program])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs (Node.js is needed for this test)");
    child.stdin.take().unwrap().write_all(serde_json::to_string(inputs).unwrap().as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON from node")
}

fn node_fold(inputs: &[String]) -> Vec<(String, Vec<String>, String, usize)> {
    node("inputs.map(w => [s.fold(w), s.words(w), s.codeToken(w), s.typedWords(w).length])", inputs)
}

/// How a word is typed with the input method off: each letter's shape keys after it (Telex
/// `aa aw ee oo ow uw dd`, VNI `6 7 8 9`), the tone's key at the end of the word.
fn keystrokes(word: &str, vni: bool) -> String {
    let mut out = String::new();
    let mut tone = "";
    for c in word.to_lowercase().chars() {
        if c == 'đ' {
            out.push_str(if vni { "d9" } else { "dd" });
            continue;
        }
        let parts: Vec<char> = c.nfd().collect();
        let mut keys = parts[0].to_string();
        for mark in &parts[1..] {
            let (telex, vni_key) = match mark {
                '\u{301}' => ("s", "1"),
                '\u{300}' => ("f", "2"),
                '\u{309}' => ("r", "3"),
                '\u{303}' => ("x", "4"),
                '\u{323}' => ("j", "5"),
                _ => ("", ""),
            };
            if !telex.is_empty() {
                tone = if vni { vni_key } else { telex };
                continue;
            }
            let base = parts[0];
            keys = match (mark, vni) {
                ('\u{302}', false) => format!("{base}{base}"),
                (_, false) => format!("{base}w"),
                ('\u{302}', true) => format!("{base}6"),
                ('\u{306}', true) => format!("{base}8"),
                (_, true) => format!("{base}7"),
            };
        }
        out.push_str(&keys);
    }
    if !vni {
        out = out.replace("uwow", "uow");
    }
    out + tone
}

#[test]
fn words_typed_in_telex_or_vni_read_back_as_the_word_they_spell() {
    let demo = walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content/procedures"));
    let mut vietnamese: Vec<String> = Vec::new();
    for entry in demo.into_iter().map(Result::unwrap).filter(|e| e.path().extension().is_some_and(|x| x == "md")) {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let title = text.lines().find_map(|l| l.strip_prefix("title = \"")).unwrap().trim_end_matches('"');
        for word in title.split(|c: char| !c.is_alphanumeric()) {
            if !word.is_empty() && !word.is_ascii() && !vietnamese.contains(&word.to_lowercase()) {
                vietnamese.push(word.to_lowercase());
            }
        }
    }
    assert!(vietnamese.len() > 40, "the demo's titles hold {} words with marks", vietnamese.len());
    let typed: Vec<String> = vietnamese.iter().flat_map(|w| [keystrokes(w, false), keystrokes(w, true)]).collect();
    let read: Vec<Option<String>> = node("inputs.map(w => s.decodeTyping(w))", &typed);
    for (i, word) in vietnamese.iter().enumerate() {
        for (k, way) in ["Telex", "VNI"].iter().enumerate() {
            let got = read[2 * i + k].as_deref().map(niemyet::text::words);
            assert_eq!(got, Some(niemyet::text::words(word)), "{word} typed in {way} as {}", typed[2 * i + k]);
        }
    }
    let plain = ["khai", "sinh", "dang", "1.000047", "cccd", "taxo", "ho"].map(String::from);
    let read: Vec<Option<String>> = node("inputs.map(w => s.decodeTyping(w))", &plain);
    assert!(read.iter().all(Option::is_none), "words with no keystroke are left as typed: {read:?}");
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
    for (input, (fold, words, code, typed)) in inputs.iter().zip(from_node) {
        assert_eq!(typed, words.len(), "the words of {input:?} as typed, one for each search word");
        assert_eq!(fold, niemyet::text::fold(input), "fold of {input:?}");
        assert_eq!(words, niemyet::text::words(input), "words of {input:?}");
        assert_eq!(code, niemyet::text::code_token(input), "code token of {input:?}");
    }
}

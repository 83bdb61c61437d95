//! Contract §6: `niemyet serve`, the live preview. Each test starts the real
//! binary on a free port of 127.0.0.1 over a small site in a temporary
//! folder, talks HTTP to it over a plain socket (so that paths reach the
//! server exactly as written), and kills it when done, even when it fails.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::time::{Duration, Instant};

use common::preview::*;
use common::*;

/// HTTP to the preview over a plain socket, so that paths reach it exactly as written.
trait Http {
    fn get(&self, path: &str) -> Reply;
    fn request(&self, method: &str, path: &str) -> Reply;
    /// Opens the event stream that the preview's pages listen to.
    fn events(&self) -> Events;
}

impl Http for Preview {
    fn get(&self, path: &str) -> Reply {
        self.request("GET", path)
    }

    fn request(&self, method: &str, path: &str) -> Reply {
        let mut stream = self.connect();
        write!(stream, "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).expect("the server answers");
        Reply::parse(&bytes)
    }

    fn events(&self) -> Events {
        let mut stream = self.connect();
        write!(stream, "GET /_niemyet/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        Events { reader }
    }
}

/// An HTTP answer.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn parse(bytes: &[u8]) -> Reply {
        let text = String::from_utf8_lossy(bytes);
        let (head, body) = text.split_once("\r\n\r\n").expect("a head and a body");
        let mut lines = head.lines();
        let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
            .collect();
        Reply { status, headers, body: body.to_string() }
    }

    fn header(&self, name: &str) -> &str {
        self.headers.iter().find(|(n, _)| n == name).map_or("", |(_, v)| v.as_str())
    }

    #[track_caller]
    fn expect(&self, status: u16, content_type: &str) -> &Reply {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(self.header("content-type"), content_type);
        self
    }
}

/// The preview's event stream.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    /// The data of the first `state` event that passes `test`, as JSON (a
    /// save may be seen as more than one change).
    #[track_caller]
    fn state_where(&mut self, test: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
        loop {
            let state = self.next_state();
            if test(&state) {
                return state;
            }
        }
    }

    /// The data of the next `state` event, as JSON.
    #[track_caller]
    fn next_state(&mut self) -> serde_json::Value {
        let mut event = String::new();
        loop {
            let mut line = String::new();
            assert!(self.reader.read_line(&mut line).unwrap() > 0, "the event stream ended");
            if line == "\n" && event.contains("event: state") {
                let data = event.lines().find_map(|l| l.strip_prefix("data: ")).expect("a state has data");
                return serde_json::from_str(data).unwrap();
            } else if line == "\n" {
                event.clear();
            } else {
                event.push_str(&line);
            }
        }
    }
}

const PROCEDURE: &str = "content/procedures/dang-ky.md";

fn small_site() -> tempfile::TempDir {
    site(&[
        ("site.toml", SITE_TOML),
        (PROCEDURE, &Proc::new("Đăng ký công bố hợp chuẩn", "1.000047").md()),
        ("content/procedures/bao-cao.md", &Proc::new("Báo cáo định kỳ", "1.000048").md()),
        ("content/notices/tin.md", &notice("Tin mới", "2020-10-05", &["1.000047"])),
        ("static/bieu-mau/mau-01.pdf", "%PDF-1.4 mẫu"),
    ])
}

#[test]
fn pages_and_files_are_served_with_their_content_types() {
    let dir = small_site();
    let serve = Preview::start(dir.path(), &[]);
    let html = "text/html; charset=utf-8";
    assert!(serve.get("/").expect(200, html).body.contains("Thủ tục hành chính thử nghiệm"));
    assert!(serve.get("/thu-tuc/dang-ky/").expect(200, html).body.contains("<h1>Đăng ký công bố hợp chuẩn</h1>"));
    serve.get("/tin-tuc/").expect(200, html);
    serve.get("/assets/niemyet.css").expect(200, "text/css; charset=utf-8");
    serve.get("/assets/search.js").expect(200, "text/javascript; charset=utf-8");
    serve.get("/du-lieu/thu-tuc.json").expect(200, "application/json; charset=utf-8");
    serve.get("/du-lieu/thu-tuc.csv").expect(200, "text/csv; charset=utf-8");
    serve.get("/tim-kiem/chi-muc/meta.json").expect(200, "application/json; charset=utf-8");
    serve.get("/feed.xml").expect(200, "application/xml; charset=utf-8");
    serve.get("/robots.txt").expect(200, "text/plain; charset=utf-8");
    assert_eq!(serve.get("/bieu-mau/mau-01.pdf").expect(200, "application/pdf").body, "%PDF-1.4 mẫu");
    let open_data: serde_json::Value = serde_json::from_str(&serve.get("/du-lieu/thu-tuc.json").body).unwrap();
    let preview_url = format!("http://127.0.0.1:{}/thu-tuc/", serve.port);
    assert!(open_data[0]["url"].as_str().unwrap().starts_with(&preview_url), "{open_data}");

    let get = serve.get("/thu-tuc/dang-ky/");
    let head = serve.request("HEAD", "/thu-tuc/dang-ky/");
    head.expect(200, html);
    assert_eq!(head.header("content-length"), get.body.len().to_string());
    assert!(head.body.is_empty());
    assert_eq!(serve.request("POST", "/").status, 405);
}

#[test]
fn an_unknown_path_gets_the_sites_404_page_with_status_404() {
    let dir = small_site();
    let serve = Preview::start(dir.path(), &[]);
    for path in ["/thu-tuc/khong-co/", "/khong-co.html", "/assets/khong-co.css", "/tim-kiem/chi-muc/khong-co.json"] {
        let reply = serve.get(path);
        reply.expect(404, "text/html; charset=utf-8");
        assert!(reply.body.contains(&t_html("vi", "not_found_title")), "{path}: {}", reply.body);
    }
}

#[test]
fn a_folder_asked_for_without_its_slash_is_redirected() {
    let dir = small_site();
    let serve = Preview::start(dir.path(), &[]);
    let reply = serve.get("/thu-tuc/dang-ky?x=1");
    assert_eq!(reply.status, 302);
    assert_eq!(reply.header("location"), "/thu-tuc/dang-ky/?x=1");
    assert_eq!(serve.get("/tin-tuc").header("location"), "/tin-tuc/");
}

#[test]
fn paths_that_try_to_leave_the_site_are_refused() {
    let dir = small_site();
    write_files(dir.path(), &[("bi-mat.txt", "SECRET")]);
    let serve = Preview::start(dir.path(), &[]);
    for path in [
        "/../site.toml",
        "/../bi-mat.txt",
        "/thu-tuc/../../bi-mat.txt",
        "/%2e%2e/bi-mat.txt",
        "/%2E%2E/site.toml",
        "/..%2fbi-mat.txt",
        "/assets/..%2f..%2fbi-mat.txt",
        "/assets%2f..%2f..%2fbi-mat.txt",
        "/..%5cbi-mat.txt",
        "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/bi-mat.txt",
        "/site.toml",
        "/content/procedures/dang-ky.md",
        "/static/bieu-mau/mau-01.pdf",
    ] {
        let reply = serve.get(path);
        assert_eq!(reply.status, 404, "{path}");
        assert!(!reply.body.contains("SECRET") && !reply.body.contains("base_url"), "{path}: {}", reply.body);
    }
}

#[test]
fn a_busy_port_is_refused_with_a_suggestion_and_exit_status_2() {
    let dir = small_site();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let output = serve_command(dir.path(), &port.to_string(), &[]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("port {port} is already in use")), "{stderr}");
    assert!(stderr.contains("try --port "), "{stderr}");

    // A Vietnamese site is told in Vietnamese.
    let root = dir.path().to_str().unwrap();
    let output = Command::new(bin()).args(["serve", "--root", root, "--port", &port.to_string()]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("cổng {port} đang được dùng")), "{stderr}");
}

#[test]
fn the_preview_script_is_in_served_pages_and_never_in_a_build() {
    let dir = small_site();
    let serve = Preview::start(dir.path(), &[]);
    for path in ["/", "/thu-tuc/dang-ky/", "/khong-co/"] {
        assert_eq!(count(&serve.get(path).body, "<script src=\"/_niemyet/live.js\""), 1, "{path}");
    }
    assert!(serve.get("/_niemyet/live.js").expect(200, "text/javascript; charset=utf-8").body.contains("EventSource"));
    assert!(!serve.get("/du-lieu/thu-tuc.json").body.contains("_niemyet"));
    drop(serve);

    let tree = build_ok(dir.path());
    for (path, bytes) in &tree {
        let text = String::from_utf8_lossy(bytes);
        for trace in ["_niemyet", "live.js", "EventSource", "niemyet-errors"] {
            assert!(!text.contains(trace), "{path} holds {trace}");
            assert!(!path.contains(trace), "the build wrote {path}");
        }
    }
}

#[test]
fn drafts_are_shown_in_the_preview_with_their_marker_and_left_out_of_builds() {
    let dir = small_site();
    let draft = Proc::new("Thủ tục đang soạn", "1.000099").extra("draft = true");
    write_files(dir.path(), &[("content/procedures/dang-soan.md", &draft.md())]);
    let serve = Preview::start(dir.path(), &[]);
    let page = serve.get("/thu-tuc/dang-soan/");
    page.expect(200, "text/html; charset=utf-8");
    assert!(page.body.contains(&t_html("vi", "draft_marker")), "{}", page.body);
    assert!(serve.get("/thu-tuc/").body.contains("Thủ tục đang soạn"));
    drop(serve);

    let tree = build_ok(dir.path());
    assert!(!tree.contains_key("thu-tuc/dang-soan/index.html"));
}

#[test]
fn a_saved_file_is_rebuilt_and_its_errors_shown_until_fixed() {
    let dir = small_site();
    let serve = Preview::start(dir.path(), &[]);
    let mut events = serve.events();
    let first = events.next_state();
    assert_eq!(first["problems"], serde_json::json!([]));
    assert!(serve
        .get("/thu-tuc/dang-ky/")
        .body
        .contains(&format!("data-version=\"{}\"", first["version"].as_str().unwrap())));

    let renamed = Proc::new("Đăng ký công bố hợp chuẩn (sửa)", "1.000047");
    write_files(dir.path(), &[(PROCEDURE, &renamed.md())]);
    let second = events.state_where(|s| s["version"] != first["version"]);
    assert_eq!(second["problems"], serde_json::json!([]));
    serve.wait_for_line(&format!("Rebuilt after a change to {PROCEDURE}"));
    assert!(serve.get("/thu-tuc/dang-ky/").body.contains("Đăng ký công bố hợp chuẩn (sửa)"));

    write_files(dir.path(), &[(PROCEDURE, &renamed.md().replace("title = ", "title = = "))]);
    let broken = events.state_where(|s| s["problems"] != serde_json::json!([]));
    assert_eq!(broken["version"], second["version"], "the last good version stays");
    let at = broken["problems"][0]["at"].as_str().unwrap();
    assert!(at.starts_with(&format!("{PROCEDURE}:2:")), "{broken}");
    assert!(broken["problems"][0]["hint"].is_string(), "{broken}");
    assert!(serve.get("/thu-tuc/dang-ky/").body.contains("Đăng ký công bố hợp chuẩn (sửa)"));
    let deadline = Instant::now() + PATIENCE;
    let mut printed = String::new();
    while !printed.contains(PROCEDURE) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
        printed.push_str(&serve.errors());
    }
    assert!(printed.contains(&format!("{PROCEDURE}:2:")), "the terminal shows the error: {printed}");

    write_files(dir.path(), &[(PROCEDURE, &Proc::new("Đăng ký lần ba", "1.000047").md())]);
    let fixed = events.state_where(|s| s["version"] != second["version"]);
    assert_eq!(fixed["problems"], serde_json::json!([]));
    assert!(serve.get("/thu-tuc/dang-ky/").body.contains("Đăng ký lần ba"));
}

#[test]
fn a_site_with_errors_at_start_is_shown_once_fixed() {
    let dir = small_site();
    let good = Proc::new("Đăng ký công bố hợp chuẩn", "1.000047").md();
    write_files(dir.path(), &[(PROCEDURE, &good.replace("title = ", "title = = "))]);
    let serve = Preview::start(dir.path(), &[]);
    let mut events = serve.events();
    let broken = events.next_state();
    assert!(broken["problems"][0]["at"].as_str().unwrap().starts_with(PROCEDURE), "{broken}");
    let waiting = serve.get("/thu-tuc/dang-ky/");
    assert_eq!(waiting.status, 503);
    assert!(waiting.body.contains("/_niemyet/live.js"), "the page reloads once the site builds");

    write_files(dir.path(), &[(PROCEDURE, &good)]);
    events.state_where(|s| s["problems"] == serde_json::json!([]));
    serve.get("/thu-tuc/dang-ky/").expect(200, "text/html; charset=utf-8");
}

#[test]
fn ctrl_c_stops_the_preview_with_status_0() {
    let dir = small_site();
    let mut serve = Preview::start(dir.path(), &[]);
    let pid = serve.child.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        if let Some(status) = serve.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "niemyet serve did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0), "{}", serve.errors());
    serve.wait_for_line("Stopped");
}

#[test]
fn the_numbered_pages_of_a_long_list_are_served() {
    let n = niemyet::listing::PAGE_SIZE + 1;
    let dir = site(&[("site.toml", SITE_TOML)]);
    for i in 1..=n {
        let p = Proc::new(&format!("Thủ tục số {i:03}"), &format!("9.{i:03}"));
        write_files(dir.path(), &[(&format!("content/procedures/p-{i:03}.md"), &p.md())]);
    }
    let serve = Preview::start(dir.path(), &[]);
    let html = "text/html; charset=utf-8";
    let second = serve.get("/thu-tuc/trang/2/").expect(200, html).body.clone();
    assert!(second.contains(&format!("Thủ tục số {n:03}")), "{second}");
    assert!(second.contains("Trang 2/2"));
    serve.get("/muc-do/4/trang/2/").expect(200, html);
    assert_eq!(serve.get("/thu-tuc/trang/3/").status, 404);
}

/// Asks for `path` on `stream`, keeping the connection open, and reads
/// exactly the answer: its head, then as many bytes as it says it has.
fn get_keeping_alive(stream: &mut TcpStream, path: &str) -> u16 {
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    while !head.ends_with("\r\n\r\n") {
        assert!(reader.read_line(&mut head).unwrap() > 0, "the connection closed: {head}");
    }
    let length: usize = head
        .lines()
        .find_map(|l| l.split_once(':').filter(|(name, _)| name.eq_ignore_ascii_case("content-length")))
        .map_or(0, |(_, value)| value.trim().parse().unwrap());
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    head.split(' ').nth(1).unwrap().parse().unwrap()
}

#[test]
fn new_connections_are_answered_while_other_pages_keep_theirs_open() {
    // A browser keeps a page's connections open after it has loaded, and its
    // event stream for as long as the page is open; a page opened next, in
    // the same browser or another, must not wait for any of them.
    let dir = small_site();
    let serve = Preview::start(dir.path(), &[]);
    let mut kept: Vec<TcpStream> = (0..6).map(|_| serve.connect()).collect();
    for stream in &mut kept {
        assert_eq!(get_keeping_alive(stream, "/thu-tuc/dang-ky/"), 200);
    }
    let _streams: Vec<Events> = (0..2).map(|_| serve.events()).collect();
    for _ in 0..3 {
        // A connection that closes frees what served it; then a page opens
        // several connections at once.
        drop(kept.pop());
        std::thread::sleep(Duration::from_millis(100));
        let mut opened: Vec<TcpStream> = (0..6).map(|_| serve.connect()).collect();
        for stream in &mut opened {
            assert_eq!(get_keeping_alive(stream, "/"), 200, "every new connection is answered");
        }
        kept.extend(opened);
    }
    assert_eq!(get_keeping_alive(&mut kept[0], "/thu-tuc/dang-ky/"), 200, "a kept connection still serves");
}

/// Sends `head` (and `body`) on a new connection and returns what came back
/// before the server closed it or `PATIENCE` passed: possibly nothing, when
/// the server refuses by closing. Writing may fail once the server has
/// answered and closed; that is a clean refusal too.
fn raw_exchange(serve: &Preview, head: &[u8], body: &[u8]) -> String {
    let mut stream = serve.connect();
    let _ = stream.write_all(head).and_then(|()| stream.write_all(body));
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn under_stress_the_preview_answers_or_refuses_cleanly_keeps_serving_and_never_leaves_the_site() {
    let outside = tempfile::tempdir().unwrap();
    let dir = outside.path().join("site");
    write_files(
        &dir,
        &[("site.toml", SITE_TOML), (PROCEDURE, &Proc::new("Đăng ký công bố hợp chuẩn", "1.000047").md())],
    );
    write_files(outside.path(), &[("bi-mat.txt", "BÍ MẬT NGOÀI TRANG")]);
    let serve = Preview::start(&dir, &[]);
    let started = Instant::now();

    // 100 idle connections and 20 that send their request a byte at a time, held open throughout.
    let idle: Vec<TcpStream> = (0..100).map(|_| serve.connect()).collect();
    let slow: Vec<std::thread::JoinHandle<u16>> = (0..20)
        .map(|_| {
            let mut stream = serve.connect();
            std::thread::spawn(move || {
                for byte in b"GET /thu-tuc/dang-ky/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" {
                    stream.write_all(&[*byte]).unwrap();
                    std::thread::sleep(Duration::from_millis(20));
                }
                let mut bytes = Vec::new();
                stream.read_to_end(&mut bytes).unwrap();
                Reply::parse(&bytes).status
            })
        })
        .collect();

    // 200 clients at once, each asking for two pages.
    let port = serve.port;
    let clients: Vec<std::thread::JoinHandle<Vec<u16>>> = (0..200)
        .map(|i| {
            std::thread::spawn(move || {
                ["/", "/thu-tuc/dang-ky/"]
                    .iter()
                    .map(|path| {
                        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
                        stream.set_read_timeout(Some(PATIENCE)).unwrap();
                        write!(stream, "GET {path}?c={i} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                            .unwrap();
                        let mut bytes = Vec::new();
                        stream.read_to_end(&mut bytes).unwrap();
                        Reply::parse(&bytes).status
                    })
                    .collect()
            })
        })
        .collect();
    for client in clients {
        assert_eq!(client.join().unwrap(), [200, 200]);
    }

    // Oversized headers and bodies, and methods other than GET and HEAD.
    let huge_header =
        format!("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {}\r\nConnection: close\r\n\r\n", "a".repeat(1 << 20));
    let answer = raw_exchange(&serve, huge_header.as_bytes(), b"");
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 "), "{answer:.200}");
    let many_headers: String = (0..10_000).map(|i| format!("X-H{i}: v\r\n")).collect();
    let answer =
        raw_exchange(&serve, format!("GET / HTTP/1.1\r\n{many_headers}Connection: close\r\n\r\n").as_bytes(), b"");
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 "), "{answer:.200}");
    let body = vec![b'x'; 8 << 20];
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "XYZ"] {
        let head = format!(
            "{method} / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let answer = raw_exchange(&serve, head.as_bytes(), &body);
        assert!(
            answer.is_empty()
                || answer.starts_with("HTTP/1.1 405")
                || answer.starts_with("HTTP/1.1 4")
                || answer.starts_with("HTTP/1.1 5"),
            "{method}: {answer:.200}"
        );
        assert!(!answer.contains("<h1>"), "{method} was answered with a page: {answer:.200}");
    }
    let answer = raw_exchange(&serve, b"\x00\xff\xfe garbage \r\n\r\n", b"");
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 4"), "{answer:.200}");

    // Paths that try to leave the site, written every way.
    for path in [
        "/../bi-mat.txt",
        "/../../bi-mat.txt",
        "/%2e%2e/bi-mat.txt",
        "/%2E%2E%2Fbi-mat.txt",
        "/..%2fbi-mat.txt",
        "/..%5cbi-mat.txt",
        "/..\\bi-mat.txt",
        "/thu-tuc/../../bi-mat.txt",
        "//bi-mat.txt",
        "/./../bi-mat.txt",
        "/%00/../bi-mat.txt",
        "/site.toml",
        "/content/procedures/dang-ky.md",
        "/../site/site.toml",
        "http://127.0.0.1/../bi-mat.txt",
    ] {
        let head = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        let answer = raw_exchange(&serve, head.as_bytes(), b"");
        assert!(!answer.contains("BÍ MẬT"), "{path} reached a file outside the site");
        assert!(!answer.contains("base_url"), "{path} reached site.toml");
        assert!(!answer.contains("service_level = "), "{path} reached a content file");
        assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 "), "{path}: {answer:.200}");
    }

    for slow in slow {
        assert_eq!(slow.join().unwrap(), 200);
    }
    drop(idle);
    serve.get("/").expect(200, "text/html; charset=utf-8");
    assert!(serve.get("/thu-tuc/dang-ky/").body.contains("Đăng ký công bố hợp chuẩn"));
    assert!(started.elapsed() < PATIENCE * 2, "took {:?}", started.elapsed());
    assert!(!serve.errors().contains("panicked"), "{}", serve.errors());
}

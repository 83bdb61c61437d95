//! Answers the browser's requests from the preview's state: only files the
//! site has, never a file of the disk, each with its content type; a folder
//! without its slash is redirected; anything else gets the site's 404 page.

use hyper::header::{HeaderValue, ALLOW, CACHE_CONTROL, CONTENT_TYPE, LOCATION, X_CONTENT_TYPE_OPTIONS};
use hyper::{Method, Request, Response};
use percent_encoding::percent_decode_str;

use super::editor::{self, Editor};
use super::live;
use super::preview::{print_errors, problems, Built, Preview, Shown};
use crate::diagnostics::Failure;
use crate::markdown::html_escape;
use crate::msg;

/// A request read whole: its head, and its body, or `None` when the body
/// was larger than the preview accepts.
pub type Incoming = Request<Option<Vec<u8>>>;

/// An answer whose body is in memory.
pub type Reply = Response<Vec<u8>>;

/// Answers one request (but the event stream, which [`super::listen`] serves).
pub fn answer(request: Incoming, preview: &Preview, editor: Option<&Editor>) -> Reply {
    let path = request.uri().path().to_string();
    if let Some(editor) = editor.filter(|_| path.starts_with(editor::PREFIX)) {
        return editor.answer(request, &path, preview);
    }
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return with_header(status_only(405), ALLOW, "GET, HEAD");
    }
    if path == live::SCRIPT_PATH {
        return file_response(200, "live.js", live::SCRIPT.as_bytes().to_vec());
    }
    let shown = preview.shown();
    let response = site_response(&path, request.uri().query(), &shown);
    match (editor, &shown.built) {
        (Some(_), Some(built)) if response.status() == 200 && editor::has_form(built.site(), &path) => {
            with_edit_links(response, &path, built)
        }
        _ => response,
    }
}

/// The answer for a path of the site.
fn site_response(path: &str, query: Option<&str>, shown: &Shown) -> Reply {
    let Some(built) = &shown.built else {
        let page = format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head><body><p>{}</p></body></html>\n",
            msg!("serve_errors_heading").render(shown.language),
            msg!("serve_not_built").render(shown.language)
        );
        return file_response(503, "index.html", live::inject(page.as_bytes(), &shown.version));
    };
    let Some(rel) = file_of_request(path) else {
        return not_found(built, shown);
    };
    match built.file(&rel) {
        Some(Ok(bytes)) => page_or_file(200, &rel, &bytes, shown),
        Some(Err(failure)) => failed_page(&failure, shown),
        None if !path.ends_with('/') && matches!(built.file(&format!("{rel}/index.html")), Some(Ok(_))) => {
            let location = format!("{path}/{}", query.map(|q| format!("?{q}")).unwrap_or_default());
            with_header(status_only(302), LOCATION, &location)
        }
        None => not_found(built, shown),
    }
}

/// A page of the preview with links to its form and to the forms of new
/// files, at its top, where staff see them first (only the preview has
/// them: the built site never does).
fn with_edit_links(response: Reply, path: &str, built: &Built) -> Reply {
    let language = built.site().config.language;
    let links = format!(
        "<nav class=\"niemyet-edit\" aria-label=\"niemyet\" style=\"margin:0;padding:.5rem 1rem;border:2px solid #0b57a4;background:#fff;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem\"><a href=\"{}{}\" style=\"font-weight:700\">{}</a><a href=\"{}moi/thu-tuc/\">{}</a><a href=\"{}moi/tin-tuc/\">{}</a></nav>",
        editor::PREFIX,
        html_escape(path.trim_start_matches('/')),
        msg!("edit_link").render(language),
        editor::PREFIX,
        msg!("edit_new_procedure").render(language),
        editor::PREFIX,
        msg!("edit_new_notice").render(language)
    );
    let bytes = response.into_body();
    let body = bytes.windows(5).position(|w| w.eq_ignore_ascii_case(b"<body"));
    let at = body.and_then(|start| bytes[start..].iter().position(|&b| b == b'>').map(|end| start + end + 1));
    let at = at.unwrap_or(0);
    let page = [&bytes[..at], links.as_bytes(), &bytes[at..]].concat();
    file_response(200, "index.html", page)
}

/// The site's 404 page, with status 404.
fn not_found(built: &Built, shown: &Shown) -> Reply {
    match built.file("404.html") {
        Some(Ok(bytes)) => page_or_file(404, "404.html", &bytes, shown),
        Some(Err(failure)) => failed_page(&failure, shown),
        None => status_only(404),
    }
}

/// A page whose template failed: the errors, also printed in the terminal.
fn failed_page(failure: &Failure, shown: &Shown) -> Reply {
    print_errors(failure, shown.language);
    let items: String = problems(failure, shown.language)
        .iter()
        .map(|p| {
            let at = p.at.as_deref().unwrap_or("");
            format!("<li><code>{}</code> {}</li>", html_escape(at), html_escape(&p.message))
        })
        .collect();
    let page = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{0}</title></head><body><h1>{0}</h1><ul>{items}</ul></body></html>\n",
        msg!("serve_errors_heading").render(shown.language)
    );
    file_response(500, "index.html", live::inject(page.as_bytes(), &shown.version))
}

/// A file of the site; an HTML page gets the live script.
fn page_or_file(status: u16, rel: &str, bytes: &[u8], shown: &Shown) -> Reply {
    if rel.ends_with(".html") {
        file_response(status, rel, live::inject(bytes, &shown.version))
    } else {
        file_response(status, rel, bytes.to_vec())
    }
}

/// An answer of `status` with `bytes`, a file of the site named like `rel`.
pub fn file_response(status: u16, rel: &str, bytes: Vec<u8>) -> Reply {
    let response = with_header(with_status(Response::new(bytes), status), CONTENT_TYPE, content_type(rel));
    let response = with_header(response, CACHE_CONTROL, "no-store");
    with_header(response, X_CONTENT_TYPE_OPTIONS, "nosniff")
}

/// An answer of `status` with an empty body.
pub fn status_only(status: u16) -> Reply {
    with_status(Response::new(Vec::new()), status)
}

/// `response` with the header `name` set to `value`, which is ASCII.
pub fn with_header(mut response: Reply, name: hyper::header::HeaderName, value: &str) -> Reply {
    let value = HeaderValue::from_str(value).unwrap_or_else(|_| HeaderValue::from_static(""));
    response.headers_mut().insert(name, value);
    response
}

fn with_status(mut response: Reply, status: u16) -> Reply {
    *response.status_mut() = hyper::StatusCode::from_u16(status).expect("a status code of the preview");
    response
}

/// The output file a request's path names, such as "thu-tuc/x/index.html"
/// for `/thu-tuc/x/`, or `None` for a path that tries to leave the site:
/// a `.` or `..` segment, an empty one (`//x` would name `/x`, a path from
/// the disk's root), or a slash, backslash or NUL written encoded.
pub fn file_of_request(path: &str) -> Option<String> {
    let rest = path.strip_prefix('/')?;
    if rest.contains("//") || rest.starts_with('/') {
        return None;
    }
    let mut segments = Vec::new();
    for raw in rest.split('/') {
        let segment = percent_decode_str(raw).decode_utf8().ok()?;
        if segment == "." || segment == ".." || segment.contains(['/', '\\', '\0']) {
            return None;
        }
        segments.push(segment);
    }
    let rel = segments.join("/");
    Some(if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel })
}

/// The content type of a file, by its extension; text is UTF-8.
pub fn content_type(rel: &str) -> &'static str {
    let extension = rel.rsplit_once('.').map_or("", |(_, ext)| ext).to_ascii_lowercase();
    match extension.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "webmanifest" => "application/manifest+json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_name_files_of_the_site() {
        assert_eq!(file_of_request("/").as_deref(), Some("index.html"));
        assert_eq!(file_of_request("/thu-tuc/a/").as_deref(), Some("thu-tuc/a/index.html"));
        assert_eq!(file_of_request("/thu-tuc/a").as_deref(), Some("thu-tuc/a"));
        assert_eq!(file_of_request("/assets/ni%E1%BB%87m.css").as_deref(), Some("assets/niệm.css"));
    }

    #[test]
    fn paths_that_try_to_leave_the_site_name_nothing() {
        for path in [
            "/../site.toml",
            "/a/../../x",
            "/%2e%2e/site.toml",
            "/a/%2E%2E/b",
            "/..%2fsite.toml",
            "/a%5c..",
            "/./x",
            "/a%00",
            "x",
            "//etc/passwd",
            "/a//b",
        ] {
            assert_eq!(file_of_request(path), None, "{path}");
        }
    }
}

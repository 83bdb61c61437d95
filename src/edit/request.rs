//! A form as browsers send it: `application/x-www-form-urlencoded`, or
//! `multipart/form-data` when it holds files.

/// A file sent with a form.
#[derive(Debug, Clone)]
pub struct Sent {
    /// The file's name as the sender's computer had it.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A form's fields and files, in the order they were sent.
#[derive(Debug, Clone, Default)]
pub struct Submission {
    /// (name, value) of each field.
    pub fields: Vec<(String, String)>,
    /// (field name, file) of each file chosen.
    pub files: Vec<(String, Sent)>,
}

impl Submission {
    /// Reads a form's body of the given content type; `None` when it is not a form.
    pub fn parse(content_type: &str, body: &[u8]) -> Option<Submission> {
        let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        match essence.as_str() {
            "application/x-www-form-urlencoded" => Some(Submission {
                fields: form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect(),
                files: Vec::new(),
            }),
            "multipart/form-data" => {
                let boundary = content_type.split(';').find_map(|p| p.trim().strip_prefix("boundary="))?;
                multipart(body, boundary.trim_matches('"'))
            }
            _ => None,
        }
    }

    /// The first value of field `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// Reads a `multipart/form-data` body (RFC 7578): parts between boundary
/// lines, each with its headers; a part with a file name is a file (an
/// empty one, as browsers send for a file input left alone, is left out).
fn multipart(body: &[u8], boundary: &str) -> Option<Submission> {
    let delimiter = format!("--{boundary}");
    let finder = memchr::memmem::Finder::new(delimiter.as_bytes());
    let starts: Vec<usize> = finder.find_iter(body).collect();
    let mut submission = Submission::default();
    for pair in starts.windows(2) {
        let part = &body[pair[0] + delimiter.len()..pair[1]];
        let part = part.strip_prefix(b"\r\n")?;
        let part = part.strip_suffix(b"\r\n")?;
        let split = memchr::memmem::find(part, b"\r\n\r\n")?;
        let headers = String::from_utf8_lossy(&part[..split]);
        let content = &part[split + 4..];
        let disposition = headers.lines().find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))?;
        let name = parameter(disposition, "name")?;
        match parameter(disposition, "filename") {
            Some(file) if !file.is_empty() || !content.is_empty() => {
                submission.files.push((name, Sent { name: file, bytes: content.to_vec() }));
            }
            Some(_) => {}
            None => submission.fields.push((name, String::from_utf8_lossy(content).into_owned())),
        }
    }
    Some(submission)
}

/// A parameter of a `Content-Disposition` header, such as `name="title"`;
/// browsers escape a quote in it as `%22`.
fn parameter(header: &str, key: &str) -> Option<String> {
    let start = format!("; {key}=\"");
    let at = header.find(&start)? + start.len();
    let end = header[at..].find('"')?;
    Some(header[at..at + end].replace("%22", "\"").replace("%0D", "\r").replace("%0A", "\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_encodings_of_a_form_are_read() {
        let form =
            Submission::parse("application/x-www-form-urlencoded", b"title=%C4%90%C4%83ng+k%C3%BD&_token=t").unwrap();
        assert_eq!(form.get("title"), Some("Đăng ký"));
        let body = b"--XY\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nA\r\nB\r\n--XY\r\nContent-Disposition: form-data; name=\"forms.0._upload\"; filename=\"t\xE1\xBB\x9D.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n\r\n--XY\r\nContent-Disposition: form-data; name=\"forms.1._upload\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n--XY--\r\n";
        let form = Submission::parse("multipart/form-data; boundary=XY", body).unwrap();
        assert_eq!(form.get("title"), Some("A\r\nB"));
        assert_eq!(form.files.len(), 1);
        assert_eq!(form.files[0].0, "forms.0._upload");
        assert_eq!(form.files[0].1.name, "tờ.pdf");
        assert_eq!(form.files[0].1.bytes, b"%PDF\r\n");
        assert!(Submission::parse("text/plain", b"x").is_none());
    }
}

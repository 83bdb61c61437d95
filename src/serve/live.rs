//! Live reload: the script added to every page the preview serves (never to
//! a build), and the event stream that tells open pages what to do: reload
//! after a good rebuild, or show the errors of a failed one over the page.

use std::io::Write;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// Where the preview serves the live script.
pub const SCRIPT_PATH: &str = "/_niemyet/live.js";

/// Where the live script listens for the preview's state.
pub const EVENTS_PATH: &str = "/_niemyet/events";

/// The live script.
pub const SCRIPT: &str = include_str!("live.js");

/// How often an idle event stream is written to, to notice a page that went away.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Adds the live script to a page made from version `version` of the site,
/// just before its closing body tag.
pub fn inject(html: &[u8], version: &str) -> Vec<u8> {
    let tag = format!(r#"<script src="{SCRIPT_PATH}" data-version="{version}" defer></script>"#);
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    [&html[..at], tag.as_bytes(), &html[at..]].concat()
}

/// The latest message for the open pages, numbered, and a way to wait for
/// the next one.
pub struct Broadcast {
    latest: Mutex<(u64, String)>,
    changed: Condvar,
}

impl Broadcast {
    /// Starts with `message`.
    pub fn new(message: String) -> Broadcast {
        Broadcast { latest: Mutex::new((1, message)), changed: Condvar::new() }
    }

    /// Replaces the message and wakes every stream.
    pub fn publish(&self, message: String) {
        let mut latest = self.latest.lock().expect("not poisoned");
        *latest = (latest.0 + 1, message);
        self.changed.notify_all();
    }

    /// The message after number `seen`, waiting for it up to `timeout`.
    fn next(&self, seen: u64, timeout: Duration) -> Option<(u64, String)> {
        let latest = self.latest.lock().expect("not poisoned");
        let (latest, _) =
            self.changed.wait_timeout_while(latest, timeout, |(number, _)| *number == seen).expect("not poisoned");
        (latest.0 != seen).then(|| latest.clone())
    }
}

/// Writes the event stream of one open page to `out`: the latest message at
/// once and each new one as it comes, until the page goes away (a write fails).
pub fn stream(mut out: impl Write, broadcast: &Broadcast) {
    if out.write_all(b"retry: 500\n\n").is_err() {
        return;
    }
    let mut seen = 0;
    loop {
        let event = match broadcast.next(seen, KEEP_ALIVE) {
            Some((number, message)) => {
                seen = number;
                format!("event: state\ndata: {message}\n\n")
            }
            None => ": still here\n\n".to_string(),
        };
        if out.write_all(event.as_bytes()).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_closing_body_tag() {
        let page = inject(b"<html><body><p>x</p></body></html>", "7.2");
        let page = String::from_utf8(page).unwrap();
        assert_eq!(
            page,
            r#"<html><body><p>x</p><script src="/_niemyet/live.js" data-version="7.2" defer></script></body></html>"#
        );
        assert!(String::from_utf8(inject(b"<p>no body</p>", "1")).unwrap().ends_with("defer></script>"));
    }

    #[test]
    fn a_stream_gets_the_latest_message_then_waits_for_the_next() {
        let broadcast = Broadcast::new("first".into());
        assert_eq!(broadcast.next(0, Duration::ZERO), Some((1, "first".into())));
        assert_eq!(broadcast.next(1, Duration::from_millis(1)), None);
        broadcast.publish("second".into());
        assert_eq!(broadcast.next(1, Duration::ZERO), Some((2, "second".into())));
    }
}

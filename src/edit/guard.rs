//! Who may use the editor: only the preview's own pages. A request must
//! name the preview's own address as its `Host` (so that a web page whose
//! domain was pointed at 127.0.0.1, "DNS rebinding", cannot reach it), and a
//! request that writes must come from a page of that address (`Origin`, or
//! `Referer` when a browser sends no `Origin`) and carry the run's token.

use std::net::{IpAddr, SocketAddr};

/// The editor's token and the address the preview listens on.
#[derive(Debug, Clone)]
pub struct Guard {
    /// A random token made when the preview starts, put in every form.
    pub token: String,
    /// Where the preview listens.
    pub address: SocketAddr,
}

impl Guard {
    /// A guard for a preview listening at `address`, with a fresh random token.
    pub fn new(address: SocketAddr) -> Guard {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).expect("the system gives random bytes");
        let token = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Guard { token, address }
    }

    /// Whether a `Host` header names the address the preview listens on:
    /// its IP address (any address of the machine when it listens on all of
    /// them) or, on the loopback address, `localhost`; and its port.
    pub fn host_ok(&self, host: Option<&str>) -> bool {
        let Some((name, port)) = host.and_then(|h| h.rsplit_once(':')) else {
            return false;
        };
        if port.parse::<u16>().ok() != Some(self.address.port()) {
            return false;
        }
        let bind = self.address.ip();
        match name.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
            Ok(ip) => ip == bind || bind.is_unspecified() || (bind.is_loopback() && ip.is_loopback()),
            Err(_) => name.eq_ignore_ascii_case("localhost") && (bind.is_loopback() || bind.is_unspecified()),
        }
    }

    /// Whether a request that writes comes from a page of the preview: its
    /// `Origin` is `http://HOST`, or, without one, its `Referer` is a page there.
    pub fn origin_ok(&self, host: &str, origin: Option<&str>, referer: Option<&str>) -> bool {
        let own = format!("http://{host}");
        match (origin, referer) {
            (Some(origin), _) => origin == own,
            (None, Some(referer)) => referer.starts_with(&format!("{own}/")),
            (None, None) => false,
        }
    }

    /// Whether a form's `_token` is this run's.
    pub fn token_ok(&self, token: Option<&str>) -> bool {
        token.is_some_and(|t| {
            t.len() == self.token.len() && t.bytes().zip(self.token.bytes()).fold(0, |acc, (a, b)| acc | (a ^ b)) == 0
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_preview_own_address_passes() {
        let guard = Guard::new("127.0.0.1:4000".parse().unwrap());
        assert!(guard.host_ok(Some("127.0.0.1:4000")) && guard.host_ok(Some("localhost:4000")));
        for host in [None, Some("evil.example:4000"), Some("127.0.0.1:4001"), Some("127.0.0.1"), Some("10.0.0.2:4000")]
        {
            assert!(!guard.host_ok(host), "{host:?}");
        }
        assert!(guard.origin_ok("127.0.0.1:4000", Some("http://127.0.0.1:4000"), None));
        assert!(guard.origin_ok("127.0.0.1:4000", None, Some("http://127.0.0.1:4000/_sua/x/")));
        assert!(!guard.origin_ok("127.0.0.1:4000", Some("http://evil.example"), Some("http://127.0.0.1:4000/")));
        assert!(!guard.origin_ok("127.0.0.1:4000", None, Some("http://127.0.0.1:40000/")));
        assert!(!guard.origin_ok("127.0.0.1:4000", Some("null"), None));
        assert!(!guard.origin_ok("127.0.0.1:4000", None, None));
        assert!(guard.token_ok(Some(&guard.token.clone())) && !guard.token_ok(Some("x")) && !guard.token_ok(None));
        let all = Guard::new("0.0.0.0:4000".parse().unwrap());
        assert!(all.host_ok(Some("192.168.1.5:4000")) && !all.host_ok(Some("intranet.example:4000")));
    }
}

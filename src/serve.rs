//! `niemyet serve`: a preview of the site on a local web server, which
//! rebuilds what a saved file changes and reloads the open pages.
//!
//! It is the build's pipeline driven by file events, with the last good site
//! kept in memory:
//!
//! - `sources`: the site folder read into memory, file by file; a change
//!   re-reads only the files it touched;
//! - `preview`: the last good site, its pages rendered when a browser asks
//!   for them and kept until the next change, and the latest errors;
//! - `watch`: file events from `content/`, `static/`, `themes/` and site.toml;
//! - `listen`: the web server, which hands each request to `http`;
//! - `http`: answers the browser's requests;
//! - `live`: the script in every preview page that reloads it after a
//!   rebuild and shows the errors over it while the content has some;
//! - `editor`: the forms staff edit pages with, at `/_sua/...`, on when
//!   the preview listens on a loopback address, elsewhere only with `--edit`.
//!
//! Every line it prints is a message of the catalogues (`serve_*` keys), in
//! the language of [`ServeOptions::language`].

mod editor;
mod http;
mod listen;
mod live;
mod preview;
mod sources;
mod watch;

pub use http::file_of_request;

use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{mpsc, Arc};
use std::time::Instant;

use crate::diagnostics::Failure;
use crate::messages::Language;
use crate::messages::Message;
use crate::msg;
use preview::Preview;

/// Where to find the site and where to serve its preview.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder, holding site.toml and content/.
    pub root: PathBuf,
    /// The address to listen on, `127.0.0.1` by default.
    pub bind: IpAddr,
    /// The port to listen on; 0 picks a free one.
    pub port: u16,
    /// The language of what it prints and shows over the pages.
    pub language: Language,
    /// Turns the editor on when the preview listens on an address other
    /// than a loopback one (where it is always on).
    pub edit: bool,
}

/// Builds the site, serves it at `bind:port` until Ctrl-C, and rebuilds it
/// when its files change. Fails, before serving anything, when the site
/// folder is unusable or the port is taken; errors in the content do not
/// stop it: they are shown until fixed. Returns the line to print as it stops.
pub fn serve(options: &ServeOptions) -> Result<Message, Failure> {
    let started = Instant::now();
    let language = options.language;
    let root = options
        .root
        .canonicalize()
        .map_err(|_| Failure::Usage(msg!("no_site_folder", path = options.root.display().to_string())))?;
    let address = SocketAddr::new(options.bind, options.port);
    let listener = TcpListener::bind(address).map_err(|error| cannot_listen(address, &error))?;
    let address = listener.local_addr().map_err(|error| cannot_listen(address, &error))?;
    let url = page_url(address);
    let preview = Arc::new(Preview::start(root.clone(), url.trim_end_matches('/'), language)?);
    watch::start(&root, language, {
        let preview = Arc::clone(&preview);
        move |changes| preview.rebuild(&changes)
    })?;
    let editor = (address.ip().is_loopback() || options.edit)
        .then(|| Arc::new(editor::Editor { guard: crate::edit::guard::Guard::new(address), root: root.clone() }));
    listen::start(listener, Arc::clone(&preview), editor.clone())
        .map_err(|error| cannot_listen_because(address, &error.to_string()))?;
    let (stop, stopped) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop.send(());
    })
    .map_err(|error| Failure::Usage(msg!("serve_cannot_catch_ctrl_c", error = error.to_string())))?;
    let ready = match preview.procedures() {
        Some(procedures) => {
            let millis = started.elapsed().as_millis().to_string();
            msg!("serve_ready", url = &url, procedures = procedures, millis = millis)
        }
        None => msg!("serve_ready_with_errors", url = &url),
    };
    say(&ready, language);
    if editor.is_some() && !address.ip().is_loopback() {
        say(&msg!("serve_edit_on_all_addresses", address = address.to_string()), language);
    }
    let _ = stopped.recv();
    Ok(msg!("serve_stopped"))
}

/// The address of the preview's home page: `http://127.0.0.1:1111/`. A
/// server listening on every address is shown at the loopback one.
fn page_url(address: SocketAddr) -> String {
    let mut shown = address;
    if shown.ip().is_unspecified() {
        shown.set_ip(if shown.is_ipv4() { [127, 0, 0, 1].into() } else { std::net::Ipv6Addr::LOCALHOST.into() });
    }
    format!("http://{shown}/")
}

fn cannot_listen(address: SocketAddr, error: &std::io::Error) -> Failure {
    if error.kind() != ErrorKind::AddrInUse {
        return cannot_listen_because(address, &error.to_string());
    }
    let port = address.port().to_string();
    Failure::Usage(match free_port_after(address) {
        Some(free) => msg!("serve_port_busy_try", address = address.to_string(), port = port, free = free.to_string()),
        None => msg!("serve_port_busy", address = address.to_string(), port = port),
    })
}

fn cannot_listen_because(address: SocketAddr, error: &str) -> Failure {
    Failure::Usage(msg!("serve_cannot_listen", address = address.to_string(), error = error))
}

/// The first port after `address`'s that is free on the same address, to suggest.
fn free_port_after(address: SocketAddr) -> Option<u16> {
    (address.port().saturating_add(1)..=address.port().saturating_add(20))
        .find(|&port| TcpListener::bind(SocketAddr::new(address.ip(), port)).is_ok())
}

/// Prints one of `serve`'s lines on standard output.
fn say(message: &Message, language: Language) {
    println!("{}", message.render(language));
}

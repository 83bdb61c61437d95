//! `niemyet serve`: a preview of the site on a local web server, which
//! rebuilds what a saved file changes and reloads the open pages.
//!
//! It is the build's pipeline driven by file events, with the last good site
//! kept in memory:
//!
//! - [`sources`]: the site folder read into memory, file by file; a change
//!   re-reads only the files it touched;
//! - [`preview`]: the last good site, its pages rendered when a browser asks
//!   for them and kept until the next change, and the latest errors;
//! - [`watch`]: file events from `content/`, `static/`, `themes/` and site.toml;
//! - [`http`]: answers the browser's requests;
//! - [`live`]: the script in every preview page that reloads it after a
//!   rebuild and shows the errors over it while the content has some.
//!
//! Every line it prints comes from [`Message`], in one place.

mod http;
mod live;
mod preview;
mod sources;
mod watch;

use std::fmt;
use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};
use std::time::Instant;

use crate::diagnostics::Failure;
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
}

/// Threads answering ordinary requests; each open page's event stream has its own.
const WORKERS: usize = 4;

/// Builds the site, serves it at `bind:port` until Ctrl-C, and rebuilds it
/// when its files change. Fails, before serving anything, when the site
/// folder is unusable or the port is taken; errors in the content do not
/// stop it: they are shown until fixed. Returns the line to print as it stops.
pub fn serve(options: &ServeOptions) -> Result<String, Failure> {
    let started = Instant::now();
    let root = options.root.canonicalize().map_err(|_| usage(Message::NoSiteFolder(&options.root)))?;
    let address = SocketAddr::new(options.bind, options.port);
    let listener = TcpListener::bind(address).map_err(|error| cannot_listen(address, &error))?;
    let address = listener.local_addr().map_err(|error| cannot_listen(address, &error))?;
    let url = page_url(address);
    let preview = Arc::new(Preview::start(root.clone(), url.trim_end_matches('/'))?);
    watch::start(&root, {
        let preview = Arc::clone(&preview);
        move |changes| preview.rebuild(&changes)
    })?;
    let server = tiny_http::Server::from_listener(listener, None)
        .map_err(|error| usage(Message::CannotListen { address, error: &*error }))?;
    let server = Arc::new(server);
    for _ in 0..WORKERS {
        let (server, preview) = (Arc::clone(&server), Arc::clone(&preview));
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                http::answer(request, &preview);
            }
        });
    }
    let (stop, stopped) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop.send(());
    })
    .map_err(|error| usage(Message::CannotCatchCtrlC(&error)))?;
    say(match preview.procedures() {
        Some(procedures) => Message::Serving { url: &url, procedures, millis: started.elapsed().as_millis() },
        None => Message::ServingErrors { url: &url },
    });
    let _ = stopped.recv();
    Ok(Message::Stopped.to_string())
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
    usage(match error.kind() {
        ErrorKind::AddrInUse => Message::PortBusy { address, free: free_port_after(address) },
        _ => Message::CannotListen { address, error },
    })
}

/// A failure that stops `serve` before it serves anything (exit status 2).
fn usage(message: Message<'_>) -> Failure {
    Failure::Usage(message.to_string())
}

/// The first port after `address`'s that is free on the same address, to suggest.
fn free_port_after(address: SocketAddr) -> Option<u16> {
    (address.port().saturating_add(1)..=address.port().saturating_add(20))
        .find(|&port| TcpListener::bind(SocketAddr::new(address.ip(), port)).is_ok())
}

/// Prints one of `serve`'s lines on standard output.
fn say(message: Message<'_>) {
    println!("{message}");
}

/// Everything `serve` tells its user, in the terminal and over the preview
/// pages, in one place.
enum Message<'a> {
    /// The preview is ready.
    Serving {
        /// The address of its home page.
        url: &'a str,
        /// How many procedures the site has.
        procedures: usize,
        /// How long the first build took.
        millis: u128,
    },
    /// The preview is listening, but the site has errors, printed just before.
    ServingErrors {
        /// The address of its home page.
        url: &'a str,
    },
    /// The site folder given with --root does not exist.
    NoSiteFolder(&'a Path),
    /// The port is taken by another program.
    PortBusy {
        /// The address asked for.
        address: SocketAddr,
        /// A free port nearby, when one was found.
        free: Option<u16>,
    },
    /// The address cannot be listened on for another reason.
    CannotListen {
        /// The address asked for.
        address: SocketAddr,
        /// Why.
        error: &'a dyn std::error::Error,
    },
    /// Ctrl-C cannot be caught, so the preview could not stop cleanly.
    CannotCatchCtrlC(&'a ctrlc::Error),
    /// The site folder cannot be watched for changes.
    CannotWatch {
        /// Why.
        error: &'a notify::Error,
    },
    /// A change was built into the preview.
    Rebuilt {
        /// What changed: a file, or how many.
        what: &'a str,
        /// How long the rebuild took.
        millis: u128,
    },
    /// How many files changed, when more than one did.
    FilesChanged(usize),
    /// After the errors of a build that failed.
    ErrorsFound(usize),
    /// Heading of the list of errors over a preview page.
    ErrorsHeading,
    /// Under that heading.
    ErrorsNote,
    /// Before each error's hint.
    HintLabel,
    /// Shown when the site has never built since the preview started.
    NoGoodVersion,
    /// After Ctrl-C.
    Stopped,
}

impl fmt::Display for Message<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Message::Serving { url, procedures, millis } => write!(
                f,
                "Serving a preview of {procedures} procedures at {url} (built in {millis} ms). \
                 Pages reload when you save a file; press Ctrl-C to stop."
            ),
            Message::ServingErrors { url } => write!(
                f,
                "Serving a preview at {url}: it shows the site once the errors above are fixed, \
                 and open pages reload by themselves when you save. Press Ctrl-C to stop."
            ),
            Message::NoSiteFolder(root) => write!(f, "the site folder {} does not exist", root.display()),
            Message::PortBusy { address, free: Some(port) } => write!(
                f,
                "cannot serve on {address}: port {} is already in use, perhaps by another niemyet serve; \
                 stop that program, or try --port {port}",
                address.port()
            ),
            Message::PortBusy { address, free: None } => write!(
                f,
                "cannot serve on {address}: port {} is already in use, perhaps by another niemyet serve; \
                 stop that program, or choose another port with --port",
                address.port()
            ),
            Message::CannotListen { address, error } => write!(
                f,
                "cannot serve on {address}: {error}; choose another address with --bind or another port with --port"
            ),
            Message::CannotCatchCtrlC(error) => write!(f, "cannot catch Ctrl-C to stop the preview: {error}"),
            Message::CannotWatch { error } => write!(
                f,
                "cannot watch the site folder for changes: {error}; on Linux, the system's limit of \
                 watched folders (fs.inotify.max_user_watches) may need raising"
            ),
            Message::Rebuilt { what, millis } => write!(f, "Rebuilt after a change to {what} in {millis} ms"),
            Message::FilesChanged(n) => write!(f, "{n} files"),
            Message::ErrorsFound(n) => write!(
                f,
                "{n} error{} found; the preview shows the last good version until {} fixed",
                if *n == 1 { "" } else { "s" },
                if *n == 1 { "it is" } else { "they are" }
            ),
            Message::ErrorsHeading => write!(f, "The site has errors"),
            Message::ErrorsNote => write!(
                f,
                "Below is the last good version of this page. Fix the files named here and save: \
                 the page reloads by itself."
            ),
            Message::HintLabel => write!(f, "hint"),
            Message::NoGoodVersion => {
                write!(f, "The site has not been built yet: fix the errors and save, and this page will reload.")
            }
            Message::Stopped => write!(f, "Stopped the preview."),
        }
    }
}

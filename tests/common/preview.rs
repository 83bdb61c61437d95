//! A running `niemyet serve` on a free port of 127.0.0.1, for the tests that
//! talk HTTP to the preview: started over a site folder, its output read line
//! by line, and killed when dropped, even when a test fails.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::bin;

/// How long anything may take before a test gives up.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// A running `niemyet serve`, killed when dropped.
pub struct Preview {
    /// The process, for tests that signal it or wait for it.
    pub child: Child,
    /// The port it listens on.
    pub port: u16,
    stdout: mpsc::Receiver<String>,
    stderr: mpsc::Receiver<String>,
}

impl Preview {
    /// Starts `niemyet serve --root ROOT --port 0 EXTRA...` and waits for the
    /// line that names its address.
    #[track_caller]
    pub fn start(root: &Path, extra: &[&str]) -> Preview {
        let child = serve_command(root, "0", extra).spawn().expect("niemyet starts");
        let mut preview = Preview::from(child);
        let line = preview.wait_for_line("Serving");
        let address = line.split("http://").nth(1).expect("the line names the address");
        let (host, port) = address.split('/').next().unwrap().rsplit_once(':').unwrap();
        assert!(host == "127.0.0.1" || extra.contains(&"--bind"), "{line}");
        preview.port = port.parse().unwrap();
        preview
    }

    /// The next line of standard output that contains `text`.
    #[track_caller]
    pub fn wait_for_line(&self, text: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        while let Ok(line) = self.stdout.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            if line.contains(text) {
                return line;
            }
        }
        let errors: Vec<String> = self.stderr.try_iter().collect();
        panic!("niemyet serve never printed {text:?}; its errors:\n{}", errors.join("\n"));
    }

    /// Everything printed on standard error so far.
    pub fn errors(&self) -> String {
        self.stderr.try_iter().collect::<Vec<_>>().join("\n")
    }

    /// The address it listens on, as a `Host` header names it.
    pub fn own(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// A new connection to it, which gives up reading after `PATIENCE`.
    pub fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).expect("the server listens");
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        stream
    }
}

impl From<Child> for Preview {
    /// Reads the child's output lines from threads, so it never blocks on a full pipe.
    fn from(mut child: Child) -> Preview {
        let stdout = lines_of(child.stdout.take().unwrap());
        let stderr = lines_of(child.stderr.take().unwrap());
        Preview { child, port: 0, stdout, stderr }
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The command `niemyet serve --root ROOT --port PORT --lang en EXTRA...`, run in ROOT.
pub fn serve_command(root: &Path, port: &str, extra: &[&str]) -> Command {
    let mut command = Command::new(bin());
    command
        .args(["serve", "--root", root.to_str().unwrap(), "--port", port, "--lang", "en"])
        .args(extra)
        .current_dir(root)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn lines_of(pipe: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    receive
}

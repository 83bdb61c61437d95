//! The preview's web server: accepts connections and speaks HTTP/1.1
//! (hyper, on a small tokio runtime of its own thread), reads each request
//! whole and hands it to [`http::answer`] on a thread that may block, and
//! gives each page's event stream ([`live::stream`]) a thread of its own.
//!
//! Every connection is served as soon as it is accepted, however many pages
//! keep theirs open, so a page never waits for another page's connection.

use std::convert::Infallible;
use std::io::{self, Write};
use std::net::TcpListener;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Body, Frame};
use http_body_util::{BodyExt, Either, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{CACHE_CONTROL, CONTENT_TYPE};
use hyper::service::service_fn;
use hyper::{Method, Request, Response};
use hyper_util::rt::TokioIo;
use tokio::sync::mpsc;

use super::editor::{self, Editor};
use super::http;
use super::live;
use super::preview::Preview;

/// What the preview sends: a body in memory, or an event stream.
type Sent = Either<Full<Bytes>, EventStream>;

/// Serves `preview` on `listener` from a thread of its own, for as long as
/// the program runs. Fails when the runtime cannot start.
pub fn start(listener: TcpListener, preview: Arc<Preview>, editor: Option<Arc<Editor>>) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_io().build()?;
    let listener = {
        let _entered = runtime.enter();
        tokio::net::TcpListener::from_std(listener)?
    };
    std::thread::spawn(move || {
        runtime.block_on(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    // Out of file descriptors, say: wait for some to close rather than spin.
                    std::thread::sleep(Duration::from_millis(50));
                    continue;
                };
                let (preview, editor) = (Arc::clone(&preview), editor.clone());
                tokio::spawn(async move {
                    let service = service_fn(move |request| respond(request, Arc::clone(&preview), editor.clone()));
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
    });
    Ok(())
}

/// The answer to one request: the event stream, or what [`http::answer`]
/// makes of the request read whole (its body `None` when it is larger than
/// the editor accepts).
async fn respond(
    request: Request<Incoming>,
    preview: Arc<Preview>,
    editor: Option<Arc<Editor>>,
) -> Result<Response<Sent>, Infallible> {
    if request.uri().path() == live::EVENTS_PATH && request.method() == Method::GET {
        return Ok(event_stream(preview));
    }
    let (head, body) = request.into_parts();
    let limit = editor::body_limit(&preview);
    let body = Limited::new(body, limit).collect().await.ok().map(|whole| whole.to_bytes().to_vec());
    let request = Request::from_parts(head, body);
    let answered = tokio::task::spawn_blocking(move || http::answer(request, &preview, editor.as_deref())).await;
    let reply = answered.unwrap_or_else(|_| http::status_only(500));
    Ok(reply.map(|bytes| Either::Left(Full::new(Bytes::from(bytes)))))
}

/// The event stream of one open page, written by [`live::stream`] from a
/// thread of its own until the page goes away.
fn event_stream(preview: Arc<Preview>) -> Response<Sent> {
    let (sender, receiver) = mpsc::channel(8);
    std::thread::spawn(move || live::stream(EventWriter(sender), &preview.live));
    let mut response = Response::new(Either::Right(EventStream(receiver)));
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, "text/event-stream; charset=utf-8".parse().expect("valid"));
    headers.insert(CACHE_CONTROL, "no-store".parse().expect("valid"));
    response
}

/// The writing end of an event stream: each write is sent to the page at
/// once, and fails once the page has gone away.
struct EventWriter(mpsc::Sender<Bytes>);

impl Write for EventWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let gone = |_| io::Error::from(io::ErrorKind::BrokenPipe);
        self.0.blocking_send(Bytes::copy_from_slice(bytes)).map_err(gone)?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The body of an event stream: what its [`EventWriter`] sends, as it comes.
struct EventStream(mpsc::Receiver<Bytes>);

impl Body for EventStream {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.get_mut().0.poll_recv(context).map(|sent| sent.map(|bytes| Ok(Frame::data(bytes))))
    }
}

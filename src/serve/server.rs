//! The socket side of `patron serve`: std::net, a fixed pool of worker threads, one request per
//! connection.
//!
//! Each connection answers one request and closes (`Connection: close`), which keeps the server
//! free of keep-alive state; on a local machine a new connection costs microseconds. The accept
//! loop hands connections to [`SERVE_WORKERS`] threads through a queue of at most
//! [`MAX_QUEUED_CONNECTIONS`]; a connection beyond that gets 503 at once. A worker reads at most
//! [`MAX_REQUEST_HEAD_BYTES`] of request head within [`SERVE_IO_TIMEOUT_SECS`], parses it with
//! `httparse` (RFC 9112's request line and header fields), never reads a body (the API has only
//! GET), and answers through [`Explorer::handle`]; a panic there is caught and answered with 500,
//! so no request can stop the server. On a loopback address a request must name a loopback host
//! (`Host: 127.0.0.1:PORT`, `localhost`, `[::1]`), else it gets 403: a web page cannot reach
//! the API by rebinding its own domain name to 127.0.0.1.

use super::response::{reason, Response};
use super::Explorer;
use crate::limits::{
    MAX_QUEUED_CONNECTIONS, MAX_REQUEST_HEAD_BYTES, SERVE_IO_TIMEOUT_SECS, SERVE_WORKERS,
};
use crate::{Error, Result};
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{sync_channel, Receiver, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Most header fields a request may have.
const MAX_HEADERS: usize = 64;

/// Listen on `addr` (port 0: any free port; the bound address is `listener.local_addr()`).
pub fn bind(addr: SocketAddr) -> Result<TcpListener> {
    TcpListener::bind(addr).map_err(|e| Error::Usage(format!("cannot listen on {addr}: {e}")))
}

/// Answer connections on `listener` until the process ends.
pub fn serve(listener: TcpListener, explorer: Explorer) -> Result<()> {
    let loopback = listener.local_addr().is_ok_and(|a| a.ip().is_loopback());
    let explorer = Arc::new(explorer);
    let (queue, waiting) = sync_channel::<TcpStream>(MAX_QUEUED_CONNECTIONS);
    let waiting = Arc::new(Mutex::new(waiting));
    for i in 0..SERVE_WORKERS {
        let (explorer, waiting) = (Arc::clone(&explorer), Arc::clone(&waiting));
        std::thread::Builder::new()
            .name(format!("serve-{i}"))
            .spawn(move || work(&explorer, &waiting, loopback))
            .map_err(|e| Error::Solver(format!("cannot start a server thread: {e}")))?;
    }
    for stream in listener.incoming() {
        // A failed accept (the client gave up, too many open files) concerns one connection;
        // a pause keeps a lasting failure from spinning the loop.
        let Ok(stream) = stream else {
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        if let Err(TrySendError::Full(mut stream)) = queue.try_send(stream) {
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
            let busy = Response::error(503, "the server is busy: try again in a moment");
            let _ = write_response(&mut stream, &busy, false);
        }
    }
    Ok(())
}

/// One worker: take the next connection, answer it, repeat.
fn work(explorer: &Explorer, waiting: &Mutex<Receiver<TcpStream>>, loopback: bool) {
    loop {
        // A poisoned lock only means another worker panicked while holding it: the queue is intact.
        let next = waiting.lock().unwrap_or_else(|p| p.into_inner()).recv();
        let Ok(mut stream) = next else { return };
        let answered = catch_unwind(AssertUnwindSafe(|| answer(explorer, &mut stream, loopback)));
        if answered.is_err() {
            let _ = write_response(
                &mut stream,
                &Response::error(500, "internal error while answering this request"),
                false,
            );
        }
    }
}

/// Read one request from `stream` and write its answer; I/O errors end the connection. On a
/// loopback address only requests naming a loopback host are answered (see [`local_host`]).
fn answer(explorer: &Explorer, stream: &mut TcpStream, loopback: bool) {
    let timeout = Duration::from_secs(SERVE_IO_TIMEOUT_SECS);
    if stream.set_write_timeout(Some(timeout)).is_err() {
        return;
    }
    let (response, head_only) = match read_head(stream, Instant::now() + timeout) {
        Ok(Some(head)) if loopback && !head.host.as_deref().is_some_and(local_host) => (
            Response::error(
                403,
                "this server answers requests for 127.0.0.1, localhost or [::1] only",
            ),
            false,
        ),
        Ok(Some(head)) => (
            explorer.handle(&head.method, &head.target),
            head.method == "HEAD",
        ),
        Ok(None) => return, // the client closed or fell silent before a whole request
        Err(refusal) => (refusal, false),
    };
    if write_response(stream, &response, head_only).is_ok() {
        // Let the client read the answer before the close: drain what it still sends (briefly),
        // since closing with unread input would reset the connection.
        let _ = stream.shutdown(Shutdown::Write);
        let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
        let mut sink = [0u8; 4096];
        for _ in 0..16 {
            if !matches!(stream.read(&mut sink), Ok(n) if n > 0) {
                break;
            }
        }
    }
}

/// What the explorer needs of a request head.
struct Head {
    method: String,
    target: String,
    /// The `Host` header, if any.
    host: Option<String>,
}

/// Whether a `Host` header names this machine's loopback interface (any port): `127.0.0.1`,
/// `localhost` or `[::1]`. A web page that rebinds its own domain name to 127.0.0.1 (DNS
/// rebinding) sends its own name, so the browser's same-origin rule keeps protecting the API.
pub fn local_host(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        Some((name, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|local| name.eq_ignore_ascii_case(local))
}

/// The head of the request on `stream`; `Ok(None)` if the client stopped sending first or did
/// not finish by `deadline` (a client that trickles bytes cannot hold a worker for longer),
/// `Err(response)` for a request to refuse (too long, malformed).
fn read_head(
    stream: &mut TcpStream,
    deadline: Instant,
) -> std::result::Result<Option<Head>, Response> {
    let mut buffer = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Ok(None);
        }
        let n = match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return Ok(None),
            Ok(n) => n,
        };
        buffer.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut request = httparse::Request::new(&mut headers);
        match request.parse(&buffer) {
            Ok(httparse::Status::Complete(_)) => {
                let host = request
                    .headers
                    .iter()
                    .find(|h| h.name.eq_ignore_ascii_case("host"))
                    .map(|h| String::from_utf8_lossy(h.value).trim().to_string());
                return Ok(Some(Head {
                    method: request.method.unwrap_or_default().to_string(),
                    target: request.path.unwrap_or_default().to_string(),
                    host,
                }));
            }
            Ok(httparse::Status::Partial) if buffer.len() <= MAX_REQUEST_HEAD_BYTES => {}
            Ok(httparse::Status::Partial) => {
                return Err(Response::error(
                    431,
                    &format!(
                        "the request head is more than the limit of {MAX_REQUEST_HEAD_BYTES} bytes"
                    ),
                ))
            }
            Err(e) => {
                return Err(Response::error(
                    400,
                    &format!("malformed HTTP request: {e}"),
                ))
            }
        }
    }
}

/// Write `response` with its status line and headers (and no body for HEAD).
fn write_response(
    stream: &mut TcpStream,
    response: &Response,
    head_only: bool,
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n\
         X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        response.body.len()
    );
    let mut bytes = head.into_bytes();
    if !head_only {
        bytes.extend_from_slice(&response.body);
    }
    stream.write_all(&bytes)?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A connected pair of sockets on 127.0.0.1: (client, server side).
    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        (client, listener.accept().unwrap().0)
    }

    #[test]
    fn a_head_is_read_whole_or_given_up_at_the_deadline() {
        let (mut client, mut server) = pair();
        client
            .write_all(b"GET /api/solve?set=a%3D1 HTTP/1.1\r\nHost: localhost:1\r\n\r\n")
            .unwrap();
        let head = read_head(&mut server, Instant::now() + Duration::from_secs(10))
            .unwrap()
            .unwrap();
        assert_eq!(
            (
                head.method.as_str(),
                head.target.as_str(),
                head.host.as_deref()
            ),
            ("GET", "/api/solve?set=a%3D1", Some("localhost:1"))
        );
        // A client that trickles an unfinished head is dropped at the deadline.
        let (mut client, mut server) = pair();
        client.write_all(b"GET /api/model HT").unwrap();
        let start = Instant::now();
        let read = read_head(&mut server, start + Duration::from_millis(300));
        assert!(matches!(read, Ok(None)));
        assert!(start.elapsed() < Duration::from_secs(5));
        // Too long a head is refused with 431 once the limit is passed.
        let (mut client, mut server) = pair();
        let writer = std::thread::spawn(move || {
            let long = vec![b'a'; MAX_REQUEST_HEAD_BYTES + 10_000];
            let _ = client.write_all(b"GET /");
            let _ = client.write_all(&long);
            client
        });
        let refused = read_head(&mut server, Instant::now() + Duration::from_secs(10));
        assert!(matches!(refused, Err(Response { status: 431, .. })));
        drop(writer.join());
    }

    #[test]
    fn only_loopback_host_names_are_local() {
        for host in [
            "127.0.0.1:8357",
            "localhost:1",
            "LOCALHOST",
            "[::1]:8357",
            "127.0.0.1",
        ] {
            assert!(local_host(host), "{host}");
        }
        for host in [
            "evil.example:8357",
            "127.0.0.1.evil.example",
            "localhost.:80",
            "",
            "[::1]x",
            "10.0.0.1:8357",
        ] {
            assert!(!local_host(host), "{host}");
        }
    }
}

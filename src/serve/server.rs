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
//! so no request can stop the server.

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
use std::time::Duration;

/// Most header fields a request may have.
const MAX_HEADERS: usize = 64;

/// Listen on `addr` (port 0: any free port; the bound address is `listener.local_addr()`).
pub fn bind(addr: SocketAddr) -> Result<TcpListener> {
    TcpListener::bind(addr).map_err(|e| Error::Usage(format!("cannot listen on {addr}: {e}")))
}

/// Answer connections on `listener` until the process ends.
pub fn serve(listener: TcpListener, explorer: Explorer) -> Result<()> {
    let explorer = Arc::new(explorer);
    let (queue, waiting) = sync_channel::<TcpStream>(MAX_QUEUED_CONNECTIONS);
    let waiting = Arc::new(Mutex::new(waiting));
    for i in 0..SERVE_WORKERS {
        let (explorer, waiting) = (Arc::clone(&explorer), Arc::clone(&waiting));
        std::thread::Builder::new()
            .name(format!("serve-{i}"))
            .spawn(move || work(&explorer, &waiting))
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
fn work(explorer: &Explorer, waiting: &Mutex<Receiver<TcpStream>>) {
    loop {
        // A poisoned lock only means another worker panicked while holding it: the queue is intact.
        let next = waiting.lock().unwrap_or_else(|p| p.into_inner()).recv();
        let Ok(mut stream) = next else { return };
        let answered = catch_unwind(AssertUnwindSafe(|| answer(explorer, &mut stream)));
        if answered.is_err() {
            let _ = write_response(
                &mut stream,
                &Response::error(500, "internal error while answering this request"),
                false,
            );
        }
    }
}

/// Read one request from `stream` and write its answer; I/O errors end the connection.
fn answer(explorer: &Explorer, stream: &mut TcpStream) {
    let timeout = Some(Duration::from_secs(SERVE_IO_TIMEOUT_SECS));
    if stream.set_read_timeout(timeout).is_err() || stream.set_write_timeout(timeout).is_err() {
        return;
    }
    let (response, head_only) = match read_head(stream) {
        Ok(Some((method, target))) => (explorer.handle(&method, &target), method == "HEAD"),
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

/// The method and target of the request on `stream`; `Ok(None)` if the client stopped sending
/// first, `Err(response)` for a request to refuse (too long, malformed).
fn read_head(stream: &mut TcpStream) -> std::result::Result<Option<(String, String)>, Response> {
    let mut buffer = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        let n = match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return Ok(None),
            Ok(n) => n,
        };
        buffer.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut request = httparse::Request::new(&mut headers);
        match request.parse(&buffer) {
            Ok(httparse::Status::Complete(_)) => {
                let method = request.method.unwrap_or_default().to_string();
                let target = request.path.unwrap_or_default().to_string();
                return Ok(Some((method, target)));
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

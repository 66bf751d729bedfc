//! What a handler returns: a status, a content type and a body; errors become JSON bodies.

use crate::Error;

/// One HTTP answer, before it is written to a socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

/// The content type of every API answer.
pub const JSON: &str = "application/json; charset=utf-8";

impl Response {
    /// 200 with a JSON text.
    pub fn json(text: String) -> Response {
        Response {
            status: 200,
            content_type: JSON,
            body: text.into_bytes(),
        }
    }

    /// 200 with a static file of the page.
    pub fn asset(content_type: &'static str, text: &'static str) -> Response {
        Response {
            status: 200,
            content_type,
            body: text.as_bytes().to_vec(),
        }
    }

    /// `status` with the body `{"error": message}`.
    pub fn error(status: u16, message: &str) -> Response {
        let body = serde_json::json!({ "error": message }).to_string();
        Response {
            status,
            content_type: JSON,
            body: body.into_bytes(),
        }
    }

    /// The answer to a failed request: 413 for a request over a limit, 400 for any other
    /// mistake of the request, 500 for a solver failure (not the request's fault). The message
    /// is the CLI's, word for word.
    pub fn from_error(error: &Error) -> Response {
        let status = match error {
            Error::LimitExceeded { .. } => 413,
            Error::Solver(_) => 500,
            _ => 400,
        };
        Response::error(status, &error.to_string())
    }
}

/// The reason phrase of the statuses the explorer sends (RFC 9110, §15).
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_json_with_the_message_and_a_status_by_kind() {
        let r = Response::from_error(&Error::Usage("bad `x`".into()));
        assert_eq!(r.status, 400);
        let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(v["error"], "bad `x`");
        assert_eq!(
            Response::from_error(&Error::limit("MAX_SWEEP_POINTS", "big")).status,
            413
        );
        assert_eq!(
            Response::from_error(&Error::Solver("oops".into())).status,
            500
        );
    }
}

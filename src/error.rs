//! Errors: every failure a user can cause names where it happened and what was expected,
//! as a variant a library caller can match: bad input with its location ([`Error::Parse`],
//! [`Error::Invalid`]), an unsupported request ([`Error::Unsupported`]), a documented limit
//! exceeded, named ([`Error::LimitExceeded`]), bad usage ([`Error::Usage`]), a solver's own
//! failure ([`Error::Solver`]) and I/O ([`Error::Io`]).
//!
//! A deadline is never an error: a solver stopped by one returns what it found, certified and
//! marked incomplete (`complete: false`, see [`crate::solve::Deadline`]).

use std::fmt;
use std::path::PathBuf;

/// A position in an input file (1-based line and column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub col: usize,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// Every failure patron reports (see the module comment).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Malformed input: `file:line:col: message`.
    #[error("{file}:{pos}: {message}")]
    Parse {
        /// The file (or `<string>`) the input came from.
        file: String,
        /// Where in it.
        pos: Pos,
        /// What was wrong and what was expected.
        message: String,
    },
    /// A semantically invalid model or game, with the key that is wrong.
    #[error("{file}:{line}: {key}: {message}")]
    Invalid {
        /// The file the input came from.
        file: String,
        /// The line of the offending key (from 1).
        line: usize,
        /// The offending key (a dotted path in a model file).
        key: String,
        /// What was wrong and what was expected.
        message: String,
    },
    /// Input or a request beyond a documented limit (see `docs/limits.md`).
    #[error("{message}")]
    LimitExceeded {
        /// The limit's constant in [`crate::limits`], e.g. `"MAX_TREE_NODES"`.
        limit: &'static str,
        /// The message for people: what was asked, and the limit's value.
        message: String,
    },
    /// The request does not apply to this game (e.g. `lp` on a general-sum game).
    #[error("{0}")]
    Unsupported(String),
    /// Bad command-line usage not caught by the argument parser.
    #[error("{0}")]
    Usage(String),
    /// A solver failed, or produced a profile that did not pass certification.
    #[error("{0}")]
    Solver(String),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
}

impl Error {
    /// Process exit code: 2 for anything the user's input or request caused, 1 for internal failures.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Solver(_) => 1,
            _ => 2,
        }
    }

    /// A limit exceeded: `limit` is the constant's name in [`crate::limits`].
    pub fn limit(limit: &'static str, message: impl Into<String>) -> Self {
        Error::LimitExceeded {
            limit,
            message: message.into(),
        }
    }

    /// An input file over [`crate::limits::MAX_FILE_BYTES`] (every reader checks before parsing).
    pub fn file_too_large(path: &std::path::Path) -> Self {
        Error::limit(
            "MAX_FILE_BYTES",
            format!(
                "{}: file larger than the limit of {} bytes",
                path.display(),
                crate::limits::MAX_FILE_BYTES
            ),
        )
    }

    /// The name of the limit this error reports as exceeded, if it is one.
    pub fn exceeded_limit(&self) -> Option<&'static str> {
        match self {
            Error::LimitExceeded { limit, .. } => Some(limit),
            _ => None,
        }
    }

    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// A result whose error is an [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

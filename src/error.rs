//! Errors: every failure a user can cause names where it happened and what was expected.

use std::fmt;
use std::path::PathBuf;

/// A position in an input file (1-based line and column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Malformed input: `file:line:col: message`.
    #[error("{file}:{pos}: {message}")]
    Parse {
        file: String,
        pos: Pos,
        message: String,
    },
    /// A semantically invalid model or game, with the key that is wrong.
    #[error("{file}:{line}: {key}: {message}")]
    Invalid {
        file: String,
        line: usize,
        key: String,
        message: String,
    },
    /// Input larger than a documented limit (see `docs/limits.md`).
    #[error("{0}")]
    TooLarge(String),
    /// The request does not apply to this game (e.g. `lp` on a general-sum game).
    #[error("{0}")]
    Unsupported(String),
    /// Bad command-line usage not caught by the argument parser.
    #[error("{0}")]
    Usage(String),
    /// A solver failed, or produced a profile that did not pass certification.
    #[error("{0}")]
    Solver(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
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

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

//! `patron.PatronError`: the CLI's error message, as a `ValueError` that also carries the
//! file, line and field it names.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

pyo3::create_exception!(
    _patron,
    PatronError,
    PyValueError,
    "An error patron reports: bad input (file, line, field), a request that does not apply, \
     a size limit, or a solver failure. `str(e)` is the command line's message; `e.file`, \
     `e.line` and `e.field` say where, when the message names it (else None)."
);

/// The Python exception for a library error, with `file`, `line`, `field` set.
pub fn to_py(error: patron::Error) -> PyErr {
    let (file, line, field) = match &error {
        patron::Error::Parse { file, pos, .. } => (Some(file.clone()), Some(pos.line), None),
        patron::Error::Invalid {
            file, line, key, ..
        } => (Some(file.clone()), Some(*line), Some(key.clone())),
        patron::Error::Io { path, .. } => (Some(path.display().to_string()), None, None),
        _ => (None, None, None),
    };
    let err = PatronError::new_err(error.to_string());
    Python::attach(|py| {
        let value = err.value(py);
        let _ = value.setattr("file", file);
        let _ = value.setattr("line", line);
        let _ = value.setattr("field", field);
    });
    err
}

/// A refused argument (wrong shape, NaN, out of range), named in the message.
pub fn bad_argument(message: String) -> PyErr {
    to_py(patron::Error::Usage(message))
}

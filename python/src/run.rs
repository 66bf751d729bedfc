//! Long calls: run off the interpreter's lock, answer Ctrl-C, show progress.
//!
//! The work runs on its own thread while the calling thread waits without the GIL (so other
//! Python threads run meanwhile), waking every [`TICK`] to let Python handle signals
//! (`check_signals` raises `KeyboardInterrupt` after Ctrl-C) and to redraw a progress line.
//! On an interrupt the work is asked to stop (`stop`); the call returns the exception within
//! [`GRACE`] whether or not the work has finished — a solver step that does not check for
//! the stop finishes on its own thread, and its result is dropped.
//!
//! Work known to be short runs on the calling thread instead ([`detached`], still without the
//! GIL): handing a result from one thread to another costs tens of microseconds on an idle
//! machine and milliseconds on a loaded one, more than a small solve itself.

use pyo3::prelude::*;
use std::sync::{mpsc, Mutex};
use std::time::Duration;

/// How often the waiting thread looks at signals and progress.
const TICK: Duration = Duration::from_millis(50);
/// How long an interrupted call waits for its work to stop before returning anyway.
const GRACE: Duration = Duration::from_millis(500);

/// Run short `work` on this thread without the GIL (no Ctrl-C until it returns).
pub fn detached<T, W>(py: Python<'_>, work: W) -> PyResult<T>
where
    T: Send,
    W: FnOnce() -> T + Send,
{
    py.detach(|| std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)))
        .map_err(internal_error)
}

/// The Python exception for a panic (a bug): its message, asking to be reported.
fn internal_error(panic: Box<dyn std::any::Any + Send>) -> PyErr {
    let why = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    pyo3::exceptions::PyRuntimeError::new_err(format!(
        "internal error in patron (please report it): {why}"
    ))
}

/// [`interruptible`] for work that cannot be stopped early and shows no progress: Ctrl-C
/// returns `KeyboardInterrupt` within [`GRACE`], and the work's result is then dropped.
pub fn in_background<T, W>(py: Python<'_>, work: W) -> PyResult<T>
where
    T: Send + 'static,
    W: FnOnce() -> T + Send + 'static,
{
    interruptible(py, work, || {}, |_| Ok(()))
}

/// Run `work` on a thread of its own, without the GIL; `tick` runs with the GIL every
/// [`TICK`] (a progress line); `stop` asks the work to end early after Ctrl-C.
pub fn interruptible<T, W>(
    py: Python<'_>,
    work: W,
    stop: impl Fn(),
    mut tick: impl FnMut(Python<'_>) -> PyResult<()>,
) -> PyResult<T>
where
    T: Send + 'static,
    W: FnOnce() -> T + Send + 'static,
{
    let (tx, rx) = mpsc::sync_channel(1);
    // A receiver may not be shared between threads; the lock lets `detach` borrow it.
    let rx = Mutex::new(rx);
    let wait = |timeout: Duration| match rx.lock() {
        Ok(rx) => rx.recv_timeout(timeout),
        Err(_) => Err(mpsc::RecvTimeoutError::Disconnected),
    };
    std::thread::Builder::new()
        .name("patron".into())
        .spawn(move || {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
            let _ = tx.send(outcome);
        })
        .map_err(|e| {
            pyo3::exceptions::PyRuntimeError::new_err(format!("cannot start a thread: {e}"))
        })?;
    loop {
        match py.detach(|| wait(TICK)) {
            Ok(Ok(result)) => return Ok(result),
            Ok(Err(panic)) => return Err(internal_error(panic)),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(pyo3::exceptions::PyRuntimeError::new_err(
                    "patron's worker thread ended without a result (an internal error)",
                ))
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        if let Err(interrupt) = py.check_signals() {
            stop();
            let _ = py.detach(|| wait(GRACE));
            return Err(interrupt);
        }
        tick(py)?;
    }
}

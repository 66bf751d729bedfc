//! Long calls: run off the interpreter's lock, answer Ctrl-C, show progress.
//!
//! The work runs on its own thread while the calling thread waits without the GIL (so other
//! Python threads run meanwhile), waking every [`TICK`] to let Python handle signals
//! (`check_signals` raises `KeyboardInterrupt` after Ctrl-C) and to redraw a progress line.
//! On an interrupt the work is asked to stop (`stop`); the call returns the exception within
//! [`GRACE`] whether or not the work has finished — a solver step that does not check for
//! the stop finishes on its own thread, and its result is dropped.

use pyo3::prelude::*;
use std::sync::{mpsc, Mutex};
use std::time::Duration;

/// How often the waiting thread looks at signals and progress.
const TICK: Duration = Duration::from_millis(50);
/// How long an interrupted call waits for its work to stop before returning anyway.
const GRACE: Duration = Duration::from_millis(500);

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
            Ok(Err(panic)) => {
                let why = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                return Err(pyo3::exceptions::PyRuntimeError::new_err(format!(
                    "internal error in patron (please report it): {why}"
                )));
            }
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

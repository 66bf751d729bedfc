//! The `patron` binary as the CLI tests run it: a command, and a run whose standard output
//! must be JSON (the run must succeed; its standard error is shown when it does not).

use assert_cmd::Command;
use serde_json::Value;

/// A `patron` command built by cargo for this test run.
pub fn patron() -> Command {
    Command::cargo_bin("patron").expect("binary")
}

/// Run `patron ARGS`, insist that it succeeds, and parse its standard output as JSON.
pub fn json(args: &[&str]) -> Value {
    let out = patron().args(args).output().expect("run");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

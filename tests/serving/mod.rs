//! Shared by the `patron serve` tests: a server started on a free port of 127.0.0.1, an HTTP
//! client for it, and the CLI to compare with.

pub mod webdriver;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The bundled model, relative to the crate root (where the tests run).
pub const MODEL: &str = "models/gaza-2024.toml";

/// The binary under test: `PATRON_BIN` if set (e.g. a release build, for screenshots that show
/// release timings), else this build's.
pub fn patron_bin() -> PathBuf {
    std::env::var_os("PATRON_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| assert_cmd::cargo::cargo_bin("patron"))
}

/// `patron serve MODEL --port 0`, stopped when dropped.
pub struct Served {
    child: Child,
    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub base: String,
}

impl Served {
    pub fn start() -> Served {
        Served::start_with(&[])
    }

    /// `patron serve MODEL --port 0 EXTRA…` (e.g. `--calibration FILE`).
    pub fn start_with(extra: &[&str]) -> Served {
        let mut child = Command::new(patron_bin())
            .args(["serve", MODEL, "--port", "0"])
            .args(extra)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("patron serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the URL line");
        let start = line.find("http://127.0.0.1:").expect(&line);
        let base = line[start..]
            .split_whitespace()
            .next()
            .unwrap()
            .trim_end_matches('/')
            .to_string();
        Served { child, base }
    }

    /// `GET path` → (status, body).
    pub fn get(&self, path: &str) -> (u16, String) {
        get(&format!("{}{path}", self.base))
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

/// `GET url` → (status, body).
pub fn get(url: &str) -> (u16, String) {
    let mut response = agent()
        .get(url)
        .call()
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .read_to_string()
        .unwrap_or_else(|e| panic!("GET {url}: body: {e}"));
    (status, body)
}

/// `POST url` with a JSON body → (status, body).
pub fn post(url: &str, json: &serde_json::Value) -> (u16, String) {
    let mut response = agent()
        .post(url)
        .header("Content-Type", "application/json")
        .send(json.to_string())
        .unwrap_or_else(|e| panic!("POST {url}: {e}"));
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string().expect("body");
    (status, body)
}

/// `DELETE url`.
pub fn delete(url: &str) {
    let _ = agent().delete(url).call();
}

/// Run `patron ARGS` in the crate root → (exit code, stdout, stderr).
pub fn patron(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(patron_bin())
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("patron runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    )
}

/// `text` encoded as one form value (so `=`, `&`, `%`, `+` and spaces inside it survive).
pub fn escape(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The truce data the calibration tests fit the bundled model to.
pub const TRUCES: &str = "models/truces-2023-2025.toml";

/// Write a calibration summary of the bundled model (a small run: 2,000 prior draws, 200
/// predictive draws) to `path`, as a user would with `patron calibrate … --summary`.
pub fn write_calibration_summary(path: &std::path::Path) {
    let path = path.to_str().expect("a UTF-8 path");
    let (code, _, err) = patron(&[
        "calibrate",
        MODEL,
        "--data",
        TRUCES,
        "--samples",
        "2000",
        "--predictive-draws",
        "200",
        "--summary",
        path,
        "--quiet",
    ]);
    assert_eq!(code, 0, "{err}");
}

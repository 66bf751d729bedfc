//! Just enough of the W3C WebDriver protocol (https://www.w3.org/TR/webdriver2/) to drive
//! Debian's chromium through chromedriver: plain HTTP and JSON, so the test needs no async stack.

use super::{delete, get, post};
use serde_json::{json, Value};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The keys of the WebDriver key table used here.
pub const HOME: &str = "\u{E011}";
pub const ARROW_LEFT: &str = "\u{E012}";
pub const ARROW_RIGHT: &str = "\u{E014}";

/// chromedriver, if installed: `PATRON_CHROMEDRIVER`, else `chromedriver` on the PATH.
pub fn find_chromedriver() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PATRON_CHROMEDRIVER") {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("chromedriver"))
        .find(|p| p.is_file())
}

/// A running chromedriver and one browser session, both ended when dropped.
pub struct Browser {
    driver: Child,
    session: String,
    _profile: TempDir,
}

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Browser {
    /// Start chromedriver on a free local port and open headless chromium with a fresh profile.
    /// The flags keep Chromium off the network (this machine has none) and out of the sandbox
    /// (tests run as root).
    pub fn start(chromedriver: &Path) -> Browser {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while !ready(&base) {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not answer on {base}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile =
            std::env::temp_dir().join(format!("patron-chromium-{}-{port}", std::process::id()));
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,800",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain([format!("--user-data-dir={}", profile.display())])
        .collect::<Vec<_>>();
        let mut options = json!({ "args": args });
        if let Some(binary) = std::env::var_os("PATRON_CHROMIUM") {
            options["binary"] = json!(binary.to_string_lossy());
        } else if Path::new("/usr/bin/chromium").is_file() {
            options["binary"] = json!("/usr/bin/chromium");
        }
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome", "goog:chromeOptions": options } } });
        let (status, body) = post(&format!("{base}/session"), &capabilities);
        let answer: Value = serde_json::from_str(&body).expect("JSON");
        assert_eq!(status, 200, "new session: {body}");
        let session = answer["value"]["sessionId"]
            .as_str()
            .expect(&body)
            .to_string();
        Browser {
            driver,
            session: format!("{base}/session/{session}"),
            _profile: TempDir(profile),
        }
    }

    fn command(&self, path: &str, body: Value) -> Value {
        let (status, text) = post(&format!("{}{path}", self.session), &body);
        let answer: Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(status, 200, "{path}: {text}");
        answer["value"].clone()
    }

    pub fn goto(&self, url: &str) {
        self.command("/url", json!({ "url": url }));
    }

    /// Run `script` (a function body; `arguments` holds `args`) and return its value.
    pub fn run(&self, script: &str, args: Value) -> Value {
        self.command("/execute/sync", json!({ "script": script, "args": args }))
    }

    /// Wait until `script` returns true (at most `seconds`).
    pub fn wait_for(&self, script: &str, args: Value, seconds: u64) {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        while self.run(script, args.clone()) != json!(true) {
            assert!(Instant::now() < deadline, "timed out waiting for: {script}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The element matching a CSS selector (its WebDriver id).
    pub fn find(&self, css: &str) -> String {
        let found = self.command("/element", json!({ "using": "css selector", "value": css }));
        found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_string()
    }

    pub fn click(&self, element: &str) {
        self.command(&format!("/element/{element}/click"), json!({}));
    }

    /// Type `text` (WebDriver key codes allowed) into the element, as a person would.
    pub fn keys(&self, element: &str, text: &str) {
        self.command(
            &format!("/element/{element}/value"),
            json!({ "text": text }),
        );
    }

    /// Lay the page out as a `width` × `height` CSS-pixel screen (mobile: a touch device).
    pub fn screen(&self, width: u32, height: u32, mobile: bool) {
        self.command(
            "/goog/cdp/execute",
            json!({ "cmd": "Emulation.setDeviceMetricsOverride", "params": {
                "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile } }),
        );
    }

    /// A PNG of the viewport.
    pub fn screenshot(&self) -> Vec<u8> {
        use base64::Engine as _;
        let (status, text) = get(&format!("{}/screenshot", self.session));
        assert_eq!(status, 200, "screenshot: {text}");
        let answer: Value = serde_json::from_str(&text).expect("JSON");
        base64::engine::general_purpose::STANDARD
            .decode(answer["value"].as_str().expect("base64 PNG"))
            .expect("valid base64")
    }
}

fn ready(base: &str) -> bool {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(2)))
        .build()
        .into();
    agent.get(&format!("{base}/status")).call().is_ok()
}

impl Drop for Browser {
    fn drop(&mut self) {
        delete(&self.session);
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

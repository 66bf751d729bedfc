//! `patron serve`'s API over a real socket, against the CLI: `/api/solve` is byte for byte
//! `patron solve --format json`, `/api/sweep` holds `patron sweep`'s rows, refusals carry the
//! CLI's messages, and a bounded fuzz of random requests (127.0.0.1 only) never stops the server.

use crate::serving;

use serde_json::Value;
use serving::{escape, patron, Served, MODEL};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

#[test]
fn solve_is_the_cli_document_for_both_scenarios_and_under_overrides() {
    let served = Served::start();
    let sets = ["dyads.us_israel.credibility=0.7", "chain.recovery=0.35"];
    for scenario in [None, Some("war"), Some("ceasefire")] {
        for overrides in [&sets[..0], &sets[..1], &sets[..]] {
            let mut args = vec!["solve", MODEL, "--format", "json"];
            let mut query = Vec::new();
            if let Some(s) = scenario {
                args.extend(["--scenario", s]);
                query.push(format!("scenario={s}"));
            }
            for set in overrides {
                args.extend(["--set", set]);
                query.push(format!("set={}", escape(set)));
            }
            let (code, cli, _) = patron(&args);
            assert_eq!(code, 0);
            let (status, api) = served.get(&format!("/api/solve?{}", query.join("&")));
            assert_eq!(status, 200, "{api}");
            assert_eq!(api, cli, "{query:?}");
        }
    }
}

/// The CLI's error line without its `error: ` prefix.
fn cli_error(args: &[&str]) -> String {
    let (code, _, stderr) = patron(args);
    assert_eq!(code, 2, "{args:?}");
    stderr
        .trim_end()
        .strip_prefix("error: ")
        .unwrap_or(&stderr)
        .to_string()
}

fn api_error(served: &Served, path: &str) -> (u16, String) {
    let (status, body) = served.get(path);
    let doc: Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"));
    (
        status,
        doc["error"].as_str().expect("an error message").to_string(),
    )
}

#[test]
fn refusals_are_4xx_with_the_cli_message() {
    let served = Served::start();
    // Out of range, unknown dyad, unknown name, unknown scenario: word for word the CLI's.
    for (set, scenario) in [
        ("dyads.us_israel.credibility=0.95", None),
        ("dyads.us_israel.credibility=-1", None),
        ("dyads.us_israel.credibilty=0.5", None),
        ("dyads.atlantis.credibility=0.5", None),
        ("chain.horizon_weeks=26.5", None),
        ("chain.recovery=0.5", Some("peace")),
    ] {
        let mut args = vec!["solve", MODEL, "--set", set];
        let mut query = format!("/api/solve?set={}", escape(set));
        if let Some(s) = scenario {
            args.extend(["--scenario", s]);
            query.push_str(&format!("&scenario={s}"));
        }
        let (status, message) = api_error(&served, &query);
        assert_eq!(status, 400, "{query}");
        assert_eq!(message, cli_error(&args), "{query}");
    }
    // A malformed value: the CLI's parser's message (clap wraps it in its own sentence).
    for set in [
        "dyads.us_israel.credibility",
        "chain.recovery=abc",
        "chain.recovery=inf",
    ] {
        let (status, message) = api_error(&served, &format!("/api/solve?set={}", escape(set)));
        assert_eq!(status, 400);
        let (code, _, stderr) = patron(&["solve", MODEL, "--set", set]);
        assert_eq!(code, 2);
        assert!(stderr.contains(&message), "{message} not in {stderr}");
    }
    // Malformed queries and unknown routes.
    let (status, message) = api_error(&served, "/api/solve?sett=chain.recovery%3D0.5");
    assert_eq!(status, 400);
    assert!(
        message.contains("unknown query parameter `sett`"),
        "{message}"
    );
    assert_eq!(
        api_error(&served, "/api/solve?scenario=war&scenario=war").0,
        400
    );
    assert_eq!(api_error(&served, "/models/gaza-2024.toml").0, 404);
    // Sweeps: beyond the CLI's own limit (its message), and beyond the explorer's.
    let vary = "dyads.us_israel.credibility=0.3:0.8:200000000";
    let (status, message) = api_error(&served, &format!("/api/sweep?vary={}", escape(vary)));
    assert_eq!(status, 413);
    assert_eq!(
        message,
        cli_error(&["sweep", MODEL, "--vary", vary, "--out", "-"])
    );
    let (status, message) = api_error(
        &served,
        &format!("/api/sweep?vary={}", escape("chain.recovery=0.2:0.8:2001")),
    );
    assert_eq!(status, 413);
    assert!(
        message.contains("2001 points") && message.contains("2000"),
        "{message}"
    );
    let vary = "dyads.us_israel.credibility=0.1:0.8:3";
    let (status, message) = api_error(&served, &format!("/api/sweep?vary={}", escape(vary)));
    assert_eq!(status, 400);
    assert_eq!(
        message,
        cli_error(&["sweep", MODEL, "--vary", vary, "--out", "-"])
    );
    // The server still answers.
    assert_eq!(served.get("/api/solve").0, 200);
}

#[test]
fn sweep_columns_are_the_cli_sweep_rows() {
    let served = Served::start();
    let dir = std::env::temp_dir().join(format!("patron-serve-sweep-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("rows.jsonl");
    let vary = "dyads.us_israel.credibility=0.3:0.8:6";
    let (code, _, stderr) = patron(&[
        "sweep",
        MODEL,
        "--scenario",
        "ceasefire",
        "--vary",
        vary,
        "--set",
        "chain.recovery=0.4",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let rows: Vec<Value> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    let (status, body) = served.get(&format!(
        "/api/sweep?scenario=ceasefire&vary={}&set={}",
        escape(vary),
        escape("chain.recovery=0.4")
    ));
    assert_eq!(status, 200, "{body}");
    let doc: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(doc["points"], 6);
    assert_eq!(doc["scenario"], "ceasefire");
    let columns = doc["columns"].as_object().unwrap();
    assert_eq!(rows.len(), 6);
    for (i, row) in rows.iter().enumerate() {
        let row = row.as_object().unwrap();
        assert_eq!(
            row.keys().collect::<Vec<_>>(),
            columns.keys().collect::<Vec<_>>()
        );
        for (name, value) in row {
            assert_eq!(&columns[name][i], value, "row {i}, {name}");
        }
    }
}

/// splitmix64 (Steele, Lea & Flood 2014): a reproducible stream for the fuzz.
struct Stream(u64);

impl Stream {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// A random request target: mostly API calls assembled from plausible and broken pieces, some
/// raw bytes.
fn random_target(s: &mut Stream) -> Vec<u8> {
    const ROUTES: &[&str] = &[
        "/api/solve",
        "/api/sweep",
        "/api/model",
        "/",
        "/api",
        "/api/solve/",
        "//",
        "/app.js",
    ];
    const KEYS: &[&str] = &[
        "set", "vary", "scenario", "", "sett", "set[]", "%73et", "SET",
    ];
    const PATHS: &[&str] = &[
        "dyads.us_israel.credibility",
        "chain.recovery",
        "chain.horizon_weeks",
        "patron_game.ceasefire_value.us",
        "dyads.iran_hamas.gain.aligned.K",
        "dyads..",
        "dyads",
        "chain.",
        "x",
        "",
        "dyads.us_israel.war_risk.E",
        "dyads.iran_hezbollah.breaks_ceasefire",
    ];
    const NUMBERS: &[&str] = &[
        "0.5",
        "0.7",
        "1",
        "0",
        "-0",
        "26",
        "13.5",
        "1e308",
        "-1e308",
        "NaN",
        "inf",
        "1e-320",
        "0x10",
        "",
        " 0.6",
        "0.6 ",
        "52",
        "1000000",
        "0.3:0.8:5",
        "0.3:0.8:1",
        "0.2:0.8:2000",
        "0.8:0.3:4",
        "0:1:99999999999",
        "1:1:1",
    ];
    const NOISE: &[&str] = &[
        "=",
        "&",
        "%",
        "%zz",
        "%00",
        "%C3%28",
        "%FF",
        "+",
        ";",
        "#",
        "?",
        ":",
        "..",
        "%2e%2e%2f",
        "é",
    ];
    let mut target = s.pick(ROUTES).to_string();
    let pairs = s.below(5);
    for i in 0..pairs {
        target.push(if i == 0 { '?' } else { '&' });
        match s.below(4) {
            0 => target.push_str(s.pick(NOISE)),
            1 => target.push_str(&format!("{}={}", s.pick(KEYS), s.pick(NUMBERS))),
            _ => {
                let key = s.pick(KEYS);
                let (path, value) = (s.pick(PATHS), s.pick(NUMBERS));
                let value = if s.below(2) == 0 {
                    escape(&format!("{path}={value}"))
                } else {
                    format!("{path}={value}")
                };
                target.push_str(&format!("{key}={value}"));
            }
        }
        if s.below(6) == 0 {
            target.push_str(s.pick(NOISE));
        }
    }
    let mut bytes = target.into_bytes();
    if s.below(20) == 0 {
        // Raw bytes, including ones a request line may not hold.
        let n = s.below(40);
        bytes.extend((0..n).map(|_| (s.next() & 0xFF) as u8));
    }
    bytes
}

/// Send raw request bytes; the status of the answer, or `None` if the connection closed without one.
fn raw_request(addr: &str, request: &[u8]) -> Option<(u16, Vec<u8>)> {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    stream.write_all(request).ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).ok()?;
    let text = String::from_utf8_lossy(&answer);
    let status = text.split(' ').nth(1)?.parse().ok()?;
    let body = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| answer[i + 4..].to_vec())?;
    Some((status, body))
}

#[test]
fn random_requests_never_stop_the_server() {
    let served = Served::start();
    let addr = served.base.trim_start_matches("http://").to_string();
    let mut stream = Stream(0x5EED_2024);
    let mut statuses = std::collections::BTreeMap::new();
    for i in 0..3000 {
        let method = if stream.below(25) == 0 {
            stream.pick(&["POST", "PUT", "DELETE", "G ET", "HEAD"])
        } else {
            "GET"
        };
        let mut request = format!("{method} ").into_bytes();
        request.extend(random_target(&mut stream));
        request.extend_from_slice(b" HTTP/1.1\r\nHost: localhost\r\n\r\n");
        let Some((status, body)) = raw_request(&addr, &request) else {
            panic!(
                "request {i} got no answer: {}",
                String::from_utf8_lossy(&request)
            );
        };
        *statuses.entry(status).or_insert(0) += 1;
        let shown = String::from_utf8_lossy(&request).into_owned();
        assert!(
            matches!(status, 200 | 400 | 404 | 405 | 413 | 414 | 431),
            "request {i} ({shown}) got {status}: {}",
            String::from_utf8_lossy(&body)
        );
        if status != 200 && method != "HEAD" {
            let doc: Value =
                serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{shown}: {e}"));
            assert!(
                doc["error"].as_str().is_some_and(|m| !m.is_empty()),
                "{shown}"
            );
        }
    }
    // Oversized heads, a garbage request line, a body, a client that sends nothing.
    let long = format!(
        "GET /api/solve?{} HTTP/1.1\r\n\r\n",
        "set=chain.recovery%3D0.5&".repeat(2000)
    );
    assert_eq!(raw_request(&addr, long.as_bytes()).map(|r| r.0), Some(431));
    assert_eq!(
        raw_request(&addr, b"\x00\x01\x02 garbage\r\n\r\n").map(|r| r.0),
        Some(400)
    );
    let post = b"POST /api/solve HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello";
    assert_eq!(raw_request(&addr, post).map(|r| r.0), Some(405));
    // A page of another site rebound to 127.0.0.1 (DNS rebinding) names its own host.
    let foreign = b"GET /api/model HTTP/1.1\r\nHost: attacker.example:80\r\n\r\n";
    assert_eq!(raw_request(&addr, foreign).map(|r| r.0), Some(403));
    let no_host = b"GET /api/model HTTP/1.0\r\n\r\n";
    assert_eq!(raw_request(&addr, no_host).map(|r| r.0), Some(403));
    drop(TcpStream::connect(&addr).unwrap());
    // Still serving, with the right answer.
    let (status, body) = served.get("/api/solve?scenario=ceasefire");
    assert_eq!(status, 200);
    let (_, cli, _) = patron(&[
        "solve",
        MODEL,
        "--scenario",
        "ceasefire",
        "--format",
        "json",
    ]);
    assert_eq!(body, cli);
    eprintln!("fuzz statuses: {statuses:?}");
}

/// `--calibration`: `/api/model` carries the summary's posterior predictive bands unchanged, and
/// the bands hold together as a survival model's must: each survival band at the horizon is
/// the P(hold) band (S(T) = P(hold) draw by draw), S(0) = 1, and quantiles of curves that never
/// rise never rise. A summary of another model file is refused with the fingerprints named.
#[test]
fn calibrated_bands_are_the_summarys_and_belong_to_the_model() {
    let dir = std::env::temp_dir().join(format!("patron-serve-bands-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let summary_path = dir.join("summary.json");
    serving::write_calibration_summary(&summary_path);
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(&summary_path).unwrap()).unwrap();

    let served = Served::start_with(&["--calibration", summary_path.to_str().unwrap()]);
    let (status, body) = served.get("/api/model");
    assert_eq!(status, 200);
    let doc: Value = serde_json::from_str(&body).unwrap();
    let shown = &doc["calibration"];
    for key in ["data", "method", "samples", "seed", "model_fnv1a64"] {
        assert_eq!(shown[key], summary[key], "{key}");
    }
    let headlines = summary["posterior_predictive"]["headlines"]
        .as_array()
        .unwrap();
    assert_eq!(headlines.len(), 6, "two scenarios × three policy sets");
    for (got, want) in shown["posterior_predictive"]["headlines"]
        .as_array()
        .unwrap()
        .iter()
        .zip(headlines)
    {
        for key in ["scenario", "policies"] {
            assert_eq!(got[key], want[key]);
        }
        for key in ["p_hold", "expected_weeks", "p_regional_war"] {
            for q in ["q05", "q50", "q95"] {
                assert_eq!(got[key][q], want[key][q], "{key}.{q}");
            }
        }
        for q in ["q05", "q50", "q95"] {
            assert_eq!(got["survival"][q], want["survival"][q], "survival.{q}");
            let curve: Vec<f64> = want["survival"][q]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect();
            assert_eq!(curve.len(), 27, "weeks 0 … 26 of the bundled horizon");
            assert!((curve[0] - 1.0).abs() < 1e-12, "S(0) = {}", curve[0]);
            assert!(curve.windows(2).all(|w| w[1] <= w[0] + 1e-12), "{curve:?}");
            let at_horizon = curve[curve.len() - 1];
            let p_hold = want["p_hold"][q].as_f64().unwrap();
            assert!(
                (at_horizon - p_hold).abs() < 1e-12,
                "{q}: {at_horizon} vs {p_hold}"
            );
        }
    }
    drop(served);

    // Without --calibration the document says so with null.
    let plain = Served::start();
    let doc: Value = serde_json::from_str(&plain.get("/api/model").1).unwrap();
    assert_eq!(doc["calibration"], Value::Null);
    drop(plain);

    // The same bands offered for a model file whose bytes differ (one comment line more).
    let other = dir.join("other-model.toml");
    let text = std::fs::read_to_string(MODEL).unwrap();
    std::fs::write(&other, format!("# a copy\n{text}")).unwrap();
    let (code, _, err) = patron(&[
        "serve",
        other.to_str().unwrap(),
        "--port",
        "0",
        "--calibration",
        summary_path.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("fingerprint") && err.contains("patron calibrate"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

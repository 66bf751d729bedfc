//! The explorer in a real browser (Debian's chromium through chromedriver): load the page, move
//! the slider of `dyads.us_israel.credibility` with the keyboard, read the new P(hold) on the
//! page and compare it with `patron solve … --set …`; click "Copy as command" and run the
//! command; write screenshots at 1280×800 and at phone width (390×844) to `target/explorer/`.
//! With `--calibration`, the posterior's 90 % bands show beside the numbers and behind the
//! survival curves, equal to the summary file's, and stay put when a slider moves.
//!
//! Without chromedriver the test says why it did not run and passes, unless
//! `PATRON_REQUIRE_BROWSER=1`, when it fails (CI installs `chromium` and `chromium-driver`).

use crate::serving;

use serde_json::{json, Value};
use serving::webdriver::{find_chromedriver, Browser, ARROW_LEFT, ARROW_RIGHT, HOME};
use serving::{patron, patron_bin, Served, MODEL};
use std::path::PathBuf;

const SLIDER: &str = r#"input[data-path="dyads.us_israel.credibility"]"#;

/// Whether the page shows the solve of exactly these `set=` values (and no request is pending).
const SHOWS: &str = "const solved = document.body.dataset.solved;
    if (!solved) return false;
    const sets = new URLSearchParams(solved.split('?')[1]).getAll('set');
    return JSON.stringify(sets) === JSON.stringify(arguments[0]);";

/// Whether the survival chart is drawn at the size it is shown.
const REDRAWN: &str = "const svg = document.getElementById('survival');
    const shown = Math.max(280, Math.round(svg.getBoundingClientRect().width));
    return svg.viewBox.baseVal.width === shown;";

fn artefacts() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/explorer");
    std::fs::create_dir_all(&dir).expect("target/explorer");
    dir
}

fn number(v: &Value) -> f64 {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not a number: {v}"))
}

/// `ceasefire.optimal.p_hold` of `patron ARGS --format json`.
fn cli_p_hold(args: &[&str]) -> f64 {
    let mut args = args.to_vec();
    args.extend(["--format", "json"]);
    let (code, out, err) = patron(&args);
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    doc["ceasefire"]["optimal"]["p_hold"].as_f64().unwrap()
}

/// Measure (never assert) the time from a key press on the slider to the new numbers on the
/// page, over ten presses of →: as the page measures it (request sent to numbers drawn), and as
/// the test sees it (WebDriver round trips and 20 ms polling included).
fn report_update_times(browser: &Browser, slider: &str, start: f64) {
    let (mut page, mut seen) = (Vec::new(), Vec::new());
    for k in 1..=10 {
        let before = std::time::Instant::now();
        browser.keys(slider, ARROW_RIGHT);
        let value = (start * 1000.0 + f64::from(k)).round() / 1000.0;
        let set = format!("dyads.us_israel.credibility={value}");
        browser.wait_for(SHOWS, json!([[set]]), 30);
        seen.push(before.elapsed().as_secs_f64() * 1000.0);
        let status = browser.run(
            "return document.getElementById('status').textContent;",
            json!([]),
        );
        let ms = status
            .as_str()
            .and_then(|s| s.split_whitespace().nth(2)?.parse::<f64>().ok());
        page.push(ms.expect("solved in N ms"));
    }
    for (what, times) in [("page", &mut page), ("test", &mut seen)] {
        times.sort_by(f64::total_cmp);
        eprintln!(
            "slider key press to new numbers ({what}): min {:.0} ms, median {:.0} ms, max {:.0} ms",
            times[0], times[5], times[9]
        );
    }
}

/// chromedriver, or `None` after saying why the test does not run (a failure instead under
/// `PATRON_REQUIRE_BROWSER=1`).
fn chromedriver_or_skip() -> Option<PathBuf> {
    let found = find_chromedriver();
    if found.is_none() {
        let reason = "explorer browser test NOT RUN: chromedriver not found \
                      (apt-get install chromium chromium-driver, or set PATRON_CHROMEDRIVER)";
        assert!(
            std::env::var_os("PATRON_REQUIRE_BROWSER").is_none_or(|v| v != "1"),
            "{reason}"
        );
        use std::io::Write;
        let _ = std::io::stderr().write_all(format!("\n*** {reason} ***\n").as_bytes());
    }
    found
}

#[test]
fn slider_moves_the_answer_and_copy_as_command_reproduces_it() {
    let Some(chromedriver) = chromedriver_or_skip() else {
        return;
    };
    let served = Served::start();
    let browser = Browser::start(&chromedriver);
    browser.screen(1280, 800, false);
    browser.goto(&format!("{}/", served.base));
    browser.wait_for(SHOWS, json!([[]]), 30);

    // The page opens on the default scenario, as `patron solve MODEL` does.
    let shown = number(&browser.run(
        "return document.getElementById('p-hold-optimal').dataset.value;",
        json!([]),
    ));
    assert_eq!(shown, cli_p_hold(&["solve", MODEL]));

    // Move the slider as a person would: focus it, Home (its lowest value), then three steps right.
    let slider = browser.find(SLIDER);
    browser.keys(&slider, HOME);
    browser.keys(&slider, &ARROW_RIGHT.repeat(3));
    let value = number(&browser.run(
        r#"return document.querySelector('output[data-path="dyads.us_israel.credibility"]').dataset.value;"#,
        json!([]),
    ));
    // The declared range is [0.3, 0.8], a slider step is 0.001.
    assert_eq!(value, 0.303);
    let set = format!("dyads.us_israel.credibility={value}");
    browser.wait_for(SHOWS, json!([[set]]), 30);
    let p_hold = number(&browser.run(
        "return document.getElementById('p-hold-optimal').dataset.value;",
        json!([]),
    ));
    let text = browser.run(
        "return document.getElementById('p-hold-optimal').textContent;",
        json!([]),
    );
    let expected = cli_p_hold(&["solve", MODEL, "--set", &set]);
    assert_eq!(p_hold, expected);
    assert_eq!(text, json!(format!("{expected:.4}")));
    assert_ne!(p_hold, shown, "the slider changed nothing");
    let timing = browser.run(
        "return document.getElementById('status').textContent;",
        json!([]),
    );
    eprintln!("page after the slider move: {timing}");
    report_update_times(&browser, &slider, value);
    browser.keys(&slider, &ARROW_LEFT.repeat(10));
    browser.wait_for(SHOWS, json!([[set]]), 30);

    // "Copy as command", then run exactly that command.
    browser.click(&browser.find("#copy-command"));
    let command = browser.run(
        "return document.getElementById('command').textContent;",
        json!([]),
    );
    let command = command.as_str().expect("the command").to_string();
    assert_eq!(
        command,
        format!("patron solve {MODEL} --scenario war --set {set}")
    );
    let words: Vec<&str> = command.split_whitespace().collect();
    assert_eq!(words[0], "patron");
    let (code, table, err) = patron(&words[1..]);
    assert_eq!(code, 0, "{err}");
    // The table's P(hold) row for the optimal policies, as the page shows it (4 decimals).
    let row = table
        .lines()
        .skip_while(|l| !l.starts_with("Ceasefire"))
        .find(|l| l.trim_start().starts_with("optimal"))
        .expect("the ceasefire table");
    assert_eq!(row.split_whitespace().nth(1), text.as_str());
    assert_eq!(cli_p_hold(&words[1..]), p_hold);
    assert!(patron_bin().is_file());

    // What "Download JSON" saves is the solve document, byte for byte.
    let saved = browser.run("return state.solveText;", json!([]));
    let (_, cli_json, _) = patron(&[&words[1..], &["--format", "json"][..]].concat());
    assert_eq!(saved.as_str(), Some(cli_json.as_str()));
    browser.click(&browser.find("#download-json"));

    // A sweep of the same parameter over its declared range: one point per step, and the point
    // at the slider's value is the P(hold) shown above (the sweep uses the other LP backend).
    browser.click(&browser.find("#sweep-run"));
    browser.wait_for(
        "return document.querySelectorAll('#sweep-chart circle').length === 21;",
        json!([]),
        60,
    );
    let swept = browser.run(
        "const c = state.sweep.answer.columns;
         return [c['dyads.us_israel.credibility'], c['ceasefire.optimal.p_hold']];",
        json!([]),
    );
    let xs = swept[0].as_array().unwrap();
    assert_eq!(
        (xs.first(), xs.last()),
        (Some(&json!(0.3)), Some(&json!(0.8)))
    );
    let swept_at_03 = swept[1][0].as_f64().unwrap();
    let solved_at_03 = cli_p_hold(&["solve", MODEL, "--set", "dyads.us_israel.credibility=0.3"]);
    assert!(
        (swept_at_03 - solved_at_03).abs() < 1e-9,
        "{swept_at_03} vs {solved_at_03}"
    );

    // A sweep over the explorer's limit: the server's message under the sweep, the results not dimmed.
    browser.run(
        "document.getElementById('sweep-steps').value = '5000';",
        json!([]),
    );
    browser.click(&browser.find("#sweep-run"));
    browser.wait_for(
        "return !document.getElementById('sweep-error').hidden;",
        json!([]),
        30,
    );
    let refusal = browser.run(
        "return [document.getElementById('sweep-error').textContent,
                 document.body.classList.contains('stale')];",
        json!([]),
    );
    let (_, api) = served.get(&format!(
        "/api/sweep?scenario=war&vary={}",
        serving::escape("dyads.us_israel.credibility=0.3:0.8:5000"),
    ));
    let api: Value = serde_json::from_str(&api).unwrap();
    assert_eq!(refusal, json!([api["error"], false]));
    browser.run(
        "document.getElementById('sweep-steps').value = '21';",
        json!([]),
    );

    let dir = artefacts();
    browser.run("window.scrollTo(0, 0);", json!([]));
    std::fs::write(dir.join("explorer-1280x800.png"), browser.screenshot()).unwrap();
    browser.run(
        "document.getElementById('h-game').scrollIntoView();",
        json!([]),
    );
    std::fs::write(
        dir.join("explorer-1280x800-lower.png"),
        browser.screenshot(),
    )
    .unwrap();
    browser.screen(390, 844, true);
    browser.run("window.scrollTo(0, 0);", json!([]));
    // The charts are drawn again at their new size.
    browser.wait_for(REDRAWN, json!([]), 10);
    std::fs::write(dir.join("explorer-390x844.png"), browser.screenshot()).unwrap();
    // A phone-width page scrolls down, never sideways.
    let overflow = browser.run(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
        json!([]),
    );
    assert_eq!(
        overflow,
        json!(0),
        "the page is wider than a 390-pixel screen"
    );
    // Among the sliders, the three P(hold) values stay in sight at the top of the screen.
    browser.run(
        "document.getElementById('h-params').scrollIntoView();",
        json!([]),
    );
    let summary = browser.run(
        "const r = document.getElementById('summary').getBoundingClientRect();
         return [r.top, r.height, document.getElementById('summary').textContent];",
        json!([]),
    );
    assert_eq!(summary[0], json!(0), "{summary}");
    assert!(summary[1].as_f64().unwrap() > 0.0, "{summary}");
    assert!(
        summary[2]
            .as_str()
            .unwrap()
            .contains(text.as_str().unwrap()),
        "{summary}"
    );
    // No hover on a phone: a tap on a parameter's name spells out its source from the model file.
    browser.click(&browser.find(r#".param[data-path="dyads.us_israel.credibility"] label"#));
    let source = browser.run(
        r#"const note = document.querySelector('.param[data-path="dyads.us_israel.credibility"] .source');
           return note.offsetHeight > 0 ? note.textContent : null;"#,
        json!([]),
    );
    let model =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(MODEL)).unwrap();
    let quote = source
        .as_str()
        .expect("the source is shown")
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(
        quote.starts_with("quote: ") && model.contains(&quote),
        "{quote}"
    );
    browser.run(
        r#"document.querySelector('.param[data-path="dyads.us_israel.credibility"]').scrollIntoView({ block: 'center' });"#,
        json!([]),
    );
    std::fs::write(
        dir.join("explorer-390x844-params.png"),
        browser.screenshot(),
    )
    .unwrap();
}

#[test]
fn calibrated_bands_show_beside_the_numbers_and_stay_put() {
    let Some(chromedriver) = chromedriver_or_skip() else {
        return;
    };
    let dir = artefacts();
    let summary_path = dir.join("calibration-summary.json");
    serving::write_calibration_summary(&summary_path);
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(&summary_path).unwrap()).unwrap();
    let served = Served::start_with(&["--calibration", summary_path.to_str().unwrap()]);
    let browser = Browser::start(&chromedriver);
    browser.screen(1280, 800, false);
    browser.goto(&format!("{}/", served.base));
    browser.wait_for(SHOWS, json!([[]]), 30);

    // The page opens on the default scenario (war): each policy set's band is the summary's.
    let bands_shown = || {
        browser.run(
            "return ['optimal', 'unconditional', 'status_quo'].map((k) => {
                 const b = document.getElementById('p-hold-band-' + k);
                 return b ? [b.dataset.q05, b.dataset.q95] : null;
             });",
            json!([]),
        )
    };
    let shown = bands_shown();
    for (k, key) in ["optimal", "unconditional", "status_quo"]
        .iter()
        .enumerate()
    {
        let want = summary["posterior_predictive"]["headlines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["scenario"] == "war" && h["policies"] == *key)
            .expect("the war scenario's band");
        assert_eq!(
            number(&shown[k][0]),
            want["p_hold"]["q05"].as_f64().unwrap()
        );
        assert_eq!(
            number(&shown[k][1]),
            want["p_hold"]["q95"].as_f64().unwrap()
        );
    }
    let drawn = browser.run(
        "return [document.querySelectorAll('#survival polygon[data-band]').length,
                 !document.getElementById('band-note').hidden];",
        json!([]),
    );
    assert_eq!(drawn, json!([3, true]));

    // A slider moves the point values, not the bands (they are the calibrated model's).
    let before = browser.run(
        "return document.getElementById('p-hold-optimal').dataset.value;",
        json!([]),
    );
    let slider = browser.find(SLIDER);
    browser.keys(&slider, HOME);
    browser.wait_for(SHOWS, json!([["dyads.us_israel.credibility=0.3"]]), 30);
    let after = browser.run(
        "return document.getElementById('p-hold-optimal').dataset.value;",
        json!([]),
    );
    assert_ne!(before, after, "the slider changed nothing");
    assert_eq!(bands_shown(), shown);
    browser.run("window.scrollTo(0, 0);", json!([]));
    std::fs::write(
        dir.join("explorer-bands-1280x800.png"),
        browser.screenshot(),
    )
    .unwrap();
}

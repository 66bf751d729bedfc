//! `patron calibrate` from the command line: the --check JSON schema, errors, help.

use crate::common::cli::patron;

const MODEL: &str = "models/gaza-2024.toml";
const DATA: &str = "models/truces-2023-2025.toml";

#[test]
fn check_json_follows_the_documented_schema() {
    let out = patron()
        .args([
            "calibrate",
            MODEL,
            "--data",
            DATA,
            "--check",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let truces = v["truces"].as_array().unwrap();
    assert_eq!(truces.len(), 5);
    let mut total = 0.0;
    for t in truces {
        for key in ["id", "scenario", "policies", "outcome"] {
            assert!(t[key].is_string(), "{key} in {t}");
        }
        assert!(t["dyads"].as_array().is_some_and(|d| !d.is_empty()));
        let weeks = t["weeks"].as_u64().unwrap() as usize;
        let s: Vec<f64> = t["survival"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        assert_eq!(s.len(), weeks + 1);
        assert_eq!(s[0], 1.0);
        assert!(s.windows(2).all(|w| w[1] <= w[0]), "survival never rises");
        let p = match t["outcome"].as_str().unwrap() {
            "broke" => s[weeks - 1] - s[weeks],
            _ => s[weeks],
        };
        let ll = t["log_likelihood"].as_f64().unwrap();
        assert!((ll - p.ln()).abs() < 1e-12);
        total += ll;
    }
    assert!((v["log_likelihood"].as_f64().unwrap() - total).abs() < 1e-9);
}

#[test]
fn bad_data_is_an_error_with_file_and_line() {
    let dir = std::env::temp_dir().join(format!("patron-calibrate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.toml");
    let text = std::fs::read_to_string(DATA).unwrap().replacen(
        "dyads = [\"us_israel\"]",
        "dyads = [\"us_hamas\"]",
        1,
    );
    std::fs::write(&path, &text).unwrap();
    let line = text[..text.find("us_hamas").unwrap()].matches('\n').count() + 1;
    let out = patron()
        .args([
            "calibrate",
            MODEL,
            "--data",
            path.to_str().unwrap(),
            "--check",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("bad.toml:{line}:")) && err.contains("unknown dyad `us_hamas`"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn horizon_cannot_be_free_and_unknown_paths_are_refused() {
    let out = patron()
        .args([
            "calibrate",
            MODEL,
            "--data",
            DATA,
            "--free",
            "chain.horizon_weeks",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("own number of weeks"));
    let out = patron()
        .args([
            "calibrate",
            MODEL,
            "--data",
            DATA,
            "--free",
            "dyads.*.nonsense",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("matches no parameter"));
}

#[test]
fn help_teaches_the_workflow() {
    let out = patron().args(["calibrate", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "--check",
        "--backtest",
        "--free",
        "importance sampling",
        "SMC",
        "ceil(d/7)",
    ] {
        assert!(help.contains(needle), "help lacks {needle}");
    }
}

/// Two shards (one interrupted and resumed) give the posterior an unsharded run gives.
#[test]
fn shards_merge_to_the_unsharded_posterior() {
    let dir = std::env::temp_dir().join(format!("patron-calibrate-shards-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let common = [
        "calibrate",
        MODEL,
        "--data",
        DATA,
        "--samples",
        "300",
        "--seed",
        "7",
        "--free",
        "chain.baseline_hazard",
        "--free",
        "dyads.us_israel.prior_autonomous",
        "--quiet",
    ];
    let shard = |i: &str, resume: bool| {
        let file = dir.join(format!("l{}.jsonl", &i[..1]));
        let mut args: Vec<String> = common.iter().map(|s| s.to_string()).collect();
        args.extend(["--shard".into(), i.into(), "--likelihoods".into()]);
        args.push(file.display().to_string());
        if resume {
            args.push("--resume".into());
        }
        let out = patron().args(&args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        file
    };
    let one = shard("1/2", false);
    let two = shard("2/2", false);
    // Interrupt shard 2: keep its header and 40 draws plus half a line, then resume.
    let full = std::fs::read_to_string(&two).unwrap();
    let lines: Vec<&str> = full.lines().collect();
    assert_eq!(lines.len(), 151, "a header and 150 draws");
    let cut = format!("{}\n{}", lines[..41].join("\n"), &lines[41][..5]);
    std::fs::write(&two, cut).unwrap();
    shard("2/2", true);
    assert_eq!(std::fs::read_to_string(&two).unwrap(), full);
    let summary = |extra: &[&str]| {
        let mut args: Vec<&str> = common.to_vec();
        args.extend(["--format", "json", "--predictive-draws", "20"]);
        args.extend(extra);
        let out = patron().args(&args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (v["parameters"].clone(), v["importance_ess"].clone())
    };
    let merged = summary(&[
        "--min-ess",
        "0",
        "--from-likelihoods",
        one.to_str().unwrap(),
        two.to_str().unwrap(),
    ]);
    let whole = summary(&["--min-ess", "0"]);
    assert_eq!(merged, whole);
    // A missing shard is refused.
    let out = patron()
        .args(common)
        .args(["--from-likelihoods", one.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_summary_plots_as_bands_intervals_and_densities() {
    let dir = std::env::temp_dir().join(format!("patron-calibrate-plot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let summary = dir.join("s.json");
    let out = patron()
        .args([
            "calibrate",
            MODEL,
            "--data",
            DATA,
            "--samples",
            "400",
            "--quiet",
        ])
        .args([
            "--predictive-draws",
            "20",
            "--summary",
            summary.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (kind, extra) in [
        ("bands", vec![]),
        ("posterior", vec![]),
        ("density", vec!["--y", "chain.recovery"]),
    ] {
        let fig = dir.join(format!("{kind}.svg"));
        let out = patron()
            .args(["plot", summary.to_str().unwrap(), "--kind", kind])
            .args(&extra)
            .args(["--out", fig.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(std::fs::read_to_string(&fig).unwrap().contains("<svg"));
    }
    let out = patron()
        .args([
            "plot",
            summary.to_str().unwrap(),
            "--kind",
            "bands",
            "--y",
            "x",
        ])
        .args(["--out", dir.join("x.svg").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "--y applies only to density plots"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

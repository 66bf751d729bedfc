//! The documentation names every limit and every tolerance the code uses, so the pages cannot
//! silently fall behind the code.

fn constants(source: &str, prefix: &str) -> Vec<String> {
    source
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix(prefix))
        .filter_map(|rest| rest.split(':').next())
        .map(|name| name.trim().to_string())
        .collect()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn every_limit_is_documented() {
    let names = constants(&read("src/limits.rs"), "pub const ");
    assert!(names.len() >= 10, "found only {names:?}");
    assert_named_in(&names, "docs/limits.md");
}

#[test]
fn every_tolerance_is_documented() {
    let num = read("src/num.rs");
    let tol = &num[num.find("pub mod tol").expect("tol module")..];
    let tol = &tol[..tol.find("\n}\n").expect("end of tol")];
    let names = constants(tol, "pub const ");
    assert!(names.len() >= 5, "found only {names:?}");
    assert_named_in(&names, "docs/numbers.md");
}

/// Every one of `names` appears in backquotes in the document at `path`.
fn assert_named_in(names: &[String], path: &str) {
    let doc = read(path);
    let missing: Vec<_> = names
        .iter()
        .filter(|n| !doc.contains(&format!("`{n}`")))
        .collect();
    assert!(missing.is_empty(), "{path} does not name {missing:?}");
}

#[test]
fn model_doc_parameter_table_is_current() {
    let doc = read("docs/model.md");
    let begin = doc.find("<!-- params:begin -->\n").expect("begin marker")
        + "<!-- params:begin -->\n".len();
    let end = doc.find("<!-- params:end -->").expect("end marker");
    let output = assert_cmd::Command::cargo_bin("patron")
        .expect("binary")
        .args(["params", "models/gaza-2024.toml", "--format", "md"])
        .output()
        .expect("run patron params");
    assert!(output.status.success());
    let generated = String::from_utf8(output.stdout).expect("utf-8");
    assert_eq!(
        &doc[begin..end],
        generated,
        "regenerate the table in docs/model.md with `patron params`"
    );
}

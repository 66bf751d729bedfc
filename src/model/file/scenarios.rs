//! `[scenarios.<name>]`: named overrides of the base values, keyed by full parameter path.

use super::reader::check_source;
use super::toml_doc::{check_name, entries, Doc, Entry};
use super::{ModelSpec, Override, Scenario};
use crate::model::paths::ParamPath;
use crate::Result;
use toml::de::DeValue;

/// `[scenarios.<name>]`: a description, a source, and overrides keyed by full parameter path.
pub(super) fn read_scenarios(doc: &Doc, e: &Entry, spec: &ModelSpec) -> Result<Vec<Scenario>> {
    let mut out = Vec::new();
    for s in entries(doc.table(e, "scenarios")?) {
        let key = format!("scenarios.{}", s.key);
        check_name(doc, &s, &key, s.key)?;
        let (mut description, mut source, mut overrides) = (None, None, Vec::new());
        for f in entries(doc.table(&s, &key)?) {
            let fk = format!("{key}.{}", f.key);
            match f.key {
                "description" => description = Some(doc.string(&f, &fk)?),
                "source" => {
                    let text = doc.string(&f, &fk)?;
                    check_source(&text).map_err(|why| doc.invalid(f.value_at, &fk, why))?;
                    source = Some(text);
                }
                _ => collect_overrides(doc, spec, &key, f.key.to_string(), &f, &mut overrides)?,
            }
        }
        let description = description
            .ok_or_else(|| doc.invalid(s.key_at, &format!("{key}.description"), "missing key"))?;
        if source.is_none() && !overrides.is_empty() {
            return Err(doc.invalid(
                s.key_at,
                &format!("{key}.source"),
                "missing source for the scenario's overrides",
            ));
        }
        out.push(Scenario {
            name: s.key.to_string(),
            description,
            source,
            overrides,
            line: doc.line(s.key_at),
        });
    }
    Ok(out)
}

/// Overrides at `path` and below: dotted keys nest as tables, quoted keys may hold the whole path.
fn collect_overrides(
    doc: &Doc,
    spec: &ModelSpec,
    scenario_key: &str,
    path: String,
    e: &Entry,
    out: &mut Vec<Override>,
) -> Result<()> {
    if let DeValue::Table(t) = e.value {
        for f in entries(t) {
            collect_overrides(
                doc,
                spec,
                scenario_key,
                format!("{path}.{}", f.key),
                &f,
                out,
            )?;
        }
        return Ok(());
    }
    let key = format!("{scenario_key}.{path}");
    let value = doc.number(e, &key)?;
    let param =
        ParamPath::resolve(&spec.base, &path).map_err(|why| doc.invalid(e.key_at, &key, why))?;
    if let Some(earlier) = out.iter().find(|o| o.param == param) {
        return Err(doc.invalid(
            e.key_at,
            &key,
            format!("set twice (also on line {})", earlier.line),
        ));
    }
    let info = spec.info(param)?;
    let [lo, hi] = info.range;
    if !(lo..=hi).contains(&value) {
        return Err(doc.invalid(
            e.value_at,
            &key,
            format!(
                "value {value} is outside the range [{lo}, {hi}] of {path} (line {})",
                info.line
            ),
        ));
    }
    out.push(Override {
        path,
        param,
        value,
        line: doc.line(e.key_at),
    });
    Ok(())
}

//! Walks a model file's tables into a [`ModelSpec`], rejecting unknown keys, missing parameters,
//! values outside their domain or range, and parameters without provenance (spec, layer 4).

use super::toml_doc::{check_name, entries, Doc, Entry};
use super::{ModelSpec, ParamInfo};
use crate::model::params::{ChainParams, Model, PatronGameParams};
use crate::model::paths::{ChainField, Domain, ParamPath};
use crate::{Error, Result};
use std::collections::HashMap;
use toml::de::{DeTable, DeValue};

const TOP_LEVEL: [&str; 5] = ["model", "dyads", "chain", "patron_game", "scenarios"];

/// Reading state: the parameters found so far and the line of every key.
pub(super) struct Reader<'d, 'a> {
    pub(super) doc: &'d Doc<'a>,
    infos: HashMap<ParamPath, ParamInfo>,
    lines: HashMap<String, usize>,
}

/// `[model]`: what the rest of the file is checked against.
struct Header {
    name: String,
    description: String,
    patrons: Vec<String>,
    /// The default scenario's name and the byte offset of its value.
    default_scenario: Option<(String, usize)>,
}

pub(super) fn read_spec(doc: &Doc, root: &DeTable) -> Result<ModelSpec> {
    let mut r = Reader {
        doc,
        infos: HashMap::new(),
        lines: HashMap::new(),
    };
    let mut tables: [Option<Entry>; 5] = Default::default();
    for e in entries(root) {
        let slot = TOP_LEVEL.iter().position(|t| *t == e.key).ok_or_else(|| {
            doc.invalid(
                e.key_at,
                e.key,
                format!("unknown table; expected one of {}", TOP_LEVEL.join(", ")),
            )
        })?;
        r.lines.insert(e.key.to_string(), doc.line(e.key_at));
        tables[slot] = Some(e);
    }
    let [model, dyads, chain, patron_game, scenarios] = tables;
    let header = r.header(&required(doc, model, "model")?)?;
    let logit_lambda =
        r.patron_game(&required(doc, patron_game, "patron_game")?, &header.patrons)?;
    r.chain(&required(doc, chain, "chain")?)?;
    let dyads = r.dyads(&required(doc, dyads, "dyads")?, &header.patrons)?;

    let mut base = Model {
        scenario: "base".into(),
        dyads,
        chain: ChainParams {
            horizon_weeks: 1,
            baseline_hazard: 0.0,
            tension_multiplier: 1.0,
            recovery: 0.0,
        },
        patron_game: PatronGameParams {
            ceasefire_value: header.patrons.iter().map(|p| (p.clone(), 0.0)).collect(),
            logit_lambda,
        },
    };
    let mut params = Vec::new();
    let handles = ParamPath::all(&base);
    for handle in &handles {
        let path = handle.name(&base);
        let info = r.infos.remove(handle).ok_or_else(|| {
            let line = nearest_line(&r.lines, &path);
            doc.invalid_at_line(line, &path, "missing parameter")
        })?;
        handle.apply(&mut base, info.value)?;
        params.push(info);
    }
    let mut spec = ModelSpec {
        file: doc.file.to_string(),
        fnv1a64: crate::sweep::meta::fnv1a64(doc.text.as_bytes()),
        name: header.name,
        description: header.description,
        base,
        params,
        handles,
        scenarios: Vec::new(),
        default_scenario: None,
        lines: r.lines,
    };
    if let Err(v) = spec.base.validate() {
        return Err(doc.invalid_at_line(nearest_line(&spec.lines, &v.path), &v.path, v.message));
    }
    if let Some(e) = scenarios {
        spec.scenarios = super::scenarios::read_scenarios(doc, &e, &spec)?;
        for s in &spec.scenarios {
            spec.apply_scenario(s)?;
        }
    }
    if let Some((name, at)) = header.default_scenario {
        if !spec.scenarios.iter().any(|s| s.name == name) {
            let message = format!("unknown scenario `{name}`; {}", spec.scenario_list());
            return Err(doc.invalid(at, "model.default_scenario", message));
        }
        spec.default_scenario = Some(name);
    }
    Ok(spec)
}

/// A top-level table the file must have.
fn required<'t, 'i>(doc: &Doc, e: Option<Entry<'t, 'i>>, name: &str) -> Result<Entry<'t, 'i>> {
    e.ok_or_else(|| doc.invalid_at_line(1, name, format!("missing table [{name}]")))
}

/// The line of `path`, or of its nearest parent whose line is known.
fn nearest_line(lines: &HashMap<String, usize>, path: &str) -> usize {
    let mut p = path;
    loop {
        if let Some(&line) = lines.get(p) {
            return line;
        }
        match p.rfind('.') {
            Some(i) => p = &p[..i],
            None => return 1,
        }
    }
}

/// An error for a key `e` that the table at `parent` does not define.
pub(super) fn unknown_key(doc: &Doc, e: &Entry, parent: &str, expected: &[&str]) -> Error {
    let hint = match expected.iter().find(|x| x.eq_ignore_ascii_case(e.key)) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!("expected one of {}", expected.join(", ")),
    };
    doc.invalid(
        e.key_at,
        &format!("{parent}.{}", e.key),
        format!("unknown key; {hint}"),
    )
}

/// `Err` unless `source` is `assumption`, `quote: <words>` or `cite: <reference>`.
pub(super) fn check_source(source: &str) -> std::result::Result<(), String> {
    const FORMS: &str =
        "give \"quote: <exact words of the source>\", \"cite: <reference>\" or \"assumption\"";
    if source.trim().is_empty() {
        return Err(format!("missing source; {FORMS}"));
    }
    if source == "assumption" {
        return Ok(());
    }
    match ["quote:", "cite:"]
        .iter()
        .find_map(|p| source.strip_prefix(p))
    {
        Some(rest) if !rest.trim().is_empty() => Ok(()),
        Some(_) => Err(format!("empty source `{source}`; {FORMS}")),
        None => Err(format!("source `{source}` has no recognised form; {FORMS}")),
    }
}

impl Reader<'_, '_> {
    pub(super) fn record(&mut self, key: &str, e: &Entry) {
        self.lines.insert(key.to_string(), self.doc.line(e.key_at));
    }

    fn header(&mut self, e: &Entry) -> Result<Header> {
        let doc = self.doc;
        let (mut name, mut description, mut patrons, mut default_scenario) =
            (None, String::new(), None, None);
        for f in entries(doc.table(e, "model")?) {
            let key = format!("model.{}", f.key);
            self.record(&key, &f);
            match f.key {
                "name" => name = Some(doc.string(&f, &key)?),
                "description" => description = doc.string(&f, &key)?,
                "patrons" => patrons = Some(self.patrons(&f, &key)?),
                "default_scenario" => default_scenario = Some((doc.string(&f, &key)?, f.value_at)),
                _ => {
                    return Err(unknown_key(
                        doc,
                        &f,
                        "model",
                        &["name", "description", "patrons", "default_scenario"],
                    ))
                }
            }
        }
        let missing = |k: &str| doc.invalid(e.key_at, &format!("model.{k}"), "missing key");
        Ok(Header {
            name: name.ok_or_else(|| missing("name"))?,
            description,
            patrons: patrons.ok_or_else(|| missing("patrons"))?,
            default_scenario,
        })
    }

    /// `patrons = ["us", "iran"]`: distinct names, row player of the patron game first.
    fn patrons(&self, e: &Entry, key: &str) -> Result<Vec<String>> {
        let mut out: Vec<String> = Vec::new();
        for item in self.doc.array(e, key)? {
            let p = self.doc.string(&item, key)?;
            check_name(self.doc, &item, key, &p)?;
            if out.contains(&p) {
                return Err(self.doc.invalid(
                    item.value_at,
                    key,
                    format!("patron `{p}` is listed twice"),
                ));
            }
            out.push(p);
        }
        if out.is_empty() {
            return Err(self.doc.invalid(e.key_at, key, "list at least one patron"));
        }
        Ok(out)
    }

    /// `[patron_game]`: a `ceasefire_value` per patron and an optional `logit_lambda`.
    fn patron_game(&mut self, e: &Entry, patrons: &[String]) -> Result<Option<f64>> {
        let doc = self.doc;
        let mut lambda = None;
        for f in entries(doc.table(e, "patron_game")?) {
            let key = format!("patron_game.{}", f.key);
            self.record(&key, &f);
            match f.key {
                "ceasefire_value" => {
                    for g in entries(doc.table(&f, &key)?) {
                        let path = format!("{key}.{}", g.key);
                        let index = patrons.iter().position(|p| p == g.key).ok_or_else(|| {
                            doc.invalid(
                                g.key_at,
                                &path,
                                format!(
                                    "unknown patron; [model] patrons are {}",
                                    patrons.join(", ")
                                ),
                            )
                        })?;
                        self.param(ParamPath::CeasefireValue(index), &path, &g)?;
                    }
                }
                "logit_lambda" => lambda = Some(doc.number(&f, &key)?),
                _ => {
                    return Err(unknown_key(
                        doc,
                        &f,
                        "patron_game",
                        &["ceasefire_value", "logit_lambda"],
                    ))
                }
            }
        }
        Ok(lambda)
    }

    fn chain(&mut self, e: &Entry) -> Result<()> {
        for f in entries(self.doc.table(e, "chain")?) {
            let key = format!("chain.{}", f.key);
            let field = ChainField::from_name(f.key).ok_or_else(|| {
                let names: Vec<&str> = ChainField::ALL.iter().map(|c| c.name()).collect();
                unknown_key(self.doc, &f, "chain", &names)
            })?;
            self.param(ParamPath::Chain(field), &key, &f)?;
        }
        Ok(())
    }

    /// `name = { value = .., range = [lo, hi], source = ".." }`.
    pub(super) fn param(&mut self, handle: ParamPath, key: &str, e: &Entry) -> Result<()> {
        let doc = self.doc;
        if let Some(earlier) = self.infos.get(&handle) {
            return Err(doc.invalid(
                e.key_at,
                key,
                format!("set twice (also on line {})", earlier.line),
            ));
        }
        self.record(key, e);
        let table = match e.value {
            DeValue::Table(t) => t,
            _ => {
                let form = "{ value = .., range = [lo, hi], source = \"..\" }";
                return Err(doc.wrong_type(e, key, form));
            }
        };
        let (mut value, mut range, mut source) = (None, None, None);
        for f in entries(table) {
            match f.key {
                "value" => value = Some((doc.number(&f, key)?, f.value_at)),
                "range" => range = Some((self.range(&f, key)?, f.value_at)),
                "source" => source = Some((doc.string(&f, key)?, f.value_at)),
                _ => return Err(unknown_key(doc, &f, key, &["value", "range", "source"])),
            }
        }
        let missing = |k: &str| doc.invalid(e.key_at, key, format!("missing `{k}`"));
        let (value, value_at) = value.ok_or_else(|| missing("value"))?;
        let ([lo, hi], range_at) = range.ok_or_else(|| missing("range"))?;
        let (source, source_at) = source.ok_or_else(|| missing("source"))?;
        let domain: Domain = handle.domain();
        domain
            .check(value)
            .map_err(|why| doc.invalid(value_at, key, format!("value {why}")))?;
        if lo > hi {
            return Err(doc.invalid(range_at, key, format!("range [{lo}, {hi}] has lo > hi")));
        }
        for bound in [lo, hi] {
            domain
                .check(bound)
                .map_err(|why| doc.invalid(range_at, key, format!("range bound {why}")))?;
        }
        if !(lo..=hi).contains(&value) {
            return Err(doc.invalid(
                value_at,
                key,
                format!("value {value} is outside its range [{lo}, {hi}]"),
            ));
        }
        check_source(&source).map_err(|why| doc.invalid(source_at, key, why))?;
        let info = ParamInfo {
            path: key.to_string(),
            value,
            range: [lo, hi],
            source,
            line: doc.line(e.key_at),
            scenario: None,
        };
        self.infos.insert(handle, info);
        Ok(())
    }

    fn range(&self, e: &Entry, key: &str) -> Result<[f64; 2]> {
        let items = self.doc.array(e, key)?;
        match items.as_slice() {
            [lo, hi] => Ok([self.doc.number(lo, key)?, self.doc.number(hi, key)?]),
            _ => Err(self.doc.invalid(e.value_at, key, "range must be [lo, hi]")),
        }
    }
}

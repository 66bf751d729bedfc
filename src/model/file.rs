//! Model files: TOML with every parameter's value, plausible range and provenance, plus named
//! scenarios (`docs/spec.md`, layer 4; the format is documented in `models/README.md`).
//!
//! [`load_model`] / [`parse_model`] give a [`ModelSpec`] (the file as written, fully validated);
//! [`ModelSpec::instantiate`] turns it into the plain [`Model`] the solvers use, for one scenario
//! and any `--set` overrides. Every user mistake is one line: `file:line: key: message` for a
//! semantic error, `file:line:col: message` for TOML syntax or a value of the wrong type.

mod constraints;
mod dyad_table;
mod reader;
mod scenarios;
pub(crate) mod toml_doc;

use super::params::Model;
use super::paths::ParamPath;
use crate::{Error, Result};
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

/// One parameter as the file states it (or as a scenario overrides it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamInfo {
    /// Full parameter path, e.g. `dyads.iran_hamas.monitoring`.
    pub path: String,
    pub value: f64,
    /// Plausible range [lo, hi], for Monte Carlo and tornado sensitivity.
    pub range: [f64; 2],
    /// `quote: …`, `cite: …` or `assumption`.
    pub source: String,
    /// Line of the parameter (or of the scenario override) in the file.
    pub line: usize,
    /// The scenario whose override set this value, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
}

/// One scenario override: `path = value` inside `[scenarios.<name>]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    pub path: String,
    pub param: ParamPath,
    pub value: f64,
    pub line: usize,
}

/// A named set of overrides of the base values.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    /// Provenance of the overrides (required when there are any).
    pub source: Option<String>,
    pub overrides: Vec<Override>,
    pub line: usize,
}

/// A parsed and validated model file.
#[derive(Debug, Clone)]
pub struct ModelSpec {
    file: String,
    /// FNV-1a 64 fingerprint of the text it was read from.
    fnv1a64: String,
    name: String,
    description: String,
    base: Model,
    /// In [`ParamPath::all`] order, parallel to `handles`.
    params: Vec<ParamInfo>,
    handles: Vec<ParamPath>,
    scenarios: Vec<Scenario>,
    default_scenario: Option<String>,
    /// Line of every key path read, to place errors found after reading (e.g. ω > β).
    lines: HashMap<String, usize>,
}

/// Read and validate a model file.
pub fn load_model(path: &Path) -> Result<ModelSpec> {
    let size = std::fs::metadata(path)
        .map_err(|e| Error::io(path, e))?
        .len();
    if size > crate::limits::MAX_FILE_BYTES {
        return Err(Error::limit(
            "MAX_FILE_BYTES",
            format!(
                "{}: {size} bytes is more than the limit of {} for a model file",
                path.display(),
                crate::limits::MAX_FILE_BYTES
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let file = path.display().to_string();
    match std::str::from_utf8(&bytes) {
        Ok(text) => parse_model(text, &file),
        Err(e) => {
            let valid = String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned();
            let doc = toml_doc::Doc::new(&file, &valid);
            Err(doc.parse_error(valid.len(), "the file is not valid UTF-8".into()))
        }
    }
}

/// Parse and validate model-file text; `file` names it in errors.
pub fn parse_model(text: &str, file: &str) -> Result<ModelSpec> {
    let doc = toml_doc::Doc::new(file, text);
    let root = doc.parse()?;
    reader::read_spec(&doc, root.get_ref())
}

impl ModelSpec {
    /// The name the text was read under (the file's path), used in error messages.
    pub fn file(&self) -> &str {
        &self.file
    }
    /// The FNV-1a 64 fingerprint of the text the model was read from (of the file's bytes, for
    /// a file), as 16 hex digits: what a calibration summary records to name its model exactly.
    pub fn fingerprint(&self) -> &str {
        &self.fnv1a64
    }
    /// The model's `name` key, e.g. `gaza-2024`.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The model's `description` key (free text).
    pub fn description(&self) -> &str {
        &self.description
    }
    /// The base values (every parameter's `value`), before any scenario.
    pub fn base(&self) -> &Model {
        &self.base
    }
    /// Every parameter with its base value, range, source and line, in [`ParamPath::all`] order.
    pub fn params(&self) -> &[ParamInfo] {
        &self.params
    }
    /// The file's scenarios (layer 4), in file order.
    pub fn scenarios(&self) -> &[Scenario] {
        &self.scenarios
    }
    /// The scenario used when none is named (`[model] default_scenario`); `None` = base values.
    pub fn default_scenario(&self) -> Option<&str> {
        self.default_scenario.as_deref()
    }

    /// A parameter's handle and its file entry, by path (a usage error lists valid names).
    pub fn lookup(&self, path: &str) -> Result<(ParamPath, &ParamInfo)> {
        let handle = ParamPath::parse(&self.base, path)?;
        Ok((handle, self.info(handle)?))
    }

    /// The file entry of a handle resolved against this model.
    fn info(&self, handle: ParamPath) -> Result<&ParamInfo> {
        // Every handle of the base model was recorded when the file was read.
        let i = self.handles.iter().position(|h| *h == handle);
        i.map(|i| &self.params[i])
            .ok_or_else(|| Error::Usage(format!("{handle:?} is not a parameter of {}", self.file)))
    }

    /// The scenario named `name`, or the default scenario when `name` is `None`.
    fn choose(&self, name: Option<&str>) -> Result<Option<&Scenario>> {
        let Some(n) = name.or(self.default_scenario.as_deref()) else {
            return Ok(None);
        };
        match self.scenarios.iter().find(|s| s.name == n) {
            Some(s) => Ok(Some(s)),
            None => Err(Error::Usage(format!(
                "{}: unknown scenario `{n}`; {}",
                self.file,
                self.scenario_list()
            ))),
        }
    }

    /// "the file defines: war, ceasefire", for unknown-scenario errors.
    fn scenario_list(&self) -> String {
        let names: Vec<&str> = self.scenarios.iter().map(|s| s.name.as_str()).collect();
        if names.is_empty() {
            "the file defines no scenarios".to_string()
        } else {
            format!("the file defines: {}", names.join(", "))
        }
    }

    /// The model for one scenario (default: [`ModelSpec::default_scenario`]), then `--set` values.
    ///
    /// Each `--set` must lie in its parameter's range; the result must pass [`Model::validate`].
    pub fn instantiate(&self, scenario: Option<&str>, sets: &[(String, f64)]) -> Result<Model> {
        let mut model = match self.choose(scenario)? {
            Some(s) => self.apply_scenario(s)?,
            None => self.base.clone(),
        };
        for (path, value) in sets {
            let (handle, info) = self.lookup(path)?;
            let [lo, hi] = info.range;
            if !(lo..=hi).contains(value) {
                return Err(Error::Usage(format!(
                    "--set {path}={value}: outside the parameter's range [{lo}, {hi}] ({}:{}); \
                     pass --allow-outside-range to go beyond it",
                    self.file, info.line
                )));
            }
            handle.apply(&mut model, *value)?;
        }
        model
            .validate()
            .map_err(|v| Error::Usage(format!("after --set: {v}")))?;
        Ok(model)
    }

    /// Base values with one scenario's overrides, validated; errors point at the scenario.
    fn apply_scenario(&self, scenario: &Scenario) -> Result<Model> {
        let mut model = self.base.clone();
        model.scenario = scenario.name.clone();
        for o in &scenario.overrides {
            o.param.apply(&mut model, o.value)?;
        }
        model.validate().map_err(|v| {
            let line = scenario
                .overrides
                .iter()
                .find(|o| o.path == v.path)
                .map_or(scenario.line, |o| o.line);
            Error::Invalid {
                file: self.file.clone(),
                line,
                key: format!("scenarios.{}", scenario.name),
                message: v.to_string(),
            }
        })?;
        Ok(model)
    }

    /// Every parameter as one scenario sets it (default scenario when `None`): overridden values
    /// carry the scenario's source and the override's line.
    pub fn params_in(&self, scenario: Option<&str>) -> Result<Vec<ParamInfo>> {
        let mut params = self.params.clone();
        if let Some(s) = self.choose(scenario)? {
            for o in &s.overrides {
                if let Some(i) = self.handles.iter().position(|h| *h == o.param) {
                    let p = &mut params[i];
                    p.value = o.value;
                    p.line = o.line;
                    p.source = s.source.clone().unwrap_or_default();
                    p.scenario = Some(s.name.clone());
                }
            }
        }
        Ok(params)
    }
}

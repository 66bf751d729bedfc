//! `[dyads.<name>]`: a patron, a client, an optional status quo and behaviour, and the twenty
//! dyad parameters (spec, layer 1), written flat (`gain.aligned.K = {..}`) or nested.

use super::reader::{check_source, unknown_key, Reader};
use super::toml_doc::{check_name, entries, Entry};
use crate::model::params::{Behaviour, Dyad, DyadParams, Policy, Signal};
use crate::model::paths::{DyadField, ParamPath};
use crate::{Error, Result};
use toml::de::DeValue;

impl Reader<'_, '_> {
    /// Every dyad, in file order (their indices are the `ParamPath` dyad indices).
    pub(super) fn dyads(&mut self, e: &Entry, patrons: &[String]) -> Result<Vec<Dyad>> {
        let list = entries(self.doc.table(e, "dyads")?);
        if list.is_empty() {
            return Err(self
                .doc
                .invalid(e.key_at, "dyads", "the model has no dyads"));
        }
        if list.len() > crate::limits::MAX_DYADS {
            return Err(Error::limit(
                "MAX_DYADS",
                format!(
                    "{}: {} dyads is more than the limit of {}",
                    self.doc.file,
                    list.len(),
                    crate::limits::MAX_DYADS
                ),
            ));
        }
        list.iter()
            .enumerate()
            .map(|(i, d)| self.dyad(i, d, patrons))
            .collect()
    }

    fn dyad(&mut self, index: usize, e: &Entry, patrons: &[String]) -> Result<Dyad> {
        let doc = self.doc;
        let key = format!("dyads.{}", e.key);
        check_name(doc, e, &key, e.key)?;
        self.record(&key, e);
        let (mut patron, mut client, mut status_quo, mut status_quo_source) =
            (None, None, None, None);
        let (mut behaviour, mut lambda) = (None, None);
        for f in entries(doc.table(e, &key)?) {
            let fk = format!("{key}.{}", f.key);
            self.record(&fk, &f);
            match f.key {
                "patron" => {
                    let p = doc.string(&f, &fk)?;
                    if !patrons.contains(&p) {
                        return Err(doc.invalid(f.value_at, &fk, format!(
                            "patron `{p}` has no `patron_game.ceasefire_value.{p}` ([model] patrons are {})",
                            patrons.join(", ")
                        )));
                    }
                    patron = Some(p);
                }
                "client" => client = Some(doc.string(&f, &fk)?),
                "status_quo" => status_quo = Some((self.policy(&f, &fk)?, f.key_at)),
                "status_quo_source" => {
                    let s = doc.string(&f, &fk)?;
                    check_source(&s).map_err(|why| doc.invalid(f.value_at, &fk, why))?;
                    status_quo_source = Some((s, f.key_at));
                }
                "behaviour" => behaviour = Some((doc.string(&f, &fk)?, f.value_at)),
                "lambda" => lambda = Some((doc.number(&f, &fk)?, f.key_at)),
                _ => self.dyad_param(index, &key, f.key.to_string(), &f)?,
            }
        }
        let missing = |k: &str, at: usize| doc.invalid(at, &format!("{key}.{k}"), "missing key");
        match (&status_quo, &status_quo_source) {
            (Some((_, at)), None) => return Err(missing("status_quo_source", *at)),
            (None, Some((_, at))) => {
                return Err(doc.invalid(
                    *at,
                    &format!("{key}.status_quo_source"),
                    "given without a `status_quo`",
                ))
            }
            _ => {}
        }
        let behaviour = match behaviour.as_ref().map(|(b, at)| (b.as_str(), *at)) {
            None | Some(("best_response", _)) => match lambda {
                Some((_, at)) => {
                    return Err(doc.invalid(
                        at,
                        &format!("{key}.lambda"),
                        "applies only with behaviour = \"logit\"",
                    ))
                }
                None => Behaviour::BestResponse,
            },
            Some(("logit", at)) => Behaviour::Logit {
                lambda: lambda.ok_or_else(|| missing("lambda", at))?.0,
            },
            Some((other, at)) => {
                let message = format!("`{other}` is not \"best_response\" or \"logit\"");
                return Err(doc.invalid(at, &format!("{key}.behaviour"), message));
            }
        };
        Ok(Dyad {
            name: e.key.to_string(),
            patron: patron.ok_or_else(|| missing("patron", e.key_at))?,
            client: client.ok_or_else(|| missing("client", e.key_at))?,
            params: DyadParams::default(),
            status_quo: status_quo.map(|(p, _)| p),
            behaviour,
        })
    }

    /// A dyad parameter, possibly reached through dotted prefixes (`gain` → `aligned` → `K`).
    fn dyad_param(&mut self, index: usize, dyad_key: &str, name: String, e: &Entry) -> Result<()> {
        let key = format!("{dyad_key}.{name}");
        if let Some(field) = DyadField::from_name(&name) {
            return self.param(ParamPath::Dyad { dyad: index, field }, &key, e);
        }
        let prefix = format!("{name}.");
        if DyadField::ALL.iter().any(|f| f.name().starts_with(&prefix)) {
            if let DeValue::Table(t) = e.value {
                self.record(&key, e);
                for f in entries(t) {
                    self.dyad_param(index, dyad_key, format!("{name}.{}", f.key), &f)?;
                }
                return Ok(());
            }
        }
        let mut expected: Vec<&str> = vec![
            "patron",
            "client",
            "status_quo",
            "status_quo_source",
            "behaviour",
            "lambda",
        ];
        expected.extend(DyadField::ALL.iter().map(|f| f.name()));
        let close = expected.iter().find(|x| x.eq_ignore_ascii_case(&name));
        let hint = match close {
            Some(c) => format!("did you mean `{c}`?"),
            None => "see models/README.md for the dyad parameters".to_string(),
        };
        Err(self
            .doc
            .invalid(e.key_at, &key, format!("unknown parameter; {hint}")))
    }

    /// `{ quiet = .., incident = .., major = .. }`: a sanction probability per observed signal.
    fn policy(&self, e: &Entry, key: &str) -> Result<Policy> {
        let doc = self.doc;
        let mut policy: [Option<f64>; 3] = [None; 3];
        let names: Vec<&str> = Signal::ALL.iter().map(|s| s.name()).collect();
        for f in entries(doc.table(e, key)?) {
            let i = names
                .iter()
                .position(|n| *n == f.key)
                .ok_or_else(|| unknown_key(doc, &f, key, &names))?;
            policy[i] = Some(doc.number(&f, &format!("{key}.{}", f.key))?);
        }
        let mut out = [0.0; 3];
        for (i, v) in policy.iter().enumerate() {
            out[i] = v.ok_or_else(|| {
                doc.invalid(e.key_at, &format!("{key}.{}", names[i]), "missing key")
            })?;
        }
        Ok(out)
    }
}

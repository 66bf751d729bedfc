//! Observed truces as data: a TOML file of `[[truce]]` tables, each checked against a model file.
//!
//! A truce names its scenario, the dyads party to it (the chain runs over those clients only),
//! the policy set the patrons followed, its start date, and either the date it broke or the date
//! through which it is known to have held (right-censored). Every date carries a
//! `<key>_source = "cite: …"`; every judgement (scenario, dyads, policies, what counts as the
//! outcome) carries a `<key>_source` that is a `cite: …` or an `assumption: <why>`. The format is
//! documented in `models/README.md`; the bundled data are `models/truces-2023-2025.toml`.
//!
//! **Weeks.** The chain steps once a week from the day the truce took effect (day 0). With d the
//! days from start to the outcome date, a break on day d falls in week ⌈d/7⌉ (at least 1: a
//! truce broken on its first day broke in week 1), so a break in the first seven days is week 1;
//! a truce known to hold through day d held through ⌊d/7⌋ whole weeks. Dates are calendar days
//! (proleptic Gregorian, Hinnant's `days_from_civil`).

use crate::model::file::toml_doc::{check_name, entries, Doc, Entry};
use crate::model::file::ModelSpec;
use crate::{Error, Result};
use std::path::Path;
use toml::de::{DeTable, DeValue};

/// Which policies the patrons followed during a truce (the model's three policy sets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicySet {
    /// The status-quo policies the model file states for each dyad (spec: "status quo").
    StatusQuo,
    /// The Bayesian Stackelberg optimal policies x* the model computes.
    Optimal,
    /// No sanctions: x = 0 for every dyad.
    Unconditional,
}

impl PolicySet {
    /// All three sets, for looking a set up by its name.
    pub const ALL: [PolicySet; 3] = [
        PolicySet::StatusQuo,
        PolicySet::Optimal,
        PolicySet::Unconditional,
    ];
    /// The name used in the data file's `policies` field: `status_quo`, `optimal`, `unconditional`.
    pub fn name(self) -> &'static str {
        match self {
            PolicySet::StatusQuo => "status_quo",
            PolicySet::Optimal => "optimal",
            PolicySet::Unconditional => "unconditional",
        }
    }
    fn from_name(name: &str) -> Option<PolicySet> {
        PolicySet::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// What was observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Broke in week `weeks`.
    Broke,
    /// Known to hold through week `weeks` (right-censored).
    Held,
}

impl Outcome {
    /// The name used in the data file's `outcome` field and the JSON: `broke` or `held`.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Broke => "broke",
            Outcome::Held => "held",
        }
    }
}

/// One observed truce.
#[derive(Debug, Clone, PartialEq)]
pub struct Truce {
    pub id: String,
    pub name: String,
    pub scenario: String,
    /// Dyad names, as in the model file.
    pub dyads: Vec<String>,
    pub policies: PolicySet,
    /// `YYYY-MM-DD`.
    pub start: String,
    /// The break date or the date through which it held.
    pub end: String,
    pub outcome: Outcome,
    /// The break week, or the number of whole weeks it is known to have held (see module docs).
    pub weeks: u32,
    /// Line of the `[[truce]]` header.
    pub line: usize,
}

/// A checked data file.
#[derive(Debug, Clone, PartialEq)]
pub struct TruceData {
    pub file: String,
    pub description: String,
    pub truces: Vec<Truce>,
}

/// Read and check a data file against a model.
pub fn load_truces(path: &Path, spec: &ModelSpec) -> Result<TruceData> {
    let size = std::fs::metadata(path)
        .map_err(|e| Error::io(path, e))?
        .len();
    if size > crate::limits::MAX_FILE_BYTES {
        return Err(Error::limit(
            "MAX_FILE_BYTES",
            format!(
                "{}: {size} bytes is more than the limit of {} for a data file",
                path.display(),
                crate::limits::MAX_FILE_BYTES
            ),
        ));
    }
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse_truces(&text, &path.display().to_string(), spec)
}

/// Parse and check data-file text; `file` names it in errors.
pub fn parse_truces(text: &str, file: &str, spec: &ModelSpec) -> Result<TruceData> {
    let doc = Doc::new(file, text);
    let root = doc.parse()?;
    let mut description = None;
    let mut truces = Vec::new();
    for e in entries(root.get_ref()) {
        match e.key {
            "data" => description = Some(read_header(&doc, &e)?),
            "truce" => {
                for item in doc.array(&e, "truce")? {
                    let truce = read_truce(&doc, &item, spec)?;
                    check_against_others(&doc, &item, &truce, &truces)?;
                    truces.push(truce);
                }
            }
            other => {
                return Err(doc.invalid(
                    e.key_at,
                    other,
                    "unknown table; expected `[data]` or `[[truce]]`",
                ))
            }
        }
    }
    if truces.is_empty() {
        return Err(doc.invalid_at_line(1, "truce", "the file has no `[[truce]]` tables"));
    }
    Ok(TruceData {
        file: file.to_string(),
        description: description.unwrap_or_default(),
        truces,
    })
}

fn read_header(doc: &Doc, e: &Entry) -> Result<String> {
    let mut description = None;
    for f in entries(doc.table(e, "data")?) {
        match f.key {
            "description" => description = Some(doc.string(&f, "data.description")?),
            other => {
                return Err(doc.invalid(
                    f.key_at,
                    &format!("data.{other}"),
                    "unknown key; expected `description`",
                ))
            }
        }
    }
    description.ok_or_else(|| doc.invalid(e.key_at, "data.description", "missing key"))
}

const KEYS: [&str; 15] = [
    "id",
    "name",
    "scenario",
    "scenario_source",
    "dyads",
    "dyads_source",
    "policies",
    "policies_source",
    "start",
    "start_source",
    "broke",
    "broke_source",
    "held_through",
    "held_through_source",
    "outcome_source",
];

/// The raw fields of one `[[truce]]`, each with the entry it came from.
#[derive(Default)]
struct Fields<'t, 'i> {
    found: Vec<Entry<'t, 'i>>,
}

impl<'t, 'i> Fields<'t, 'i> {
    fn get(&self, key: &str) -> Option<&Entry<'t, 'i>> {
        self.found.iter().find(|e| e.key == key)
    }
}

fn read_truce(doc: &Doc, item: &Entry, spec: &ModelSpec) -> Result<Truce> {
    let table: &DeTable = match item.value {
        DeValue::Table(t) => t,
        _ => return Err(doc.wrong_type(item, "truce", "a table")),
    };
    let at = item.value_at;
    let mut fields = Fields::default();
    for f in entries(table) {
        if !KEYS.contains(&f.key) {
            return Err(doc.invalid(
                f.key_at,
                &format!("truce.{}", f.key),
                format!("unknown key; expected one of {}", KEYS.join(", ")),
            ));
        }
        fields.found.push(f);
    }
    let required = |key: &str| {
        fields
            .get(key)
            .ok_or_else(|| doc.invalid(at, &format!("truce.{key}"), "missing key"))
    };
    let id_entry = required("id")?;
    let id = doc.string(id_entry, "truce.id")?;
    check_name(doc, id_entry, "truce.id", &id)?;
    let key = |name: &str| format!("truce.{id}.{name}");
    let name = doc.string(required("name")?, &key("name"))?;

    let scenario_entry = required("scenario")?;
    let scenario = doc.string(scenario_entry, &key("scenario"))?;
    if !spec.scenarios().iter().any(|s| s.name == scenario) {
        let names: Vec<&str> = spec.scenarios().iter().map(|s| s.name.as_str()).collect();
        return Err(doc.invalid(
            scenario_entry.value_at,
            &key("scenario"),
            format!(
                "unknown scenario `{scenario}`; {} defines {}",
                spec.file(),
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            ),
        ));
    }

    let dyads_entry = required("dyads")?;
    let mut dyads = Vec::new();
    for d in doc.array(dyads_entry, &key("dyads"))? {
        let dyad = doc.string(&d, &key("dyads"))?;
        if !spec.base().dyads.iter().any(|m| m.name == dyad) {
            let names: Vec<&str> = spec.base().dyads.iter().map(|m| m.name.as_str()).collect();
            return Err(doc.invalid(
                d.value_at,
                &key("dyads"),
                format!(
                    "unknown dyad `{dyad}`; {} has {}",
                    spec.file(),
                    names.join(", ")
                ),
            ));
        }
        if dyads.contains(&dyad) {
            return Err(doc.invalid(
                d.value_at,
                &key("dyads"),
                format!("dyad `{dyad}` named twice"),
            ));
        }
        dyads.push(dyad);
    }
    if dyads.is_empty() {
        return Err(doc.invalid(
            dyads_entry.value_at,
            &key("dyads"),
            "a truce with no dyads: name the dyads party to it (the chain runs over their clients)",
        ));
    }

    let policies_entry = required("policies")?;
    let policies_text = doc.string(policies_entry, &key("policies"))?;
    let policies = PolicySet::from_name(&policies_text).ok_or_else(|| {
        doc.invalid(
            policies_entry.value_at,
            &key("policies"),
            format!(
                "unknown policy set `{policies_text}`; expected status_quo, optimal or unconditional"
            ),
        )
    })?;

    for judgement in [
        "scenario_source",
        "dyads_source",
        "policies_source",
        "outcome_source",
    ] {
        let e = required(judgement)?;
        let text = doc.string(e, &key(judgement))?;
        check_judgement(&text).map_err(|why| doc.invalid(e.value_at, &key(judgement), why))?;
    }

    let start_entry = required("start")?;
    let start = read_date(doc, start_entry, &key("start"))?;
    cited_date(doc, &fields, at, &key, "start")?;
    let (outcome, end_key) = match (fields.get("broke"), fields.get("held_through")) {
        (Some(_), None) => (Outcome::Broke, "broke"),
        (None, Some(_)) => (Outcome::Held, "held_through"),
        (Some(_), Some(h)) => {
            return Err(doc.invalid(
                h.key_at,
                &key("held_through"),
                "contradictory outcome: a truce either `broke` or `held_through`, not both",
            ))
        }
        (None, None) => {
            return Err(doc.invalid(
                at,
                &key("broke"),
                "missing outcome: give `broke = DATE` or `held_through = DATE`",
            ))
        }
    };
    let end_entry = required(end_key)?;
    let end = read_date(doc, end_entry, &key(end_key))?;
    cited_date(doc, &fields, at, &key, end_key)?;
    let days = end.days - start.days;
    if days < 0 {
        return Err(doc.invalid(
            end_entry.value_at,
            &key(end_key),
            format!("{} is before the start {}", end.text, start.text),
        ));
    }
    let weeks = match outcome {
        Outcome::Broke => ((days + 6) / 7).max(1),
        Outcome::Held => days / 7,
    };
    if outcome == Outcome::Held && weeks == 0 {
        return Err(doc.invalid(
            end_entry.value_at,
            &key(end_key),
            "held through less than one week: no whole week of evidence",
        ));
    }
    let weeks = u32::try_from(weeks)
        .ok()
        .filter(|w| *w <= crate::limits::MAX_HORIZON_WEEKS)
        .ok_or_else(|| {
            Error::limit(
                "MAX_HORIZON_WEEKS",
                format!(
                    "{}:{}: {}: {weeks} weeks exceed the limit of {}",
                    doc.file,
                    doc.line(end_entry.value_at),
                    key(end_key),
                    crate::limits::MAX_HORIZON_WEEKS
                ),
            )
        })?;
    Ok(Truce {
        id,
        name,
        scenario,
        dyads,
        policies,
        start: start.text,
        end: end.text,
        outcome,
        weeks,
        line: doc.line(at),
    })
}

/// `<date>_source` must be a `cite: …`.
fn cited_date(
    doc: &Doc,
    fields: &Fields,
    at: usize,
    key: &dyn Fn(&str) -> String,
    date_key: &str,
) -> Result<()> {
    let source_key = format!("{date_key}_source");
    let e = fields.get(&source_key).ok_or_else(|| {
        doc.invalid(
            at,
            &key(&source_key),
            "missing key: every date needs a `cite: …` of a public record",
        )
    })?;
    let text = doc.string(e, &key(&source_key))?;
    match text.strip_prefix("cite:") {
        Some(rest) if !rest.trim().is_empty() => Ok(()),
        _ => Err(doc.invalid(
            e.value_at,
            &key(&source_key),
            format!("`{text}`: a date needs \"cite: <publisher>, \\\"<title>\\\", <date>\""),
        )),
    }
}

/// A judgement is a `cite: …` or an `assumption: <why>`.
fn check_judgement(text: &str) -> std::result::Result<(), String> {
    match ["cite:", "assumption:"]
        .iter()
        .find_map(|p| text.strip_prefix(p))
    {
        Some(rest) if !rest.trim().is_empty() => Ok(()),
        _ => Err(format!(
            "`{text}`: give \"cite: <reference>\" or \"assumption: <a sentence why>\""
        )),
    }
}

/// A calendar date and its day number.
struct Day {
    text: String,
    days: i64,
}

/// A TOML local date (`2024-11-27`), nothing more (no time, no offset).
fn read_date(doc: &Doc, e: &Entry, key: &str) -> Result<Day> {
    let date = match e.value {
        DeValue::Datetime(d) if d.time.is_none() && d.offset.is_none() => d.date,
        _ => None,
    };
    let d = date.ok_or_else(|| doc.wrong_type(e, key, "a date such as 2024-11-27"))?;
    Ok(Day {
        text: format!("{:04}-{:02}-{:02}", d.year, d.month, d.day),
        days: days_from_civil(i64::from(d.year), i64::from(d.month), i64::from(d.day)),
    })
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-compatible low-level
/// date algorithms", `days_from_civil`).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Refuse a repeated id, and two truces of the same scenario and dyads whose spans overlap (one
/// ceasefire cannot start again while it is still in force: the data would count it twice).
fn check_against_others(doc: &Doc, item: &Entry, truce: &Truce, earlier: &[Truce]) -> Result<()> {
    let key = format!("truce.{}", truce.id);
    for other in earlier {
        if other.id == truce.id {
            return Err(doc.invalid(
                item.value_at,
                &format!("{key}.id"),
                format!("id `{}` used twice (also on line {})", truce.id, other.line),
            ));
        }
        let mut a = truce.dyads.clone();
        let mut b = other.dyads.clone();
        a.sort();
        b.sort();
        let overlap = truce.start <= other.end && other.start <= truce.end;
        if a == b && truce.scenario == other.scenario && overlap {
            return Err(doc.invalid(
                item.value_at,
                &key,
                format!(
                    "overlaps truce `{}` (line {}): same scenario and dyads, {}..{} against {}..{}",
                    other.id, other.line, truce.start, truce.end, other.start, other.end
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_match_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        // 2024 is a leap year: Feb 29 exists.
        assert_eq!(
            days_from_civil(2024, 3, 1) - days_from_civil(2024, 2, 28),
            2
        );
        assert_eq!(
            days_from_civil(2025, 3, 18) - days_from_civil(2025, 1, 19),
            58
        );
    }
}

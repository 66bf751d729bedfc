//! Query strings of the API: `application/x-www-form-urlencoded` pairs (WHATWG URL standard,
//! §5), decoded by `form_urlencoded`, then read with the CLI's own parsers so that
//! `set=PATH=VALUE` and `vary=PATH=LO:HI:STEPS` mean, and fail, exactly as `--set` and `--vary` do.

use crate::cli::solve_model::parse_assignment;
use crate::sweep::vary::VarySpec;
use crate::{Error, Result};

/// The parameters one API call was given.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ModelQuery {
    /// `scenario=S` (at most once); `None`: the model file's default scenario.
    pub scenario: Option<String>,
    /// Every `set=PATH=VALUE`, in order (a later value of the same path wins, as with `--set`).
    pub sets: Vec<(String, f64)>,
    /// Every `vary=PATH=LO:HI:STEPS`, in order.
    pub vary: Vec<VarySpec>,
}

/// Read `query` (the part of the target after `?`, possibly empty); `allowed` names the keys
/// this route takes. An unknown key, a repeated `scenario` or a malformed value is a usage error.
pub fn parse_query(query: &str, allowed: &[&str]) -> Result<ModelQuery> {
    let mut parsed = ModelQuery::default();
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        let unknown = || {
            Error::Usage(format!(
                "unknown query parameter `{key}`; this request takes {}",
                allowed.join(", ")
            ))
        };
        if !allowed.contains(&key.as_ref()) {
            return Err(unknown());
        }
        match key.as_ref() {
            "scenario" if parsed.scenario.is_some() => {
                return Err(Error::Usage("`scenario` is given twice".into()))
            }
            "scenario" => parsed.scenario = Some(value.into_owned()),
            "set" => parsed
                .sets
                .push(parse_assignment(&value).map_err(Error::Usage)?),
            "vary" => parsed.vary.push(value.parse().map_err(Error::Usage)?),
            _ => return Err(unknown()),
        }
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::vary::Bounds;

    #[test]
    fn percent_encoding_and_repeated_sets_decode() {
        let q = parse_query(
            "scenario=ceasefire&set=dyads.us_israel.credibility%3D0.7&set=chain.recovery=0.25",
            &["scenario", "set"],
        )
        .unwrap();
        assert_eq!(q.scenario.as_deref(), Some("ceasefire"));
        assert_eq!(
            q.sets,
            vec![
                ("dyads.us_israel.credibility".to_string(), 0.7),
                ("chain.recovery".to_string(), 0.25)
            ]
        );
        let q = parse_query("vary=chain.recovery%3D0.2%3A0.8%3A4", &["vary"]).unwrap();
        assert_eq!(
            q.vary[0].bounds,
            Bounds::Grid {
                lo: 0.2,
                hi: 0.8,
                steps: 4
            }
        );
        assert_eq!(parse_query("", &["set"]).unwrap(), ModelQuery::default());
    }

    #[test]
    fn mistakes_are_usage_errors_with_the_cli_message() {
        let msg = |q: &str| {
            parse_query(q, &["scenario", "set"])
                .unwrap_err()
                .to_string()
        };
        assert!(msg("sett=a=1").contains("unknown query parameter `sett`"));
        assert!(msg("scenario=a&scenario=b").contains("twice"));
        assert_eq!(
            msg("set=chain.recovery"),
            parse_assignment("chain.recovery").unwrap_err()
        );
        assert_eq!(
            msg("set=chain.recovery=x"),
            parse_assignment("chain.recovery=x").unwrap_err()
        );
        assert!(msg("vary=chain.recovery=1:2:3").contains("`vary`"));
        let vary = parse_query("vary=chain.recovery=1:x:3", &["vary"]).unwrap_err();
        assert_eq!(
            vary.to_string(),
            "chain.recovery=1:x:3".parse::<VarySpec>().unwrap_err()
        );
    }
}

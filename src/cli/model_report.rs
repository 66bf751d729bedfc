//! A solved patron–client model as plain text for a person: policies and responses in words, the
//! ceasefire numbers per policy set, and the patron game with its equilibria and Pareto cells.

use crate::model::dyad::PolicyOutcome;
use crate::model::logit::Mixtures;
use crate::model::params::{Action, Policy, Signal};
use crate::model::solve::{ChainReport, ModelSolution, PatronGameReport};
use crate::num::tol;
use std::fmt::Write;

/// The whole report (no colours, columns aligned with spaces).
pub fn render_table(solution: &ModelSolution) -> String {
    let mut out = format!("Scenario: {}\n", solution.scenario);
    render_dyads(&mut out, solution);
    if let Some(c) = &solution.ceasefire {
        render_ceasefire(
            &mut out,
            &[
                ("optimal", &c.optimal),
                ("unconditional", &c.unconditional),
                ("status quo", &c.status_quo),
            ],
        );
        if solution.dyads.iter().any(|(_, d)| d.status_quo.is_none()) {
            out.push_str("  (status quo: a dyad whose model states no status-quo policy counts as unconditional)\n");
        }
    }
    if let Some(g) = &solution.patron_game {
        render_patron_game(&mut out, g);
    }
    out
}

/// "sanction after a major event with probability 0.390", or "no sanctions".
pub fn policy_in_words(x: &Policy) -> String {
    let parts: Vec<String> = Signal::ALL
        .iter()
        .filter(|y| x[**y as usize] > tol::TIE)
        .map(|y| {
            format!(
                "after {} with probability {:.3}",
                signal_in_words(*y),
                x[*y as usize]
            )
        })
        .collect();
    if parts.is_empty() {
        "no sanctions".into()
    } else {
        format!("sanction {}", parts.join(" and "))
    }
}

fn signal_in_words(y: Signal) -> &'static str {
    match y {
        Signal::Quiet => "a quiet week",
        Signal::Incident => "an incident",
        Signal::Major => "a major event",
    }
}

pub fn action_in_words(a: Action) -> &'static str {
    match a {
        Action::R => "stand down",
        Action::K => "calibrated pressure",
        Action::E => "escalate",
    }
}

fn render_dyads(out: &mut String, solution: &ModelSolution) {
    out.push_str("\nRestraint policies (per dyad)\n");
    for (name, d) in solution.dyads.iter() {
        let _ = writeln!(out, "\n  {name}");
        if let Some(q) = &d.quantal {
            let _ = writeln!(
                out,
                "    {:<21}logit, precision λ = {}; optimum certified within {:.1e}",
                "clients respond", q.lambda, q.certified_gap
            );
        }
        let outcome = |out: &mut String, label: &str, o: &PolicyOutcome, mix: Option<&Mixtures>| {
            let _ = writeln!(out, "    {label:<21}{}", policy_in_words(&o.policy));
            let response = |t: usize| match mix {
                Some(m) => mixture_in_words(&m[t]),
                None => action_in_words(o.actions[t]).to_string(),
            };
            let _ = writeln!(
                out,
                "    {:<21}aligned: {}; autonomous: {}; patron's expected utility {:.3}",
                "",
                response(0),
                response(1),
                o.patron_value
            );
        };
        let q = d.quantal.as_ref();
        outcome(out, "optimal", &d.optimal, q.map(|q| &q.optimal));
        outcome(
            out,
            "unconditional",
            &d.unconditional,
            q.map(|q| &q.unconditional),
        );
        match &d.status_quo {
            Some(sq) => outcome(out, "status quo", sq, q.and_then(|q| q.status_quo.as_ref())),
            None => {
                let _ = writeln!(out, "    {:<21}(none stated)", "status quo");
            }
        }
        let _ = writeln!(
            out,
            "    {:<21}{:.3}",
            "value of commitment", d.value_of_commitment
        );
    }
}

/// "R 0.010, K 0.950, E 0.040": a logit client's mixture.
pub fn mixture_in_words(m: &[f64; 3]) -> String {
    let parts: Vec<String> = Action::ALL
        .iter()
        .map(|a| format!("{} {:.3}", a.name(), m[a.index()]))
        .collect();
    parts.join(", ")
}

fn render_ceasefire(out: &mut String, sets: &[(&str, &ChainReport)]) {
    let horizon = sets
        .first()
        .map_or(0, |(_, c)| c.survival.len().saturating_sub(1));
    out.push_str("\nCeasefire\n\n");
    let head = format!("P(hold {horizon} wk)");
    let _ = writeln!(
        out,
        "  {:<15}{head:>16}{:>16}{:>18}",
        "policies", "expected weeks", "P(regional war)"
    );
    for (label, c) in sets {
        let weeks = if c.expected_weeks.is_finite() {
            format!("{:.3}", c.expected_weeks)
        } else {
            "never breaks".into()
        };
        let _ = writeln!(
            out,
            "  {label:<15}{:>16.4}{weeks:>16}{:>18.3}",
            c.p_hold, c.p_regional_war
        );
    }
    out.push_str("\n  Share of the clients' break hazard\n");
    let _ = write!(out, "  {:<24}", "dyad");
    for (label, _) in sets {
        let _ = write!(out, "{label:>15}");
    }
    out.push('\n');
    if let Some((_, first)) = sets.first() {
        for (i, (name, _)) in first.risk_share.iter().enumerate() {
            let _ = write!(out, "  {name:<24}");
            for (_, c) in sets {
                let _ = write!(out, "{:>15.3}", c.risk_share.0[i].1);
            }
            out.push('\n');
        }
    }
}

fn render_patron_game(out: &mut String, g: &PatronGameReport) {
    let names: Vec<&str> = g.payoffs.iter().map(|(n, _)| n).collect();
    let [Some(row), Some(column)] = [names.first(), names.get(1)] else {
        return;
    };
    let _ = writeln!(out, "\nPatron game (rows: {row}, columns: {column}; cells: {row}'s payoff, {column}'s payoff)\n");
    let width = 22;
    let _ = write!(out, "  {:<15}", "");
    for p in &g.postures {
        let _ = write!(out, "{p:>width$}");
    }
    out.push('\n');
    let (a, b) = (&g.payoffs.0[0].1, &g.payoffs.0[1].1);
    for (i, posture) in g.postures.iter().enumerate() {
        let _ = write!(out, "  {posture:<15}");
        for j in 0..g.postures.len() {
            let _ = write!(out, "{:>width$}", format!("{:.3}, {:.3}", a[i][j], b[i][j]));
        }
        out.push('\n');
    }
    let cell = |c: &[usize; 2]| format!("({}, {})", g.postures[c[0]], g.postures[c[1]]);
    out.push_str("\n  Nash equilibria\n");
    for e in &g.equilibria {
        let mix = |m: &[f64; 3]| {
            let parts: Vec<String> = (0..3)
                .filter(|&s| m[s] > 0.0) // exact equilibria: an unused posture has probability exactly 0
                .map(|s| format!("{} {:.3}", g.postures[s], m[s]))
                .collect();
            parts.join(" + ")
        };
        let _ = writeln!(
            out,
            "    {row}: {}; {column}: {}",
            mix(&e.0[0].1),
            mix(&e.0[1].1)
        );
    }
    let pure: Vec<String> = g.pure_equilibria.iter().map(cell).collect();
    let _ = writeln!(
        out,
        "  Pure equilibria: {}",
        if pure.is_empty() {
            "none".into()
        } else {
            pure.join(", ")
        }
    );
    let pareto: Vec<String> = g.pareto_efficient.iter().map(cell).collect();
    let _ = writeln!(out, "  Pareto-efficient cells: {}", pareto.join(", "));
    if let Some(q) = &g.qre {
        let mixes: Vec<String> = q
            .mixes
            .iter()
            .map(|(patron, m)| {
                let parts: Vec<String> = (0..3)
                    .map(|s| format!("{} {:.3}", g.postures[s], m[s]))
                    .collect();
                format!("{patron}: {}", parts.join(" + "))
            })
            .collect();
        let _ = writeln!(
            out,
            "\n  Logit QRE (λ = {})\n    {}",
            q.lambda,
            mixes.join("; ")
        );
    }
    let c = &g.correlated;
    let _ = writeln!(
        out,
        "\n  Welfare-maximising correlated equilibrium (what a mediator could propose){}",
        if c.exact { "" } else { ", in floating point" }
    );
    for [i, j] in (0..3).flat_map(|i| (0..3).map(move |j| [i, j])) {
        let p = format!("{:.3}", c.distribution[i][j]);
        if p != "0.000" {
            let _ = writeln!(out, "    {:<36}{p}", cell(&[i, j]));
        }
    }
    let payoffs: Vec<String> = c
        .payoffs
        .iter()
        .map(|(p, v)| format!("{p} {v:.3}"))
        .collect();
    let _ = writeln!(out, "    welfare {:.3} ({})", c.welfare, payoffs.join(", "));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_in_words() {
        assert_eq!(policy_in_words(&[0.0; 3]), "no sanctions");
        assert_eq!(
            policy_in_words(&[0.0, 0.0, 0.386]),
            "sanction after a major event with probability 0.386"
        );
        assert_eq!(
            policy_in_words(&[0.0, 0.5143, 0.1492]),
            "sanction after an incident with probability 0.514 and after a major event with probability 0.149"
        );
        assert_eq!(action_in_words(Action::K), "calibrated pressure");
        assert_eq!(
            mixture_in_words(&[0.01, 0.95, 0.04]),
            "R 0.010, K 0.950, E 0.040"
        );
    }
}

//! `patron solve`'s arguments turned, once, into a typed mode per kind of input (as ripgrep
//! turns its flags into `LowArgs` before anything runs): a model, a Bayesian game, a strategic
//! game with a Nash solver or a concept beyond Nash, or a game tree with its solver or logit.
//!
//! Why one place: `patron solve` has one flag set for five kinds of run, and most flags mean
//! something for one method only. [`SolveRun::new`] first decides the [`Target`] (the input's
//! kind and the method), then holds every given flag against the table in
//! `inapplicable_flag`: a flag the target would not read is refused by name
//! ("--leash applies only to --method simpdiv, not to --method lcp on a strategic game"),
//! never silently ignored. Only then are the solver's options built, typed.

use crate::cli::output::Format;
use crate::cli::solve::SolveArgs;
use crate::cli::solve_concepts::{self, Concept, ConceptOptions};
use crate::cli::solve_options::{strategic_options, tree_options, ApproximateFlags};
use crate::cli::{solve_game, solve_logit_tree, solve_model, solve_tree};
use crate::error::{Error, Result};
use crate::game::tree::ExtensiveGame;
use crate::game::StrategicGame;
use crate::io::{read_game_file, GameFile};
use crate::solve::method::{Method, SolveOptions};
use crate::solve::tree_method::TreeMethod;
use clap::ValueEnum;
use std::path::PathBuf;
use std::time::Duration;

/// A `--method` name, parsed once against the three menus it may belong to: the strategic
/// solvers ([`Method`]), the tree solvers ([`TreeMethod`]) and the concepts beyond Nash
/// (`Concept`). A name such as `lcp` is in two menus; which one applies is decided with the
/// input's kind, in `SolveRun::new`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MethodName {
    /// The strategic solver of that name, if there is one.
    pub strategic: Option<Method>,
    /// The tree solver of that name, if there is one.
    pub tree: Option<TreeMethod>,
    /// The concept of that name, if there is one.
    pub concept: Option<Concept>,
}

impl MethodName {
    /// Parse a `--method` value; an unknown name is refused with every known one listed.
    pub fn parse(name: &str) -> std::result::Result<MethodName, String> {
        let parsed = MethodName {
            strategic: Method::parse(name),
            tree: TreeMethod::parse(name),
            concept: Concept::from_str(name, false).ok(),
        };
        if parsed != MethodName::default() {
            return Ok(parsed);
        }
        let mut names: Vec<String> = Method::value_variants()
            .iter()
            .map(Method::to_string)
            .collect();
        names.extend(
            TreeMethod::value_variants()
                .iter()
                .map(TreeMethod::to_string)
                .filter(|n| Method::parse(n).is_none()),
        );
        names.extend(Concept::value_variants().iter().map(Concept::to_string));
        Err(format!(
            "unknown method '{name}'; choose one of: {}",
            names.join(", ")
        ))
    }

    /// The name as the user wrote it (every menu spells it the same).
    fn name(&self) -> String {
        match (self.strategic, self.tree, self.concept) {
            (Some(m), _, _) => m.to_string(),
            (_, Some(m), _) => m.to_string(),
            (_, _, Some(c)) => c.to_string(),
            _ => String::new(),
        }
    }
}

/// What a `patron solve` run does: the input's kind and the method. Every flag is held
/// against it in `inapplicable_flag`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A patron–client model (.toml).
    Model,
    /// A Bayesian leader–follower game (.toml with `--method stackelberg`).
    Bayesian,
    /// A strategic game and a Nash solver.
    Strategic(Method),
    /// A strategic game and a concept beyond Nash.
    StrategicConcept(Concept),
    /// A game tree and a tree solver (the agent-form variants when `--agent` was given).
    Tree(TreeMethod),
    /// A game tree and its agent logit QRE.
    TreeLogit,
}

impl Target {
    /// The target in words, for messages: "--method lcp on a strategic game".
    fn describe(self) -> String {
        match self {
            Target::Model => "a model (.toml)".into(),
            Target::Bayesian => "--method stackelberg on a Bayesian game (.toml)".into(),
            Target::Strategic(m) => format!("--method {m} on a strategic game"),
            Target::StrategicConcept(c) => format!("--method {c} on a strategic game"),
            Target::Tree(TreeMethod::EnumPureAgent) => {
                "--method enumpure --agent on a game tree".into()
            }
            Target::Tree(TreeMethod::LiapAgent) => "--method liap --agent on a game tree".into(),
            Target::Tree(m) => format!("--method {m} on a game tree"),
            Target::TreeLogit => "--method logit on a game tree".into(),
        }
    }
}

/// One flag's rule: where it applies, in words and as a test of the target.
struct FlagRule {
    flag: &'static str,
    given: bool,
    scope: &'static str,
    applies: fn(Target) -> bool,
}

/// The first given flag that `target` would not read, as a usage error naming it.
fn inapplicable_flag(args: &SolveArgs, target: Target) -> Option<Error> {
    use Target as T;
    use TreeMethod as TM;
    fn simpdiv(t: Target) -> bool {
        matches!(t, T::Strategic(Method::Simpdiv) | T::Tree(TM::Simpdiv))
    }
    fn liap(t: Target) -> bool {
        matches!(
            t,
            T::Strategic(Method::Liap) | T::Tree(TM::Liap) | T::Tree(TM::LiapAgent)
        )
    }
    fn gnm(t: Target) -> bool {
        matches!(t, T::Strategic(Method::Gnm) | T::Tree(TM::Gnm))
    }
    fn logit(t: Target) -> bool {
        matches!(t, T::StrategicConcept(Concept::Logit) | T::TreeLogit)
    }
    let rules = [
        FlagRule {
            flag: "--agent",
            given: args.agent,
            scope: "--method enumpure or liap on a game tree (.efg)",
            applies: |t| matches!(t, T::Tree(TM::EnumPureAgent | TM::LiapAgent)),
        },
        FlagRule {
            flag: "--all-labels",
            given: args.all_labels,
            scope: "--method lcp on a strategic game (.nfg)",
            applies: |t| t == T::Strategic(Method::Lcp),
        },
        FlagRule {
            flag: "--label",
            given: args.label.is_some(),
            scope: "--method lcp on a strategic game (.nfg)",
            applies: |t| t == T::Strategic(Method::Lcp),
        },
        FlagRule {
            flag: "--start",
            given: args.start.is_some(),
            scope: "--method simpdiv or liap",
            applies: |t| simpdiv(t) || liap(t),
        },
        FlagRule {
            flag: "--max-regret",
            given: args.max_regret.is_some(),
            scope: "--method simpdiv or liap",
            applies: |t| simpdiv(t) || liap(t),
        },
        FlagRule {
            flag: "--refine",
            given: args.refine.is_some(),
            scope: "--method simpdiv",
            applies: simpdiv,
        },
        FlagRule {
            flag: "--leash",
            given: args.leash.is_some(),
            scope: "--method simpdiv",
            applies: simpdiv,
        },
        FlagRule {
            flag: "--max-iter",
            given: args.max_iter.is_some(),
            scope: "--method liap",
            applies: liap,
        },
        FlagRule {
            flag: "--perturbation",
            given: args.perturbation.is_some(),
            scope: "--method gnm or ipa",
            applies: |t| gnm(t) || matches!(t, T::Strategic(Method::Ipa) | T::Tree(TM::Ipa)),
        },
        FlagRule {
            flag: "--end-lambda",
            given: args.end_lambda.is_some(),
            scope: "--method gnm",
            applies: gnm,
        },
        FlagRule {
            flag: "--steps",
            given: args.steps.is_some(),
            scope: "--method gnm",
            applies: gnm,
        },
        FlagRule {
            flag: "--local-newton-interval",
            given: args.local_newton_interval.is_some(),
            scope: "--method gnm",
            applies: gnm,
        },
        FlagRule {
            flag: "--local-newton-maxits",
            given: args.local_newton_maxits.is_some(),
            scope: "--method gnm",
            applies: gnm,
        },
        FlagRule {
            flag: "--lambda",
            given: args.lambda.is_some(),
            scope: "--method logit",
            applies: logit,
        },
        FlagRule {
            flag: "--to-lambda",
            given: args.to_lambda.is_some(),
            scope: "--method logit",
            applies: logit,
        },
        FlagRule {
            flag: "--path",
            given: args.path.is_some(),
            scope: "--method logit (with --to-lambda)",
            applies: logit,
        },
        FlagRule {
            flag: "--estimate",
            given: args.estimate.is_some(),
            scope: "--method logit",
            applies: logit,
        },
        FlagRule {
            flag: "--leader",
            given: args.leader.is_some(),
            scope: "--method stackelberg on a strategic game (.nfg) (a Bayesian game file \
                    names its leader)",
            applies: |t| t == T::StrategicConcept(Concept::Stackelberg),
        },
        FlagRule {
            flag: "--objective",
            given: args.objective.is_some(),
            scope: "--method correlated",
            applies: |t| t == T::StrategicConcept(Concept::Correlated),
        },
        FlagRule {
            flag: "--vertices",
            given: args.vertices,
            scope: "--method correlated",
            applies: |t| t == T::StrategicConcept(Concept::Correlated),
        },
        FlagRule {
            flag: "--max-seconds",
            given: args.max_seconds.is_some(),
            scope: "the game solvers and logit (stackelberg and correlated solve one LP)",
            applies: |t| {
                !matches!(
                    t,
                    T::Model
                        | T::Bayesian
                        | T::StrategicConcept(Concept::Stackelberg | Concept::Correlated)
                )
            },
        },
        FlagRule {
            flag: "--scenario",
            given: args.scenario.is_some(),
            scope: "model files (.toml)",
            applies: |t| t == T::Model,
        },
        FlagRule {
            flag: "--set",
            given: !args.sets.is_empty(),
            scope: "model files (.toml)",
            applies: |t| t == T::Model,
        },
        FlagRule {
            flag: "--allow-outside-range",
            given: args.allow_outside_range,
            scope: "model files (.toml)",
            applies: |t| t == T::Model,
        },
        FlagRule {
            flag: "--patron-lambda",
            given: args.patron_lambda.is_some(),
            scope: "model files (.toml)",
            applies: |t| t == T::Model,
        },
    ];
    rules
        .into_iter()
        .find(|r| r.given && !(r.applies)(target))
        .map(|r| {
            Error::Usage(format!(
                "{} applies only to {}, not to {}",
                r.flag,
                r.scope,
                target.describe()
            ))
        })
}

/// A `patron solve` run, typed: what to solve, how, and the output format.
#[derive(Debug)]
pub struct SolveRun {
    /// What to solve and with which options.
    pub mode: Mode,
    /// How to print it.
    pub format: Format,
}

/// The input and everything its method needs, one variant per kind of run.
#[derive(Debug)]
pub enum Mode {
    /// A patron–client model.
    Model(ModelRun),
    /// A Bayesian leader–follower game file, solved for the optimal commitment.
    Bayesian(PathBuf),
    /// A strategic game and a Nash solver with its options.
    Strategic {
        /// The game.
        game: StrategicGame,
        /// The solver.
        method: Method,
        /// Its options (the deadline is set from `budget` when the run starts).
        options: SolveOptions<'static>,
        /// `--max-seconds`.
        budget: Option<Duration>,
    },
    /// A game tree and a tree solver with its options.
    Tree {
        /// The game.
        game: ExtensiveGame,
        /// The solver.
        method: TreeMethod,
        /// Its options (the deadline is set from `budget` when the run starts).
        options: SolveOptions<'static>,
        /// `--max-seconds`.
        budget: Option<Duration>,
    },
    /// A strategic game and a concept beyond Nash.
    Concept {
        /// The game.
        game: StrategicGame,
        /// The concept.
        concept: Concept,
        /// Its options.
        options: ConceptOptions,
    },
    /// A game tree's agent logit QRE.
    TreeLogit {
        /// The game.
        game: ExtensiveGame,
        /// logit's options.
        options: ConceptOptions,
    },
}

/// A model run's own options.
#[derive(Debug)]
pub struct ModelRun {
    /// The model file.
    pub file: PathBuf,
    /// `--scenario`.
    pub scenario: Option<String>,
    /// `--set`, in order.
    pub sets: Vec<(String, f64)>,
    /// `--allow-outside-range`.
    pub allow_outside_range: bool,
    /// `--patron-lambda`.
    pub patron_lambda: Option<f64>,
}

impl SolveRun {
    /// Read the input, decide the target, refuse any flag it would not read, and build the
    /// method's options.
    pub fn new(args: SolveArgs) -> Result<SolveRun> {
        let format = args.format;
        let is_toml = args.file.extension().is_some_and(|e| e == "toml");
        let method = args.method;
        let concept = method.and_then(|m| m.concept);
        if is_toml {
            let target = match method {
                None => Target::Model,
                Some(m) if m.concept == Some(Concept::Stackelberg) => Target::Bayesian,
                Some(m) => {
                    return Err(Error::Usage(format!(
                        "--method {} applies to game files (.nfg, .efg), not to models \
                         (a .toml file is a Bayesian game only with --method stackelberg)",
                        m.name()
                    )))
                }
            };
            check_flags(&args, target)?;
            let mode = match target {
                Target::Bayesian => Mode::Bayesian(args.file),
                _ => Mode::Model(ModelRun {
                    file: args.file,
                    scenario: args.scenario,
                    sets: args.sets,
                    allow_outside_range: args.allow_outside_range,
                    patron_lambda: args.patron_lambda,
                }),
            };
            return Ok(SolveRun { mode, format });
        }
        let mode = match read_game_file(&args.file)? {
            GameFile::Strategic(game) => {
                let target = match (concept, method) {
                    (Some(c), _) => Target::StrategicConcept(c),
                    (None, None) => Target::Strategic(Method::default_for(&game)),
                    (None, Some(m)) => Target::Strategic(m.strategic.ok_or_else(|| {
                        Error::Usage(format!(
                            "--method {} applies to game trees (.efg), not to strategic games",
                            m.name()
                        ))
                    })?),
                };
                check_flags(&args, target)?;
                match target {
                    Target::StrategicConcept(concept) => Mode::Concept {
                        options: concept_options(&args),
                        game,
                        concept,
                    },
                    Target::Strategic(method) => Mode::Strategic {
                        options: SolveOptions {
                            all_labels: args.all_labels,
                            label: args.label,
                            ..strategic_options(&game, &ApproximateFlags::of(&args))?
                        },
                        budget: args.max_seconds,
                        game,
                        method,
                    },
                    _ => unreachable!("a strategic game's target is strategic"),
                }
            }
            GameFile::Extensive(game) => {
                let target = match (concept, method) {
                    (Some(Concept::Logit), _) => Target::TreeLogit,
                    (Some(c), _) => {
                        return Err(Error::Usage(format!(
                            "--method {c} applies to strategic games; convert the tree first: \
                             patron convert {} --to nfg",
                            args.file.display()
                        )))
                    }
                    (None, m) => Target::Tree(tree_method(&game, m, args.agent)?),
                };
                check_flags(&args, target)?;
                match target {
                    Target::TreeLogit => Mode::TreeLogit {
                        options: concept_options(&args),
                        game,
                    },
                    Target::Tree(method) => Mode::Tree {
                        options: tree_options(&game, method, &ApproximateFlags::of(&args))?,
                        budget: args.max_seconds,
                        game,
                        method,
                    },
                    _ => unreachable!("a game tree's target is a tree's"),
                }
            }
        };
        Ok(SolveRun { mode, format })
    }

    /// Solve and print.
    pub fn run(self) -> Result<()> {
        let format = self.format;
        match self.mode {
            Mode::Model(m) => solve_model::run(
                &m.file,
                m.scenario.as_deref(),
                &m.sets,
                m.allow_outside_range,
                m.patron_lambda,
                format,
            ),
            Mode::Bayesian(path) => solve_concepts::run_bayesian(&path, format),
            Mode::Strategic {
                game,
                method,
                options,
                budget,
            } => solve_game::run_strategic(&game, method, &options, format, budget),
            Mode::Tree {
                game,
                method,
                options,
                budget,
            } => solve_tree::run_tree(&game, method, &options, format, budget),
            Mode::Concept {
                game,
                concept,
                options,
            } => solve_concepts::run(&game, concept, &options, format),
            Mode::TreeLogit { game, options } => solve_logit_tree::run(&game, &options, format),
        }
    }
}

fn check_flags(args: &SolveArgs, target: Target) -> Result<()> {
    inapplicable_flag(args, target).map_or(Ok(()), Err)
}

/// The tree solver `method` names on `game` (`None`: the default for `game`), its agent-form
/// variant with `agent`. A name without a tree solver is refused; `--agent` with a
/// method that has no agent form is left to `inapplicable_flag` to refuse.
pub fn tree_method(
    game: &ExtensiveGame,
    method: Option<MethodName>,
    agent: bool,
) -> Result<TreeMethod> {
    let method = match method {
        None => return Ok(TreeMethod::default_for(game)),
        Some(m) => m.tree.ok_or_else(|| {
            Error::Usage(format!(
                "--method {} does not apply to game trees; solve the tree's strategic form: \
                 patron convert GAME.efg --to nfg",
                m.name()
            ))
        })?,
    };
    Ok(match method.agent_form() {
        Some(agent_form) if agent => agent_form,
        _ => method,
    })
}

/// The concepts' options from the command line (only the given concept's flags are set: the
/// others were refused).
fn concept_options(args: &SolveArgs) -> ConceptOptions {
    ConceptOptions {
        lambda: args.lambda,
        to_lambda: args.to_lambda,
        path: args.path.clone(),
        leader: args.leader.map_or(0, |l| usize::from(l - 1)),
        objective: args.objective.clone(),
        vertices: args.vertices,
        estimate: args.estimate.clone(),
        max_seconds: args.max_seconds,
    }
}

//! Solvers, one file per algorithm family, under Gambit's names.

pub(crate) mod approximate;
pub(crate) mod correlated;
pub(crate) mod deadline;
pub(crate) mod enummixed;
pub(crate) mod enumpoly;
pub(crate) mod enumpure;
pub(crate) mod enumpure_agent;
pub(crate) mod gnm;
pub(crate) mod ipa;
pub(crate) mod lcp;
pub(crate) mod liap;
pub(crate) mod linalg;
pub(crate) mod logit;
pub(crate) mod lp;
pub(crate) mod method;
pub(crate) mod polish;
pub(crate) mod simpdiv;
pub(crate) mod spe;
pub(crate) mod stackelberg;
pub(crate) mod tree_method;

// The entry points: one per input kind, each with one options struct that carries the deadline;
// every equilibrium they return is certified.
pub use deadline::{Deadline, NO_DEADLINE};
pub use method::{
    solve_strategic, Method, SolveOptions, Solved, DEFAULT_ENUMPOLY_SUPPORT_PROFILES,
};
pub use tree_method::{solve_tree, CertifiedBehavior, TreeEquilibrium, TreeMethod, TreeSolved};

// Solution concepts beyond Nash, with results of their own.
pub use correlated::{
    correlated, correlated_regret, correlated_vertices, CorrelatedEq, CorrelatedOf, Objective,
};
pub use logit::estimate::{estimate_strategic, estimate_tree};
pub use logit::tree::{agent_logit_at, agent_logit_at_until, agent_logit_branch};
pub use logit::{logit_at, logit_branch, Ended};
pub use stackelberg::{
    bayesian_stackelberg, stackelberg, BayesianMethod, Commitment, CommitmentOf,
};

// Single algorithms called directly (benchmarks and tests that check one algorithm's own
// contract: a chosen Lemke–Howson label, simpdiv's or liap's options, …). Their answers are
// certified by the entry points above, not here.
pub use enummixed::enummixed;
pub use enumpoly::enumpoly;
pub use lcp::sequence::sequence_lcp;
pub use lcp::{lcp_one, lemke_howson, lemke_howson_exact, Labels, GAMBIT_FIRST_LABEL};
pub use liap::agent::{liap_agent_until, AgentFound};
pub use liap::{liap_reduced_until, liap_until, LiapAnswer, LiapOptions};
pub use lp::{lp, ZeroSumSolution};
pub use simpdiv::{simpdiv_until, SimpdivOptions};

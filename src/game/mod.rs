//! Game representations. Solvers depend on these types, never the reverse.

pub(crate) mod bayesian;
pub(crate) mod dominance;
pub(crate) mod integer_payoffs;
pub(crate) mod qre;
pub(crate) mod random;
pub(crate) mod reduced;
pub(crate) mod regret;
pub(crate) mod strategic;
pub(crate) mod tree;

pub use bayesian::{BayesianGame, FollowerType};
pub use integer_payoffs::IntegerPayoffs;
pub use qre::behaviour_residual;
pub use random::{random_bimatrix, random_game, SplitMix64};
pub use reduced::{reduced_strategic_form, ReducedMap};
pub use regret::{certify_exact, certify_float, Certified, Equilibrium};
pub use regret::{payoff_range, payoffs_and_regret, pure_strategy_values};
pub use strategic::StrategicGame;
pub use tree::{
    Behavior, ChanceInfoset, ExtensiveGame, Infoset, Node, NodeKind, Outcome, TreeSpec,
};

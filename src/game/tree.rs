//! Extensive-form games (game trees).
//!
//! Only the game's identity for now; the node arena, information sets and outcomes follow
//! with the `.efg` reader.

#[derive(Debug, Clone, PartialEq)]
pub struct ExtensiveGame {
    title: String,
    players: Vec<String>,
}

impl ExtensiveGame {
    pub fn title(&self) -> &str {
        &self.title
    }
    pub fn players(&self) -> &[String] {
        &self.players
    }
}

//! Tokenizer for Gambit's text game formats (`.nfg` version 1, `.efg` version 2).
//!
//! Gambit's reader (`GameFileLexer` in Gambit's `src/games/file.cc`) knows five tokens:
//! braces, commas, numbers, double-quoted strings and bare words; it has **no comment
//! syntax** — the only "comment" is the optional description string after the header, which
//! the format parsers read as an ordinary string. We follow that, with three deliberate
//! differences that only make us stricter or more faithful:
//!
//! * a number is everything up to the next delimiter and must parse whole (`12abc` is an
//!   error, where Gambit would silently split it into `12` and `abc`);
//! * decimal exponents are bounded by [`limits::MAX_DECIMAL_EXPONENT`], so `1e999999999`
//!   cannot make the exact-rational parser allocate gigabytes;
//! * inside strings `\"` is a quote and `\\` a backslash; a backslash before any other
//!   character is kept as is (Gambit keeps it too), so our writer's escaping round-trips.
//!
//! Every token carries its 1-based `line:col` (columns count characters, not bytes), and
//! every error is an [`Error::Parse`] naming what was expected.

use crate::error::{Error, Pos, Result};
use crate::limits;
use crate::num::{parse_q, small_integer, Q};

/// What a token is; numbers keep their text so callers can read them as counts or rationals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    LBrace,
    RBrace,
    Comma,
    Str(String),
    Num(String),
    Word(String),
    Eof,
}

impl Tok {
    /// How a token is named in "expected X, found Y" messages.
    pub fn describe(&self) -> String {
        match self {
            Tok::LBrace => "'{'".into(),
            Tok::RBrace => "'}'".into(),
            Tok::Comma => "','".into(),
            Tok::Str(s) => format!("string \"{}\"", abbreviate(s)),
            Tok::Num(n) => format!("number {}", abbreviate(n)),
            Tok::Word(w) => format!("word '{}'", abbreviate(w)),
            Tok::Eof => "end of file".into(),
        }
    }
}

/// Keeps error messages short when a token is huge (e.g. a runaway string).
fn abbreviate(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(MAX).collect::<String>())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    pub pos: Pos,
}

/// A pull tokenizer with one token of look-ahead and the helpers the format parsers share.
pub struct Lexer<'a> {
    file: &'a str,
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: usize,
    col: usize,
    peeked: Option<Token>,
}

fn is_delimiter(c: char) -> bool {
    c.is_whitespace() || matches!(c, '{' | '}' | ',' | '"')
}

impl<'a> Lexer<'a> {
    pub fn new(text: &'a str, file: &'a str) -> Self {
        Lexer {
            file,
            chars: text.chars().peekable(),
            line: 1,
            col: 1,
            peeked: None,
        }
    }

    /// A parse error at `pos`.
    pub fn error(&self, pos: Pos, message: impl Into<String>) -> Error {
        Error::Parse {
            file: self.file.to_string(),
            pos,
            message: message.into(),
        }
    }

    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            col: self.col,
        }
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.chars.next()?;
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    /// The next token without consuming it.
    pub fn peek(&mut self) -> Result<&Token> {
        let t = match self.peeked.take() {
            Some(t) => t,
            None => self.scan()?,
        };
        Ok(self.peeked.insert(t))
    }

    /// Consume and return the next token.
    pub fn next_token(&mut self) -> Result<Token> {
        match self.peeked.take() {
            Some(t) => Ok(t),
            None => self.scan(),
        }
    }

    fn scan(&mut self) -> Result<Token> {
        while self.chars.peek().is_some_and(|c| c.is_whitespace()) {
            self.bump();
        }
        let pos = self.pos();
        let Some(c) = self.bump() else {
            return Ok(Token { tok: Tok::Eof, pos });
        };
        let tok = match c {
            '{' => Tok::LBrace,
            '}' => Tok::RBrace,
            ',' => Tok::Comma,
            '"' => Tok::Str(self.string_body(pos)?),
            c if c.is_ascii_digit() || matches!(c, '+' | '-' | '.') => {
                let text = self.word_from(c);
                check_number(&text).map_err(|m| self.error(pos, m))?;
                Tok::Num(text)
            }
            c => Tok::Word(self.word_from(c)),
        };
        Ok(Token { tok, pos })
    }

    fn word_from(&mut self, first: char) -> String {
        let mut s = String::from(first);
        while let Some(&c) = self.chars.peek() {
            if is_delimiter(c) {
                break;
            }
            s.push(c);
            self.bump();
        }
        s
    }

    fn string_body(&mut self, open: Pos) -> Result<String> {
        let mut s = String::new();
        loop {
            match self.bump() {
                None => {
                    return Err(self.error(open, "unterminated string: expected a closing '\"'"));
                }
                Some('"') => return Ok(s),
                Some('\\') => match self.chars.peek() {
                    Some(&q @ ('"' | '\\')) => {
                        self.bump();
                        s.push(q);
                    }
                    _ => s.push('\\'),
                },
                Some(c) => s.push(c),
            }
        }
    }

    // ---- helpers shared by the format parsers ----

    fn unexpected(&self, t: &Token, expected: &str) -> Error {
        self.error(
            t.pos,
            format!("expected {expected}, found {}", t.tok.describe()),
        )
    }

    /// Consume a token that must be exactly `want`.
    pub fn expect(&mut self, want: Tok, expected: &str) -> Result<Pos> {
        let t = self.next_token()?;
        if t.tok == want {
            Ok(t.pos)
        } else {
            Err(self.unexpected(&t, expected))
        }
    }

    /// Consume a quoted string.
    pub fn expect_str(&mut self, expected: &str) -> Result<(String, Pos)> {
        let t = self.next_token()?;
        match t.tok {
            Tok::Str(s) => Ok((s, t.pos)),
            _ => Err(self.unexpected(&t, expected)),
        }
    }

    /// Consume a bare word equal to one of `words`.
    pub fn expect_word(&mut self, words: &[&str], expected: &str) -> Result<(String, Pos)> {
        let t = self.next_token()?;
        match &t.tok {
            Tok::Word(w) if words.contains(&w.as_str()) => Ok((w.clone(), t.pos)),
            _ => Err(self.unexpected(&t, expected)),
        }
    }

    /// Consume an exact rational number. `expected` is only called to build an error
    /// message, so payoff loops over millions of numbers do not format a string each.
    pub fn expect_q(&mut self, expected: impl FnOnce() -> String) -> Result<(Q, Pos)> {
        let t = self.next_token()?;
        match &t.tok {
            // `scan` already checked that the text parses.
            Tok::Num(n) => parse_q(n)
                .map(|q| (q, t.pos))
                .ok_or_else(|| self.error(t.pos, format!("bad number '{}'", abbreviate(n)))),
            _ => Err(self.unexpected(&t, &expected())),
        }
    }

    /// Consume a non-negative integer that fits a `usize` (counts, indices, ids).
    pub fn expect_usize(&mut self, expected: &str) -> Result<(usize, Pos)> {
        let t = self.next_token()?;
        match &t.tok {
            Tok::Num(n) => {
                let digits = n.strip_prefix('+').unwrap_or(n);
                match digits.parse::<usize>() {
                    Ok(v) if digits.bytes().all(|b| b.is_ascii_digit()) => Ok((v, t.pos)),
                    _ => Err(self.error(
                        t.pos,
                        format!(
                            "expected {expected} (a non-negative integer), found {}",
                            abbreviate(n)
                        ),
                    )),
                }
            }
            _ => Err(self.unexpected(&t, expected)),
        }
    }

    /// Consume a comma if one comes next (Gambit's payoff lists take optional commas).
    pub fn skip_comma(&mut self) -> Result<()> {
        if self.peek()?.tok == Tok::Comma {
            self.next_token()?;
        }
        Ok(())
    }

    /// Consume `{ "a" "b" ... }`, returning the strings and the position of the `{`.
    pub fn string_list(&mut self, expected: &str) -> Result<(Vec<String>, Pos)> {
        let open = self.expect(Tok::LBrace, &format!("'{{' opening {expected}"))?;
        let mut items = Vec::new();
        loop {
            let t = self.next_token()?;
            match t.tok {
                Tok::Str(s) => items.push(s),
                Tok::RBrace => return Ok((items, open)),
                _ => {
                    return Err(
                        self.unexpected(&t, &format!("a quoted string or '}}' in {expected}"))
                    )
                }
            }
        }
    }

    /// Require that nothing but whitespace is left.
    pub fn expect_eof(&mut self) -> Result<()> {
        self.expect(Tok::Eof, "end of file").map(|_| ())
    }
}

/// Checks a number token's text: Gambit's grammar (integer, `p/q`, decimal with optional
/// exponent), with the exponent bounded so exact parsing stays cheap. The exponent is checked
/// first: parsing `1e0000000000000000099999999` exactly would build a number of a hundred
/// million digits before any later check could refuse it (found by fuzzing).
fn check_number(text: &str) -> std::result::Result<(), String> {
    if small_integer(text.strip_prefix('+').unwrap_or(text)).is_some() {
        return Ok(());
    }
    let bad = || format!("bad number '{}'", abbreviate(text));
    if let Some(i) = text.find(['e', 'E']) {
        let digits = text[i + 1..]
            .trim_start_matches(['+', '-'])
            .trim_start_matches('0');
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let too_big = digits.len() > 6
            || digits
                .parse::<i64>()
                .is_ok_and(|e| e > limits::MAX_DECIMAL_EXPONENT);
        if too_big {
            return Err(format!(
                "number '{}' has an exponent beyond ±{}",
                abbreviate(text),
                limits::MAX_DECIMAL_EXPONENT
            ));
        }
    }
    if parse_q(text).is_none() {
        return Err(bad());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<Token> {
        let mut lx = Lexer::new(text, "t");
        let mut out = Vec::new();
        loop {
            let t = lx.next_token().unwrap();
            let end = t.tok == Tok::Eof;
            out.push(t);
            if end {
                return out;
            }
        }
    }

    #[test]
    fn tokens_carry_line_and_column() {
        let ts = toks("NFG 1 R \"a b\"\n  { 3/4, -2.5e1 }");
        let kinds: Vec<Tok> = ts.iter().map(|t| t.tok.clone()).collect();
        assert_eq!(
            kinds,
            vec![
                Tok::Word("NFG".into()),
                Tok::Num("1".into()),
                Tok::Word("R".into()),
                Tok::Str("a b".into()),
                Tok::LBrace,
                Tok::Num("3/4".into()),
                Tok::Comma,
                Tok::Num("-2.5e1".into()),
                Tok::RBrace,
                Tok::Eof,
            ]
        );
        assert_eq!(ts[3].pos, Pos { line: 1, col: 9 });
        assert_eq!(ts[4].pos, Pos { line: 2, col: 3 });
        assert_eq!(ts[7].pos, Pos { line: 2, col: 10 });
    }

    #[test]
    fn string_escapes_follow_gambit() {
        let ts = toks(r#""say \"hi\" \\ \n""#);
        assert_eq!(ts[0].tok, Tok::Str(r#"say "hi" \ \n"#.into()));
        let ts = toks("\"two\nlines\" x");
        assert_eq!(ts[0].tok, Tok::Str("two\nlines".into()));
        assert_eq!(ts[1].pos, Pos { line: 2, col: 8 });
    }

    #[test]
    fn errors_name_position_and_expectation() {
        let err = Lexer::new("\n  \"open", "f.nfg").next_token().unwrap_err();
        assert_eq!(
            err.to_string(),
            "f.nfg:2:3: unterminated string: expected a closing '\"'"
        );
        let mut lx = Lexer::new("{ 12abc }", "f");
        lx.next_token().unwrap();
        assert_eq!(
            lx.next_token().unwrap_err().to_string(),
            "f:1:3: bad number '12abc'"
        );
        let err = Lexer::new("1e99999", "f").next_token().unwrap_err();
        assert!(
            err.to_string()
                .starts_with("f:1:1: number '1e99999' has an exponent"),
            "{err}"
        );
        let mut lx = Lexer::new("  x", "f");
        let err = lx.expect(Tok::LBrace, "'{'").unwrap_err();
        assert_eq!(err.to_string(), "f:1:3: expected '{', found word 'x'");
    }

    #[test]
    fn counts_must_be_plain_integers() {
        assert_eq!(Lexer::new("42", "f").expect_usize("count").unwrap().0, 42);
        for bad in ["-1", "1.5", "99999999999999999999999", "1/2"] {
            assert!(Lexer::new(bad, "f").expect_usize("count").is_err(), "{bad}");
        }
    }
}

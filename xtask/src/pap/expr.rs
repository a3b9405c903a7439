//! Lexer and parser for the Java expressions inside the PAP's `exec`, `expr`, `default` and
//! `value` attributes. The PAP uses a small, regular subset of Java: BigDecimal method chains,
//! `BigDecimal.valueOf`, `new BigDecimal`, int arithmetic, comparisons, `&&`/`||`, array
//! indexing and array literals. Anything else is an error naming the text, so a new PAP that
//! uses more Java fails loudly in the generator rather than being mistranslated.

use anyhow::{Result, bail};

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Num(String),
    Punct(&'static str),
}

fn lex(src: &str) -> Result<Vec<Tok>> {
    const PUNCT: [&str; 22] = [
        "==", "!=", "<=", ">=", "&&", "||", "(", ")", "[", "]", "{", "}", ",", ".", "+", "-", "*",
        "/", "<", ">", "=", "!",
    ];
    let bytes = src.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    'outer: while i < bytes.len() {
        let c = bytes[i] as char;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            tokens.push(Tok::Ident(src[start..i].to_string()));
            continue;
        }
        if c.is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i + 1 < bytes.len() && bytes[i] == b'.' && bytes[i + 1].is_ascii_digit() {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
            }
            if i < bytes.len() && matches!(bytes[i], b'e' | b'E' | b'L' | b'l' | b'd' | b'D') {
                bail!("numeric suffix or exponent not supported in {src:?}");
            }
            tokens.push(Tok::Num(src[start..i].to_string()));
            continue;
        }
        for p in PUNCT {
            if src[i..].starts_with(p) {
                tokens.push(Tok::Punct(p));
                i += p.len();
                continue 'outer;
            }
        }
        bail!("unexpected character {c:?} in {src:?}");
    }
    Ok(tokens)
}

/// Binary operators of the PAP's Java subset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
    And,
    Or,
}

/// A parsed Java expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A variable or constant name.
    Var(String),
    /// A numeric literal as written (`17800`, `0.42`).
    Num(String),
    /// `BigDecimal.ZERO`, `BigDecimal.ROUND_DOWN`, …
    Static(String),
    /// `BigDecimal.valueOf(x)` or `new BigDecimal(x)`.
    ValueOf(Box<Expr>),
    /// `receiver.method(args)`.
    Call(Box<Expr>, String, Vec<Expr>),
    /// `array[index]`.
    Index(Box<Expr>, Box<Expr>),
    /// `{a, b, c}`.
    Array(Vec<Expr>),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
}

/// An `EVAL` statement: `target = value` or `target[index] = value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Assign {
    pub target: String,
    pub index: Option<Expr>,
    pub value: Expr,
}

struct Parser<'a> {
    src: &'a str,
    tokens: Vec<Tok>,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> Result<Self> {
        Ok(Parser {
            src,
            tokens: lex(src)?,
            pos: 0,
        })
    }

    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos)
    }

    fn is_punct(&self, p: &str) -> bool {
        matches!(self.peek(), Some(Tok::Punct(q)) if *q == p)
    }

    fn eat(&mut self, p: &str) -> bool {
        if self.is_punct(p) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, p: &str) -> Result<()> {
        if self.eat(p) {
            Ok(())
        } else {
            bail!(
                "expected {p:?} at token {} of {:?}, found {:?}",
                self.pos,
                self.src,
                self.peek()
            )
        }
    }

    fn ident(&mut self) -> Result<String> {
        match self.tokens.get(self.pos).cloned() {
            Some(Tok::Ident(name)) => {
                self.pos += 1;
                Ok(name)
            }
            other => bail!("expected a name in {:?}, found {other:?}", self.src),
        }
    }

    fn finish(&self) -> Result<()> {
        if self.pos == self.tokens.len() {
            Ok(())
        } else {
            bail!(
                "trailing tokens {:?} in {:?}",
                &self.tokens[self.pos..],
                self.src
            )
        }
    }

    fn binary(&mut self, level: usize) -> Result<Expr> {
        const LEVELS: [&[(&str, BinOp)]; 5] = [
            &[("||", BinOp::Or)],
            &[("&&", BinOp::And)],
            &[
                ("==", BinOp::Eq),
                ("!=", BinOp::Ne),
                ("<=", BinOp::Le),
                (">=", BinOp::Ge),
                ("<", BinOp::Lt),
                (">", BinOp::Gt),
            ],
            &[("+", BinOp::Add), ("-", BinOp::Sub)],
            &[("*", BinOp::Mul), ("/", BinOp::Div)],
        ];
        if level == LEVELS.len() {
            return self.unary();
        }
        let mut lhs = self.binary(level + 1)?;
        'more: loop {
            for (p, op) in LEVELS[level] {
                if self.eat(p) {
                    let rhs = self.binary(level + 1)?;
                    lhs = Expr::Bin(*op, Box::new(lhs), Box::new(rhs));
                    continue 'more;
                }
            }
            return Ok(lhs);
        }
    }

    fn expr(&mut self) -> Result<Expr> {
        self.binary(0)
    }

    fn unary(&mut self) -> Result<Expr> {
        if self.eat("-") {
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        if self.eat("!") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        self.postfix()
    }

    fn args(&mut self) -> Result<Vec<Expr>> {
        self.expect("(")?;
        let mut args = Vec::new();
        if !self.eat(")") {
            loop {
                args.push(self.expr()?);
                if self.eat(")") {
                    break;
                }
                self.expect(",")?;
            }
        }
        Ok(args)
    }

    fn postfix(&mut self) -> Result<Expr> {
        let mut e = self.primary()?;
        loop {
            if self.eat(".") {
                let method = self.ident()?;
                let args = self.args()?;
                e = Expr::Call(Box::new(e), method, args);
            } else if self.eat("[") {
                let index = self.expr()?;
                self.expect("]")?;
                e = Expr::Index(Box::new(e), Box::new(index));
            } else {
                return Ok(e);
            }
        }
    }

    fn primary(&mut self) -> Result<Expr> {
        match self.tokens.get(self.pos).cloned() {
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Ok(Expr::Num(n))
            }
            Some(Tok::Punct("(")) => {
                self.pos += 1;
                let e = self.expr()?;
                self.expect(")")?;
                Ok(e)
            }
            Some(Tok::Punct("{")) => {
                self.pos += 1;
                let mut items = Vec::new();
                if !self.eat("}") {
                    loop {
                        items.push(self.expr()?);
                        if self.eat("}") {
                            break;
                        }
                        self.expect(",")?;
                    }
                }
                Ok(Expr::Array(items))
            }
            Some(Tok::Ident(name)) if name == "new" => {
                self.pos += 1;
                let class = self.ident()?;
                if class != "BigDecimal" {
                    bail!(
                        "only `new BigDecimal(..)` is supported, found `new {class}` in {:?}",
                        self.src
                    );
                }
                let mut args = self.args()?;
                if args.len() != 1 {
                    bail!("`new BigDecimal` takes one argument in {:?}", self.src);
                }
                Ok(Expr::ValueOf(Box::new(args.remove(0))))
            }
            Some(Tok::Ident(name)) if name == "BigDecimal" => {
                self.pos += 1;
                self.expect(".")?;
                let member = self.ident()?;
                if member == "valueOf" {
                    let mut args = self.args()?;
                    if args.len() != 1 {
                        bail!("`BigDecimal.valueOf` takes one argument in {:?}", self.src);
                    }
                    Ok(Expr::ValueOf(Box::new(args.remove(0))))
                } else {
                    Ok(Expr::Static(member))
                }
            }
            Some(Tok::Ident(name)) => {
                self.pos += 1;
                Ok(Expr::Var(name))
            }
            other => bail!("unexpected {other:?} in {:?}", self.src),
        }
    }
}

/// Parses an expression (`IF expr`, a default or a constant value).
pub fn parse_expr(src: &str) -> Result<Expr> {
    let mut p = Parser::new(src)?;
    let e = p.expr()?;
    p.finish()?;
    Ok(e)
}

/// Parses an `EVAL exec` statement.
pub fn parse_assign(src: &str) -> Result<Assign> {
    let mut p = Parser::new(src)?;
    let target = p.ident()?;
    let index = if p.eat("[") {
        let i = p.expr()?;
        p.expect("]")?;
        Some(i)
    } else {
        None
    };
    p.expect("=")?;
    let value = p.expr()?;
    p.finish()?;
    Ok(Assign {
        target,
        index,
        value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_method_chains_and_literals() {
        let a = parse_assign("ST= (RW.multiply (Y)).setScale (0, BigDecimal.ROUND_DOWN)").unwrap();
        assert_eq!(a.target, "ST");
        match a.value {
            Expr::Call(recv, m, args) => {
                assert_eq!(m, "setScale");
                assert_eq!(args.len(), 2);
                assert!(matches!(*recv, Expr::Call(_, ref inner, _) if inner == "multiply"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn parses_comparisons_with_precedence() {
        let e = parse_expr("STKL == 5 && ZVE.compareTo(W1STKL5) == -1 || KRV < 1").unwrap();
        assert!(matches!(e, Expr::Bin(BinOp::Or, _, _)));
    }

    #[test]
    fn decimal_literal_is_one_token() {
        assert_eq!(lex("0.42").unwrap(), vec![Tok::Num("0.42".into())]);
        assert!(lex("1e5").is_err());
    }

    #[test]
    fn rejects_unknown_syntax() {
        assert!(parse_expr("a ? b : c").is_err());
        assert!(parse_assign("X == 1").is_err());
    }
}

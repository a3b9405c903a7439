//! Rust emission: one module per PAP version, and the registry module over all versions.
//!
//! Java `int` becomes `i32` with wrapping arithmetic (as Java's), `BigDecimal` and `double`
//! become the runtime's exact `Dec` (an error where Java would throw or where the 38-digit
//! mantissa would have to round); the public records keep `rust_decimal::Decimal`. Names stay the PAP's own, so every line can be checked
//! against the XML.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::{Context, Result, bail};

use super::expr::{BinOp, Expr};
use super::model::{JType, Pap, Role, Stmt, Var};

/// The type of an emitted Rust expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum T {
    Int,
    Long,
    Dec,
    Bool,
    Mode,
    Table,
}

fn var_type(ty: JType) -> T {
    match ty {
        JType::Int => T::Int,
        JType::Double | JType::BigDecimal => T::Dec,
        JType::BigDecimalArray => T::Table,
    }
}

/// The type a PAP variable has inside the generated code.
fn rust_type(ty: JType) -> &'static str {
    match ty {
        JType::Int => "i32",
        JType::Double | JType::BigDecimal => "Dec",
        JType::BigDecimalArray => "&[Dec]",
    }
}

/// The type of an input or output in the public records (`PapInput`, `PapOutput`).
fn api_type(ty: JType) -> &'static str {
    match ty {
        JType::Int => "i32",
        JType::Double | JType::BigDecimal => "Decimal",
        JType::BigDecimalArray => "&[Decimal]",
    }
}

/// `mantissa, scale` of a decimal literal as written (`914.51` → `91451, 2`).
fn literal_parts(text: &str, negative: bool) -> Result<(i64, u32)> {
    let (int_part, frac_part) = text.split_once('.').unwrap_or((text, ""));
    let digits = format!("{int_part}{frac_part}");
    // Java's valueOf(double) goes through Double.toString, which reproduces a literal of up
    // to 15 significant digits exactly; longer ones would need the binary expansion.
    if digits.trim_start_matches('0').len() > 15 {
        bail!("literal {text} has more than 15 significant digits");
    }
    let mantissa: i64 = digits.parse().with_context(|| format!("literal {text}"))?;
    let scale = u32::try_from(frac_part.len())?;
    Ok((if negative { -mantissa } else { mantissa }, scale))
}

/// Like [`literal_parts`] for a value Rust printed from an `f64` (shortest round trip, up
/// to 17 significant digits, as Java's `Double.toString` since JDK 19).
fn literal_parts_wide(text: &str, negative: bool) -> Result<(i64, u32)> {
    let (int_part, frac_part) = text.split_once('.').unwrap_or((text, ""));
    let mantissa: i64 = format!("{int_part}{frac_part}")
        .parse()
        .with_context(|| format!("double {text}"))?;
    Ok((
        if negative { -mantissa } else { mantissa },
        u32::try_from(frac_part.len())?,
    ))
}

/// Folds a Java arithmetic expression over literals that involves a double literal, as Java
/// does at compile time, in IEEE doubles. `None` if it is not such an expression.
fn fold_double(e: &Expr) -> Option<f64> {
    fn has_double(e: &Expr) -> bool {
        match e {
            Expr::Num(n) => n.contains('.'),
            Expr::Neg(x) => has_double(x),
            Expr::Bin(_, a, b) => has_double(a) || has_double(b),
            _ => false,
        }
    }
    fn eval(e: &Expr) -> Option<f64> {
        match e {
            Expr::Num(n) => n.parse().ok(),
            Expr::Neg(x) => eval(x).map(|v| -v),
            Expr::Bin(op, a, b) => {
                let (a, b) = (eval(a)?, eval(b)?);
                match op {
                    BinOp::Add => Some(a + b),
                    BinOp::Sub => Some(a - b),
                    BinOp::Mul => Some(a * b),
                    BinOp::Div => Some(a / b),
                    _ => None,
                }
            }
            _ => None,
        }
    }
    if matches!(e, Expr::Bin(..)) && has_double(e) {
        eval(e)
    } else {
        None
    }
}

struct Emitter<'a> {
    pap: &'a Pap,
}

impl Emitter<'_> {
    fn lookup(&self, name: &str) -> Result<&Var> {
        self.pap
            .var(name)
            .with_context(|| format!("unknown variable {name}"))
    }

    fn place(&self, var: &Var) -> String {
        match var.role {
            Role::Constant => var.name.clone(),
            _ => format!("self.{}", var.name),
        }
    }

    fn dec_literal(text: &str, negative: bool) -> Result<String> {
        let (m, s) = literal_parts(text, negative)?;
        Ok(format!("rt::lit({m}, {s})"))
    }

    fn expect(&self, e: &Expr, want: T) -> Result<String> {
        let (code, t) = self.emit(e)?;
        match (want, t) {
            (a, b) if a == b => Ok(code),
            (T::Long, T::Int) => Ok(format!("i64::from({code})")),
            (T::Dec, T::Int | T::Long) => Ok(format!("Dec::from({code})")),
            _ => bail!("expected {want:?}, found {t:?} in {e:?}"),
        }
    }

    fn int_literal(e: &Expr) -> Result<u32> {
        match e {
            Expr::Num(n) if !n.contains('.') => Ok(n.parse()?),
            other => bail!("a scale must be an int literal, found {other:?}"),
        }
    }

    fn emit(&self, e: &Expr) -> Result<(String, T)> {
        Ok(match e {
            Expr::Var(name) => {
                let var = self.lookup(name)?;
                (self.place(var), var_type(var.ty))
            }
            Expr::Num(n) if n.contains('.') => (Self::dec_literal(n, false)?, T::Dec),
            Expr::Num(n) => {
                let value: i64 = n.parse()?;
                if i32::try_from(value).is_ok() {
                    (n.clone(), T::Int)
                } else {
                    (format!("{n}_i64"), T::Long)
                }
            }
            Expr::Static(name) => match name.as_str() {
                "ZERO" => ("Dec::ZERO".into(), T::Dec),
                "ONE" => ("Dec::ONE".into(), T::Dec),
                "TEN" => ("rt::lit(10, 0)".into(), T::Dec),
                "ROUND_DOWN" => ("rt::Mode::Down".into(), T::Mode),
                "ROUND_UP" => ("rt::Mode::Up".into(), T::Mode),
                other => bail!("unsupported BigDecimal.{other}"),
            },
            Expr::ValueOf(inner) => match inner.as_ref() {
                Expr::Num(n) => (Self::dec_literal(n, false)?, T::Dec),
                Expr::Neg(x) if matches!(x.as_ref(), Expr::Num(_)) => {
                    let Expr::Num(n) = x.as_ref() else {
                        unreachable!("matched above")
                    };
                    (Self::dec_literal(n, true)?, T::Dec)
                }
                other => match fold_double(other) {
                    // Java evaluates `valueOf(0.0065+0.07)` in binary doubles and reads the
                    // sum back through Double.toString: 0.07650000000000001, not 0.0765.
                    Some(value) => {
                        let text = format!("{value}");
                        let (m, s) = literal_parts_wide(text.trim_start_matches('-'), value < 0.0)?;
                        (
                            format!("rt::lit({m}, {s}) /* Java double {text} */"),
                            T::Dec,
                        )
                    }
                    None => (self.expect(other, T::Dec)?, T::Dec),
                },
            },
            Expr::Call(recv, method, args) => self.call(recv, method, args)?,
            Expr::Index(table, index) => {
                let (code, t) = self.emit(table)?;
                if t != T::Table {
                    bail!("indexing a non-table {table:?}");
                }
                let index = self.expect(index, T::Int)?;
                (format!("rt::at({code}, {index})?"), T::Dec)
            }
            Expr::Array(items) => {
                let items = items
                    .iter()
                    .map(|i| self.expect(i, T::Dec))
                    .collect::<Result<Vec<_>>>()?;
                (format!("&[{}]", items.join(", ")), T::Table)
            }
            Expr::Neg(inner) => match inner.as_ref() {
                Expr::Num(n) if !n.contains('.') => (format!("-{n}"), T::Int),
                other => {
                    let (code, t) = self.emit(other)?;
                    match t {
                        T::Int | T::Long => (format!("({code}).wrapping_neg()"), t),
                        T::Dec => (format!("(-{code})"), T::Dec),
                        _ => bail!("cannot negate {other:?}"),
                    }
                }
            },
            Expr::Not(inner) => (format!("!({})", self.expect(inner, T::Bool)?), T::Bool),
            Expr::Bin(op, lhs, rhs) => self.binary(*op, lhs, rhs)?,
        })
    }

    fn call(&self, recv: &Expr, method: &str, args: &[Expr]) -> Result<(String, T)> {
        let r = self.expect(recv, T::Dec)?;
        let arg = |i: usize| -> Result<String> { self.expect(&args[i], T::Dec) };
        Ok(match (method, args.len()) {
            ("add", 1) => (format!("rt::add({r}, {})?", arg(0)?), T::Dec),
            ("subtract", 1) => (format!("rt::sub({r}, {})?", arg(0)?), T::Dec),
            ("multiply", 1) => (format!("rt::mul({r}, {})?", arg(0)?), T::Dec),
            ("divide", 1) => (format!("rt::div_exact({r}, {})?", arg(0)?), T::Dec),
            ("divide", 3) => (
                format!(
                    "rt::div({r}, {}, {}, {})?",
                    arg(0)?,
                    Self::int_literal(&args[1])?,
                    self.expect(&args[2], T::Mode)?
                ),
                T::Dec,
            ),
            ("setScale", 2) => (
                format!(
                    "rt::set_scale({r}, {}, {})?",
                    Self::int_literal(&args[0])?,
                    self.expect(&args[1], T::Mode)?
                ),
                T::Dec,
            ),
            ("compareTo", 1) => (format!("rt::cmp({r}, {})", arg(0)?), T::Int),
            ("longValue", 0) => (format!("rt::long_value({r})?"), T::Long),
            (m, n) => bail!("unsupported BigDecimal method {m} with {n} arguments"),
        })
    }

    fn binary(&self, op: BinOp, lhs: &Expr, rhs: &Expr) -> Result<(String, T)> {
        if matches!(op, BinOp::And | BinOp::Or) {
            let sym = if op == BinOp::And { "&&" } else { "||" };
            let l = self.expect(lhs, T::Bool)?;
            let r = self.expect(rhs, T::Bool)?;
            return Ok((format!("({l} {sym} {r})"), T::Bool));
        }
        let (_, lt) = self.emit(lhs)?;
        let (_, rt) = self.emit(rhs)?;
        let width = match (lt, rt) {
            (T::Int, T::Int) => T::Int,
            (T::Int | T::Long, T::Int | T::Long) => T::Long,
            _ => bail!("Java arithmetic/comparison on {lt:?} and {rt:?} is not supported"),
        };
        let l = self.expect(lhs, width)?;
        let r = self.expect(rhs, width)?;
        Ok(match op {
            BinOp::Add => (format!("({l}).wrapping_add({r})"), width),
            BinOp::Sub => (format!("({l}).wrapping_sub({r})"), width),
            BinOp::Mul => (format!("({l}).wrapping_mul({r})"), width),
            BinOp::Div => bail!("int division is not used by any PAP and is not supported"),
            BinOp::Eq => (format!("({l} == {r})"), T::Bool),
            BinOp::Ne => (format!("({l} != {r})"), T::Bool),
            BinOp::Lt => (format!("({l} < {r})"), T::Bool),
            BinOp::Gt => (format!("({l} > {r})"), T::Bool),
            BinOp::Le => (format!("({l} <= {r})"), T::Bool),
            BinOp::Ge => (format!("({l} >= {r})"), T::Bool),
            BinOp::And | BinOp::Or => unreachable!("handled above"),
        })
    }

    fn statements(&self, body: &[Stmt], out: &mut String) -> Result<()> {
        for stmt in body {
            match stmt {
                Stmt::Execute(method) => {
                    if !self.pap.methods.iter().any(|(m, _)| m == method) {
                        bail!("EXECUTE of unknown method {method}");
                    }
                    writeln!(out, "self.{method}()?;")?;
                }
                Stmt::Eval(assign) => {
                    let var = self.lookup(&assign.target)?;
                    if var.role == Role::Constant || assign.index.is_some() {
                        bail!("assignment to constant or table element {}", assign.target);
                    }
                    let value = self
                        .expect(&assign.value, var_type(var.ty))
                        .with_context(|| format!("in `{} = ...`", assign.target))?;
                    writeln!(out, "self.{} = {value};", var.name)?;
                }
                Stmt::If(cond, then_branch, else_branch) => {
                    let cond = self.expect(cond, T::Bool)?;
                    writeln!(out, "if {cond} {{")?;
                    self.statements(then_branch, out)?;
                    if !else_branch.is_empty() {
                        writeln!(out, "}} else {{")?;
                        self.statements(else_branch, out)?;
                    }
                    writeln!(out, "}}")?;
                }
            }
        }
        Ok(())
    }

    /// The initial value of a variable: its `default`, or Java's zero of its type.
    fn initial(&self, var: &Var) -> Result<String> {
        match &var.init {
            Some(e) => self.expect(e, var_type(var.ty)),
            None => Ok(match var.ty {
                JType::Int => "0".into(),
                JType::Double | JType::BigDecimal => "Dec::ZERO".into(),
                JType::BigDecimalArray => "&[]".into(),
            }),
        }
    }
}

fn doc_comment(out: &mut String, doc: Option<&str>) -> Result<()> {
    if let Some(doc) = doc {
        writeln!(out, "/// {}", doc.replace('<', "&lt;").replace('>', "&gt;"))?;
    }
    Ok(())
}

/// Emits the module for one version.
pub fn version_module(pap: &Pap, version: &str, file_name: &str, sha256: &str) -> Result<String> {
    let em = Emitter { pap };
    let mut out = String::new();
    writeln!(
        out,
        "//! BMF Lohnsteuer-PAP `{version}`: generated by `cargo xtask pap-gen` from `{file_name}`."
    )?;
    writeln!(out, "//! Source SHA-256: {sha256}")?;
    writeln!(
        out,
        "//! Programmablaufplan © Bundesministerium der Finanzen. @generated — do not edit; regenerate."
    )?;
    writeln!(out)?;
    writeln!(out, "use rust_decimal::Decimal;")?;
    writeln!(out)?;
    writeln!(out, "use crate::PapError;")?;
    writeln!(out, "use crate::runtime::{{self as rt, Dec}};")?;
    writeln!(out)?;
    writeln!(out, "/// The XML file this module was generated from.")?;
    writeln!(out, "pub const SOURCE_FILE: &str = {file_name:?};")?;
    writeln!(out, "/// SHA-256 of that file.")?;
    writeln!(out, "pub const SOURCE_SHA256: &str = {sha256:?};")?;
    writeln!(out)?;

    for c in pap.with_role(Role::Constant) {
        doc_comment(&mut out, c.doc.as_deref())?;
        let value = em
            .initial(c)
            .with_context(|| format!("constant {}", c.name))?;
        writeln!(out, "const {}: {} = {value};", c.name, rust_type(c.ty))?;
    }

    writeln!(out, "/// Inputs of this version, with the PAP's defaults.")?;
    writeln!(out, "#[derive(Debug, Clone)]")?;
    writeln!(out, "pub struct Input {{")?;
    for v in pap.with_role(Role::Input) {
        doc_comment(&mut out, v.doc.as_deref())?;
        writeln!(out, "pub {}: {},", v.name, rust_type(v.ty))?;
    }
    writeln!(out, "}}")?;
    writeln!(out, "impl Default for Input {{")?;
    writeln!(out, "fn default() -> Self {{ Input {{")?;
    for v in pap.with_role(Role::Input) {
        writeln!(out, "{}: {},", v.name, em.initial(v)?)?;
    }
    writeln!(out, "}} }}")?;
    writeln!(out, "}}")?;

    writeln!(out, "/// Outputs of this version (amounts in cents).")?;
    writeln!(out, "#[derive(Debug, Clone, PartialEq)]")?;
    writeln!(out, "pub struct Output {{")?;
    for v in pap.with_role(Role::Output) {
        doc_comment(&mut out, v.doc.as_deref())?;
        writeln!(out, "pub {}: {},", v.name, api_type(v.ty))?;
    }
    writeln!(out, "}}")?;

    writeln!(out, "struct State {{")?;
    for v in pap.vars.iter().filter(|v| v.role != Role::Constant) {
        writeln!(out, "{}: {},", v.name, rust_type(v.ty))?;
    }
    writeln!(out, "}}")?;

    writeln!(
        out,
        "/// Runs the PAP: `MAIN` with the given inputs, exactly as the XML specifies."
    )?;
    writeln!(
        out,
        "pub fn compute(input: &Input) -> Result<Output, PapError> {{"
    )?;
    writeln!(out, "let mut s = State {{")?;
    for v in pap.vars.iter().filter(|v| v.role != Role::Constant) {
        if v.role == Role::Input {
            writeln!(out, "{0}: input.{0},", v.name)?;
        } else {
            writeln!(out, "{}: {},", v.name, em.initial(v)?)?;
        }
    }
    writeln!(out, "}};")?;
    writeln!(out, "s.MAIN()?;")?;
    writeln!(out, "Ok(Output {{")?;
    for v in pap.with_role(Role::Output) {
        if v.ty == JType::Int {
            writeln!(out, "{0}: s.{0},", v.name)?;
        } else {
            writeln!(out, "{0}: s.{0}.to_decimal()?,", v.name)?;
        }
    }
    writeln!(out, "}})")?;
    writeln!(out, "}}")?;

    writeln!(out, "impl State {{")?;
    writeln!(out, "fn MAIN(&mut self) -> Result<(), PapError> {{")?;
    em.statements(&pap.main, &mut out).context("in MAIN")?;
    writeln!(out, "Ok(())")?;
    writeln!(out, "}}")?;
    for (name, body) in &pap.methods {
        writeln!(out, "fn {name}(&mut self) -> Result<(), PapError> {{")?;
        em.statements(body, &mut out)
            .with_context(|| format!("in method {name}"))?;
        writeln!(out, "Ok(())")?;
        writeln!(out, "}}")?;
    }
    writeln!(out, "}}")?;
    Ok(out)
}

/// One version as the registry needs it.
pub struct VersionInfo<'a> {
    pub version: String,
    pub module: String,
    pub variant: String,
    pub pap: &'a Pap,
}

/// `2022_stand2021-11` → module `y2022_stand2021_11`, variant `Y2022_Stand2021_11`.
pub fn names_for(version: &str) -> (String, String) {
    let module = format!("y{}", version.replace('-', "_")).to_lowercase();
    let variant = version
        .split(['_', '-'])
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("_");
    (module, format!("Y{variant}"))
}

/// Emits `generated/mod.rs`: the version enum, the version-independent input and output
/// records (the union over all versions) and the dispatch.
pub fn registry_module(versions: &[VersionInfo<'_>]) -> Result<String> {
    // Union of inputs and outputs; a name must keep its type across versions.
    let mut inputs: BTreeMap<&str, JType> = BTreeMap::new();
    let mut outputs: BTreeMap<&str, JType> = BTreeMap::new();
    for v in versions {
        for (role, map) in [(Role::Input, &mut inputs), (Role::Output, &mut outputs)] {
            for var in v.pap.with_role(role) {
                if let Some(prev) = map.insert(&var.name, var.ty)
                    && prev != var.ty
                {
                    bail!("{} changes type across versions", var.name);
                }
            }
        }
    }
    let mut out = String::new();
    writeln!(
        out,
        "//! All generated PAP versions. @generated by `cargo xtask pap-gen` — do not edit."
    )?;
    writeln!(out)?;
    writeln!(out, "use rust_decimal::Decimal;")?;
    writeln!(out)?;
    writeln!(out, "use super::{{InputKind, PapError}};")?;
    writeln!(out)?;
    for v in versions {
        writeln!(out, "pub mod {};", v.module)?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "/// A published PAP version (named after its XML file without `Lohnsteuer`/`.xml`)."
    )?;
    writeln!(out, "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]")?;
    writeln!(out, "pub enum PapVersion {{")?;
    for v in versions {
        writeln!(out, "/// `Lohnsteuer{}.xml`", v.version)?;
        writeln!(out, "{},", v.variant)?;
    }
    writeln!(out, "}}")?;
    writeln!(out, "impl PapVersion {{")?;
    writeln!(out, "/// Every version, oldest first.")?;
    writeln!(
        out,
        "pub const ALL: [PapVersion; {}] = [{}];",
        versions.len(),
        versions
            .iter()
            .map(|v| format!("PapVersion::{}", v.variant))
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    writeln!(out, "/// The version's name, e.g. `2023_stand2022-11`.")?;
    writeln!(out, "pub fn name(self) -> &'static str {{ match self {{")?;
    for v in versions {
        writeln!(out, "PapVersion::{} => {:?},", v.variant, v.version)?;
    }
    writeln!(out, "}} }}")?;
    writeln!(out, "/// The version of that name, if it exists.")?;
    writeln!(
        out,
        "pub fn from_name(name: &str) -> Option<Self> {{ match name {{"
    )?;
    for v in versions {
        writeln!(out, "{:?} => Some(PapVersion::{}),", v.version, v.variant)?;
    }
    writeln!(out, "_ => None, }} }}")?;
    writeln!(
        out,
        "/// The XML file and its SHA-256 this version was generated from."
    )?;
    writeln!(
        out,
        "pub fn source(self) -> (&'static str, &'static str) {{ match self {{"
    )?;
    for v in versions {
        writeln!(
            out,
            "PapVersion::{0} => ({1}::SOURCE_FILE, {1}::SOURCE_SHA256),",
            v.variant, v.module
        )?;
    }
    writeln!(out, "}} }}")?;
    writeln!(
        out,
        "/// The inputs this version defines, in PAP order, with their kind."
    )?;
    writeln!(
        out,
        "pub fn inputs(self) -> &'static [(&'static str, InputKind)] {{ match self {{"
    )?;
    for v in versions {
        let list = v
            .pap
            .with_role(Role::Input)
            .map(|i| format!("({:?}, {})", i.name, input_kind(i.ty)))
            .collect::<Vec<_>>()
            .join(", ");
        writeln!(out, "PapVersion::{} => &[{list}],", v.variant)?;
    }
    writeln!(out, "}} }}")?;
    writeln!(out, "/// The outputs this version defines, in PAP order.")?;
    writeln!(
        out,
        "pub fn outputs(self) -> &'static [&'static str] {{ match self {{"
    )?;
    for v in versions {
        let list = v
            .pap
            .with_role(Role::Output)
            .map(|o| format!("{:?}", o.name))
            .collect::<Vec<_>>()
            .join(", ");
        writeln!(out, "PapVersion::{} => &[{list}],", v.variant)?;
    }
    writeln!(out, "}} }}")?;
    writeln!(out, "}}")?;

    writeln!(
        out,
        "/// Inputs of any version; `None` takes the version's PAP default."
    )?;
    writeln!(out, "#[derive(Debug, Clone, Default, PartialEq)]")?;
    writeln!(out, "pub struct PapInput {{")?;
    for (name, ty) in &inputs {
        writeln!(out, "pub {name}: Option<{}>,", api_type(*ty))?;
    }
    writeln!(out, "}}")?;
    writeln!(
        out,
        "/// A mutable reference to one input of [`PapInput`], by kind."
    )?;
    writeln!(out, "#[derive(Debug)]")?;
    writeln!(out, "pub enum InputSlot<'a> {{")?;
    writeln!(out, "/// A Java `int` input.")?;
    writeln!(out, "Int(&'a mut Option<i32>),")?;
    writeln!(out, "/// A `BigDecimal` or `double` input.")?;
    writeln!(out, "Decimal(&'a mut Option<Decimal>),")?;
    writeln!(out, "}}")?;
    writeln!(out, "impl PapInput {{")?;
    writeln!(out, "/// The input of that PAP name, in any version.")?;
    writeln!(
        out,
        "pub fn slot(&mut self, name: &str) -> Option<InputSlot<'_>> {{ match name {{"
    )?;
    for (name, ty) in &inputs {
        let kind = if *ty == JType::Int { "Int" } else { "Decimal" };
        writeln!(
            out,
            "{name:?} => Some(InputSlot::{kind}(&mut self.{name})),"
        )?;
    }
    writeln!(out, "_ => None, }} }}")?;
    writeln!(out, "}}")?;

    writeln!(
        out,
        "/// Outputs of any version; `None` where the version does not define the output."
    )?;
    writeln!(out, "#[derive(Debug, Clone, Default, PartialEq)]")?;
    writeln!(out, "pub struct PapOutput {{")?;
    for (name, ty) in &outputs {
        writeln!(out, "pub {name}: Option<{}>,", api_type(*ty))?;
    }
    writeln!(out, "}}")?;
    writeln!(out, "impl PapOutput {{")?;
    writeln!(out, "/// The output of that PAP name, if set.")?;
    writeln!(
        out,
        "pub fn get(&self, name: &str) -> Option<Decimal> {{ match name {{"
    )?;
    for name in outputs.keys() {
        writeln!(out, "{name:?} => self.{name},")?;
    }
    writeln!(out, "_ => None, }} }}")?;
    writeln!(out, "}}")?;

    writeln!(
        out,
        "/// Runs `version` on `input`; an input the version does not define is an error."
    )?;
    writeln!(
        out,
        "pub fn compute(version: PapVersion, input: &PapInput) -> Result<PapOutput, PapError> {{"
    )?;
    writeln!(out, "match version {{")?;
    for v in versions {
        writeln!(out, "PapVersion::{} => {{", v.variant)?;
        writeln!(out, "let mut typed = {}::Input::default();", v.module)?;
        for name in inputs.keys() {
            if v.pap.var(name).is_some_and(|x| x.role == Role::Input) {
                let value = if inputs[name] == JType::Int {
                    "value".to_string()
                } else {
                    format!("super::checked_decimal({name:?}, value)?")
                };
                writeln!(
                    out,
                    "if let Some(value) = input.{name} {{ typed.{name} = {value}; }}"
                )?;
            } else {
                writeln!(
                    out,
                    "if input.{name}.is_some() {{ return Err(PapError::UnsupportedInput {{ name: {name:?}, version }}); }}"
                )?;
            }
        }
        writeln!(out, "let o = {}::compute(&typed)?;", v.module)?;
        writeln!(out, "Ok(PapOutput {{")?;
        for name in outputs.keys() {
            if v.pap.var(name).is_some_and(|x| x.role == Role::Output) {
                writeln!(out, "{name}: Some(o.{name}),")?;
            } else {
                writeln!(out, "{name}: None,")?;
            }
        }
        writeln!(out, "}})")?;
        writeln!(out, "}}")?;
    }
    writeln!(out, "}}")?;
    writeln!(out, "}}")?;
    Ok(out)
}

fn input_kind(ty: JType) -> &'static str {
    match ty {
        JType::Int => "InputKind::Int",
        JType::Double => "InputKind::Double",
        _ => "InputKind::BigDecimal",
    }
}

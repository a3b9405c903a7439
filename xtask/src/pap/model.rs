//! The PAP XML as a model: variables with their Java types, constants, methods of statements.

use anyhow::{Context, Result, bail};
use roxmltree::{Document, Node};

use super::expr::{Assign, Expr, parse_assign, parse_expr};

/// A Java type the PAP declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JType {
    Int,
    Double,
    BigDecimal,
    BigDecimalArray,
}

impl JType {
    fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "int" => JType::Int,
            "double" => JType::Double,
            "BigDecimal" => JType::BigDecimal,
            "BigDecimal[]" => JType::BigDecimalArray,
            other => bail!("unsupported PAP type {other:?}"),
        })
    }
}

/// Where a variable is declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Input,
    Output,
    Internal,
    Constant,
}

/// One declared variable or constant.
#[derive(Debug, Clone)]
pub struct Var {
    pub name: String,
    pub ty: JType,
    pub role: Role,
    /// `default` (variables) or `value` (constants), parsed.
    pub init: Option<Expr>,
    /// The XML comment right before the declaration, whitespace folded.
    pub doc: Option<String>,
}

/// A statement of a method body.
#[derive(Debug, Clone)]
pub enum Stmt {
    Eval(Assign),
    Execute(String),
    If(Expr, Vec<Stmt>, Vec<Stmt>),
}

/// A whole PAP file.
#[derive(Debug, Clone)]
pub struct Pap {
    pub vars: Vec<Var>,
    pub main: Vec<Stmt>,
    pub methods: Vec<(String, Vec<Stmt>)>,
}

impl Pap {
    pub fn var(&self, name: &str) -> Option<&Var> {
        self.vars.iter().find(|v| v.name == name)
    }

    pub fn with_role(&self, role: Role) -> impl Iterator<Item = &Var> {
        self.vars.iter().filter(move |v| v.role == role)
    }
}

/// Parses the text of a PAP XML file.
pub fn parse(xml: &str) -> Result<Pap> {
    let xml = xml.trim_start_matches('\u{feff}');
    let doc = Document::parse(xml).context("PAP file is not well-formed XML")?;
    let root = doc.root_element();
    if root.tag_name().name() != "PAP" {
        bail!(
            "root element is <{}>, expected <PAP>",
            root.tag_name().name()
        );
    }
    let mut pap = Pap {
        vars: Vec::new(),
        main: Vec::new(),
        methods: Vec::new(),
    };
    for section in root.children().filter(Node::is_element) {
        match section.tag_name().name() {
            "VARIABLES" | "CONSTANTS" => collect_vars(section, &mut pap.vars)?,
            "METHODS" => {
                for m in section.children().filter(Node::is_element) {
                    match m.tag_name().name() {
                        "MAIN" => pap.main = statements(m)?,
                        "METHOD" => {
                            let name = m.attribute("name").context("<METHOD> without name")?;
                            let body =
                                statements(m).with_context(|| format!("in method {name}"))?;
                            pap.methods.push((name.to_string(), body));
                        }
                        other => bail!("unexpected <{other}> in <METHODS>"),
                    }
                }
            }
            other => bail!("unexpected <{other}> in <PAP>"),
        }
    }
    let mut seen = std::collections::HashSet::new();
    for v in &pap.vars {
        if !seen.insert(v.name.as_str()) {
            bail!("variable {} declared twice", v.name);
        }
    }
    Ok(pap)
}

fn collect_vars(node: Node<'_, '_>, out: &mut Vec<Var>) -> Result<()> {
    let mut pending_doc: Option<String> = None;
    for child in node.children() {
        if child.is_comment() {
            let text = child.text().unwrap_or_default();
            let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if !folded.is_empty() {
                pending_doc = Some(folded);
            }
            continue;
        }
        if !child.is_element() {
            continue;
        }
        let role = match child.tag_name().name() {
            "INPUT" => Role::Input,
            "OUTPUT" => Role::Output,
            "INTERNAL" => Role::Internal,
            "CONSTANT" => Role::Constant,
            "INPUTS" | "OUTPUTS" | "INTERNALS" | "CONSTANTS" => {
                collect_vars(child, out)?;
                pending_doc = None;
                continue;
            }
            other => bail!("unexpected <{other}> among the variables"),
        };
        let name = child.attribute("name").context("variable without name")?;
        let ty = JType::parse(child.attribute("type").context("variable without type")?)
            .with_context(|| format!("variable {name}"))?;
        let init_src = match role {
            Role::Constant => child.attribute("value"),
            _ => child.attribute("default"),
        };
        let init = init_src
            .filter(|s| !s.trim().is_empty())
            .map(parse_expr)
            .transpose()
            .with_context(|| format!("initial value of {name}"))?;
        out.push(Var {
            name: name.to_string(),
            ty,
            role,
            init,
            doc: pending_doc.take(),
        });
    }
    Ok(())
}

fn statements(node: Node<'_, '_>) -> Result<Vec<Stmt>> {
    let mut out = Vec::new();
    for child in node.children().filter(Node::is_element) {
        let stmt = match child.tag_name().name() {
            "EVAL" => {
                let exec = child.attribute("exec").context("<EVAL> without exec")?;
                Stmt::Eval(parse_assign(exec)?)
            }
            "EXECUTE" => Stmt::Execute(
                child
                    .attribute("method")
                    .context("<EXECUTE> without method")?
                    .to_string(),
            ),
            "IF" => {
                let cond = parse_expr(child.attribute("expr").context("<IF> without expr")?)?;
                let mut then_branch = Vec::new();
                let mut else_branch = Vec::new();
                for part in child.children().filter(Node::is_element) {
                    match part.tag_name().name() {
                        "THEN" => then_branch = statements(part)?,
                        "ELSE" => else_branch = statements(part)?,
                        other => bail!("unexpected <{other}> in <IF>"),
                    }
                }
                Stmt::If(cond, then_branch, else_branch)
            }
            other => bail!("unexpected statement <{other}>"),
        };
        out.push(stmt);
    }
    Ok(out)
}

//! A positioned YAML tree.
//!
//! Plans are parsed into [`Node`]s that remember the line and column of every
//! key and value, so that every lint finding can point at the exact place in
//! the file. The tree is built from `saphyr-parser`'s event stream; typing
//! (numbers, dates, enums) is left to the caller, which validates the tree
//! itself so that one bad key never hides the findings in the rest of a plan.
//!
//! The builder bounds nesting depth and alias expansion, so hostile input
//! (alias bombs, `[[[[…]]]]`) fails fast with a positioned error.

use saphyr_parser::{Event, Parser, ScalarStyle};

pub mod fast;

/// Maximum nesting of sequences and mappings.
pub(crate) const MAX_DEPTH: usize = 64;
/// Maximum number of nodes in one document, aliases counted as expanded.
pub(crate) const MAX_NODES: usize = 200_000;

/// A 1-based line and column (columns count characters) in the whole file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, serde::Serialize)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    /// The first character of the file: where findings about missing
    /// top-level keys point.
    pub(crate) const START: Pos = Pos { line: 1, column: 1 };

    pub fn new(line: usize, column: usize) -> Pos {
        Pos { line, column }
    }
}

/// A YAML node with the position of its first character.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: Value,
}

/// The value of a [`Node`]. Scalars keep their source text; `plain` is true
/// for unquoted scalars, the only ones YAML types as numbers, booleans or null.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Scalar { text: String, plain: bool },
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// A mapping entry: the key (always a scalar in plans) and the value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_pos: Pos,
    pub value: Node,
}

/// A YAML problem found while building the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub pos: Pos,
    pub kind: YamlErrorKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum YamlErrorKind {
    /// The YAML scanner or parser rejected the text.
    Syntax(String),
    /// A mapping key that is not a scalar.
    ComplexKey,
    /// The same key twice in one mapping. Not fatal: the first one is kept.
    DuplicateKey { key: String, first: Pos },
    /// An alias to an anchor that was never defined.
    UnknownAlias,
    /// More than [`MAX_DEPTH`] levels.
    TooDeep,
    /// More than [`MAX_NODES`] nodes (typically an alias bomb).
    TooLarge,
}

impl Value {
    /// The text of a scalar, `None` for collections.
    pub(crate) fn as_scalar(&self) -> Option<&str> {
        match self {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }
}

impl Node {
    /// True for YAML null: an empty plain scalar, `~`, or `null`.
    pub(crate) fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar { text, plain: true }
            if text.is_empty() || text == "~" || text.eq_ignore_ascii_case("null"))
    }

    /// A short English/Japanese-neutral name of the node's YAML type, for messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Seq(_) => "list",
            Value::Map(_) => "mapping",
            Value::Scalar { .. } if self.is_null() => "null",
            Value::Scalar { text, plain: true } if scalar_number(text).is_some() => "number",
            Value::Scalar { text, plain: true }
                if matches!(text.as_str(), "true" | "false" | "True" | "False") =>
            {
                "boolean"
            }
            Value::Scalar { .. } => "string",
        }
    }

    /// Converts the tree to JSON: plain scalars become numbers, booleans or
    /// null where YAML would type them so; everything else stays a string.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Scalar { text, plain } => {
                if !plain {
                    return J::String(text.clone());
                }
                if self.is_null() {
                    return J::Null;
                }
                match text.as_str() {
                    "true" | "True" => return J::Bool(true),
                    "false" | "False" => return J::Bool(false),
                    _ => {}
                }
                if let Some(n) = scalar_number(text) {
                    if let Ok(i) = text.parse::<i64>() {
                        return J::from(i);
                    }
                    if let Some(f) = serde_json::Number::from_f64(n) {
                        return J::Number(f);
                    }
                }
                J::String(text.clone())
            }
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.to_json()))
                    .collect(),
            ),
        }
    }
}

/// Parses a plain scalar as a YAML 1.2 core-schema number.
pub(crate) fn scalar_number(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    // Reject things Rust parses but YAML does not treat as numbers ("inf", "nan", "1_000").
    let first = t.as_bytes().first().copied()?;
    if !(first.is_ascii_digit() || first == b'-' || first == b'+' || first == b'.') {
        return None;
    }
    match t {
        ".inf" | "+.inf" | ".Inf" | "+.Inf" | "-.inf" | "-.Inf" | ".nan" | ".NaN" => return None,
        _ => {}
    }
    let n: f64 = t.parse().ok()?;
    n.is_finite().then_some(n)
}

/// Parses `text` as one YAML document whose first line is line `first_line`
/// of the file. Returns the root node (if the document was readable at all)
/// and every problem found.
///
/// Plans in the common block-YAML subset take a fast path; everything else
/// (and every error) goes through the full parser, with the same result.
pub fn parse(text: &str, first_line: usize) -> (Option<Node>, Vec<YamlError>) {
    match fast::parse(text, first_line) {
        Some(node) => (Some(node), Vec::new()),
        None => parse_full(text, first_line),
    }
}

/// [`parse`] without the fast path: saphyr-parser's events into a tree.
pub fn parse_full(text: &str, first_line: usize) -> (Option<Node>, Vec<YamlError>) {
    let mut b = Builder {
        first_line,
        anchors: Vec::new(),
        stack: Vec::new(),
        root: None,
        errors: Vec::new(),
        nodes: 0,
    };
    let parser = Parser::new_from_str(text);
    for item in parser {
        match item {
            Ok((event, span)) => {
                let pos = b.pos(span.start.line(), span.start.col());
                if let Err(e) = b.event(event, pos) {
                    b.errors.push(e);
                    return (None, b.errors);
                }
            }
            Err(e) => {
                let m = e.marker();
                let pos = b.pos(m.line(), m.col());
                b.errors.push(YamlError {
                    pos,
                    kind: YamlErrorKind::Syntax(e.info().to_string()),
                });
                return (None, b.errors);
            }
        }
    }
    (b.root, b.errors)
}

enum Frame {
    Seq {
        pos: Pos,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        pos: Pos,
        anchor: usize,
        entries: Vec<Entry>,
        pending_key: Option<(String, Pos)>,
    },
}

struct Builder {
    first_line: usize,
    anchors: Vec<(usize, Node)>,
    stack: Vec<Frame>,
    root: Option<Node>,
    errors: Vec<YamlError>,
    nodes: usize,
}

impl Builder {
    fn pos(&self, line: usize, col: usize) -> Pos {
        Pos::new(line.max(1) + self.first_line - 1, col + 1)
    }

    fn event(&mut self, event: Event<'_>, pos: Pos) -> Result<(), YamlError> {
        match event {
            Event::Scalar(text, style, anchor, _tag) => {
                self.count(pos, 1)?;
                let node = Node {
                    pos,
                    value: Value::Scalar {
                        text: text.into_owned(),
                        plain: matches!(style, ScalarStyle::Plain),
                    },
                };
                self.finish(node, anchor, pos)
            }
            Event::SequenceStart(anchor, _) => {
                self.open(pos)?;
                self.stack.push(Frame::Seq {
                    pos,
                    anchor,
                    items: Vec::new(),
                });
                Ok(())
            }
            Event::MappingStart(anchor, _) => {
                self.open(pos)?;
                self.stack.push(Frame::Map {
                    pos,
                    anchor,
                    entries: Vec::new(),
                    pending_key: None,
                });
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => match self.stack.pop() {
                Some(Frame::Seq { pos, anchor, items }) => {
                    let node = Node {
                        pos,
                        value: Value::Seq(items),
                    };
                    self.finish(node, anchor, pos)
                }
                Some(Frame::Map {
                    pos,
                    anchor,
                    entries,
                    ..
                }) => {
                    let node = Node {
                        pos,
                        value: Value::Map(entries),
                    };
                    self.finish(node, anchor, pos)
                }
                None => Ok(()),
            },
            Event::Alias(id) => {
                let node = self
                    .anchors
                    .iter()
                    .rev()
                    .find(|(a, _)| *a == id)
                    .map(|(_, n)| n.clone())
                    .ok_or(YamlError {
                        pos,
                        kind: YamlErrorKind::UnknownAlias,
                    })?;
                self.count(pos, count_nodes(&node))?;
                // An alias is a copy of its anchor's node; it is placed where the alias stands.
                let node = Node { pos, ..node };
                self.finish(node, 0, pos)
            }
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::Nothing => Ok(()),
        }
    }

    fn open(&mut self, pos: Pos) -> Result<(), YamlError> {
        self.count(pos, 1)?;
        if self.stack.len() >= MAX_DEPTH {
            return Err(YamlError {
                pos,
                kind: YamlErrorKind::TooDeep,
            });
        }
        Ok(())
    }

    fn count(&mut self, pos: Pos, n: usize) -> Result<(), YamlError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            return Err(YamlError {
                pos,
                kind: YamlErrorKind::TooLarge,
            });
        }
        Ok(())
    }

    /// Hands a finished node to its parent (or makes it the root).
    fn finish(&mut self, node: Node, anchor: usize, pos: Pos) -> Result<(), YamlError> {
        if anchor != 0 {
            self.anchors.push((anchor, node.clone()));
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
                Ok(())
            }
            Some(Frame::Seq { items, .. }) => {
                items.push(node);
                Ok(())
            }
            Some(Frame::Map {
                entries,
                pending_key,
                ..
            }) => match pending_key.take() {
                None => match node.value {
                    Value::Scalar { text, .. } => {
                        *pending_key = Some((text, node.pos));
                        Ok(())
                    }
                    _ => Err(YamlError {
                        pos,
                        kind: YamlErrorKind::ComplexKey,
                    }),
                },
                Some((key, key_pos)) => {
                    if let Some(first) = entries.iter().find(|e| e.key == key) {
                        self.errors.push(YamlError {
                            pos: key_pos,
                            kind: YamlErrorKind::DuplicateKey {
                                key,
                                first: first.key_pos,
                            },
                        });
                    } else {
                        entries.push(Entry {
                            key,
                            key_pos,
                            value: node,
                        });
                    }
                    Ok(())
                }
            },
        }
    }
}

fn count_nodes(node: &Node) -> usize {
    match &node.value {
        Value::Scalar { .. } => 1,
        Value::Seq(items) => items.iter().map(count_nodes).fold(1, usize::saturating_add),
        Value::Map(entries) => entries
            .iter()
            .map(|e| count_nodes(&e.value).saturating_add(1))
            .fold(1, usize::saturating_add),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(text: &str) -> Node {
        let (node, errors) = parse(text, 2);
        assert!(errors.is_empty(), "{errors:?}");
        node.unwrap()
    }

    #[test]
    fn positions_are_file_relative_and_one_based() {
        let n = root("title: x\nmetric:\n  name: 推薦 率\n  unit: \"%\"\n");
        let Value::Map(entries) = &n.value else {
            panic!()
        };
        assert_eq!(entries[0].key_pos, Pos::new(2, 1));
        assert_eq!(entries[0].value.pos, Pos::new(2, 8));
        let Value::Map(metric) = &entries[1].value.value else {
            panic!()
        };
        assert_eq!(metric[0].key_pos, Pos::new(4, 3));
        assert_eq!(metric[1].value.pos, Pos::new(5, 9));
    }

    #[test]
    fn duplicate_keys_are_reported_and_the_first_kept() {
        let (node, errors) = parse("a: 1\nb: 2\na: 3\n", 1);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].pos, Pos::new(3, 1));
        let Value::Map(entries) = node.unwrap().value else {
            panic!()
        };
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].value.value.as_scalar(), Some("1"));
    }

    #[test]
    fn alias_bomb_is_bounded() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let (node, errors) = parse(&text, 1);
        assert!(node.is_none());
        assert!(matches!(errors[0].kind, YamlErrorKind::TooLarge));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let text = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        let (node, errors) = parse(&text, 1);
        assert!(node.is_none());
        assert!(
            matches!(
                errors[0].kind,
                YamlErrorKind::TooDeep | YamlErrorKind::Syntax(_)
            ),
            "{errors:?}"
        );
    }

    #[test]
    fn numbers_follow_yaml_not_rust() {
        assert_eq!(scalar_number("2.5"), Some(2.5));
        assert_eq!(scalar_number("-3"), Some(-3.0));
        assert_eq!(scalar_number("inf"), None);
        assert_eq!(scalar_number("NaN"), None);
        assert_eq!(scalar_number("2026-12-01"), None);
    }
}

//! A fast path for the block YAML that plans are written in.
//!
//! Parsing full YAML costs about 40 µs per KB with saphyr-parser, which
//! dominated linting a large repository. Plans use a small, regular subset:
//! block mappings and sequences, plain and simply-quoted scalars, one-line
//! flow collections of scalars, and `|` block scalars. This module parses
//! exactly that subset, line by line, and gives up (`None`) on anything else
//! — anchors, tags, escapes, multi-line plain scalars, tabs, odd keys,
//! duplicate keys, syntax errors — so that [`super::parse`] falls back to the
//! full parser, which also produces every YAML error message.
//!
//! Invariant: when this returns `Some`, the tree (including every position)
//! equals what the full parser builds. `tests::matches_the_full_parser` and
//! the integration tests check that on every fixture and a generated corpus.

use super::{Entry, Node, Pos, Value};

struct Line<'a> {
    /// The line without its line break (`\r` removed too).
    raw: &'a str,
    /// Leading spaces.
    indent: usize,
    /// Content after the indentation, trailing spaces removed.
    text: &'a str,
}

impl Line<'_> {
    /// Blank or comment-only lines carry no structure.
    fn is_structural(&self) -> bool {
        !self.text.is_empty() && !self.text.starts_with('#')
    }
}

struct Fast<'a> {
    lines: Vec<Line<'a>>,
    /// Index of the current line.
    at: usize,
    first_line: usize,
    nodes: usize,
}

/// Parses `text` if it is in the plan subset; `None` means "use the full parser".
pub fn parse(text: &str, first_line: usize) -> Option<Node> {
    if !simple_chars(text) {
        return None;
    }
    // Plan frontmatter lines average well over 16 bytes: one allocation.
    let mut lines: Vec<Line<'_>> = Vec::with_capacity(text.len() / 16 + 4);
    lines.extend(text.split('\n').map(|l| {
        let raw = l.strip_suffix('\r').unwrap_or(l);
        let content = raw.trim_start_matches(' ');
        Line {
            raw,
            indent: raw.len() - content.len(),
            text: content.trim_end_matches(' '),
        }
    }));
    let mut p = Fast {
        lines,
        at: 0,
        first_line,
        nodes: 0,
    };
    let indent = p.peek()?.indent;
    let root = p.block(indent)?;
    if p.peek().is_some() || p.nodes > super::MAX_NODES {
        return None;
    }
    Some(root)
}

/// True if `text` has only what the fast path handles: YAML's printable
/// characters (no C0 controls but LF and CR, no DEL, no C1 controls but
/// NEL, no BOM inside the text, no U+FFFE or U+FFFF), no tabs, and no CR
/// that is not followed by LF (a line break of its own in YAML; the fast
/// path splits lines on LF only). The full parser reports the rest.
/// One pass over the bytes: this runs on every plan of every lint.
fn simple_chars(text: &str) -> bool {
    // Bytes that need a closer look; a branch-free fold over 64-byte
    // chunks (which the compiler vectorises) skips the chunks without any.
    let odd = |c: u8| (c < 0x20 && c != b'\n') | (c == 0x7f) | (c == 0xc2) | (c == 0xef);
    let b = text.as_bytes();
    let mut start = 0;
    for chunk in b.chunks(64) {
        if chunk.iter().fold(false, |acc, &c| acc | odd(c)) && !simple_from(b, start, chunk.len()) {
            return false;
        }
        start += chunk.len();
    }
    true
}

/// [`simple_chars`] byte by byte for the `len` bytes at `start` of `b`
/// (looking past them for the rest of a sequence).
fn simple_from(b: &[u8], start: usize, len: usize) -> bool {
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    for (i, &c) in b.iter().enumerate().skip(start).take(len) {
        let ok = match c {
            b'\n' => true,
            b'\r' => at(i + 1) == b'\n',
            0..=0x1f | 0x7f => false,
            // U+0080..U+009F are C2 80..C2 9F; NEL (U+0085) is allowed.
            0xc2 => !matches!(at(i + 1), 0x80..=0x9f) || at(i + 1) == 0x85,
            // U+FEFF is EF BB BF; U+FFFE and U+FFFF are EF BF BE/BF.
            0xef => !matches!(
                (at(i + 1), at(i + 2)),
                (0xbb, 0xbf) | (0xbf, 0xbe) | (0xbf, 0xbf)
            ),
            _ => true,
        };
        if !ok {
            return false;
        }
    }
    true
}

fn is_key_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Splits `key: rest` / `key:` with a simple ASCII key.
fn split_key(text: &str) -> Option<(&str, &str)> {
    let colon = text.find(':')?;
    let key = text.get(..colon)?;
    let rest = text.get(colon + 1..)?;
    if key.is_empty() || !key.bytes().all(is_key_char) || key.starts_with('-') {
        return None;
    }
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    Some((key, rest))
}

/// True for `-` or `- …`: a block sequence entry.
fn is_entry(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// Characters count in `s` (columns are counted in characters).
fn chars(s: &str) -> usize {
    s.chars().count()
}

impl<'a> Fast<'a> {
    /// The next structural line, skipping blank and comment lines.
    fn peek(&mut self) -> Option<&Line<'a>> {
        while let Some(l) = self.lines.get(self.at) {
            if l.is_structural() {
                return self.lines.get(self.at);
            }
            self.at += 1;
        }
        None
    }

    fn pos(&self, line_index: usize, column0: usize) -> Pos {
        Pos::new(self.first_line + line_index, column0 + 1)
    }

    fn count(&mut self) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= super::MAX_NODES).then_some(())
    }

    /// The block node whose first line is the current one, at `indent`.
    fn block(&mut self, indent: usize) -> Option<Node> {
        let text = self.peek()?.text;
        if is_entry(text) {
            self.seq(indent, false)
        } else {
            self.map(indent)
        }
    }

    fn map(&mut self, indent: usize) -> Option<Node> {
        self.count()?;
        let start = self.at;
        let pos = self.pos(start, indent);
        let mut entries: Vec<Entry> = Vec::new();
        while let Some(line) = self.peek() {
            if line.indent < indent {
                break;
            }
            if line.indent > indent || is_entry(line.text) {
                return None;
            }
            let (key, rest) = split_key(line.text)?;
            let key_pos = self.pos(self.at, indent);
            let colon_col = indent + key.len();
            let row = self.at;
            self.at += 1;
            if entries.iter().any(|e| e.key == key) {
                return None;
            }
            self.count()?;
            let value = self.value(rest, row, colon_col + 1, indent, true)?;
            entries.push(Entry {
                key: key.to_string(),
                key_pos,
                value,
            });
        }
        Some(Node {
            pos,
            value: Value::Map(entries),
        })
    }

    /// A block sequence at `indent`. `indentless` is a sequence at its
    /// parent key's indentation (`key:\n- a`).
    fn seq(&mut self, indent: usize, indentless: bool) -> Option<Node> {
        self.count()?;
        let mut items = Vec::new();
        let mut pos = None;
        while let Some(line) = self.peek() {
            if line.indent < indent || (line.indent == indent && !is_entry(line.text)) {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let after = line.text.get(1..)?;
            let content = after.trim_start_matches(' ');
            if content.is_empty() || content.starts_with('#') || is_entry(content) {
                return None;
            }
            let item_indent = indent + 1 + (after.len() - content.len());
            let row = self.at;
            if pos.is_none() {
                pos = Some(if indentless {
                    self.pos(row, item_indent)
                } else {
                    self.pos(row, indent)
                });
            }
            let item = if split_key(content).is_some() {
                // `- key: value`: a mapping that starts on this line. Re-read
                // the line as if it were indented to the mapping's column.
                let line = self.lines.get_mut(row)?;
                line.indent = item_indent;
                line.text = content;
                self.map(item_indent)?
            } else {
                self.at += 1;
                self.value(content, row, item_indent, indent, false)?
            };
            items.push(item);
        }
        Some(Node {
            pos: pos?,
            value: Value::Seq(items),
        })
    }

    /// The value after `key:` (or `- `): `rest` is the rest of line `row`,
    /// starting at character column `col0` (0-based). `parent` is the
    /// indentation of the key or entry.
    fn value(
        &mut self,
        rest: &'a str,
        row: usize,
        col0: usize,
        parent: usize,
        in_map: bool,
    ) -> Option<Node> {
        let content = rest.trim_start_matches(' ');
        // Only spaces were trimmed: bytes are characters here.
        let col = col0 + (rest.len() - content.len());
        if content.is_empty() || content.starts_with('#') {
            if content.starts_with('#') && rest.len() == content.len() {
                return None;
            }
            // A nested block, an indentless sequence, or null.
            return match self.peek() {
                Some(next) if next.indent > parent => {
                    let indent = next.indent;
                    self.block(indent)
                }
                Some(next) if in_map && next.indent == parent && is_entry(next.text) => {
                    self.seq(parent, true)
                }
                _ => {
                    self.count()?;
                    Some(Node {
                        pos: self.pos(row, col0 - 1),
                        value: Value::Scalar {
                            text: String::new(),
                            plain: true,
                        },
                    })
                }
            };
        }
        let first = content.as_bytes().first().copied()?;
        let node = match first {
            b'|' => return self.literal(content, parent),
            b'"' | b'\'' => {
                let (text, used) = quoted(content)?;
                trailing_ok(content.get(used..)?)?;
                self.scalar(row, col, text, false)?
            }
            b'[' | b'{' => {
                let (node, used) = self.flow(content, row, col)?;
                trailing_ok(content.get(used..)?)?;
                node
            }
            _ => {
                let text = plain(content)?;
                self.scalar(row, col, text.to_string(), true)?
            }
        };
        // A more-indented line after a scalar would continue it: not in the subset.
        if self.peek().is_some_and(|next| next.indent > parent) {
            return None;
        }
        Some(node)
    }

    fn scalar(&mut self, row: usize, col0: usize, text: String, plain: bool) -> Option<Node> {
        self.count()?;
        Some(Node {
            pos: self.pos(row, col0),
            value: Value::Scalar { text, plain },
        })
    }

    /// `|` or `|-` followed by lines indented more than `parent`.
    fn literal(&mut self, header: &str, parent: usize) -> Option<Node> {
        let keep_last = match header.split(" #").next().map(str::trim_end) {
            Some("|") => true,
            Some("|-") => false,
            _ => return None,
        };
        let mut first_row = None;
        let mut block_indent = 0;
        let mut lines: Vec<&str> = Vec::new();
        let mut i = self.at;
        while let Some(l) = self.lines.get(i) {
            let blank = l.raw.trim_start_matches(' ').is_empty();
            if blank {
                lines.push("");
                i += 1;
                continue;
            }
            if l.indent <= parent {
                break;
            }
            match first_row {
                None => {
                    first_row = Some(i);
                    block_indent = l.indent;
                }
                Some(_) if l.indent < block_indent => return None,
                Some(_) => {}
            }
            lines.push(l.raw.get(block_indent..)?);
            i += 1;
        }
        let first_row = first_row?;
        // Leading blank lines would need YAML's auto-indentation rules.
        if first_row != self.at {
            return None;
        }
        while lines.last() == Some(&"") {
            lines.pop();
        }
        // Lines of only spaces in or after a block scalar follow subtle
        // rules (content spaces, chomping at the end of input): not in the
        // subset. Found by the fuzzer.
        for l in self.lines.get(self.at..i).unwrap_or(&[]) {
            if !l.raw.is_empty() && l.raw.trim_start_matches(' ').is_empty() {
                return None;
            }
        }
        self.at = i;
        let mut text = lines.join("\n");
        if keep_last {
            text.push('\n');
        }
        self.scalar(first_row, block_indent, text, false)
    }

    /// A one-line flow sequence or mapping of scalars; returns the node and
    /// the bytes of `s` it used.
    fn flow(&mut self, s: &str, row: usize, col0: usize) -> Option<(Node, usize)> {
        let is_map = s.starts_with('{');
        let close = if is_map { '}' } else { ']' };
        self.count()?;
        let mut i = 1;
        let mut items = Vec::new();
        let mut entries: Vec<Entry> = Vec::new();
        loop {
            let rest = s.get(i..)?;
            let skipped = rest.len() - rest.trim_start_matches(' ').len();
            i += skipped;
            let rest = s.get(i..)?;
            if rest.starts_with(close) {
                i += 1;
                break;
            }
            let col = col0 + chars(s.get(..i)?);
            let key = if is_map {
                let colon = rest.find(": ")?;
                let key = rest.get(..colon)?;
                if key.is_empty() || !key.bytes().all(is_key_char) {
                    return None;
                }
                i += colon + 2;
                let rest = s.get(i..)?;
                i += rest.len() - rest.trim_start_matches(' ').len();
                Some((key, col))
            } else {
                None
            };
            let rest = s.get(i..)?;
            let item_col = col0 + chars(s.get(..i)?);
            let (text, plain_, used) = if rest.starts_with(['"', '\'']) {
                let (text, used) = quoted(rest)?;
                (text, false, used)
            } else {
                let end = rest.find([',', ']', '}', '[', '{', '#'])?;
                let raw = rest.get(..end)?;
                let text = raw.trim_end_matches(' ');
                // saphyr rejects a ` -` right before a flow indicator
                // (found by the fuzzer): leave that to it.
                if text.is_empty()
                    || text.ends_with(" -")
                    || text.contains(": ")
                    || text.ends_with(':')
                    || !plain_start_ok(text)
                    || rest.get(end..)?.starts_with(['[', '{', '#'])
                {
                    return None;
                }
                (text.to_string(), true, end)
            };
            i += used;
            let node = self.scalar(row, item_col, text, plain_)?;
            match key {
                Some((key, key_col)) => {
                    if entries.iter().any(|e| e.key == key) {
                        return None;
                    }
                    entries.push(Entry {
                        key: key.to_string(),
                        key_pos: self.pos(row, key_col),
                        value: node,
                    });
                }
                None => items.push(node),
            }
            let rest = s.get(i..)?;
            i += rest.len() - rest.trim_start_matches(' ').len();
            let rest = s.get(i..)?;
            if rest.starts_with(',') {
                i += 1;
            } else if !rest.starts_with(close) {
                return None;
            }
        }
        let value = if is_map {
            Value::Map(entries)
        } else {
            Value::Seq(items)
        };
        Some((
            Node {
                pos: self.pos(row, col0),
                value,
            },
            i,
        ))
    }
}

/// Only spaces and a comment may follow a quoted scalar or flow collection.
fn trailing_ok(rest: &str) -> Option<()> {
    let t = rest.trim_start_matches(' ');
    (t.is_empty() || (t.starts_with('#') && t.len() < rest.len())).then_some(())
}

/// A plain scalar may not start with an indicator character.
fn plain_start_ok(text: &str) -> bool {
    let b = text.as_bytes();
    let Some(&c) = b.first() else {
        return false;
    };
    match c {
        b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\'' | b'"'
        | b'%' | b'@' | b'`' | b',' => false,
        // Allowed only when followed by a non-space character ("-3").
        b'-' | b'?' | b':' => b
            .get(1)
            .is_some_and(|n| !matches!(n, b' ' | b'[' | b']' | b'{' | b'}' | b',')),
        _ => true,
    }
}

/// Where `a` followed by `b` first occurs in `text` (both ASCII): the
/// two-byte searches of the fast path, without setting up a substring
/// searcher for every scalar.
fn find_pair(text: &str, a: u8, b: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    loop {
        // `str::find` with an ASCII char is a memchr.
        let i = from + text.get(from..)?.find(char::from(a))?;
        if bytes.get(i + 1) == Some(&b) {
            return Some(i);
        }
        from = i + 1;
    }
}

/// The plain scalar on the rest of a block line, comment removed.
fn plain(content: &str) -> Option<&str> {
    let text = match find_pair(content, b' ', b'#') {
        Some(i) => content.get(..i)?.trim_end_matches(' '),
        None => content,
    };
    if !plain_start_ok(text) || find_pair(text, b':', b' ').is_some() || text.ends_with(':') {
        return None;
    }
    // Document markers and directives are never values here.
    if text == "---" || text == "..." {
        return None;
    }
    Some(text)
}

/// A single- or double-quoted scalar on one line, without escapes (except
/// `''` in single quotes). Returns the text and the bytes used.
fn quoted(s: &str) -> Option<(String, usize)> {
    let quote = s.chars().next()?;
    let body = s.get(1..)?;
    if quote == '"' {
        let end = body.find(['"', '\\'])?;
        if body.get(end..)?.starts_with('\\') {
            return None;
        }
        return Some((body.get(..end)?.to_string(), end + 2));
    }
    let mut text = String::new();
    let mut i = 0;
    loop {
        let rest = body.get(i..)?;
        let end = rest.find('\'')?;
        text.push_str(rest.get(..end)?);
        if rest.get(end + 1..)?.starts_with('\'') {
            text.push('\'');
            i += end + 2;
        } else {
            return Some((text, i + end + 2));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(text: &str) -> Option<Node> {
        let (node, errors) = super::super::parse_full(text, 2);
        if errors.is_empty() { node } else { None }
    }

    /// Documents in the subset must parse exactly like the full parser;
    /// documents outside it must fall back.
    #[test]
    fn matches_the_full_parser() {
        let inside = [
            "a: 1\nb:\n  - x\n  - y: 2\n    z: 3\nc:\nd: |\n  hi\n  there\ne: [a, b]\nf: { g: 1, h: 2 }\nk:\n- p\n",
            "title: 推薦 \"x\"\nteam:\n  pm: 佐藤 花子   # comment\n  dev: '鈴木 ''一郎'''\n",
            "items: [推薦枠の表示ログ, お気に入り登録ログ, \"a, b\"]\namount: 2 週間・1 万表示\n",
            "m:\n  - { date: 2026-12-08, value: 2.1 }\n  - {date: 2027-01-05, value: -2.4}\n",
            "s: |-\n  line one\n\n    indented\n  # not a comment\nt: x\n",
            "time: \"10:00-10:30\"\nurl: http://example.com/a#b\nempty: []\nn: ~\nq: ''\n",
            "a:\n  b:\n    c: 1\n  d: 2\ne: 3\n",
            "list:\n- id: m1\n  tasks:\n  - role: pm\n- id: m2\n",
            "a: x # trailing\n# full comment\n\nb:   # comment after key\n  c: 1\n",
        ];
        for doc in inside {
            let fast = parse(doc, 2);
            assert!(fast.is_some(), "should be in the subset:\n{doc}");
            assert_eq!(fast, full(doc), "differs from the full parser:\n{doc}");
        }
        let outside = [
            "a: &x 1\nb: *x\n",
            "a: !tag x\n",
            "a: \"esc\\n\"\n",
            "a: multi\n  line\n",
            "a: 1\na: 2\n",
            "\"quoted key\": 1\n",
            "a: [1, [2]]\n",
            "a:\tb\n",
            "a: >\n  folded\n",
            "- a\n- - b\n",
            // Found by the yaml_fast fuzzer: the full parser rejects controls.
            "a: x\u{1}y\n",
            "a: x\u{7f}\n",
            "a: \u{9b}\n",
            // Found by the fuzzer: a lone CR breaks the line.
            "a: ?x\ry\nb: c\n",
            "a: |\n |\n ",
            "a: [x -]\n",
            "a: b: c\n",
            "a: [unclosed\n",
            "? complex\n: key\n",
            "",
            "# only a comment\n",
        ];
        for doc in outside {
            assert_eq!(parse(doc, 2), None, "should fall back:\n{doc}");
        }
    }

    /// The definition `simple_chars` implements with a chunked byte scan.
    fn simple_chars_by_definition(text: &str) -> bool {
        let printable = text.chars().all(|c| match c {
            '\n' | '\r' | '\u{85}' => true,
            '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}' => {
                false
            }
            _ => true,
        });
        let lone_cr = text
            .match_indices('\r')
            .any(|(i, _)| text.as_bytes().get(i + 1) != Some(&b'\n'));
        printable && !text.contains('\t') && !lone_cr
    }

    #[test]
    fn simple_chars_matches_its_definition_at_every_offset() {
        let specials = [
            "\t", "\r", "\r\n", "\n", "\u{0}", "\u{1f}", "\u{7f}", "\u{80}", "\u{85}", "\u{9f}",
            "\u{a0}", "\u{feff}", "\u{fffe}", "\u{ffff}", "\u{fffd}", "（", "：", "ｱ", "é", "日本",
        ];
        for special in specials {
            // Every position around the 64-byte chunk edges.
            for pad in 0..70 {
                for tail in ["", "x", "\r"] {
                    let text = format!("{}{special}{tail}", "a".repeat(pad));
                    assert_eq!(
                        simple_chars(&text),
                        simple_chars_by_definition(&text),
                        "{text:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn find_pair_finds_the_first_pair() {
        assert_eq!(find_pair("a: b: c", b':', b' '), Some(1));
        assert_eq!(find_pair("a:b: c", b':', b' '), Some(3));
        assert_eq!(find_pair("日本 #x", b' ', b'#'), Some(6));
        assert_eq!(find_pair("a#b", b' ', b'#'), None);
        assert_eq!(find_pair("a:", b':', b' '), None);
    }
}

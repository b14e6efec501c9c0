//! IMAP commands (RFC 9051 §6, with what RFC 3501 clients still send), read from one framed
//! command ([`super::reader`]): a tag, a command name in any case, and its arguments —
//! atoms, quoted strings, literals, parenthesized lists, sequence sets.
//!
//! A command that cannot be read gets a [`ParseError`] that keeps its tag when there is one,
//! so the server can answer `tag BAD …` (or `* BAD …` when not even a tag was found), and
//! says in words what was expected.

use std::fmt;

/// One number or range of a sequence set; `None` stands for `*`, the largest number in use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeqRange {
    pub from: Option<u32>,
    pub to: Option<u32>,
}

/// A sequence set such as `1:3,7,10:*` (RFC 9051 §9, `sequence-set`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SequenceSet(pub Vec<SeqRange>);

impl SequenceSet {
    /// Whether `number` is in the set when the largest number in use is `largest`.
    pub fn contains(&self, number: u32, largest: u32) -> bool {
        self.0.iter().any(|range| {
            let from = range.from.unwrap_or(largest);
            let to = range.to.unwrap_or(largest);
            let (low, high) = if from <= to { (from, to) } else { (to, from) };
            (low..=high).contains(&number)
        })
    }
}

/// What FETCH asks for (RFC 9051 §6.4.5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchItem {
    Flags,
    Uid,
    InternalDate,
    Rfc822Size,
    Envelope,
    /// `BODY[section]` or, with `peek`, `BODY.PEEK[section]` (which leaves `\Seen` alone).
    Body {
        section: Section,
        peek: bool,
    },
    /// RFC 3501's `RFC822` (the whole message), `RFC822.HEADER` (which leaves `\Seen` alone)
    /// and `RFC822.TEXT`, answered under the same names.
    Rfc822(Section),
}

/// The part of a message a `BODY[…]` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// `[]`: the whole message.
    Whole,
    /// `[HEADER]`.
    Header,
    /// `[TEXT]`: the body without the header.
    Text,
}

/// How STORE changes flags (RFC 9051 §6.4.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreMode {
    Replace,
    Add,
    Remove,
}

/// A search key (RFC 9051 §6.4.4), the common ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchKey {
    All,
    /// A system flag set (`SEEN`, `ANSWERED`, …) or, with `set: false`, not set (`UNSEEN` …).
    Flag {
        flag: String,
        set: bool,
    },
    From(String),
    To(String),
    Subject(String),
    Body(String),
    Text(String),
    Larger(u32),
    Smaller(u32),
    Uid(SequenceSet),
    Sequence(SequenceSet),
    Not(Box<SearchKey>),
    Or(Box<SearchKey>, Box<SearchKey>),
    /// Every key of the list must match.
    And(Vec<SearchKey>),
}

/// A command and its arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommandKind {
    Capability,
    Noop,
    Logout,
    Login {
        user: String,
        password: String,
    },
    /// `AUTHENTICATE PLAIN`, with the initial response if the client sent one (RFC 4959).
    AuthenticatePlain {
        initial: Option<String>,
    },
    Select(String),
    Examine(String),
    List {
        reference: String,
        pattern: String,
    },
    Status {
        mailbox: String,
        items: Vec<String>,
    },
    Create(String),
    Delete(String),
    Rename {
        from: String,
        to: String,
    },
    Subscribe(String),
    Unsubscribe(String),
    Append {
        mailbox: String,
        flags: Vec<String>,
        message: Vec<u8>,
    },
    Close,
    Unselect,
    Expunge,
    Search {
        keys: SearchKey,
        uid: bool,
    },
    Fetch {
        set: SequenceSet,
        items: Vec<FetchItem>,
        uid: bool,
    },
    Store {
        set: SequenceSet,
        mode: StoreMode,
        silent: bool,
        flags: Vec<String>,
        uid: bool,
    },
    Copy {
        set: SequenceSet,
        mailbox: String,
        uid: bool,
    },
    Move {
        set: SequenceSet,
        mailbox: String,
        uid: bool,
    },
    Idle,
}

/// A command with its tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    pub tag: String,
    pub kind: CommandKind,
}

/// Why a command could not be read; the server answers `BAD` with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// The command's tag, if one could be read.
    pub tag: Option<String>,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Reads one framed command.
pub fn parse(command: &[u8]) -> Result<Command, ParseError> {
    let mut input = Input {
        bytes: command,
        at: 0,
    };
    let tag = input
        .tag()
        .map_err(|message| ParseError { tag: None, message })?;
    let with_tag = |message: String| ParseError {
        tag: Some(tag.clone()),
        message,
    };
    if input.at_end() {
        // A lone word: most likely a command typed without its tag.
        return Err(with_tag(format!(
            "a command starts with a tag, e.g. a1 {}",
            tag.to_ascii_uppercase()
        )));
    }
    input.space().map_err(with_tag)?;
    let kind = command_kind(&mut input).map_err(with_tag)?;
    if !input.at_end() {
        return Err(with_tag(format!(
            "unexpected text after the command: {}",
            input.rest_shown()
        )));
    }
    Ok(Command { tag, kind })
}

fn command_kind(input: &mut Input) -> Result<CommandKind, String> {
    let name = input.atom()?.to_ascii_uppercase();
    let mut uid = false;
    let name = if name == "UID" {
        uid = true;
        input.space()?;
        input.atom()?.to_ascii_uppercase()
    } else {
        name
    };
    if uid
        && !matches!(
            name.as_str(),
            "FETCH" | "STORE" | "SEARCH" | "COPY" | "MOVE" | "EXPUNGE"
        )
    {
        return Err(format!(
            "UID goes only before FETCH, STORE, SEARCH, COPY, MOVE or EXPUNGE, not {name}"
        ));
    }
    let kind = match name.as_str() {
        "CAPABILITY" => CommandKind::Capability,
        "NOOP" => CommandKind::Noop,
        "LOGOUT" => CommandKind::Logout,
        "LOGIN" => {
            let user = input.spaced_astring("LOGIN user password")?;
            let password = input.spaced_astring("LOGIN user password")?;
            CommandKind::Login { user, password }
        }
        "AUTHENTICATE" => {
            input.space()?;
            let mechanism = input.atom()?.to_ascii_uppercase();
            if mechanism != "PLAIN" {
                return Err(format!(
                    "the mechanism {mechanism} is not offered; use PLAIN"
                ));
            }
            let initial = if input.peek() == Some(b' ') {
                input.space()?;
                Some(input.atom()?)
            } else {
                None
            };
            CommandKind::AuthenticatePlain { initial }
        }
        "SELECT" => CommandKind::Select(input.spaced_mailbox("SELECT mailbox")?),
        "EXAMINE" => CommandKind::Examine(input.spaced_mailbox("EXAMINE mailbox")?),
        "CREATE" => CommandKind::Create(input.spaced_mailbox("CREATE mailbox")?),
        "DELETE" => CommandKind::Delete(input.spaced_mailbox("DELETE mailbox")?),
        "SUBSCRIBE" => CommandKind::Subscribe(input.spaced_mailbox("SUBSCRIBE mailbox")?),
        "UNSUBSCRIBE" => CommandKind::Unsubscribe(input.spaced_mailbox("UNSUBSCRIBE mailbox")?),
        "RENAME" => {
            let from = input.spaced_mailbox("RENAME from to")?;
            let to = input.spaced_mailbox("RENAME from to")?;
            CommandKind::Rename { from, to }
        }
        "LIST" => {
            let reference = input.spaced_astring("LIST reference pattern")?;
            input.space()?;
            let pattern = input.list_pattern()?;
            CommandKind::List { reference, pattern }
        }
        "STATUS" => {
            let mailbox = input.spaced_mailbox("STATUS mailbox (items)")?;
            input.space()?;
            let items = input
                .atom_list()?
                .into_iter()
                .map(|item| item.to_ascii_uppercase())
                .collect();
            CommandKind::Status { mailbox, items }
        }
        "APPEND" => {
            let mailbox = input.spaced_mailbox("APPEND mailbox [(flags)] {size}")?;
            input.space()?;
            let flags = if input.peek() == Some(b'(') {
                let flags = input.atom_list()?;
                input.space()?;
                flags
            } else {
                Vec::new()
            };
            if input.peek() == Some(b'"') {
                // A date-time (RFC 9051 §6.3.12): read and set aside; the server stamps its own.
                input.quoted()?;
                input.space()?;
            }
            let message = input.literal()?;
            CommandKind::Append {
                mailbox,
                flags,
                message,
            }
        }
        "CLOSE" => CommandKind::Close,
        "UNSELECT" => CommandKind::Unselect,
        "EXPUNGE" => CommandKind::Expunge,
        "IDLE" => CommandKind::Idle,
        "SEARCH" => {
            let mut keys = Vec::new();
            while input.peek() == Some(b' ') {
                input.space()?;
                keys.push(search_key(input)?);
            }
            if keys.is_empty() {
                return Err("SEARCH needs a key, e.g. SEARCH UNSEEN".into());
            }
            let keys = if keys.len() == 1 {
                keys.remove(0)
            } else {
                SearchKey::And(keys)
            };
            CommandKind::Search { keys, uid }
        }
        "FETCH" => {
            input.space()?;
            let set = input.sequence_set()?;
            input.space()?;
            let items = fetch_items(input)?;
            CommandKind::Fetch { set, items, uid }
        }
        "STORE" => {
            input.space()?;
            let set = input.sequence_set()?;
            input.space()?;
            let item = input.atom()?.to_ascii_uppercase();
            let (mode, rest) = match item.as_bytes().first() {
                Some(b'+') => (StoreMode::Add, &item[1..]),
                Some(b'-') => (StoreMode::Remove, &item[1..]),
                _ => (StoreMode::Replace, &item[..]),
            };
            let silent = match rest {
                "FLAGS" => false,
                "FLAGS.SILENT" => true,
                _ => return Err(format!("STORE takes FLAGS, +FLAGS or -FLAGS, not {item}")),
            };
            input.space()?;
            let flags = if input.peek() == Some(b'(') {
                input.atom_list()?
            } else {
                let mut flags = vec![input.flag_atom()?];
                while input.peek() == Some(b' ') {
                    input.space()?;
                    flags.push(input.flag_atom()?);
                }
                flags
            };
            CommandKind::Store {
                set,
                mode,
                silent,
                flags,
                uid,
            }
        }
        "COPY" | "MOVE" => {
            input.space()?;
            let set = input.sequence_set()?;
            let mailbox = input.spaced_mailbox("COPY set mailbox")?;
            if name == "COPY" {
                CommandKind::Copy { set, mailbox, uid }
            } else {
                CommandKind::Move { set, mailbox, uid }
            }
        }
        other => return Err(format!("unknown command {other}")),
    };
    Ok(kind)
}

fn fetch_items(input: &mut Input) -> Result<Vec<FetchItem>, String> {
    if input.peek() == Some(b'(') {
        input.expect(b'(')?;
        let mut items = vec![fetch_item(input)?];
        while input.peek() == Some(b' ') {
            input.space()?;
            items.extend(fetch_item_or_macro(input)?);
        }
        input.expect(b')')?;
        Ok(items)
    } else {
        fetch_item_or_macro(input)
    }
}

fn fetch_item_or_macro(input: &mut Input) -> Result<Vec<FetchItem>, String> {
    let start = input.at;
    let word = input.atom()?.to_ascii_uppercase();
    use FetchItem::*;
    // The macros of RFC 9051 §6.4.5.
    Ok(match word.as_str() {
        "ALL" => vec![Flags, InternalDate, Rfc822Size, Envelope],
        "FAST" => vec![Flags, InternalDate, Rfc822Size],
        "FULL" => vec![Flags, InternalDate, Rfc822Size, Envelope],
        _ => {
            input.at = start;
            vec![fetch_item(input)?]
        }
    })
}

fn fetch_item(input: &mut Input) -> Result<FetchItem, String> {
    let word = input.atom()?.to_ascii_uppercase();
    let body = |section, peek| FetchItem::Body { section, peek };
    Ok(match word.as_str() {
        "FLAGS" => FetchItem::Flags,
        "UID" => FetchItem::Uid,
        "INTERNALDATE" => FetchItem::InternalDate,
        "RFC822.SIZE" => FetchItem::Rfc822Size,
        "ENVELOPE" => FetchItem::Envelope,
        // RFC 3501's names, still sent by older clients.
        "RFC822" => FetchItem::Rfc822(Section::Whole),
        "RFC822.HEADER" => FetchItem::Rfc822(Section::Header),
        "RFC822.TEXT" => FetchItem::Rfc822(Section::Text),
        "BODY[]" => body(Section::Whole, false),
        "BODY.PEEK[]" => body(Section::Whole, true),
        "BODY[HEADER]" => body(Section::Header, false),
        "BODY.PEEK[HEADER]" => body(Section::Header, true),
        "BODY[TEXT]" => body(Section::Text, false),
        "BODY.PEEK[TEXT]" => body(Section::Text, true),
        other => return Err(format!("FETCH does not know {other}")),
    })
}

fn search_key(input: &mut Input) -> Result<SearchKey, String> {
    if input.peek() == Some(b'(') {
        input.expect(b'(')?;
        let mut keys = vec![search_key(input)?];
        while input.peek() == Some(b' ') {
            input.space()?;
            keys.push(search_key(input)?);
        }
        input.expect(b')')?;
        return Ok(SearchKey::And(keys));
    }
    if input
        .peek()
        .is_some_and(|b| b.is_ascii_digit() || b == b'*')
    {
        return Ok(SearchKey::Sequence(input.sequence_set()?));
    }
    let word = input.atom()?.to_ascii_uppercase();
    let flag = |flag: &str, set| SearchKey::Flag {
        flag: flag.to_string(),
        set,
    };
    let text = |input: &mut Input| -> Result<String, String> {
        input.space()?;
        input.astring()
    };
    Ok(match word.as_str() {
        "ALL" => SearchKey::All,
        "SEEN" => flag("\\Seen", true),
        "UNSEEN" => flag("\\Seen", false),
        "ANSWERED" => flag("\\Answered", true),
        "UNANSWERED" => flag("\\Answered", false),
        "FLAGGED" => flag("\\Flagged", true),
        "UNFLAGGED" => flag("\\Flagged", false),
        "DELETED" => flag("\\Deleted", true),
        "UNDELETED" => flag("\\Deleted", false),
        "DRAFT" => flag("\\Draft", true),
        "UNDRAFT" => flag("\\Draft", false),
        "FROM" => SearchKey::From(text(input)?),
        "TO" => SearchKey::To(text(input)?),
        "SUBJECT" => SearchKey::Subject(text(input)?),
        "BODY" => SearchKey::Body(text(input)?),
        "TEXT" => SearchKey::Text(text(input)?),
        "LARGER" => {
            input.space()?;
            SearchKey::Larger(input.number()?)
        }
        "SMALLER" => {
            input.space()?;
            SearchKey::Smaller(input.number()?)
        }
        "UID" => {
            input.space()?;
            SearchKey::Uid(input.sequence_set()?)
        }
        "NOT" => {
            input.space()?;
            SearchKey::Not(Box::new(search_key(input)?))
        }
        "OR" => {
            input.space()?;
            let first = search_key(input)?;
            input.space()?;
            SearchKey::Or(Box::new(first), Box::new(search_key(input)?))
        }
        other => return Err(format!("SEARCH does not know the key {other}")),
    })
}

/// The bytes of one command and a position in them.
struct Input<'a> {
    bytes: &'a [u8],
    at: usize,
}

/// Characters that end an atom (RFC 9051 §9: `atom-specials`, with `]` allowed in
/// `astring`s and `[`, `]` and `.` kept for FETCH's `BODY.PEEK[…]`).
fn is_atom_char(byte: u8) -> bool {
    byte > b' ' && byte < 0x7f && !b"(){%*\"\\".contains(&byte)
}

impl Input<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn at_end(&self) -> bool {
        self.at == self.bytes.len()
    }

    fn rest_shown(&self) -> String {
        String::from_utf8_lossy(&self.bytes[self.at..]).into_owned()
    }

    fn expect(&mut self, byte: u8) -> Result<(), String> {
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(format!(
                "expected {:?} at {:?}",
                byte as char,
                self.rest_shown()
            ))
        }
    }

    fn space(&mut self) -> Result<(), String> {
        match self.peek() {
            Some(b' ') => {
                self.at += 1;
                Ok(())
            }
            None => Err("the command ends too early".into()),
            Some(_) => Err(format!("expected one space at {:?}", self.rest_shown())),
        }
    }

    /// A tag: atom characters other than `+`.
    fn tag(&mut self) -> Result<String, String> {
        let start = self.at;
        while self.peek().is_some_and(|b| is_atom_char(b) && b != b'+') {
            self.at += 1;
        }
        if self.at == start {
            return Err("a command starts with a tag, e.g. a1 CAPABILITY".into());
        }
        Ok(String::from_utf8_lossy(&self.bytes[start..self.at]).into_owned())
    }

    fn atom(&mut self) -> Result<String, String> {
        let start = self.at;
        while self.peek().is_some_and(is_atom_char) {
            self.at += 1;
        }
        if self.at == start {
            return Err(format!("expected a word at {:?}", self.rest_shown()));
        }
        Ok(String::from_utf8_lossy(&self.bytes[start..self.at]).into_owned())
    }

    fn number(&mut self) -> Result<u32, String> {
        let word = self.atom()?;
        word.parse()
            .map_err(|_| format!("expected a number, not {word}"))
    }

    fn quoted(&mut self) -> Result<String, String> {
        self.expect(b'"')?;
        let mut text = Vec::new();
        loop {
            match self.peek() {
                None | Some(b'\r' | b'\n') => return Err("a quoted string is not closed".into()),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(String::from_utf8_lossy(&text).into_owned());
                }
                Some(b'\\') => {
                    self.at += 1;
                    match self.peek() {
                        Some(c @ (b'"' | b'\\')) => text.push(c),
                        _ => return Err("in a quoted string only \\\" and \\\\ are escapes".into()),
                    }
                    self.at += 1;
                }
                Some(c) => {
                    text.push(c);
                    self.at += 1;
                }
            }
        }
    }

    /// `{n}` or `{n+}`, CRLF, then n octets.
    fn literal(&mut self) -> Result<Vec<u8>, String> {
        self.expect(b'{')?;
        let start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        let size: usize = std::str::from_utf8(&self.bytes[start..self.at])
            .ok()
            .and_then(|digits| digits.parse().ok())
            .ok_or("a literal gives its size in digits, e.g. {12}")?;
        if self.peek() == Some(b'+') {
            self.at += 1;
        }
        self.expect(b'}')?;
        if self.peek() == Some(b'\r') {
            self.at += 1;
        }
        self.expect(b'\n')?;
        let end = self.at + size;
        let data = self
            .bytes
            .get(self.at..end)
            .ok_or("the literal has fewer octets than it announced")?
            .to_vec();
        self.at = end;
        Ok(data)
    }

    fn astring(&mut self) -> Result<String, String> {
        match self.peek() {
            Some(b'"') => self.quoted(),
            Some(b'{') => Ok(String::from_utf8_lossy(&self.literal()?).into_owned()),
            _ => self.atom(),
        }
    }

    /// A space and an astring; when either is missing, the error shows the usage.
    fn spaced_astring(&mut self, usage: &str) -> Result<String, String> {
        self.space().map_err(|_| format!("use: {usage}"))?;
        if self.at_end() || self.peek() == Some(b' ') {
            return Err(format!("use: {usage}"));
        }
        self.astring()
    }

    /// A mailbox name; `INBOX` in any case is the inbox (RFC 9051 §5.1).
    fn spaced_mailbox(&mut self, usage: &str) -> Result<String, String> {
        let name = self.spaced_astring(usage)?;
        Ok(if name.eq_ignore_ascii_case("INBOX") {
            "INBOX".into()
        } else {
            name
        })
    }

    /// LIST's pattern: a string, or atom characters with the wildcards `%` and `*`.
    fn list_pattern(&mut self) -> Result<String, String> {
        if matches!(self.peek(), Some(b'"' | b'{')) {
            return self.astring();
        }
        let start = self.at;
        while self
            .peek()
            .is_some_and(|b| is_atom_char(b) || b == b'%' || b == b'*')
        {
            self.at += 1;
        }
        if self.at == start {
            return Err("use: LIST \"\" \"*\"".into());
        }
        Ok(String::from_utf8_lossy(&self.bytes[start..self.at]).into_owned())
    }

    /// `(a b c)`; flags such as `\Seen` are atoms here.
    fn atom_list(&mut self) -> Result<Vec<String>, String> {
        self.expect(b'(')?;
        let mut items = Vec::new();
        while self.peek() != Some(b')') {
            if !items.is_empty() {
                self.space()?;
            }
            items.push(self.flag_atom()?);
        }
        self.expect(b')')?;
        Ok(items)
    }

    /// An atom that may start with `\` (a system flag).
    fn flag_atom(&mut self) -> Result<String, String> {
        if self.peek() == Some(b'\\') {
            self.at += 1;
            return Ok(format!("\\{}", self.atom()?));
        }
        self.atom()
    }

    fn sequence_set(&mut self) -> Result<SequenceSet, String> {
        let mut ranges = Vec::new();
        loop {
            let from = self.seq_number()?;
            let to = if self.peek() == Some(b':') {
                self.at += 1;
                self.seq_number()?
            } else {
                from
            };
            ranges.push(SeqRange { from, to });
            if self.peek() != Some(b',') {
                return Ok(SequenceSet(ranges));
            }
            self.at += 1;
        }
    }

    fn seq_number(&mut self) -> Result<Option<u32>, String> {
        if self.peek() == Some(b'*') {
            self.at += 1;
            return Ok(None);
        }
        let start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        match std::str::from_utf8(&self.bytes[start..self.at])
            .ok()
            .and_then(|digits| digits.parse::<u32>().ok())
        {
            Some(0) | None => Err(format!(
                "expected a message number from 1 (or *), at {:?}",
                String::from_utf8_lossy(&self.bytes[start..])
            )),
            Some(n) => Ok(Some(n)),
        }
    }
}

#[cfg(test)]
mod tests;

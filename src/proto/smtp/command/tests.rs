//! The parser against the grammar of RFC 5321 §4.1 and the limits of §4.5.3.1, one fact per test.

use super::grammar::is_local_part;
use super::*;

fn parse(line: &str) -> Result<Command, CommandError> {
    parse_command(line.as_bytes())
}

fn kind(line: &str) -> CommandErrorKind {
    parse(line).expect_err(line).kind
}

fn mailbox(local: &str, domain: &str) -> Mailbox {
    Mailbox {
        local: local.into(),
        domain: domain.into(),
    }
}

#[test]
fn verbs_are_case_insensitive() {
    for line in ["quit", "QUIT", "QuIt"] {
        assert_eq!(parse(line), Ok(Command::Quit));
    }
    assert_eq!(parse("starttls"), Ok(Command::StartTls));
}

#[test]
fn every_verb_round_trips_its_name() {
    for verb in Verb::ALL {
        assert_eq!(Verb::from_word(verb.name().as_bytes()), Some(verb));
        assert_eq!(
            Verb::from_word(verb.name().to_lowercase().as_bytes()),
            Some(verb)
        );
        assert!(verb.syntax().starts_with(verb.name()));
        assert!(verb.keyword().starts_with(verb.name()));
    }
}

#[test]
fn verbs_do_not_match_non_letters_that_fold_alike() {
    assert_eq!(Verb::from_word(b"H\x05LO"), None);
    assert_eq!(Verb::from_word(b"HEL"), None);
    assert_eq!(Verb::from_word(b"HELOO"), None);
}

#[test]
fn unknown_command_is_named() {
    let error = parse("FOO bar").expect_err("unknown");
    assert_eq!(error.kind, CommandErrorKind::Unknown);
    assert_eq!(error.verb, None);
    assert!(error.to_string().contains("FOO"));
    assert_eq!(kind(""), CommandErrorKind::Unknown);
    assert_eq!(kind(" QUIT"), CommandErrorKind::Unknown);
}

#[test]
fn helo_and_ehlo_take_one_domain() {
    assert_eq!(
        parse("EHLO laptop-ani.alpha.example"),
        Ok(Command::Ehlo {
            domain: "laptop-ani.alpha.example".into()
        })
    );
    assert_eq!(
        parse("HELO localhost"),
        Ok(Command::Helo {
            domain: "localhost".into()
        })
    );
    assert_eq!(
        parse("EHLO [192.0.2.10]"),
        Ok(Command::Ehlo {
            domain: "[192.0.2.10]".into()
        })
    );
    assert_eq!(
        parse("EHLO [IPv6:2001:db8::1]"),
        Ok(Command::Ehlo {
            domain: "[IPv6:2001:db8::1]".into()
        })
    );
    assert_eq!(
        parse("EHLO DESKTOP_42"),
        Ok(Command::Ehlo {
            domain: "DESKTOP_42".into()
        })
    );
}

#[test]
fn helo_errors_teach_the_syntax() {
    for line in [
        "EHLO",
        "HELO",
        "EHLO a b",
        "EHLO -bad-",
        "EHLO a..b",
        "EHLO [999.1.1.1]",
        "EHLO x/y",
    ] {
        let error = parse(line).expect_err(line);
        assert_eq!(error.kind, CommandErrorKind::Syntax, "{line}");
        assert!(error.to_string().starts_with("Syntax: "), "{line}: {error}");
    }
}

#[test]
fn mail_from_with_parameters() {
    assert_eq!(
        parse("MAIL FROM:<ani@alpha.example> SIZE=2048 BODY=8BITMIME"),
        Ok(Command::Mail {
            from: ReversePath::Mailbox(mailbox("ani", "alpha.example")),
            size: Some(2048),
            body_8bit: true,
            other_params: vec![]
        })
    );
    assert_eq!(
        parse("mail from:<>"),
        Ok(Command::Mail {
            from: ReversePath::Null,
            size: None,
            body_8bit: false,
            other_params: vec![]
        })
    );
    assert_eq!(
        parse("MAIL FROM:<a@b.example> BODY=7bit RET=HDRS"),
        Ok(Command::Mail {
            from: ReversePath::Mailbox(mailbox("a", "b.example")),
            size: None,
            body_8bit: false,
            other_params: vec!["RET=HDRS".into()]
        })
    );
}

#[test]
fn mail_from_is_lenient_about_a_space_after_the_colon() {
    assert!(matches!(
        parse("MAIL FROM: <ani@alpha.example>"),
        Ok(Command::Mail { .. })
    ));
}

#[test]
fn mail_from_source_route_is_ignored() {
    assert!(
        matches!(parse("MAIL FROM:<@relay.example,@x.example:ani@alpha.example>"),
        Ok(Command::Mail { from: ReversePath::Mailbox(m), .. }) if m == mailbox("ani", "alpha.example"))
    );
}

#[test]
fn mail_syntax_errors_show_the_expected_syntax() {
    for line in [
        "MAIL",
        "MAIL ani@alpha.example",
        "MAIL FROM:ani@alpha.example",
        "MAIL FROM:<ani@alpha.example",
        "MAIL FROM:<ani@alpha.example>SIZE=1",
        "MAIL TO:<a@b.example>",
    ] {
        let error = parse(line).expect_err(line);
        assert_eq!(error.kind, CommandErrorKind::Syntax, "{line}");
        assert_eq!(error.verb, Some(Verb::Mail));
        assert!(
            error
                .to_string()
                .starts_with("Syntax: MAIL FROM:<reverse-path> [SP <mail-parameters>]"),
            "{error}"
        );
    }
}

#[test]
fn mail_bad_parameters() {
    for line in [
        "MAIL FROM:<a@b.example> SIZE=big",
        "MAIL FROM:<a@b.example> SIZE",
        "MAIL FROM:<a@b.example> SIZE=123456789012345678901",
        "MAIL FROM:<a@b.example> BODY=BINARY",
        "MAIL FROM:<a@b.example> =x",
        "MAIL FROM:<a@b.example> X=",
        "MAIL FROM:<a@b.example> SIZE=-1",
    ] {
        assert_eq!(kind(line), CommandErrorKind::BadParameter, "{line}");
    }
}

#[test]
fn address_limits_of_rfc_5321_section_4_5_3_1() {
    let local_64 = "a".repeat(64);
    assert!(parse(&format!("RCPT TO:<{local_64}@b.example>")).is_ok());
    assert_eq!(
        kind(&format!("RCPT TO:<{local_64}a@b.example>")),
        CommandErrorKind::BadAddress
    );
    let label = "d".repeat(63);
    let domain_255 = format!("{label}.{label}.{label}.{}", "d".repeat(63));
    assert_eq!(domain_255.len(), 255);
    // 1 + 1 + 255 + 2 = 259 > 256: the path limit bites before the domain limit.
    assert_eq!(
        kind(&format!("RCPT TO:<a@{domain_255}>")),
        CommandErrorKind::BadAddress
    );
    let domain_252 = &domain_255[3..];
    assert!(
        parse(&format!("RCPT TO:<a@{domain_252}>")).is_ok(),
        "path of exactly 256 octets"
    );
    assert_eq!(
        kind(&format!("RCPT TO:<ab@{domain_252}>")),
        CommandErrorKind::BadAddress
    );
}

#[test]
fn bad_address_syntax() {
    for line in [
        "RCPT TO:<budi>",
        "RCPT TO:<@beta.example>",
        "RCPT TO:<budi@>",
        "RCPT TO:<bu di@beta.example>",
        "RCPT TO:<budi@beta..example>",
        "RCPT TO:<a..b@beta.example>",
        "RCPT TO:<>",
        "RCPT TO:<büdi@beta.example>",
        "RCPT TO:<@relay.example>",
    ] {
        assert_eq!(kind(line), CommandErrorKind::BadAddress, "{line}");
    }
}

#[test]
fn quoted_local_parts_and_literals() {
    assert!(
        matches!(parse("RCPT TO:<\"ani b\"@alpha.example>"), Ok(Command::Rcpt { to: ForwardPath::Mailbox(m), .. }) if m.local == "\"ani b\"")
    );
    assert!(matches!(
        parse("RCPT TO:<\"a>b\"@alpha.example>"),
        Ok(Command::Rcpt { .. })
    ));
    assert!(matches!(
        parse("RCPT TO:<ani@[192.0.2.25]>"),
        Ok(Command::Rcpt { .. })
    ));
}

#[test]
fn rcpt_to_postmaster_without_domain() {
    assert_eq!(
        parse("RCPT TO:<Postmaster>"),
        Ok(Command::Rcpt {
            to: ForwardPath::Postmaster,
            params: vec![]
        })
    );
    assert_eq!(
        parse("rcpt to:<POSTMASTER>"),
        Ok(Command::Rcpt {
            to: ForwardPath::Postmaster,
            params: vec![]
        })
    );
}

#[test]
fn rcpt_keeps_parameters_for_the_server() {
    assert_eq!(
        parse("RCPT TO:<budi@beta.example> NOTIFY=NEVER"),
        Ok(Command::Rcpt {
            to: ForwardPath::Mailbox(mailbox("budi", "beta.example")),
            params: vec!["NOTIFY=NEVER".into()]
        })
    );
}

#[test]
fn rcpt_syntax_errors() {
    for line in [
        "RCPT",
        "RCPT <budi@beta.example>",
        "RCPT TO budi@beta.example",
        "RCPT TO:budi@beta.example",
    ] {
        let error = parse(line).expect_err(line);
        assert_eq!(error.kind, CommandErrorKind::Syntax, "{line}");
        assert!(
            error.to_string().contains("RCPT TO:<forward-path>"),
            "{error}"
        );
    }
}

#[test]
fn commands_without_arguments_refuse_them() {
    for line in ["DATA now", "RSET all", "QUIT please", "STARTTLS x"] {
        assert_eq!(kind(line), CommandErrorKind::Syntax, "{line}");
    }
    assert_eq!(parse("DATA "), Ok(Command::Data));
    assert_eq!(parse("NOOP anything goes"), Ok(Command::Noop));
}

#[test]
fn vrfy_expn_help() {
    assert_eq!(
        parse("VRFY ani"),
        Ok(Command::Vrfy {
            target: "ani".into()
        })
    );
    assert_eq!(
        parse("VRFY <ani@alpha.example>"),
        Ok(Command::Vrfy {
            target: "<ani@alpha.example>".into()
        })
    );
    assert_eq!(kind("VRFY"), CommandErrorKind::Syntax);
    assert_eq!(kind("EXPN  "), CommandErrorKind::Syntax);
    assert_eq!(
        parse("EXPN staff"),
        Ok(Command::Expn {
            list: "staff".into()
        })
    );
    assert_eq!(parse("HELP"), Ok(Command::Help { topic: None }));
    assert_eq!(
        parse("HELP mail"),
        Ok(Command::Help {
            topic: Some("mail".into())
        })
    );
}

#[test]
fn auth_mechanism_and_initial_response() {
    assert_eq!(
        parse("AUTH plain AGFuaQBhbmkxMjM="),
        Ok(Command::Auth {
            mechanism: "PLAIN".into(),
            initial_response: Some("AGFuaQBhbmkxMjM=".into())
        })
    );
    assert_eq!(
        parse("AUTH LOGIN"),
        Ok(Command::Auth {
            mechanism: "LOGIN".into(),
            initial_response: None
        })
    );
    for line in ["AUTH", "AUTH PLAIN a b", "AUTH PL@IN"] {
        assert_eq!(kind(line), CommandErrorKind::Syntax, "{line}");
    }
}

#[test]
fn a_one_octet_local_part_is_exactly_rfc_5322s_atext() {
    let specials = b"!#$%&'*+-/=?^_`{|}~";
    for byte in 0..=255u8 {
        assert_eq!(
            is_local_part(&[byte]),
            byte.is_ascii_alphanumeric() || specials.contains(&byte),
            "{byte}"
        );
    }
}

#[test]
fn line_too_long() {
    let line = format!("NOOP {}", "x".repeat(505));
    assert_eq!(line.len(), 510);
    assert!(parse(&line).is_ok());
    assert_eq!(kind(&format!("{line}x")), CommandErrorKind::LineTooLong);
}

#[test]
fn non_utf8_never_panics() {
    assert_eq!(
        parse_command(b"MAIL FROM:<\xff@x.example>")
            .expect_err("bad")
            .kind,
        CommandErrorKind::Syntax
    );
    assert_eq!(
        parse_command(b"\xff\xfe").expect_err("bad").kind,
        CommandErrorKind::Unknown
    );
    assert_eq!(
        parse_command(b"\xc3").expect_err("bad").kind,
        CommandErrorKind::Unknown
    );
}

#[test]
fn borrowed_parse_points_into_the_line() {
    let line = b"MAIL FROM:<ani@alpha.example> SIZE=2048 RET=HDRS ENVID=x";
    let Ok(CommandRef::Mail {
        from: ReversePathRef::Mailbox(sender),
        size,
        body_8bit,
        other_params,
    }) = parse_command_ref(line)
    else {
        panic!("a valid MAIL line");
    };
    let inside = line.as_ptr_range();
    for text in [sender.local, sender.domain] {
        assert!(inside.contains(&text.as_ptr()), "{text} is borrowed");
    }
    assert_eq!((sender.local, sender.domain), ("ani", "alpha.example"));
    assert_eq!((size, body_8bit), (Some(2048), false));
    assert_eq!(
        other_params.iter().collect::<Vec<_>>(),
        ["RET=HDRS", "ENVID=x"]
    );
}

#[test]
fn borrowed_mail_parameters_skip_size_and_body_only() {
    let command =
        parse_command_ref(b"MAIL FROM:<> size=1 Body=7BIT  X-A  SIZE=2 Y=1").expect("valid");
    let CommandRef::Mail {
        size, other_params, ..
    } = command
    else {
        panic!("{command:?}");
    };
    assert_eq!(size, Some(2), "the last SIZE counts");
    assert_eq!(other_params.first(), Some("X-A"));
    assert_eq!(other_params.iter().collect::<Vec<_>>(), ["X-A", "Y=1"]);
}

#[test]
fn borrowed_rcpt_keeps_every_parameter() {
    let command =
        parse_command_ref(b"RCPT TO:<budi@beta.example> NOTIFY=NEVER SIZE=1").expect("valid");
    let CommandRef::Rcpt { params, .. } = command else {
        panic!("{command:?}");
    };
    assert_eq!(
        params.iter().collect::<Vec<_>>(),
        ["NOTIFY=NEVER", "SIZE=1"]
    );
}

#[test]
fn borrowed_auth_keeps_the_mechanism_as_typed_and_owned_upper_cases_it() {
    let command = parse_command_ref(b"AUTH plain =").expect("valid");
    assert_eq!(
        command,
        CommandRef::Auth {
            mechanism: "plain",
            initial_response: Some("=")
        }
    );
    assert!(
        matches!(command.into_owned(), Command::Auth { mechanism, .. } if mechanism == "PLAIN")
    );
}

#[test]
fn error_detail_is_the_message_without_the_syntax() {
    let error = parse("MAIL FROM:<a@b.example> X=").expect_err("bad parameter");
    assert_eq!(
        error.detail().to_string(),
        "\"X=\" is not a parameter: write KEYWORD or KEYWORD=value"
    );
    assert_eq!(
        error.to_string(),
        format!("Syntax: {} ({})", Verb::Mail.syntax(), error.detail())
    );
    let long_word = "X".repeat(60);
    let error = parse(&long_word).expect_err("unknown");
    assert_eq!(
        error.to_string(),
        format!("Command not recognized: \"{}\"", "X".repeat(40))
    );
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    fn atom() -> impl Strategy<Value = String> {
        "[a-zA-Z0-9+_-]{1,8}"
    }

    fn label() -> impl Strategy<Value = String> {
        "[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?"
    }

    fn domain() -> impl Strategy<Value = String> {
        prop::collection::vec(label(), 2..5).prop_map(|labels| labels.join("."))
    }

    fn mailbox() -> impl Strategy<Value = Mailbox> {
        (prop::collection::vec(atom(), 1..4), domain()).prop_map(|(atoms, domain)| Mailbox {
            local: atoms.join("."),
            domain,
        })
    }

    /// A keyword as a learner might type it: upper, lower or mixed case.
    fn spelled(keyword: &'static str) -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            keyword.to_string(),
            keyword.to_ascii_lowercase(),
            keyword
                .char_indices()
                .map(|(i, c)| {
                    if i % 2 == 0 {
                        c.to_ascii_lowercase()
                    } else {
                        c
                    }
                })
                .collect(),
        ])
    }

    /// A valid command line and the command it must parse to.
    fn valid_command() -> impl Strategy<Value = (String, Command)> {
        prop_oneof![
            (spelled("EHLO"), domain())
                .prop_map(|(kw, domain)| (format!("{kw} {domain}"), Command::Ehlo { domain })),
            (spelled("HELO"), domain())
                .prop_map(|(kw, domain)| (format!("{kw} {domain}"), Command::Helo { domain })),
            (
                spelled("MAIL FROM:"),
                mailbox(),
                prop::option::of(0u64..100_000_000),
                any::<bool>()
            )
                .prop_map(|(kw, from, size, body_8bit)| {
                    let mut line = format!("{kw}<{from}>");
                    if let Some(size) = size {
                        line.push_str(&format!(" SIZE={size}"));
                    }
                    if body_8bit {
                        line.push_str(" BODY=8BITMIME");
                    }
                    let command = Command::Mail {
                        from: ReversePath::Mailbox(from),
                        size,
                        body_8bit,
                        other_params: Vec::new(),
                    };
                    (line, command)
                }),
            (spelled("RCPT TO:"), mailbox()).prop_map(|(kw, to)| (
                format!("{kw}<{to}>"),
                Command::Rcpt {
                    to: ForwardPath::Mailbox(to),
                    params: Vec::new()
                }
            )),
            spelled("DATA").prop_map(|kw| (kw, Command::Data)),
            spelled("RSET").prop_map(|kw| (kw, Command::Rset)),
            spelled("QUIT").prop_map(|kw| (kw, Command::Quit)),
        ]
    }

    /// Lines that look like commands: a verb, then text made of the characters the grammar cares about.
    fn command_like() -> impl Strategy<Value = Vec<u8>> {
        let verb = prop::sample::select(vec![
            "HELO ",
            "EHLO ",
            "MAIL FROM:",
            "mail from: ",
            "RCPT TO:",
            "rcpt to:",
            "DATA",
            "RSET",
            "NOOP ",
            "QUIT",
            "VRFY ",
            "EXPN ",
            "HELP ",
            "AUTH ",
            "STARTTLS",
            "MAIL ",
            "XYZZY ",
        ]);
        let alphabet = prop::sample::select(
            b"aZ09.-_@<>\"\\:=[] \t,+!\xc3\xa9\xffIPv6SIZEBODY8BITMIME7BITPostmaster".to_vec(),
        );
        (verb, prop::collection::vec(alphabet, 0..80)).prop_map(|(verb, tail)| {
            let mut line = verb.as_bytes().to_vec();
            line.extend(tail);
            line
        })
    }

    /// What holds for any line: no panic, the borrowed and owned forms agree, and an error is
    /// one printable line that names the syntax of the verb it blames.
    fn holds_for(line: &[u8]) {
        let owned = parse_command(line);
        assert_eq!(parse_command_ref(line).map(CommandRef::into_owned), owned);
        if let Err(error) = owned {
            let text = error.to_string();
            assert!(!text.is_empty() && !text.contains(['\r', '\n']), "{text:?}");
            if let (Some(verb), CommandErrorKind::Syntax) = (error.verb, error.kind) {
                assert!(
                    text.contains(verb.syntax()),
                    "{text:?} lacks {}",
                    verb.syntax()
                );
            }
        }
    }

    proptest! {
        #[test]
        fn valid_commands_parse_to_what_they_say((line, expected) in valid_command()) {
            prop_assert_eq!(parse_command(line.as_bytes()), Ok(expected));
        }

        #[test]
        fn command_like_lines_never_break_the_parser(line in command_like()) {
            holds_for(&line);
        }

        #[test]
        fn any_bytes_never_break_the_parser(line in prop::collection::vec(any::<u8>(), 0..600)) {
            holds_for(&line);
        }
    }
}

use super::*;
use crate::lesson::model::LessonWorld;
use crate::lesson::moves::{Move, Sandbox};

fn sandbox() -> Sandbox {
    Sandbox::new(&LessonWorld {
        seed: 3,
        edits: Vec::new(),
    })
    .unwrap()
}

fn typed(sandbox: &mut Sandbox, lines: &[&str]) {
    let lines = lines.iter().map(|l| l.to_string()).collect();
    sandbox.play(&Move::Type { lines }).unwrap();
}

fn holds(sandbox: &Sandbox, json: &str) -> bool {
    let check: Check = serde_json::from_str(json).unwrap();
    check.holds(&Observed::all(&sandbox.world, &sandbox.learner))
}

#[test]
fn a_reply_counts_only_after_the_command_it_answers() {
    let mut s = sandbox();
    typed(
        &mut s,
        &[
            "telnet mx1.beta.example 25",
            "EHLO laptop-ani.alpha.example",
        ],
    );
    assert!(holds(&s, r#"{"kind":"smtp_reply","code":220}"#));
    assert!(holds(
        &s,
        r#"{"kind":"smtp_reply","code":250,"after":"EHLO"}"#
    ));
    assert!(!holds(
        &s,
        r#"{"kind":"smtp_reply","code":250,"after":"MAIL FROM"}"#
    ));
    assert!(holds(
        &s,
        r#"{"kind":"smtp_command","verb":"ehlo","from":"laptop-ani"}"#
    ));
    assert!(!holds(
        &s,
        r#"{"kind":"smtp_command","verb":"EHLO","from":"laptop-budi"}"#
    ));
}

#[test]
fn data_accepted_needs_the_250_after_354_and_not_a_refusal() {
    let mut s = sandbox();
    typed(
        &mut s,
        &[
            "telnet mx1.beta.example 25",
            "EHLO laptop-ani.alpha.example",
            "MAIL FROM:<ani@alpha.example>",
            "RCPT TO:<budi@beta.example>",
            "DATA",
        ],
    );
    let accepted = r#"{"kind":"data_accepted","from":"laptop-ani"}"#;
    assert!(!holds(&s, accepted), "354 alone is not acceptance");
    typed(&mut s, &["Subject: x", "", "y", "."]);
    assert!(holds(&s, accepted));
    assert!(holds(
        &s,
        r#"{"kind":"data_accepted","server":"mx1.beta.example"}"#
    ));
    assert!(!holds(
        &s,
        r#"{"kind":"data_accepted","server":"mail.alpha.example"}"#
    ));
}

#[test]
fn a_wrong_order_is_seen_and_an_unknown_user_is_not_a_delivery() {
    let mut s = sandbox();
    typed(
        &mut s,
        &[
            "telnet mx1.beta.example 25",
            "EHLO laptop-ani.alpha.example",
            "RCPT TO:<budi@beta.example>",
            "MAIL FROM:<ani@alpha.example>",
            "RCPT TO:<nobody@beta.example>",
        ],
    );
    assert!(holds(
        &s,
        r#"{"kind":"smtp_reply","code":503,"after":"RCPT TO"}"#
    ));
    assert!(holds(&s, r#"{"kind":"smtp_reply","code":550}"#));
    assert!(!holds(
        &s,
        r#"{"kind":"smtp_reply","code":250,"after":"RCPT TO"}"#
    ));
    assert!(!holds(
        &s,
        r#"{"kind":"message_delivered","mailbox":"nobody@beta.example"}"#
    ));
}

#[test]
fn local_mail_crosses_no_router_and_relayed_mail_crosses_r2() {
    let mut s = sandbox();
    let send = |to: &str| Move::Send {
        to: vec![to.into()],
        subject: "Halo".into(),
        body: "Hai".into(),
    };
    s.play(&send("citra@alpha.example")).unwrap();
    assert!(holds(
        &s,
        r#"{"kind":"message_delivered","mailbox":"citra@alpha.example"}"#
    ));
    assert!(!holds(&s, r#"{"kind":"packet_forwarded","router":"r2"}"#));
    assert!(!holds(
        &s,
        r#"{"kind":"mx_lookup","domain":"beta.example"}"#
    ));
    s.play(&send("budi@beta.example")).unwrap();
    assert!(holds(&s, r#"{"kind":"packet_forwarded","router":"r2"}"#));
    assert!(holds(&s, r#"{"kind":"mx_lookup","domain":"beta.example"}"#));
    assert!(holds(
        &s,
        r#"{"kind":"message_relayed","next_hop":"mx1.beta.example"}"#
    ));
    assert!(holds(
        &s,
        r#"{"kind":"received_headers","mailbox":"budi@beta.example","count":2}"#
    ));
    assert!(!holds(
        &s,
        r#"{"kind":"received_headers","mailbox":"citra@alpha.example","count":2}"#
    ));
    assert!(!holds(
        &s,
        r#"{"kind":"packet_forwarded","router":"no-such-router"}"#
    ));
}

#[test]
fn pop3_and_imap_checks_tell_the_devices_apart() {
    let mut s = sandbox();
    s.play(&Move::Send {
        to: vec!["budi@beta.example".into()],
        subject: "Halo".into(),
        body: "Hai".into(),
    })
    .unwrap();
    let check = |device: &str, protocol| Move::CheckMail {
        device: device.into(),
        protocol,
        keep: false,
    };
    s.play(&check("laptop-budi", MailboxProtocol::Imap))
        .unwrap();
    s.play(&check("phone-budi", MailboxProtocol::Imap)).unwrap();
    let laptop_read = r#"{"kind":"device_messages","device":"laptop-budi","count":1,"read":true}"#;
    assert!(
        !holds(&s, laptop_read),
        "fetched with BODY.PEEK: still unread"
    );
    assert!(holds(
        &s,
        r#"{"kind":"mailbox_synced","device":"phone-budi","protocol":"imap"}"#
    ));
    assert!(!holds(
        &s,
        r#"{"kind":"mailbox_synced","device":"phone-budi","protocol":"pop3"}"#
    ));
    s.play(&Move::Open {
        device: "phone-budi".into(),
        index: 0,
    })
    .unwrap();
    assert!(holds(
        &s,
        r#"{"kind":"mailbox_changed","change":"read","by":"imap"}"#
    ));
    assert!(!holds(&s, laptop_read), "the laptop has not synced since");
    s.play(&check("laptop-budi", MailboxProtocol::Imap))
        .unwrap();
    assert!(holds(&s, laptop_read));
    assert!(!holds(
        &s,
        r#"{"kind":"mailbox_changed","change":"deleted","by":"pop3"}"#
    ));
    s.play(&check("laptop-budi", MailboxProtocol::Pop3))
        .unwrap();
    assert!(holds(
        &s,
        r#"{"kind":"mailbox_changed","change":"deleted","by":"pop3"}"#
    ));
}

const RELAY_SESSION: [&str; 3] = [
    "telnet relay.example 587",
    "EHLO laptop-ani.alpha.example",
    "AUTH PLAIN AGFuaQBhbmkxMjM=",
];

const ONE_MESSAGE: [&str; 6] = [
    "MAIL FROM:<ani@alpha.example>",
    "RCPT TO:<budi@beta.example>",
    "DATA",
    "Subject: x",
    "",
    ".",
];

#[test]
fn received_from_names_the_host_whose_address_a_server_took_the_message_from() {
    let mut s = sandbox();
    let via_relay =
        r#"{"kind":"received_from","mailbox":"budi@beta.example","host":"relay.example"}"#;
    let via_alpha =
        r#"{"kind":"received_from","mailbox":"budi@beta.example","host":"mail.alpha.example"}"#;
    s.play(&Move::Send {
        to: vec!["budi@beta.example".into()],
        subject: "Halo".into(),
        body: "Hai".into(),
    })
    .unwrap();
    assert!(holds(&s, via_alpha));
    assert!(!holds(&s, via_relay), "ani's own server sent it");
    assert!(holds(
        &s,
        r#"{"kind":"received_from","mailbox":"budi@beta.example","host":"laptop-ani"}"#
    ));
    assert!(
        !holds(
            &s,
            r#"{"kind":"received_from","mailbox":"budi@beta.example","host":"mx1.beta.example"}"#
        ),
        "the server that took it is in the by clause, not the from clause"
    );
    s.play(&Move::SendThrough {
        sender: "toko@toko.example".into(),
        server: "relay.example".into(),
        to: vec!["ani@alpha.example".into()],
        subject: "Promo".into(),
        body: "Diskon".into(),
    })
    .unwrap();
    assert!(
        !holds(&s, via_relay),
        "the relay's mail went to ani, not budi"
    );
    assert!(holds(
        &s,
        r#"{"kind":"received_from","mailbox":"ani@alpha.example","host":"relay.example"}"#
    ));
    assert!(!holds(
        &s,
        r#"{"kind":"received_from","mailbox":"ani@alpha.example","host":"no-such-host"}"#
    ));
    let connect = ["telnet mx1.beta.example 25", "EHLO [203.0.113.25]"];
    typed(&mut s, &[&connect[..], &ONE_MESSAGE, &["QUIT"]].concat());
    assert!(
        holds(
            &s,
            r#"{"kind":"data_accepted","server":"mx1.beta.example"}"#
        ),
        "mx1 took it"
    );
    assert!(
        !holds(&s, via_relay),
        "a HELO that claims the relay's address proves nothing"
    );
    let mut lines = RELAY_SESSION.to_vec();
    lines.extend(ONE_MESSAGE);
    typed(&mut s, &lines);
    assert!(holds(&s, via_relay));
}

#[test]
fn data_accepted_after_a_reply_needs_that_reply_first() {
    let mut s = sandbox();
    let retried = r#"{"kind":"data_accepted","server":"relay.example","after_reply":451}"#;
    let mut lines = RELAY_SESSION.to_vec();
    for _ in 0..5 {
        lines.extend(ONE_MESSAGE);
    }
    typed(&mut s, &lines);
    assert!(holds(
        &s,
        r#"{"kind":"data_accepted","server":"relay.example"}"#
    ));
    assert!(!holds(&s, retried), "five accepted, none refused yet");
    typed(&mut s, &["MAIL FROM:<ani@alpha.example>"]);
    assert!(holds(
        &s,
        r#"{"kind":"smtp_reply","code":451,"after":"MAIL FROM","from":"laptop-ani"}"#
    ));
    assert!(!holds(&s, retried), "refused, not yet taken");
    assert!(!holds(
        &s,
        r#"{"kind":"data_accepted","server":"mail.alpha.example","after_reply":451}"#
    ));
    s.play(&Move::Send {
        to: vec!["budi@beta.example".into()],
        subject: "Halo".into(),
        body: "Hai".into(),
    })
    .unwrap();
    assert!(holds(
        &s,
        r#"{"kind":"data_accepted","server":"mail.alpha.example","after_reply":451}"#
    ));
    assert!(
        !holds(
            &s,
            r#"{"kind":"data_accepted","server":"mail.alpha.example","after_reply":451,"from":"laptop-budi"}"#
        ),
        "the refusal was to laptop-ani"
    );
    assert!(!holds(&s, retried), "the relay still has not taken a sixth");
    s.play(&Move::Wait { minutes: 60 }).unwrap();
    typed(&mut s, &ONE_MESSAGE);
    assert!(holds(&s, retried));
}

#[test]
fn learner_actions_match_without_case_and_only_their_own_kind() {
    let mut s = sandbox();
    s.learner.push(LearnerAction::Inspected {
        protocol: "smtp".into(),
    });
    assert!(holds(
        &s,
        r#"{"kind":"learner","action":{"action":"inspected","protocol":"SMTP"}}"#
    ));
    assert!(!holds(
        &s,
        r#"{"kind":"learner","action":{"action":"inspected","protocol":"TCP"}}"#
    ));
    assert!(!holds(
        &s,
        r#"{"kind":"learner","action":{"action":"viewed","view":"smtp"}}"#
    ));
    let seen = Observed {
        world: &s.world,
        learner: &s.learner,
        from_event: 0,
        from_action: 1,
    };
    let check: Check = serde_json::from_str(
        r#"{"kind":"learner","action":{"action":"inspected","protocol":"SMTP"}}"#,
    )
    .unwrap();
    assert!(!check.holds(&seen), "done before the step began");
}

#[test]
fn unknown_kinds_and_fields_are_refused_when_read() {
    assert!(
        serde_json::from_str::<Check>(r#"{"kind":"smtp_reply","code":250,"afer":"EHLO"}"#).is_err()
    );
    assert!(serde_json::from_str::<Check>(r#"{"kind":"teleport"}"#).is_err());
    assert!(
        serde_json::from_str::<Check>(r#"{"kind":"mailbox_changed","change":"burnt"}"#).is_err()
    );
}

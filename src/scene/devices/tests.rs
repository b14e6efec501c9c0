use super::*;
use crate::sim::default_world::ani_presses_send;
use crate::sim::world::Applied;

const WORDS: DeviceWords = DeviceWords {
    empty: "nothing",
    folder_empty: "no messages here",
    from: "From",
    no_subject: "(none)",
    unread: "unread",
    read: "read",
    flagged: "flagged",
    actions: ["Read", "Flag", "Unflag", "Archive", "Delete"],
    last_session: "Last",
    session_ok: "ok",
    session_failed: "failed",
    checking: "checking",
};

/// A world where ani has sent budi one message with `subject` and it was delivered.
fn budi_has_mail(subject: &str) -> World {
    let mut world = World::default_world(3);
    let send = ani_presses_send(world.topology(), &["budi@beta.example"], subject, "Halo").unwrap();
    world.apply(send).unwrap();
    world.run_until_idle();
    world
}

fn run(world: &mut World, make: impl FnOnce(&World) -> Option<Command>) {
    let command = make(world).expect("a command");
    world.apply(command).unwrap();
    world.run_until_idle();
}

fn messages<'a>(world: &'a World, device: &str) -> &'a [DeviceMessage] {
    let host = world.topology().host_id(device).unwrap();
    &world.device_mail(host).unwrap().messages
}

#[test]
fn check_mail_is_a_session_to_budis_server_as_budi() {
    let world = World::default_world(1);
    let Some(Command::CheckMail {
        host,
        server,
        user,
        protocol,
        keep_on_server,
        actions,
        ..
    }) = check_mail(&world, "phone-budi", MailboxProtocol::Pop3, true)
    else {
        panic!("no CheckMail");
    };
    let topology = world.topology();
    assert_eq!(topology.host_name(host), "phone-budi");
    assert_eq!(topology.host_name(server), SERVER);
    assert_eq!(user, "budi");
    assert_eq!(protocol, MailboxProtocol::Pop3);
    assert!(keep_on_server);
    assert!(actions.is_empty());
    assert!(check_mail(&world, "no-such-device", MailboxProtocol::Imap, false).is_none());
}

#[test]
fn a_pop3_download_is_read_on_the_device_only_and_offers_nothing_else() {
    let mut world = budi_has_mail("Halo Budi");
    run(&mut world, |w| {
        check_mail(w, "laptop-budi", MailboxProtocol::Pop3, false)
    });
    let id = messages(&world, "laptop-budi")[0].id.clone();
    for action in [
        MessageAction::Flag,
        MessageAction::Archive,
        MessageAction::Delete,
    ] {
        assert!(message_command(&world, "laptop-budi", ("INBOX", &id), action).is_none());
    }
    let read = message_command(&world, "laptop-budi", ("INBOX", &id), MessageAction::Read);
    assert!(matches!(read, Some(Command::ReadOnDevice { .. })));
    assert_eq!(world.apply(read.unwrap()), Ok(Applied::Done));
    assert!(messages(&world, "laptop-budi")[0].is_seen());
    let html = device_markup(&world, "laptop-budi", &WORDS);
    assert!(html.contains("data-seen=\"true\""));
    assert!(!html.contains("data-act="), "nothing left to do: {html}");
    assert!(html.contains("<pre class=\"kr-device__body\">Halo</pre>"));
    assert_eq!(
        session_line(&world, "laptop-budi", &WORDS, Lang::En).unwrap(),
        "Last (POP3, ok): 1 downloaded, 1 deleted from the server, 0 left there"
    );
}

#[test]
fn imap_actions_are_done_on_the_server() {
    let mut world = budi_has_mail("Halo Budi");
    run(&mut world, |w| {
        check_mail(w, "phone-budi", MailboxProtocol::Imap, false)
    });
    let id = messages(&world, "phone-budi")[0].id.clone();
    let html = device_markup(&world, "phone-budi", &WORDS);
    for action in ["read", "flag", "archive", "delete"] {
        assert!(
            html.contains(&format!("data-act=\"{action}\"")),
            "{action}: {html}"
        );
    }
    assert!(html.contains("aria-label=\"Read — Halo Budi\""));
    assert!(html.contains(&format!("id=\"kr-phone-budi-read-INBOX-{id}\"")));
    assert!(
        html.contains("data-folder=\"INBOX\">INBOX <span class=\"kr-device__count\">(1)</span>")
    );

    run(&mut world, |w| {
        message_command(w, "phone-budi", ("INBOX", &id), MessageAction::Read)
    });
    run(&mut world, |w| {
        message_command(w, "phone-budi", ("INBOX", &id), MessageAction::Flag)
    });
    let phone = &messages(&world, "phone-budi")[0];
    assert!(phone.is_seen() && phone.flags.contains(FLAGGED));
    let html = device_markup(&world, "phone-budi", &WORDS);
    assert!(html.contains("data-act=\"unflag\"") && !html.contains("data-act=\"read\""));
    assert!(html.contains("⚑ flagged"));

    // The Archive folder does not exist yet: the move makes it, and the phone then shows it
    // there, under the UID it has in Archive, with nothing more to archive.
    run(&mut world, |w| {
        message_command(w, "phone-budi", ("INBOX", &id), MessageAction::Archive)
    });
    let phone = messages(&world, "phone-budi");
    assert_eq!(phone.len(), 1);
    assert_eq!(phone[0].folder, ARCHIVE);
    assert!(phone[0].is_seen() && phone[0].flags.contains(FLAGGED));
    let html = device_markup(&world, "phone-budi", &WORDS);
    let inbox = html.find("data-folder=\"INBOX\">INBOX").unwrap();
    let archive = html.find("data-folder=\"Archive\">Archive").unwrap();
    let empty = html.find("no messages here").unwrap();
    assert!(inbox < empty && empty < archive, "{html}");
    assert!(!html.contains("data-act=\"archive\""), "{html}");
    assert!(html.contains("data-act=\"delete\" data-folder=\"Archive\""));
    let archived = phone[0].id.clone();
    assert!(message_command(
        &world,
        "phone-budi",
        (ARCHIVE, &archived),
        MessageAction::Archive
    )
    .is_none());
    let mx1 = world.topology().host_id(SERVER).unwrap();
    let maildrop = world
        .mail_store(mx1)
        .unwrap()
        .maildrops()
        .get("budi@beta.example")
        .unwrap();
    assert!(maildrop.messages().is_empty());
    assert_eq!(maildrop.folder(ARCHIVE).unwrap().messages().len(), 1);
}

#[test]
fn imap_delete_removes_it_everywhere() {
    let mut world = budi_has_mail("Hapus saya");
    run(&mut world, |w| {
        check_mail(w, "laptop-budi", MailboxProtocol::Imap, false)
    });
    let id = messages(&world, "laptop-budi")[0].id.clone();
    run(&mut world, |w| {
        message_command(w, "laptop-budi", ("INBOX", &id), MessageAction::Delete)
    });
    assert!(messages(&world, "laptop-budi").is_empty());
    let html = device_markup(&world, "laptop-budi", &WORDS);
    assert!(html.contains("data-testid=\"device-empty\">no messages here"));
    assert!(session_line(&world, "laptop-budi", &WORDS, Lang::Id)
        .unwrap()
        .starts_with("Last (IMAP, ok): 0 "));
}

#[test]
fn a_device_that_never_checked_shows_nothing_and_a_busy_one_says_so() {
    let mut world = budi_has_mail("<b>Tebal</b>");
    assert_eq!(session_line(&world, "phone-budi", &WORDS, Lang::En), None);
    assert_eq!(
        device_markup(&world, "phone-budi", &WORDS),
        "<p class=\"kr-panel__empty\" data-testid=\"device-empty\">nothing</p>"
    );
    run(&mut world, |w| {
        check_mail(w, "phone-budi", MailboxProtocol::Imap, false)
    });
    world
        .apply(check_mail(&world, "phone-budi", MailboxProtocol::Imap, false).unwrap())
        .unwrap();
    let html = device_markup(&world, "phone-budi", &WORDS);
    assert_eq!(
        session_line(&world, "phone-budi", &WORDS, Lang::En).unwrap(),
        "checking"
    );
    assert!(html.contains(" aria-disabled=\"true\">"));
    assert!(html.contains("&lt;b&gt;Tebal&lt;/b&gt;") && !html.contains("<b>"));
}

#[test]
fn every_action_has_a_code_that_reads_back() {
    for action in MessageAction::ALL {
        assert_eq!(MessageAction::from_code(action.code()), Some(action));
    }
    assert_eq!(MessageAction::from_code("format"), None);
}

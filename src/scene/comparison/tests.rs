use super::*;
use crate::scene::devices::{check_mail, message_command, MessageAction};
use crate::sim::default_world::ani_presses_send;
use crate::sim::world::Command;

fn send_to_budi(world: &mut World) {
    let send = ani_presses_send(world.topology(), &["budi@beta.example"], "Halo", "Hai").unwrap();
    world.apply(send).unwrap();
    world.run_until_idle();
}

fn budi_has_mail() -> World {
    let mut world = World::default_world(2);
    send_to_budi(&mut world);
    world
}

fn run(world: &mut World, make: impl FnOnce(&World) -> Option<Command>) {
    let command = make(world).expect("a command");
    world.apply(command).unwrap();
    world.run_until_idle();
}

fn check(world: &mut World, device: &str, protocol: MailboxProtocol, keep: bool) {
    run(world, |w| check_mail(w, device, protocol, keep));
}

fn act(world: &mut World, device: &str, action: MessageAction) {
    let host = world.topology().host_id(device).unwrap();
    let message = &world.device_mail(host).unwrap().messages[0];
    let (folder, id) = (message.folder.clone(), message.id.clone());
    run(world, |w| {
        message_command(w, device, (&folder, &id), action)
    });
}

fn lit(world: &World, aspect: Aspect, protocol: usize) -> bool {
    experienced(world)[aspect as usize][protocol]
}

const SMTP: usize = 0;
const POP3: usize = 1;
const IMAP: usize = 2;

#[test]
fn nothing_is_lit_in_a_fresh_world() {
    assert_eq!(experienced(&World::default_world(1)), [[false; 3]; 6]);
}

#[test]
fn sending_mail_lights_smtp_and_nothing_of_reading() {
    let world = budi_has_mail();
    for aspect in [Aspect::Port, Aspect::Direction, Aspect::WhereKept] {
        assert!(lit(&world, aspect, SMTP), "{aspect:?}");
    }
    assert!(
        !lit(&world, Aspect::Offline, SMTP),
        "delivered at once: nothing queued"
    );
    assert!(experienced(&world)
        .iter()
        .all(|row| !row[POP3] && !row[IMAP]));
}

#[test]
fn pop3_download_and_delete_then_the_other_device_finds_nothing() {
    let mut world = budi_has_mail();
    check(&mut world, "laptop-budi", MailboxProtocol::Pop3, false);
    for aspect in [Aspect::Port, Aspect::Direction, Aspect::WhereKept] {
        assert!(lit(&world, aspect, POP3), "{aspect:?}");
    }
    assert!(
        !lit(&world, Aspect::SeveralDevices, POP3),
        "one device only so far"
    );
    assert!(!lit(&world, Aspect::Port, IMAP));
    // Near miss: the same device again is not a second device.
    check(&mut world, "laptop-budi", MailboxProtocol::Pop3, false);
    assert!(!lit(&world, Aspect::SeveralDevices, POP3));
    check(&mut world, "phone-budi", MailboxProtocol::Pop3, false);
    assert!(lit(&world, Aspect::SeveralDevices, POP3));
}

#[test]
fn pop3_left_on_the_server_deletes_nothing_and_reads_per_device() {
    let mut world = budi_has_mail();
    check(&mut world, "laptop-budi", MailboxProtocol::Pop3, true);
    check(&mut world, "phone-budi", MailboxProtocol::Pop3, true);
    assert!(!lit(&world, Aspect::WhereKept, POP3), "nothing deleted");
    assert!(
        !lit(&world, Aspect::SeveralDevices, POP3),
        "no deletion to miss"
    );
    assert!(!lit(&world, Aspect::Offline, POP3), "not read yet");
    act(&mut world, "laptop-budi", MessageAction::Read);
    assert!(lit(&world, Aspect::Offline, POP3));
    assert!(
        lit(&world, Aspect::FoldersAndFlags, POP3),
        "still unread on the phone"
    );
    assert!(experienced(&world).iter().all(|row| !row[IMAP]));
}

#[test]
fn a_pop3_message_read_where_no_other_device_has_it_lights_offline_only() {
    let mut world = budi_has_mail();
    check(&mut world, "laptop-budi", MailboxProtocol::Pop3, false);
    act(&mut world, "laptop-budi", MessageAction::Read);
    assert!(lit(&world, Aspect::Offline, POP3));
    assert!(!lit(&world, Aspect::FoldersAndFlags, POP3));
}

#[test]
fn imap_read_on_the_phone_seen_on_the_laptop() {
    let mut world = budi_has_mail();
    check(&mut world, "laptop-budi", MailboxProtocol::Imap, false);
    assert!(lit(&world, Aspect::Port, IMAP));
    assert!(lit(&world, Aspect::Direction, IMAP));
    assert!(
        lit(&world, Aspect::WhereKept, IMAP),
        "the copy's original stays"
    );
    check(&mut world, "phone-budi", MailboxProtocol::Imap, false);
    assert!(
        !lit(&world, Aspect::SeveralDevices, IMAP),
        "nothing changed yet"
    );
    act(&mut world, "phone-budi", MessageAction::Read);
    assert!(lit(&world, Aspect::Offline, IMAP));
    assert!(
        !lit(&world, Aspect::FoldersAndFlags, IMAP),
        "reading is not a folder or flag"
    );
    assert!(
        !lit(&world, Aspect::SeveralDevices, IMAP),
        "the laptop has not looked yet"
    );
    check(&mut world, "laptop-budi", MailboxProtocol::Imap, false);
    assert!(lit(&world, Aspect::SeveralDevices, IMAP));
    assert!(experienced(&world).iter().all(|row| !row[POP3]));
}

#[test]
fn imap_on_one_device_alone_never_lights_several_devices() {
    let mut world = budi_has_mail();
    check(&mut world, "phone-budi", MailboxProtocol::Imap, false);
    act(&mut world, "phone-budi", MessageAction::Flag);
    assert!(lit(&world, Aspect::FoldersAndFlags, IMAP));
    act(&mut world, "phone-budi", MessageAction::Archive);
    check(&mut world, "phone-budi", MailboxProtocol::Imap, false);
    assert!(!lit(&world, Aspect::SeveralDevices, IMAP));
    assert!(
        !lit(&world, Aspect::WhereKept, IMAP),
        "moved out of the INBOX"
    );
}

#[test]
fn a_server_that_cannot_pass_mail_on_lights_smtp_offline() {
    let mut world = World::default_world(4);
    world
        .apply(Command::SetMailboxFull {
            address: "budi@beta.example".into(),
            full: true,
        })
        .unwrap();
    let send = ani_presses_send(world.topology(), &["budi@beta.example"], "x", "y").unwrap();
    world.apply(send).unwrap();
    world.run_until(world.now() + crate::sim::time::SimDuration::from_micros(60_000_000));
    assert!(lit(&world, Aspect::Offline, SMTP));
}

#[test]
fn outcome_counts_are_read_by_their_label() {
    let pop3 = "2 downloaded, 2 deleted from the server, 0 left there";
    assert_eq!(counted(pop3, "downloaded"), 2);
    assert_eq!(counted(pop3, "new"), 0);
    let imap = "0 new, 1 changed elsewhere, 3 gone";
    assert_eq!(counted(imap, "changed elsewhere"), 1);
    assert_eq!(counted(imap, "gone"), 3);
    assert_eq!(counted("refused at PASS ****: -ERR", "downloaded"), 0);
}

#[test]
fn the_table_marks_lit_cells_without_colour_and_escapes_its_words() {
    let mut lit = [[false; 3]; 6];
    lit[Aspect::WhereKept as usize][POP3] = true;
    let rows = [
        "Port",
        "Direction",
        "Where <kept>",
        "Devices",
        "Folders",
        "Offline",
    ];
    let cells = [["a"; 3]; 6];
    let words = TableWords {
        caption: "Compare",
        corner: "",
        rows: &rows,
        cells: &cells,
        experienced: "experienced",
        not_yet: "not yet",
        not_applicable: "n/a",
    };
    let html = comparison_markup(&lit, &words);
    assert!(html.contains("Where &lt;kept&gt;"));
    assert_eq!(html.matches("data-lit=\"true\"").count(), 1);
    assert!(html.contains(
        "data-testid=\"compare-2-pop3\" data-protocol=\"POP3\" data-lit=\"true\"><span class=\"kr-compare__mark\" \
         aria-hidden=\"true\">✓</span>a<span class=\"kr-compare__state\">experienced</span>"
    ));
    assert_eq!(html.matches("kr-visually-hidden\">not yet").count(), 15);
    assert_eq!(html.matches("kr-visually-hidden\">n/a").count(), 2);
}

use super::*;

const DATE: &str = "28-Nov-2026 10:00:00 +0000";

fn delivered(contents: &[&str]) -> Maildrop {
    let mut maildrop = Maildrop::default();
    for content in contents {
        maildrop.deliver(content.as_bytes().to_vec(), DATE.into());
    }
    maildrop
}

#[test]
fn uids_count_up_and_are_never_reused() {
    let mut mailbox = delivered(&["a\r\n", "b\r\n"]);
    let snapshot = mailbox.lock(7).unwrap();
    mailbox.unlock(7, &snapshot, &[1]);
    assert_eq!(mailbox.deliver(b"c\r\n".to_vec(), DATE.into()), 3);
    let uids: Vec<u32> = mailbox.messages().iter().map(|m| m.uid).collect();
    assert_eq!(uids, [1, 3]);
}

#[test]
fn a_second_pop3_session_is_locked_out_until_the_first_unlocks() {
    let mut mailbox = delivered(&["a\r\n"]);
    let snapshot = mailbox.lock(1).unwrap();
    assert_eq!(mailbox.lock(2), Err(LockError::InUse { holder: 1 }));
    mailbox.unlock(2, &snapshot, &[0]);
    assert_eq!(mailbox.messages().len(), 1, "only the holder unlocks");
    mailbox.unlock(1, &snapshot, &[]);
    assert!(mailbox.lock(2).is_ok());
}

#[test]
fn pop3_deletes_by_id_so_mail_delivered_meanwhile_stays() {
    let mut mailbox = delivered(&["old\r\n"]);
    let snapshot = mailbox.lock(1).unwrap();
    assert_eq!(snapshot[0].uid, "1.1");
    mailbox.deliver(b"new\r\n".to_vec(), DATE.into());
    mailbox.unlock(1, &snapshot, &[0]);
    let left: Vec<&[u8]> = mailbox
        .messages()
        .iter()
        .map(|m| &m.message.content[..])
        .collect();
    assert_eq!(left, [b"new\r\n"]);
}

#[test]
fn addresses_are_one_mailbox_whatever_their_case() {
    let mut drops = Maildrops::default();
    drops.deliver("Budi@Beta.Example", b"x\r\n".to_vec(), DATE.into());
    assert_eq!(drops.maildrop("budi@beta.example").messages().len(), 1);
}

fn beta(maildrops: &mut Maildrops) -> DomainMail<'_> {
    DomainMail {
        maildrops,
        domain: "beta.example",
        now: DATE.into(),
    }
}

#[test]
fn imap_sees_the_inbox_delivery_filled_with_its_flags() {
    let mut maildrops = Maildrops::default();
    maildrops.deliver(
        "budi@beta.example",
        b"Subject: a\r\n\r\nx\r\n".to_vec(),
        DATE.into(),
    );
    let mut mail = beta(&mut maildrops);
    assert_eq!(mail.folders("budi"), ["INBOX"]);
    let status = mail.status("budi", "INBOX").unwrap();
    assert_eq!((status.uid_validity, status.uid_next), (1, 2));
    assert_eq!(status.messages[0].size, 17);
    assert!(mail.set_flags("budi", "INBOX", 1, ["\\Seen".to_string()].into()));
    assert!(mail.status("budi", "INBOX").unwrap().messages[0]
        .flags
        .contains("\\Seen"));
    assert!(!mail.set_flags("budi", "INBOX", 9, BTreeSet::new()));
    // A user with no mail yet still has an empty INBOX.
    assert_eq!(mail.status("dewi", "INBOX").unwrap().messages.len(), 0);
}

#[test]
fn folders_made_again_get_a_new_uidvalidity() {
    let mut maildrops = Maildrops::default();
    let mut mail = beta(&mut maildrops);
    mail.create("budi", "Arsip").unwrap();
    assert!(mail
        .create("budi", "Arsip")
        .unwrap_err()
        .contains("ALREADYEXISTS"));
    let first = mail.status("budi", "Arsip").unwrap().uid_validity;
    mail.delete("budi", "Arsip").unwrap();
    mail.create("budi", "Arsip").unwrap();
    assert_ne!(mail.status("budi", "Arsip").unwrap().uid_validity, first);
    assert!(mail
        .delete("budi", "Nope")
        .unwrap_err()
        .contains("NONEXISTENT"));
}

#[test]
fn renaming_inbox_moves_its_mail_and_leaves_it_empty() {
    let mut maildrops = Maildrops::default();
    maildrops.deliver("budi@beta.example", b"a\r\n".to_vec(), DATE.into());
    let mut mail = beta(&mut maildrops);
    mail.rename("budi", "INBOX", "Lama").unwrap();
    assert_eq!(mail.status("budi", "INBOX").unwrap().messages.len(), 0);
    assert_eq!(mail.status("budi", "Lama").unwrap().messages.len(), 1);
    assert_eq!(
        mail.append("budi", "INBOX", b"b\r\n".to_vec(), BTreeSet::new()),
        Some(2)
    );
    mail.rename("budi", "Lama", "Arsip").unwrap();
    assert!(mail.status("budi", "Lama").is_none());
    assert_eq!(
        mail.append("budi", "Nope", b"c\r\n".to_vec(), BTreeSet::new()),
        None
    );
    mail.expunge("budi", "Arsip", &[1]);
    assert_eq!(mail.content("budi", "Arsip", 1), None);
}

#!/usr/bin/env python3
"""Python's imaplib against `kurir serve`: one named case per run, for tests/imaplib.rs.

Usage: imaplib_cases.py CASE --relay HOST:PORT --imap HOST:PORT [--message FILE]

Mail is put in budi's mailbox over SMTP (smtplib, on the relay port), then worked with over
IMAP. Each case states what a real IMAP client observes and exits non-zero with the reason
when the server does something else.
"""

import imaplib

from case_runner import TIMEOUT_SECONDS, CaseFailed, expect, host_port, run, send_to_budi


def login(address):
    host, port = host_port(address)
    client = imaplib.IMAP4(host, port, timeout=TIMEOUT_SECONDS)
    status, _ = client.login("budi", "budi123")
    expect(status == "OK", "LOGIN")
    return client


def ok(result, what):
    status, data = result
    expect(status == "OK", f"{what}: {status} {data}")
    return data


def case_read_flag_copy_expunge_append(args):
    message = args.message
    send_to_budi(args.relay, message)
    send_to_budi(args.relay, b"From: Citra <citra@alpha.example>\r\nSubject: Rapat\r\n\r\nBesok.\r\n")
    client = login(args.imap)
    expect("IMAP4REV1" in client.capabilities, f"capabilities {client.capabilities}")
    count = ok(client.select("INBOX"), "SELECT")
    expect(count == [b"2"], f"SELECT says {count}")

    unseen = ok(client.search(None, "UNSEEN"), "SEARCH UNSEEN")
    expect(unseen == [b"1 2"], f"both unread at first: {unseen}")
    from_citra = ok(client.search(None, "FROM", "citra"), "SEARCH FROM")
    expect(from_citra == [b"2"], f"SEARCH FROM citra: {from_citra}")

    data = ok(client.fetch("1", "(BODY.PEEK[])"), "FETCH BODY.PEEK[]")
    got = data[0][1]
    expect(got.endswith(message), f"BODY[] does not end with the message as sent: {got!r}")
    expect(ok(client.search(None, "UNSEEN"), "SEARCH") == [b"1 2"], "PEEK must not set \\Seen")
    ok(client.fetch("1", "(BODY[])"), "FETCH BODY[]")
    expect(ok(client.search(None, "SEEN"), "SEARCH SEEN") == [b"1"], "BODY[] sets \\Seen")

    ok(client.store("2", "+FLAGS", "(\\Flagged)"), "STORE +FLAGS")
    flags = ok(client.fetch("2", "(FLAGS)"), "FETCH FLAGS")
    expect(b"\\Flagged" in flags[0], f"flags of 2: {flags}")

    ok(client.create("Arsip"), "CREATE")
    ok(client.copy("2", "Arsip"), "COPY")
    _, listing = client.list()
    expect(any(b'"Arsip"' in line for line in listing), f"LIST: {listing}")
    ok(client.store("2", "+FLAGS", "(\\Deleted)"), "STORE \\Deleted")
    expunged = ok(client.expunge(), "EXPUNGE")
    expect(expunged == [b"2"], f"EXPUNGE reports message 2: {expunged}")

    ok(client.append("Arsip", "(\\Seen)", None, b"Subject: draft\r\n\r\nhi\r\n"), "APPEND")
    status = ok(client.status("Arsip", "(MESSAGES UNSEEN)"), "STATUS")
    expect(b"MESSAGES 2" in status[0] and b"UNSEEN 1" in status[0], f"STATUS {status}")
    ok(client.close(), "CLOSE")
    # imaplib returns the server's untagged BYE, which comes before the tagged OK.
    status, _ = client.logout()
    expect(status == "BYE", f"LOGOUT: {status}")


def case_two_sessions_see_each_others_flags(args):
    send_to_budi(args.relay, b"Subject: satu\r\n\r\nHalo\r\n")
    laptop = login(args.imap)
    phone = login(args.imap)
    ok(laptop.select("INBOX"), "laptop SELECT")
    ok(phone.select("INBOX"), "phone SELECT")
    ok(laptop.store("1", "+FLAGS", "(\\Seen)"), "laptop STORE")
    ok(phone.noop(), "phone NOOP")
    _, fetches = phone.response("FETCH")
    expect(fetches and b"\\Seen" in fetches[0], f"the phone hears \\Seen: {fetches}")
    send_to_budi(args.relay, b"Subject: dua\r\n\r\nLagi\r\n")
    ok(phone.noop(), "phone NOOP")
    # imaplib keeps every untagged EXISTS since SELECT; the newest is what NOOP brought.
    _, exists = phone.response("EXISTS")
    expect(exists and exists[-1] == b"2", f"the phone hears of new mail: {exists}")
    laptop.logout()
    phone.logout()


def case_wrong_password_is_refused(args):
    host, port = host_port(args.imap)
    client = imaplib.IMAP4(host, port, timeout=TIMEOUT_SECONDS)
    try:
        client.login("budi", "salah")
        raise CaseFailed("a wrong password must be refused")
    except imaplib.IMAP4.error as err:
        expect("AUTHENTICATIONFAILED" in str(err), f"expected AUTHENTICATIONFAILED, got {err}")
    client.logout()


def case_body_matches_file(args):
    """Only reads: message 1's BODY[] must end with the file's bytes exactly."""
    message = args.message
    client = login(args.imap)
    ok(client.select("INBOX", readonly=True), "EXAMINE")
    data = ok(client.fetch("1", "(BODY[])"), "FETCH")
    got = data[0][1]
    expect(got.endswith(message), f"BODY[] differs from what was sent:\n{got!r}\n{message!r}")
    client.logout()


CASES = {name[len("case_"):]: case for name, case in globals().items() if name.startswith("case_")}

if __name__ == "__main__":
    run(__doc__, CASES, servers=["relay", "imap"])

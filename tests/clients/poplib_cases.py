#!/usr/bin/env python3
"""Python's poplib against `kurir serve`: one named case per run, for tests/poplib.rs.

Usage: poplib_cases.py CASE --relay HOST:PORT --pop3 HOST:PORT [--message FILE]

Mail is put in budi's mailbox over SMTP (smtplib, on the relay port), then read over POP3.
Each case states what a real POP3 client observes and exits non-zero with the reason when
the server does something else.
"""

import poplib
import socket
import time

from case_runner import TIMEOUT_SECONDS, CaseFailed, expect, host_port, run, send_to_budi


def login(pop3, user="budi", password="budi123"):
    host, port = host_port(pop3)
    client = poplib.POP3(host, port, timeout=TIMEOUT_SECONDS)
    client.user(user)
    client.pass_(password)
    return client


def expect_err(attempt, words, what):
    """`attempt` must fail with a -ERR reply that holds `words`."""
    try:
        attempt()
    except poplib.error_proto as err:
        expect(words in str(err), f"{what}: expected {words}, got {err}")
        return
    raise CaseFailed(f"{what} must be refused")


def stored_bytes(lines):
    """What RETR or TOP returned, back to the stored bytes (poplib drops the CRLFs)."""
    return b"".join(line + b"\r\n" for line in lines)


def case_read_list_and_delete(args):
    message = args.message
    send_to_budi(args.relay, message)
    send_to_budi(args.relay, b"Subject: kedua\r\n\r\nPesan kedua.\r\n")

    host, port = host_port(args.pop3)
    client = poplib.POP3(host, port, timeout=TIMEOUT_SECONDS)
    expect(client.getwelcome().startswith(b"+OK"), f"greeting {client.getwelcome()!r}")
    capabilities = client.capa()
    for keyword in ("USER", "TOP", "UIDL", "RESP-CODES"):
        expect(keyword in capabilities, f"CAPA lacks {keyword}: {capabilities}")
    client.user("budi")
    client.pass_("budi123")

    count, size = client.stat()
    expect(count == 2, f"STAT: {count} messages")
    _, listing, _ = client.list()
    sizes = [int(line.split()[1]) for line in listing]
    expect(sum(sizes) == size, f"LIST sizes {sizes} do not add up to STAT's {size}")
    _, uids, _ = client.uidl()
    uids = [line.split()[1] for line in uids]
    expect(len(set(uids)) == 2, f"UIDL ids must differ: {uids}")

    _, lines, octets = client.retr(1)
    got = stored_bytes(lines)
    expect(got.endswith(message), f"RETR 1 does not end with the message as sent: {got!r}")
    expect(got.startswith(b"Return-Path: <ani@alpha.example>\r\n"), f"no Return-Path: {got[:60]!r}")
    expect(len(got) == sizes[0], f"RETR gave {len(got)} octets, LIST said {sizes[0]}")

    _, top, _ = client.top(2, 0)
    expect(stored_bytes(top).endswith(b"Subject: kedua\r\n\r\n"), f"TOP 2 0: {top!r}")

    expect(client.dele(1).startswith(b"+OK"), "DELE 1")
    expect_err(lambda: client.retr(1), "-ERR", "RETR of a deleted message")
    client.quit()

    again = login(args.pop3)
    count, _ = again.stat()
    expect(count == 1, f"after QUIT one message is left, STAT says {count}")
    _, uids_after, _ = again.uidl()
    expect(uids_after[0].split()[1] == uids[1], "the message left keeps its UIDL")
    again.quit()


def case_second_session_is_locked_out(args):
    send_to_budi(args.relay, b"Subject: satu\r\n\r\nHalo\r\n")
    first = login(args.pop3)
    host, port = host_port(args.pop3)
    second = poplib.POP3(host, port, timeout=TIMEOUT_SECONDS)
    second.user("budi")
    expect_err(lambda: second.pass_("budi123"), "[IN-USE]", "a second session on a locked maildrop")
    first.quit()
    second.user("budi")
    expect(second.pass_("budi123").startswith(b"+OK"), "after the first QUIT the maildrop opens")
    second.quit()


def case_wrong_password_is_refused(args):
    host, port = host_port(args.pop3)
    client = poplib.POP3(host, port, timeout=TIMEOUT_SECONDS)
    client.user("budi")
    expect_err(lambda: client.pass_("salah"), "[AUTH]", "a wrong password")
    client.quit()


def case_apop_logs_in_without_sending_the_password(args):
    send_to_budi(args.relay, b"Subject: apop\r\n\r\nHalo\r\n")
    host, port = host_port(args.pop3)
    client = poplib.POP3(host, port, timeout=TIMEOUT_SECONDS)
    expect(b"<" in client.getwelcome(), f"APOP needs a timestamp in the greeting: {client.getwelcome()!r}")
    expect(client.apop("budi", "budi123").startswith(b"+OK"), "APOP with the right secret")
    count, _ = client.stat()
    expect(count == 1, f"STAT after APOP: {count}")
    client.quit()
    wrong = poplib.POP3(host, port, timeout=TIMEOUT_SECONDS)
    expect_err(lambda: wrong.apop("budi", "salah"), "[AUTH]", "APOP with a wrong secret")
    wrong.quit()


def case_dropped_connection_deletes_nothing(args):
    send_to_budi(args.relay, b"Subject: tetap\r\n\r\nJangan hapus\r\n")
    client = login(args.pop3)
    client.dele(1)
    # Gone without QUIT: RFC 1939 says nothing is deleted.
    client.sock.shutdown(socket.SHUT_RDWR)
    client.sock.close()
    for _ in range(50):
        try:
            again = login(args.pop3)
            break
        except poplib.error_proto:
            # The server may not have seen the close yet; the maildrop is still locked.
            time.sleep(0.1)
    else:
        raise CaseFailed("the maildrop stayed locked after the connection dropped")
    count, _ = again.stat()
    expect(count == 1, f"the message must still be there, STAT says {count}")
    again.quit()


def case_retr_matches_file(args):
    """Only reads: RETR 1 must end with the file's bytes exactly (sent by another client)."""
    message = args.message
    client = login(args.pop3)
    _, lines, _ = client.retr(1)
    got = stored_bytes(lines)
    expect(got.endswith(message), f"RETR 1 differs from what was sent:\n{got!r}\n{message!r}")
    client.quit()


CASES = {name[len("case_"):]: case for name, case in globals().items() if name.startswith("case_")}

if __name__ == "__main__":
    run(__doc__, CASES, servers=["relay", "pop3"])

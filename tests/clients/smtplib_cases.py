#!/usr/bin/env python3
"""Python's smtplib against `kurir serve`: one named case per run, for tests/smtplib.rs.

Usage: smtplib_cases.py CASE --relay HOST:PORT --submission HOST:PORT [--message FILE]

Each case states what a real client observes (reply codes, exceptions, EHLO keywords) and
exits non-zero with the reason when the server does something else. What ends up stored is
checked by the Rust test that runs the case.
"""

import smtplib
import threading

from case_runner import TIMEOUT_SECONDS, CaseFailed, expect, host_port, run

CONCURRENT_SESSIONS = 20


def connect(address):
    host, port = host_port(address)
    return smtplib.SMTP(host, port, local_hostname="laptop-ani.alpha.example", timeout=TIMEOUT_SECONDS)


def expect_refused_recipient(err, recipient, code, enhanced_status):
    expect(recipient in err.recipients, f"{recipient} should be in the refusal: {err.recipients}")
    got_code, text = err.recipients[recipient]
    expect(got_code == code, f"{recipient}: expected {code}, got {got_code} {text!r}")
    expect(text.startswith(enhanced_status.encode()), f"{recipient}: expected {enhanced_status} in {text!r}")


def relay_delivers_to_local_user(args):
    with connect(args.relay) as smtp:
        refused = smtp.sendmail("ani@alpha.example", ["budi@beta.example"], args.message)
        expect(refused == {}, f"no recipient may be refused: {refused}")


def relay_refuses_unknown_user(args):
    with connect(args.relay) as smtp:
        try:
            smtp.sendmail("ani@alpha.example", ["nosuch@beta.example"], args.message)
        except smtplib.SMTPRecipientsRefused as err:
            expect_refused_recipient(err, "nosuch@beta.example", 550, "5.1.1")
        else:
            raise CaseFailed("a mailbox that does not exist must be refused")


def relay_refuses_to_relay(args):
    with connect(args.relay) as smtp:
        try:
            smtp.sendmail("ani@alpha.example", ["someone@gamma.example"], args.message)
        except smtplib.SMTPRecipientsRefused as err:
            expect_refused_recipient(err, "someone@gamma.example", 554, "5.7.1")
        else:
            raise CaseFailed("port 25 must not relay to a foreign domain")


def login_and_send(args, recipient):
    with connect(args.submission) as smtp:
        smtp.login("ani", "ani123")
        refused = smtp.sendmail("ani@alpha.example", [recipient], args.message)
        expect(refused == {}, f"no recipient may be refused: {refused}")


def submission_delivers_locally(args):
    login_and_send(args, "citra@alpha.example")


def submission_queues_for_other_domains(args):
    login_and_send(args, "budi@beta.example")


def submission_rejects_a_wrong_password(args):
    with connect(args.submission) as smtp:
        try:
            smtp.login("ani", "not-ani123")
        except smtplib.SMTPAuthenticationError as err:
            expect(err.smtp_code == 535, f"expected 535, got {err.smtp_code} {err.smtp_error!r}")
            expect(err.smtp_error.startswith(b"5.7.8"), f"expected 5.7.8 in {err.smtp_error!r}")
        else:
            raise CaseFailed("a wrong password must not log in")


def submission_requires_auth(args):
    with connect(args.submission) as smtp:
        smtp.ehlo()
        code, text = smtp.mail("ani@alpha.example")
        expect(code == 530, f"MAIL before AUTH: expected 530, got {code} {text!r}")
        expect(text.startswith(b"5.7.0"), f"expected 5.7.0 in {text!r}")


def vrfy_answers(args):
    with connect(args.relay) as smtp:
        code, text = smtp.verify("budi")
        expect(code == 250, f"VRFY budi: expected 250, got {code} {text!r}")
        expect(b"budi@beta.example" in text, f"VRFY budi should name the mailbox: {text!r}")
        code, text = smtp.verify("nobody")
        expect(code == 550, f"VRFY nobody: expected 550, got {code} {text!r}")


def help_answers(args):
    with connect(args.relay) as smtp:
        code, text = smtp.docmd("HELP")
        expect(code == 214, f"HELP: expected 214, got {code} {text!r}")


def ehlo_advertises_extensions(args):
    common = {"size", "8bitmime", "pipelining", "enhancedstatuscodes"}
    for address, role in ((args.relay, "relay"), (args.submission, "submission")):
        with connect(address) as smtp:
            code, _ = smtp.ehlo()
            expect(code == 250, f"{role}: EHLO expected 250, got {code}")
            missing = common - set(smtp.esmtp_features)
            expect(not missing, f"{role}: EHLO lacks {missing}: {smtp.esmtp_features}")
            expect(smtp.esmtp_features["size"] == "10485760", f"{role}: SIZE {smtp.esmtp_features['size']!r}")
            offers_auth = "auth" in smtp.esmtp_features
            expect(offers_auth == (role == "submission"), f"{role}: AUTH offered: {offers_auth}")
            if offers_auth:
                mechanisms = set(smtp.esmtp_features["auth"].upper().split())
                expect({"PLAIN", "LOGIN"} <= mechanisms, f"AUTH mechanisms: {mechanisms}")


def concurrent_sessions_all_succeed(args):
    """All sessions connect first, then send at once: the server holds them open together."""
    everyone_connected = threading.Barrier(CONCURRENT_SESSIONS, timeout=TIMEOUT_SECONDS)
    failures = []

    def session(number):
        try:
            with connect(args.relay) as smtp:
                everyone_connected.wait()
                message = args.message + f"Session {number}\r\n".encode()
                smtp.sendmail(f"sender{number}@alpha.example", ["budi@beta.example"], message)
        except Exception as err:  # every failure is reported, whatever its kind
            failures.append(f"session {number}: {err!r}")

    threads = [threading.Thread(target=session, args=(n,)) for n in range(CONCURRENT_SESSIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expect(not failures, "; ".join(failures))


CASES = {case.__name__: case for case in [
    relay_delivers_to_local_user,
    relay_refuses_unknown_user,
    relay_refuses_to_relay,
    submission_delivers_locally,
    submission_queues_for_other_domains,
    submission_rejects_a_wrong_password,
    submission_requires_auth,
    vrfy_answers,
    help_answers,
    ehlo_advertises_extensions,
    concurrent_sessions_all_succeed,
]}


if __name__ == "__main__":
    run(__doc__, CASES, servers=["relay", "submission"])

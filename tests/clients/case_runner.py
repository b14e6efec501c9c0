"""What the client case scripts share: the failure a case raises, the check that raises it,
addresses as HOST:PORT, mail for budi over SMTP, and the command line that runs one case.

A script names its cases and the servers it needs, then calls `run`:

    run(__doc__, CASES, servers=["relay", "pop3"])
"""

import argparse
import smtplib
import sys

TIMEOUT_SECONDS = 10


class CaseFailed(Exception):
    pass


def expect(condition, what):
    if not condition:
        raise CaseFailed(what)


def host_port(address):
    host, port = address.rsplit(":", 1)
    return host, int(port)


def send_to_budi(relay, message):
    """Delivers `message` (bytes with CRLF line endings) to budi over SMTP."""
    host, port = host_port(relay)
    with smtplib.SMTP(host, port, local_hostname="laptop-ani.alpha.example", timeout=TIMEOUT_SECONDS) as smtp:
        refused = smtp.sendmail("ani@alpha.example", ["budi@beta.example"], message)
        expect(not refused, f"SMTP refused {refused}")


def run(doc, cases, servers):
    """Runs the case named on the command line; `--message FILE` is read into args.message
    (bytes, a short default when absent). Exits non-zero with the reason when it fails."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("case", choices=sorted(cases))
    for server in servers:
        parser.add_argument(f"--{server}", required=True)
    parser.add_argument("--message", type=argparse.FileType("rb"))
    args = parser.parse_args()
    args.message = args.message.read() if args.message else b"Subject: test\r\n\r\nHello.\r\n"
    try:
        cases[args.case](args)
    except CaseFailed as failure:
        print(f"{args.case}: FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
    print(f"{args.case}: ok")

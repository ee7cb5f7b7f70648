#!/usr/bin/python3
"""A real local SMTP server for the e-mail tests (python3-aiosmtpd from Debian).

Usage: smtp_sink.py PORT OUTDIR [--tls CERT KEY] [--reject DOMAIN]
Writes every accepted message to OUTDIR/<n>.eml (the raw DATA) and OUTDIR/<n>.rcpt (envelope
recipients, one a line). With --tls the server offers STARTTLS and requires it before MAIL.
With --reject, recipients in DOMAIN get a permanent 550 (a bounce). Runs until killed.
"""
import os
import ssl
import sys
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, outdir, reject):
        self.outdir = outdir
        self.reject = reject
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject and address.endswith("@" + self.reject):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.outdir, str(self.count))
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(base + ".rcpt", "w") as f:
            f.write("\n".join(envelope.rcpt_tos) + "\n")
        os.rename(base + ".tmp", base + ".eml")
        return "250 Message accepted"


def main():
    port = int(sys.argv[1])
    outdir = sys.argv[2]
    args = sys.argv[3:]
    kwargs = {}
    reject = None
    while args:
        if args[0] == "--tls":
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ctx.load_cert_chain(args[1], args[2])
            kwargs = {"tls_context": ctx, "require_starttls": True}
            args = args[3:]
        elif args[0] == "--reject":
            reject = args[1]
            args = args[2:]
        else:
            sys.exit("unknown argument " + args[0])
    os.makedirs(outdir, exist_ok=True)
    controller = Controller(Sink(outdir, reject), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()

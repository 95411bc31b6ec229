"""A minimal loopback SMTP sink for the digest benchmark: it speaks just enough SMTP for
smtplib (greeting, EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), counts the messages it is
given and keeps nothing. It stands for a real mail server, whose own cost is not LabIntel's;
it runs in its own process, so its CPU is not counted either. (The tests use aiosmtpd, a full
server; its per-command Python work would dominate a benchmark of the sender.)

Run: python bench/smtp_sink.py PORT   (prints "ready", then on SIGTERM "messages bytes")
"""

import signal
import socketserver
import sys
import threading

REPLIES = {
    b"EHLO": b"250-sink\r\n250 8BITMIME\r\n",
    b"HELO": b"250 sink\r\n",
    b"MAIL": b"250 OK\r\n",
    b"RCPT": b"250 OK\r\n",
    b"RSET": b"250 OK\r\n",
    b"NOOP": b"250 OK\r\n",
}


class Totals:
    lock = threading.Lock()
    messages = 0
    bytes = 0


class Session(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        self.wfile.write(b"220 sink ESMTP\r\n")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"DATA":
                self.wfile.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                self._read_message()
                self.wfile.write(b"250 OK\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 Bye\r\n")
                return
            else:
                self.wfile.write(REPLIES.get(verb, b"502 Not implemented\r\n"))

    def _read_message(self) -> None:
        size = 0
        while (line := self.rfile.readline()) and line != b".\r\n":
            size += len(line)
        with Totals.lock:
            Totals.messages += 1
            Totals.bytes += size


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main() -> None:
    server = Server(("127.0.0.1", int(sys.argv[1])), Session)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    print("ready", flush=True)
    done.wait()
    server.shutdown()
    print(Totals.messages, Totals.bytes, flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""console-test.py - drive moo's interactive shell the way a person would.

Boots the ISO with no command, so /bin/init starts /bin/sh on the serial
console, then types lines into the console (a Unix socket, never a
terminal) and checks what comes back: prompts, pipelines, redirection, ps,
free, a crashing program's message, ^C, ^D and poweroff. Prints one line
per step and "console: N passed, N failed"; exits non-zero on failure.

    tools/console-test.py [--log FILE] [--uefi]
"""
import argparse
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROMPT = "# "  # moo runs everything as root


class Console:
    def __init__(self, sock, log):
        self.sock = sock
        self.log = log
        self.buf = ""

    def send(self, text):
        self.sock.sendall(text.encode())

    def expect(self, pattern, timeout=20):
        """Wait until pattern (a regex) appears; return the text before and including it."""
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern, re.S)
        while True:
            m = rx.search(self.buf)
            if m:
                out = self.buf[:m.end()]
                self.buf = self.buf[m.end():]
                return out
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([self.sock], [], [], left)
            if r:
                data = self.sock.recv(65536)
                if not data:
                    return None
                text = data.decode(errors="replace").replace("\r", "")
                self.log.write(text)
                self.buf += text


def sendkeys(path, keys):
    """Press keys (QEMU key names) through the human monitor on a Unix socket."""
    m = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    m.connect(path)
    for k in keys:
        m.sendall(("sendkey %s\n" % k).encode())
        time.sleep(0.05)
    time.sleep(0.2)
    m.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", default=os.path.join(ROOT, "build", "test", "console.log"))
    ap.add_argument("--uefi", action="store_true")
    a = ap.parse_args()
    os.makedirs(os.path.dirname(a.log), exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="moo-console-")
    sock_path = os.path.join(tmp, "con.sock")
    qemu = ["qemu-system-x86_64", "-machine", "q35", "-cpu", "max", "-m", "256M",
            "-no-reboot", "-display", "none", "-monitor", "none",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-cdrom", os.path.join(ROOT, "build", "moo.iso"),
            "-chardev", "socket,id=con,path=%s,server=on,wait=on" % sock_path,
            "-monitor", "unix:%s,server=on,wait=off" % os.path.join(tmp, "mon.sock"),
            "-serial", "chardev:con",
            "-smbios", "type=11,value=panic=exit"]
    q = subprocess.Popen(qemu, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    passed = failed = 0
    try:
        sock = None
        for _ in range(500):
            try:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.connect(sock_path)
                break
            except OSError:
                sock.close()
                sock = None
                time.sleep(0.01)
        if not sock:
            print("FAIL console: could not connect to QEMU")
            return 1
        with open(a.log, "w") as log:
            con = Console(sock, log)

            def step(name, send, *patterns, timeout=20):
                nonlocal passed, failed
                if send is not None:
                    con.send(send)
                for p in patterns:
                    if con.expect(p, timeout) is None:
                        failed += 1
                        print("FAIL console.%s: did not see %r (log: %s)" % (name, p, a.log))
                        return False
                passed += 1
                print("ok   console.%s" % name)
                return True

            step("boots_to_prompt", None, r"moo: a small x86-64 kernel", re.escape(PROMPT),
                 timeout=60)
            step("pipeline", "echo hi | cat\n", r"\nhi\n", re.escape(PROMPT))
            step("ls_bin", "ls /bin\n", r"\bsh\b", re.escape(PROMPT))
            step("redirect_to_tmp", "cat /etc/motd > /tmp/x; cat /tmp/x\n",
                 r"Welcome to moo", re.escape(PROMPT))
            step("ps_lists_init_and_sh", "ps\n", r"\n\s+1\s+\d+\s+\w\s+init",
                 r"\bps\b", re.escape(PROMPT))
            step("free", "free\n", r"Mem:\s+\d+", re.escape(PROMPT))
            step("false_status", "false; echo $?\n", r"\n1\n", re.escape(PROMPT))
            step("segfault_message", "sh -c 'kill -SEGV $$'; echo status=$?\n",
                 r"Segmentation fault", r"status=139", re.escape(PROMPT))
            step("line_editing_backspace", "echo abx\x7fc\n", r"\nabc\n", re.escape(PROMPT))
            # ^C: interrupt a long sleep; the shell survives and says $? = 130.
            # Wait until the command has started, or ^C would reach only the
            # shell, which ignores it. (The quotes keep the echo of the typed
            # line from matching.)
            step("command_started", "sh -c 'echo sl''eeping; sleep 30'\n", r"\nsleeping\n")
            step("ctrl_c_interrupts", "\x03", r"\^C")
            step("shell_survives_ctrl_c", "echo after=$?\n", r"after=130", re.escape(PROMPT))
            # the PS/2 keyboard feeds the same tty: type through QEMU's monitor
            # (Shift makes the capital, the quotes tell output from echo)
            keys = ["e", "c", "h", "o", "spc", "apostrophe", "k", "shift-b", "d",
                    "apostrophe", "apostrophe", "o", "k", "apostrophe", "ret"]
            sendkeys(os.path.join(tmp, "mon.sock"), keys)
            step("ps2_keyboard_types", None, r"\nkBdok\n", re.escape(PROMPT))
            step("poweroff", "poweroff\n", r"power off")
    finally:
        try:
            q.wait(timeout=10)
        except subprocess.TimeoutExpired:
            q.kill()
            q.wait()
            failed += 1
            print("FAIL console.poweroff_exits_qemu: QEMU was still running")
        shutil.rmtree(tmp, ignore_errors=True)
    print("console: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

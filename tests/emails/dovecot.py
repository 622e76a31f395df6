"""A throwaway Dovecot IMAP server for the tests (Debian's dovecot-imapd).

It writes its own dovecot.conf in a temporary directory: IMAPS on a free port of
127.0.0.1 with a self-signed certificate made here, one passwd-file user, Maildir in
the same directory. Run as root (a container), Dovecot drops mail access to `nobody`;
run as anyone else, everything runs as that user.
"""

import grp
import imaplib
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "soporte", "clave-de-prueba"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Dovecot:
    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="jhl-dovecot-"))
        self.port = free_port()
        self.process = None
        self.ca_file = self.dir / "cert.pem"

    def _identity(self):
        if os.geteuid() == 0:
            mail = pwd.getpwnam("nobody")
            return mail.pw_uid, mail.pw_gid, "dovenull", "dovecot", grp.getgrgid(pwd.getpwnam("dovecot").pw_gid).gr_name
        me = pwd.getpwuid(os.geteuid())
        group = grp.getgrgid(os.getegid()).gr_name
        return me.pw_uid, me.pw_gid, me.pw_name, me.pw_name, group

    def write_config(self) -> Path:
        uid, gid, login_user, internal_user, internal_group = self._identity()
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", str(self.dir / "key.pem"), "-out", str(self.ca_file), "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
        (self.dir / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}:{uid}:{gid}::{self.dir}/home/{USER}::\n")
        mail_root = self.dir / "mail"
        for path in (mail_root, self.dir / "home"):
            path.mkdir()
            os.chown(path, uid, gid)
        os.chmod(self.dir, 0o755)
        config = self.dir / "dovecot.conf"
        config.write_text(
            f"""
base_dir = {self.dir}/run
state_dir = {self.dir}/state
instance_name = jhl-test-{self.port}
log_path = {self.dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{self.ca_file}
ssl_key = <{self.dir}/key.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain
first_valid_uid = 1
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {internal_group}
mail_location = maildir:{mail_root}/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.dir}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {self.dir}/passwd
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {self.port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""
        )
        return config

    def start(self) -> None:
        config = self.write_config()
        self.process = subprocess.Popen([DOVECOT, "-F", "-c", str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot exited: {self.process.stdout.read().decode()} {self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"dovecot did not start: {self.log()}")

    def log(self) -> str:
        path = self.dir / "dovecot.log"
        return path.read_text() if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def connect(self) -> imaplib.IMAP4_SSL:
        context = ssl.create_default_context(cafile=str(self.ca_file))
        imap = imaplib.IMAP4_SSL("127.0.0.1", self.port, ssl_context=context)
        imap.login(USER, PASSWORD)
        return imap

    def deliver(self, raw: bytes, folder: str = "INBOX") -> None:
        imap = self.connect()
        try:
            typ, data = imap.append(folder, None, None, raw)
            assert typ == "OK", data
        finally:
            imap.logout()

    def messages(self, folder: str) -> list[bytes]:
        imap = self.connect()
        try:
            typ, _ = imap.select(f'"{folder}"')
            if typ != "OK":
                return []
            _typ, data = imap.uid("SEARCH", None, "UNDELETED")
            result = []
            for uid in data[0].split():
                _typ, fetched = imap.uid("FETCH", uid, "(BODY.PEEK[])")
                result.extend(item[1] for item in fetched if isinstance(item, tuple))
            return result
        finally:
            imap.logout()

"""The mail tests' real peers: an IMAP server, and desks in their own processes."""

from deskwise.mail.tests.imap_server import imap_server
from deskwise.mail.tests.processes import desk_processes

__all__ = ["desk_processes", "imap_server"]

"""One window per data directory: a second launch hands its file to the running window and exits.

``yanyana open FILE`` (what the desktop entry runs for "Open with Yanyana") first tries to reach a window already
running on the same data directory through a local socket (``QLocalSocket``; a Unix socket, a named pipe on
Windows). If one answers, it receives the request — one JSON line ``{"open": DOC}``, DOC being an absolute file
path, a document id or empty — imports the file if it is new, opens it and comes to the front; the second
process exits 0 at once. Otherwise this process becomes the window and listens. The socket name is derived from
the user and the data directory, so two ``--home`` folders are two independent windows.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket

from reader import paths

log = logging.getLogger(__name__)

TIMEOUT_MS = 3000


def server_name(home: Path | None = None) -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name (some containers)
        user = ""
    key = f"{user}\0{home or paths.home()}"
    return "yanyana-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def request_for(doc: str | None) -> str:
    """What to send: an existing file as an absolute path (the running window has another cwd), else as is."""
    if doc and not doc.isdigit() and Path(doc).exists():
        return str(Path(doc).absolute())
    return doc or ""


def send_to_running(doc: str | None, name: str | None = None, timeout_ms: int = TIMEOUT_MS) -> bool:
    """Hand ``doc`` to a window already running on this data directory; False if there is none."""
    socket = QLocalSocket()
    socket.connectToServer(name or server_name())
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write((json.dumps({"open": request_for(doc)}) + "\n").encode("utf-8"))
    socket.flush()
    if socket.bytesToWrite():
        socket.waitForBytesWritten(timeout_ms)
    reply = b""
    while b"\n" not in reply and socket.waitForReadyRead(
        timeout_ms
    ):  # the window confirms it took the request
        reply += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    return reply.strip() == b"ok"


class InstanceServer(QObject):
    """Listens for later launches; ``sig_open(DOC)`` on the GUI thread for each request."""

    sig_open = Signal(str)

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or server_name()
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._sockets: list[QLocalSocket] = []
        self.server.newConnection.connect(self._on_connection)

    def listen(self) -> bool:
        """Start listening; a socket left by a crashed window (nobody answers on it) is replaced."""
        if self.server.listen(self.name):
            return True
        if self.server.serverError() == QAbstractSocket.SocketError.AddressInUseError:
            QLocalServer.removeServer(self.name)
            if self.server.listen(self.name):
                return True
        log.warning("single instance: cannot listen on %s: %s", self.name, self.server.errorString())
        return False

    def close(self) -> None:
        """Stop listening and drop the connections (safe before the object is destroyed)."""
        for socket in list(self._sockets):
            socket.readyRead.disconnect(self._on_ready_read)
            socket.disconnected.disconnect(self._on_disconnected)
            socket.abort()
            socket.deleteLater()
        self._sockets.clear()
        self.server.close()

    def _on_connection(self) -> None:
        while (socket := self.server.nextPendingConnection()) is not None:
            self._sockets.append(socket)
            socket.readyRead.connect(self._on_ready_read)
            socket.disconnected.connect(self._on_disconnected)
            self._read(socket)

    def _on_ready_read(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._read(socket)

    def _on_disconnected(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket) and socket in self._sockets:
            self._sockets.remove(socket)
            socket.deleteLater()

    def _read(self, socket: QLocalSocket) -> None:
        while socket.canReadLine():
            line = bytes(socket.readLine().data()).decode("utf-8", "replace")
            try:
                request = json.loads(line)
                doc = str(request.get("open") or "") if isinstance(request, dict) else ""
            except ValueError:
                log.warning("single instance: ignored a malformed request %r", line[:200])
                continue
            socket.write(b"ok\n")
            socket.flush()
            self.sig_open.emit(doc)


def hand_to_window(window: Any, doc: str) -> None:
    """Do in the running window what ``yanyana open DOC`` asks: import a new file or open a document."""
    if doc:
        if not doc.isdigit() and Path(doc).exists():
            window.import_paths([doc])  # an already imported file opens its existing document
        elif doc.isdigit() and int(doc) in {int(d.id) for d in window.documents}:
            window.open_document(int(doc))
        else:
            window.status.showMessage(f"There is no document or file {doc}.", 8000)
    window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()

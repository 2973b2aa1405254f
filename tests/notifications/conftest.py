"""A local HTTP server that records webhook posts and answers with a scripted list of status codes."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import Permission


class Receiver:
    """What the local server received, and the statuses it answers with (the last one repeats)."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict, bytes]] = []
        self.statuses = [200]
        self.url = ""

    def next_status(self) -> int:
        return self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]


@pytest.fixture
def receiver():
    received = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received.requests.append((dict(self.headers), body))
            self.send_response(received.next_status())
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    received.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/T000/B000/path-secret"
    yield received
    server.shutdown()
    server.server_close()


@pytest.fixture
def admin_access(roles):
    """Coordinators (and the employee) reach the admin."""
    perm = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name in ("coordinator", "other_coordinator", "employee"):
        roles[name].user_permissions.add(perm)
    return roles


@pytest.fixture
def pairing_kr(roles):
    """An active objective of the pairing (in its program) with one key result 0 -> 10."""
    import datetime as dt

    from tests.factories import KeyResultFactory, ObjectiveFactory

    objective = ObjectiveFactory(
        owner=roles["mentee"],
        mentorship=roles["mentorship"],
        program=roles["mentorship"].program,
        start_date=dt.date(2026, 1, 15),
        due_date=dt.date(2026, 6, 30),
    )
    return KeyResultFactory(objective=objective, start_value=0, target_value=10, current_value=0)

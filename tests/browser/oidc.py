"""A real OpenID Connect provider on loopback for the sign-in tests (the ``oidc-provider-mock`` package:
Authlib's authorization server with an authorisation page that signs in one of the predefined users), and
the server configuration that points Sinergi Desa's ``[auth]`` at it."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# The provider's own pages take a stylesheet from a CDN; served here without it, so that every request the
# browser makes during a sign-in stays on this machine (and the tests' guard can insist on it).
_BASE_HTML = """<!doctype html>
<html lang="en"><main class="container">{% block content %}{{ content }}{% endblock %}</main></html>
"""
COOKIE_SECRET = "uji-cookie-secret-" + "x" * 32
CLAIM_ROLES = {"sinergi-viewer": "viewer", "sinergi-steward": "steward", "sinergi-admin": "admin"}
USERS = {  # sub -> claims in the ID token
    "steward-1": {"name": "Sari Steward", "email": "sari@kemensos.go.id", "email_verified": True,
                  "groups": ["sinergi-steward"]},
    "viewer-1": {"name": "Vino Viewer", "email": "vino@kemensos.go.id", "email_verified": True,
                 "groups": ["sinergi-viewer"]},
    "admin-1": {"name": "Adi Admin", "email": "adi@kemensos.go.id", "email_verified": True,
                "groups": ["sinergi-admin"]},
    "tamu-1": {"name": "Tamu Tanpa Peran", "email": "tamu@gmail.com", "email_verified": True, "groups": []},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def provider(users: dict[str, dict] | None = None) -> Iterator[str]:
    """Run the provider on 127.0.0.1 in a thread; yields its issuer URL."""
    import jinja2
    import werkzeug.serving
    from oidc_provider_mock import User, app

    flask_app = app(user_claims=[User(sub=sub, claims=claims) for sub, claims in (users or USERS).items()], require_nonce=True)
    flask_app.jinja_env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({"_base.html": _BASE_HTML}),
                                                      flask_app.jinja_env.loader])
    server = werkzeug.serving.make_server("127.0.0.1", free_port(), flask_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


def secrets_toml(path: Path, app_port: int, issuer: str, access: str = "") -> Path:
    """An ``.streamlit/secrets.toml`` for the app on ``app_port`` signing in with ``issuer``."""
    roles = "\n".join(f'"{k}" = "{v}"' for k, v in CLAIM_ROLES.items())
    path.write_text(f"""[auth]
redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"
cookie_secret = "{COOKIE_SECRET}"
client_id = "sinergi-desa"
client_secret = "rahasia-klien"
server_metadata_url = "{issuer}/.well-known/openid-configuration"

[access]
role_claim = "groups"
{access}

[access.claim_roles]
{roles}
""", encoding="utf-8")
    return path

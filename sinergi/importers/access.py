"""Who may change data: the admin password from Streamlit secrets or the environment.

``st.secrets["admin_password"]`` wins over the ``SINERGI_ADMIN_PASSWORD`` environment variable. Without
either, the Kelola Data page is read-only. Passwords are compared in constant time (``hmac.compare_digest``)
so the time a wrong guess takes says nothing about how close it was.
"""

from __future__ import annotations

import hmac
import os

ENV = "SINERGI_ADMIN_PASSWORD"
SECRET = "admin_password"


def sandi_admin() -> str | None:
    """The configured admin password, or None when none is configured (read-only)."""
    import streamlit as st

    value = None
    try:
        if st.secrets.load_if_toml_exists():
            value = st.secrets.get(SECRET)
    except Exception:  # noqa: BLE001 - an unreadable secrets file must not open the page; fall back to the environment
        value = None
    value = value or os.environ.get(ENV)
    return str(value) if value else None


def cocok(masukan: str | None, sandi: str | None) -> bool:
    """True when ``masukan`` equals the configured password (constant-time); False without a password."""
    if not sandi or masukan is None:
        return False
    return hmac.compare_digest(masukan.encode("utf-8"), sandi.encode("utf-8"))

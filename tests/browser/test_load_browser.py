"""A few officials at once on the map explorer, in real browsers (bench/load_bench.py's sessions, kept
short): every action completes, and nothing goes wrong: no Streamlit exception, page error, console
error, failed local request, lost connection or request leaving the machine. Timings are the bench's
business (bench/load_bench.py prints them); nothing here depends on them."""

import asyncio
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from bench import load_bench

SESSIONS = 4
SECONDS = 8
MIN_ACTIONS = 4  # per session, the open included: the same coverage however slow the machine is


def test_concurrent_sessions_complete_every_action_without_errors(server):
    # Playwright's async API in a thread of its own: its event loop never meets the sync fixtures' one.
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(asyncio.run, load_bench.run_sessions(server.url, SESSIONS, SECONDS, seed=3, timeout_s=45,
                                                                  min_actions=MIN_ACTIONS)).result()
    assert result.problems == [], "\n".join(f"session {p.session}, {p.kind}: {p.text}" for p in result.problems)
    assert result.failed() == []
    per_session = Counter(a.session for a in result.actions)
    assert sorted(per_session) == list(range(SESSIONS))
    assert all(n >= MIN_ACTIONS for n in per_session.values()), per_session
    kinds = Counter(a.kind for a in result.actions)
    assert kinds["open"] == SESSIONS  # no session had to start again after a failure
    assert len(kinds) >= 4, kinds  # beyond opening, several kinds of action (the seeded draw)
    assert all(a.latency_s > 0 for a in result.actions)

import pytest

from sinergi import profile


def test_next_status_gap():
    r = profile.next_status(0.70)
    assert r == {"status": "Berkembang", "next": "Maju", "min_score": 0.7073, "gap": pytest.approx(0.0073)}
    assert profile.next_status(0.9)["next"] is None
    assert profile.next_status(None) is None
    assert profile.next_status(0.45, "en")["next"] == "Underdeveloped"

"""Content keys: equal content gives an equal key; any difference in values, labels, index or type does not."""

import numpy as np
import pandas as pd

from sinergi import catalog, memo


def test_equal_content_equal_key_and_every_difference_another():
    a = pd.DataFrame({"kode": ["97.01", "97.02"], "nilai": [0.5, 0.7]})
    k = memo.content_key(a, "id", n=3)
    assert memo.content_key(a.copy(), "id", n=3) == k
    assert memo.content_key(a, "en", n=3) != k
    assert memo.content_key(a, "id", n=4) != k
    assert memo.content_key(a.assign(nilai=[0.5, 0.71]), "id", n=3) != k
    assert memo.content_key(a.rename(columns={"nilai": "v"}), "id", n=3) != k
    assert memo.content_key(a.set_axis([5, 6]), "id", n=3) != k  # the index is content
    assert memo.content_key(a.astype({"nilai": "float32"}), "id", n=3) != k
    assert memo.content_key(a.iloc[:0], "id", n=3) != k
    assert memo.content_key(a["nilai"]) != memo.content_key(a["nilai"].rename("x"))
    assert memo.content_key(np.array([1, 2])) != memo.content_key(np.array([1.0, 2.0]))
    assert memo.content_key(["a", "b"]) != memo.content_key(["ab"])
    assert memo.content_key(catalog.get("iks")) != memo.content_key(catalog.get("idm"))
    assert memo.content_key(catalog.get("iks")) == memo.content_key(catalog.get("iks"))


def test_by_content_computes_once_per_content_within_its_bound():
    calls = []

    @memo.by_content(lambda: 2)
    def double(frame):
        calls.append(1)
        return frame * 2

    f = pd.DataFrame({"x": [1, 2]})
    assert double(f).equals(f * 2) and double(f.copy()) is double(f)
    assert len(calls) == 1
    double(f + 1)
    double(f + 2)
    assert len(double.cache) == 2  # the oldest went
    double(f)
    assert len(calls) == 4

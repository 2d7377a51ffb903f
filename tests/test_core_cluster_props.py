"""Property tests of build_clusters: nothing lost, order-free, representatives follow the rule."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.grouping import build_clusters
from dedup.model import Article, Pair

ids = st.lists(st.text(alphabet="abcxyz019#/", min_size=1, max_size=6), min_size=1, max_size=25, unique=True)
dates = st.one_of(st.none(), st.dates().map(lambda d: d.isoformat()))


@settings(max_examples=60, deadline=None)
@given(ids=ids, data=st.data())
def test_every_article_once_order_free_and_rule_followed(ids, data):
    arts = [Article(i, "text", date=data.draw(dates)) for i in ids]
    n_pairs = data.draw(st.integers(0, 2 * len(ids)))
    pairs = []
    for _ in range(n_pairs):
        a, b = data.draw(st.sampled_from(ids)), data.draw(st.sampled_from(ids))
        if a != b:
            a, b = sorted((a, b))
            pairs.append(Pair(a, b, data.draw(st.floats(0, 1))))
    clusters = build_clusters(arts, pairs)
    members = [m for c in clusters for m in c.members]
    assert sorted(members) == sorted(ids)  # every article exactly once
    assert len({c.id for c in clusters}) == len(clusters)
    assert [(-c.size, c.id) for c in clusters] == sorted((-c.size, c.id) for c in clusters)
    by_id = {a.id: a for a in arts}
    for c in clusters:
        rep = by_id[c.representative]
        for m in c.members:  # no member is strictly earlier (undated after dated), or tied with a smaller id
            other = by_id[m]
            assert (rep.date is None, rep.date or "", rep.id) <= (other.date is None, other.date or "", other.id)
        assert all(p.a in c.members and p.b in c.members for p in c.pairs)
    shuffled_arts, shuffled_pairs = list(arts), list(pairs)
    rng = random.Random(len(ids))
    rng.shuffle(shuffled_arts)
    rng.shuffle(shuffled_pairs)
    assert build_clusters(shuffled_arts, shuffled_pairs) == clusters

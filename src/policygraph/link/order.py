"""The order prior: rules mostly take up their measure's articles in the measure's order.

A hidden Markov chain over the measure's articles, one step per rule article. Each rule article "emits" its
similarity scores (``exp(sharpness × (score − the row's best))``); from the article the previous rule article
implements, the next one most likely implements the same article or one a little further on (weight
``decay^(d−1)`` for d articles on, ``stay`` for the same one), less likely one behind (``back × decay^d``),
and any article at all with a small floor (``jump``), so a rule may take the measure up in another order.
Articles decided by evidence (a citation, the purpose or entry-into-force article) are fixed points of the
chain. The forward-backward posterior of each rule article over the measure's articles combines what its own
text says with where its neighbours went; the linker takes its most probable article.

Unlike a monotone (Viterbi) alignment, which forces one path through the rule, the posterior keeps every
article's own evidence and only shifts close calls towards the expected place. Transitions depend on the
distance alone, so each step is two running sums, linear in the measure's length.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Matrix = list[list[float]]
_FIXED_ELSEWHERE = 1e-3  # emission elsewhere than its article, for a rule article decided by evidence


@dataclass(frozen=True)
class Order:
    """The chain's shape. Chosen on the development gold by leave-one-pair-out (see the README)."""

    sharpness: float = 30.0  # how much a score difference counts: emission exp(sharpness × score)
    step: float = 5.0  # forward steps fall off by e^(-(d-1)/step), backward ones by e^(-d/step)
    stay: float = 1.0  # the next rule article implementing the same article as the previous one
    back: float = 0.5  # going back, relative to going forward the same distance
    jump: float = 0.05  # any article, whatever the distance (added to every transition weight)


ORDER = Order()


def _kernel_sums(n: int, order: Order) -> list[float]:
    """For each article j, the sum of transition weights out of it (to normalise the transitions)."""
    r = math.exp(-1.0 / order.step)
    forward = [0.0] * n  # sum over d = 1 … n−1−j of r^(d−1)
    for j in range(n - 2, -1, -1):
        forward[j] = 1.0 + r * forward[j + 1]
    backward = [0.0] * n  # sum over d = 1 … j of r^d
    for j in range(1, n):
        backward[j] = r * (1.0 + backward[j - 1])
    return [order.jump * n + order.stay + f + order.back * b for f, b in zip(forward, backward, strict=True)]


def _spread(b: list[float], order: Order, r: float) -> list[float]:
    """m[j'] = Σ_j b[j] · K(j' − j): where the chain goes from weights ``b`` (forward pass)."""
    n = len(b)
    total = order.jump * sum(b)
    out = [total + order.stay * x for x in b]
    ahead = 0.0  # Σ_{j<j'} b[j] r^(j'−j−1)
    for j in range(n):
        out[j] += ahead
        ahead = r * ahead + b[j]
    behind = 0.0  # Σ_{j>j'} b[j] r^(j−j')
    for j in range(n - 1, -1, -1):
        out[j] += order.back * behind
        behind = r * (behind + b[j])
    return out


def _gather(v: list[float], order: Order, r: float) -> list[float]:
    """m[j] = Σ_j' K(j' − j) · v[j']: what lies ahead of each article (backward pass), not normalised."""
    n = len(v)
    total = order.jump * sum(v)
    out = [total + order.stay * x for x in v]
    ahead = 0.0  # Σ_{j'>j} v[j'] r^(j'−j−1)
    for j in range(n - 1, -1, -1):
        out[j] += ahead
        ahead = v[j] + r * ahead
    behind = 0.0  # Σ_{j'<j} v[j'] r^(j−j')
    for j in range(n):
        out[j] += order.back * behind
        behind = r * (behind + v[j])
    return out


def _normalised(x: list[float]) -> list[float]:
    total = sum(x)
    return [v / total for v in x] if total > 0 else [1.0 / len(x)] * len(x)


def posterior(scores: Matrix, fixed: Mapping[int, int], order: Order = ORDER) -> Matrix:
    """For each rule article (row), the probability of each measure article given every row's scores and the
    order prior; rows in ``fixed`` (row → column) are decided by evidence."""
    if not scores or not scores[0]:
        return [list(row) for row in scores]
    n = len(scores[0])
    r = math.exp(-1.0 / order.step)
    z = _kernel_sums(n, order)
    emissions: list[list[float]] = []
    for i, row in enumerate(scores):
        if i in fixed:
            e = [_FIXED_ELSEWHERE] * n
            e[fixed[i]] = 1.0
        else:
            top = max(row)
            e = [math.exp(order.sharpness * (s - top)) for s in row]
        emissions.append(e)
    alpha: Matrix = [_normalised(emissions[0])]
    for e in emissions[1:]:
        moved = _spread([a / zj for a, zj in zip(alpha[-1], z, strict=True)], order, r)
        alpha.append(_normalised([m * x for m, x in zip(moved, e, strict=True)]))
    beta: Matrix = [[1.0] * n]
    for e in reversed(emissions[1:]):
        ahead = _gather([x * b for x, b in zip(e, beta[-1], strict=True)], order, r)
        beta.append(_normalised([a / zj for a, zj in zip(ahead, z, strict=True)]))
    beta.reverse()
    return [_normalised([a * b for a, b in zip(ar, br, strict=True)]) for ar, br in zip(alpha, beta, strict=True)]


def most_probable(row: Sequence[float]) -> int:
    return max(range(len(row)), key=row.__getitem__)

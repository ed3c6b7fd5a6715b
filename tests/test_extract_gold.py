"""Extraction against the national gold (tests/gold/SPLIT.md): a development set (63 laws: the first
development half and the first nine test halves, each moved here after it was scored and its errors read), a
frozen tenth test half of seven laws written by independent annotators at stop 27, and the two bundled
documents as a regression set.

The matching rule is CONVENTIONS.md's: same article; same bearer after folding brackets and dropping
spaces, a leading 各, a trailing 等 and every 的; same modality; actions by character-bigram Dice ≥ 0.6,
one to one within an article and bearer. Run with ``-s`` to see the per-document table.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from policygraph.extract import Extractor
from policygraph.pipeline import parse_file

from .conftest import LAWREFBOOK
from .scoring import SOURCES, GoldDuty, Score, load_annotated, same_bearer, score_actions

GOLD = Path(__file__).parent / "gold"

# The issue's bar for the test half (not a figure reached here).
TEST_PAIR_F1, TEST_ACTION_F1, TEST_MODAL_RECALL = 0.85, 0.80, 0.8
# Regression floors for the development set and the bundled documents: well below what the
# extractor measured when they were set (dev 0.80 on eighteen laws and 0.78 on thirty, bundled 0.91/0.90), so that
# only a real regression fails.
DEV_PAIR_F1_FLOOR = 0.75
BUNDLED_PAIR_F1_FLOOR = 0.75


@dataclass
class Scored:
    pairs: Score
    actions: Score
    by_modality: dict[str, Score]
    per_document: dict[str, tuple[Score, Score]]


def _score(half: str, extractor: Extractor) -> Scored:
    predicted: Counter[tuple[str, str, str | None, str]] = Counter()
    gold: Counter[tuple[str, str, str | None, str]] = Counter()
    per_document: dict[str, tuple[Score, Score]] = {}
    action_tp = action_pred = action_gold = 0
    for path in sorted((GOLD / half).glob("*.tsv")):
        rows: list[GoldDuty] = load_annotated(path)
        duties = extractor.extract(parse_file(LAWREFBOOK / SOURCES[path.stem]))
        p = Counter((path.stem, d.article, same_bearer(d.actor), d.modality) for d in duties)
        g = Counter((path.stem, r.article, r.actor, r.modality) for r in rows)
        actions = score_actions([(d.article, same_bearer(d.actor), d.action) for d in duties], rows)
        per_document[path.stem] = (Score(sum((p & g).values()), sum(p.values()), sum(g.values())), actions)
        predicted += p
        gold += g
        action_tp, action_pred, action_gold = (action_tp + actions.tp, action_pred + actions.predicted,
                                               action_gold + actions.gold)
    by_modality = {}
    for modality in ("obligation", "permission", "prohibition", "right"):
        pm = Counter({k: v for k, v in predicted.items() if k[3] == modality})
        gm = Counter({k: v for k, v in gold.items() if k[3] == modality})
        by_modality[modality] = Score(sum((pm & gm).values()), sum(pm.values()), sum(gm.values()))
    pairs = Score(sum((predicted & gold).values()), sum(predicted.values()), sum(gold.values()))
    return Scored(pairs, Score(action_tp, action_pred, action_gold), by_modality, per_document)


def _report(half: str, scored: Scored) -> None:
    print(f"\n{half}: pairs {scored.pairs}  actions {scored.actions}")
    for name, (pairs, actions) in scored.per_document.items():
        print(f"  {name}: pairs {pairs}  actions {actions}")
    for modality, score in scored.by_modality.items():
        print(f"  {modality}: {score}")


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    if not LAWREFBOOK.exists():
        pytest.skip(f"{LAWREFBOOK} is absent (../shared not beside the project)")
    return Extractor()


def test_the_test_half_is_the_frozen_one() -> None:
    """The test gold is byte for byte what was frozen before the extractor met those laws."""
    sums = (GOLD / "test" / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    laws = ("监察法", "国防交通法", "价格法", "妇女权益保障法", "信托法", "医疗保障基金使用监督管理条例",
            "化妆品生产经营监督管理办法")
    assert len(sums) == 7 and {line.split(maxsplit=1)[1] for line in sums} == {f"{name}.tsv" for name in laws}
    for line in sums:
        digest, name = line.split(maxsplit=1)
        assert hashlib.sha256((GOLD / "test" / name).read_bytes()).hexdigest() == digest, name


@pytest.fixture(scope="module")
def development(extractor: Extractor) -> Scored:
    scored = _score("dev", extractor)
    _report("development half", scored)
    return scored


@pytest.fixture(scope="module")
def test_half(extractor: Extractor) -> Scored:
    scored = _score("test", extractor)
    _report("test half", scored)
    return scored


def test_development_half(development: Scored) -> None:
    assert development.pairs.gold >= 13000 and len(development.per_document) == 63
    assert development.pairs.f1 >= DEV_PAIR_F1_FLOOR, str(development.pairs)


def test_test_half_is_scored_whole(test_half: Scored) -> None:
    assert test_half.pairs.gold >= 1570 and len(test_half.per_document) == 7
    assert test_half.pairs.predicted > 0 and test_half.actions.predicted == test_half.pairs.predicted


@pytest.mark.xfail(strict=True, reason=(
    "issue #12 is not met: on the frozen tenth test half (seven laws annotated at stop 27, scored once at 494b2e2) "
    "the extractor scores pair F1 0.758 (P 0.748, R 0.769), action F1 0.748 (bars 0.85 and 0.80: not met); "
    "permission recall 0.826 (met) and prohibition recall 0.717 (bar 0.8: not met); the extractor as stop 27 began "
    "(fda2686) scored 0.755 on the same half; development set of 63 laws 0.809 → 0.818; the ninth half (stop 26) "
    "gave 0.737"))
def test_test_half_meets_the_issue_bar(test_half: Scored) -> None:
    """The figure that counts: the issue's bar on laws the extractor was not built on."""
    assert test_half.pairs.f1 >= TEST_PAIR_F1, str(test_half.pairs)
    assert test_half.actions.f1 >= TEST_ACTION_F1, str(test_half.actions)
    assert test_half.by_modality["permission"].recall >= TEST_MODAL_RECALL, str(test_half.by_modality["permission"])
    assert test_half.by_modality["prohibition"].recall >= TEST_MODAL_RECALL, str(test_half.by_modality["prohibition"])

"""Person matching, measured on labelled pairs (``bench/name_pairs.py``), meets its goals."""

import pytest

from bench.name_pairs import GOAL_FALSE_MATCH_RATE, name_pair_evaluation, name_pairs

pytestmark = pytest.mark.django_db


def test_every_same_person_pair_whose_names_agree_is_found_and_few_namesakes_are():
    evaluation = name_pair_evaluation(name_pairs(600))

    assert evaluation.agreeing > 200
    assert [str(p) for p in evaluation.missed_where_names_agree] == []
    assert evaluation.false_match_rate <= GOAL_FALSE_MATCH_RATE, [
        str(p) for p in evaluation.false_matches
    ]


def test_the_labelled_pairs_are_the_same_for_a_seed_and_half_are_the_same_person():
    pairs = name_pairs(200, seed=3)

    assert pairs == name_pairs(200, seed=3)
    assert sum(p.same_person for p in pairs) == 100

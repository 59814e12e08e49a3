"""Lexicon files stay plain word lists: YAML 1.1 reads a bare on/off/yes/no as a boolean."""

from importlib import resources

import pytest
import yaml


def _leaves(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _leaves(value)
    elif isinstance(node, list):
        for value in node:
            yield from _leaves(value)
    else:
        yield node


@pytest.mark.parametrize("path", sorted(p.name for p in resources.files("flows.lexicons").iterdir() if p.name.endswith(".yaml")))
def test_every_lexicon_word_is_text(path):
    data = yaml.safe_load(resources.files("flows.lexicons").joinpath(path).read_text(encoding="utf-8"))
    odd = [v for v in _leaves(data) if isinstance(v, bool) or v is None]
    assert not odd, f"{path}: quote these words: {odd}"


def test_every_cue_frame_is_a_frame_rule():
    from flows.extract import frames

    known = set(frames.FRAMES) | {"quote"}  # a quote is attached in claims.py, not by a frame
    unknown = {(lemma, f) for lemma, fs in frames.cue_verbs().items() for f in fs if f not in known}
    assert not unknown

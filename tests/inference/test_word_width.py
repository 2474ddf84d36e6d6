"""The shortest length of a word orders overlapping words (the longer wins). Plain words are
counted without the regular-expression parser (it cost a cold start about half a second); the
count must equal the parser's for every word of every language."""

from __future__ import annotations

import importlib

import pytest

from flowmap.inference import matcher


def _bodies():
    for lang in matcher.LANGUAGES:
        module = importlib.import_module(f"flowmap.inference.words.{lang}")
        for words in module.WORDS.values():
            for patterns in words.values() if isinstance(words, dict) else (words,):
                for pattern in patterns:
                    pattern = pattern[0] if isinstance(pattern, tuple) else pattern
                    regex, width = matcher._compile_word(pattern, lang)
                    yield lang, pattern, regex, width


def test_every_word_has_the_width_the_parser_gives():
    wrong = [
        (
            lang,
            pattern,
            width,
            matcher._parsed_width(regex.removeprefix(matcher._START).removesuffix(r"(?!\w)")),
        )
        for lang, pattern, regex, width in _bodies()
    ]
    wrong = [w for w in wrong if w[2] != w[3]]
    assert not wrong


@pytest.mark.parametrize(
    ("body", "width"),
    [("managers?", 7), ("team +lead", 9), ("re *work", 6), ("p *d *g", 3), ("caf[eé]", 4)],
)
def test_width_of_examples(body, width):
    assert matcher._shortest(body) == width == matcher._parsed_width(body)

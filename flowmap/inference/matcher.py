"""Folding names and finding lexicon words in them: the machinery behind :mod:`flowmap.inference`.

A name is *folded* before it is searched: lower case, accents taken off (NFKD, plus the letters
NFKD keeps: ł, ø, æ, œ, ß...; ä, ö, ü become ae, oe, ue as German writes them without
umlauts), and every separator (white space, ``_``, ``-``, ``/``) made a
space. Folding keeps one folded piece per character of the name, so a match can always be mapped
back to the text the user wrote.

The words of a language are written in a small notation (``flowmap/inference/words/*.py``):

* a word is a regular expression over folded text, without capturing groups; a space in it
  stands for one or more separators, ``" ?"`` for an optional one;
* ``-word`` may end a compound ("Rechnungs*freigabe*", "Abteilungs*leiter*"): letters may come
  before it;
* ``word-`` is a stem: letters may follow it ("genehmig-" reads genehmigen, genehmigt,
  Genehmigung);
* otherwise the word stands alone: "it" is not found in "submit", "hr" not in "three".

Each concept (customer, level, purpose...) is compiled on first use, not at import: its words
that start a word, grouped by their first letter into one expression per letter (compiled when a
name first has a word with that letter), and its compound ends into one more. A name costs one
match per word of it plus one search: linear in its length.
"""

from __future__ import annotations

import functools
import importlib
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, cast

from flowmap.inference import compiled
from flowmap.records import Record

LANGUAGES = ("en", "de", "fr", "es", "nl", "pl", "pt", "it")

# Letters Unicode does not decompose into a plain letter and a mark (NFKD leaves 'ł' whole).
LETTERS = {
    "ł": "l",
    "Ł": "L",
    "ø": "o",
    "Ø": "O",
    "đ": "d",
    "Đ": "D",
    "ð": "d",
    "Ð": "D",
    "þ": "th",
    "Þ": "Th",
    "æ": "ae",
    "Æ": "Ae",
    "œ": "oe",
    "Œ": "Oe",
    "ı": "i",
    "ħ": "h",
    "ŧ": "t",
    "ß": "ss",
    "ẞ": "SS",
}
_EXTRA = str.maketrans(
    {
        **LETTERS,
        # German umlauts as Germans write them without: 'Bürger' is not 'Burger'.
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "Ä": "Ae",
        "Ö": "Oe",
        "Ü": "Ue",
        "\u2019": "'",
        "\u2018": "'",
        "`": "'",
        "\u00ad": "",
    }
)
_SEPARATORS = str.maketrans(dict.fromkeys("\t\n\r\x0c\x0b_-/‐‑‒–—", " "))


@functools.cache  # compiled on first use, not at import
def _marks() -> re.Pattern[str]:
    return re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """``text`` in lower case without accents, separators made spaces: 'Zatwierdź_Wniosek' ->
    'zatwierdz wniosek', 'Straße' -> 'strasse'. One folded piece per character of ``text``."""
    if text.isascii():
        return text.lower().translate(_SEPARATORS)
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFC", text).translate(_EXTRA))
    return _marks().sub("", decomposed).casefold().translate(_SEPARATORS)


def _original_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of ``text`` whose folded form is ``fold(text)[start:end]``."""
    if text.isascii():
        return start, end
    position, first, last = 0, None, len(text)
    for i, char in enumerate(text):
        if first is None and position + len(fold(char)) > start:
            first = i
        position += len(fold(char))
        if position >= end:
            last = i + 1
            break
    return (first if first is not None else len(text)), last


class Match(Record):
    """What a name was read as, and what decided it.

    ``concept`` is what was asked (``level``, ``purpose``, ``customer``...), ``value`` the
    answer (3, ``Purpose.approval``, True...), ``lang`` the language(s) of the word ("pl",
    "es/it/pt"), ``word`` the word as written in the name, in lower case, and ``text`` exactly
    as written.
    """

    __slots__ = ("concept", "value", "lang", "word", "text")

    def __init__(self, concept: str, value: object, lang: str, word: str, text: str = ""):
        self.concept, self.value, self.lang, self.word, self.text = (
            concept,
            value,
            lang,
            word,
            text,
        )

    @property
    def evidence(self) -> str:
        """'pl: kierownik'."""
        return f"{self.lang}: {self.word}"

    def reason(self, subject: str) -> str:
        """The sentence a user sees: ``reason("level of lane 'Kierownik'")`` ->
        "level of lane 'Kierownik' = 3 (pl: kierownik)". Yes/no concepts leave out ``= True``."""
        if self.value is True:
            return f"{subject} ({self.evidence})"
        value = getattr(self.value, "value", self.value)
        return f"{subject} = {value} ({self.evidence})"


class _Entry:
    """A word as found: a private record (a plain class: a dataclass is built at import)."""

    __slots__ = ("value", "lang", "display", "stem", "regex")

    def __init__(self, value: object, lang: str, display: str, stem: bool, regex: str):
        self.value = value
        self.lang = lang
        self.display = display  # how documentation names the word
        self.stem = stem  # letters may follow it
        self.regex = regex


class Lexicon:
    """One concept's words in every language, searched with one combined expression.

    ``pick`` chooses among the words found in a name: ``"first"`` the leftmost, ``"order"`` the
    one whose value comes first in ``values`` (the priority), ``"all"`` one match per value, in
    the order they occur. Overlapping words are settled by the longest at the leftmost place.
    """

    def __init__(
        self,
        concept: str,
        pick: str = "first",
        values: Iterable[object] | None = None,
        convert: Callable[[Any], object] | None = None,
    ):
        self.concept, self.pick = concept, pick
        self._values = tuple(values) if values is not None else None
        self._convert = convert
        self._built = False
        # (value as written, languages, display, regex) of each word, in the order tried; an
        # entry (its value converted) is made when the word is first found in a name
        self._words: list[tuple[Any, str, str, str]] = []
        self._entries: dict[int, _Entry] = {}
        self._read_rows: list[tuple[Any, str, str]] = []
        self._buckets: dict[str, list[int]] = {}  # first letter -> words starting a word
        self._compiled: dict[str, re.Pattern[str] | None] = {}
        self._tails: dict[str, list[int]] = {}  # first letter -> entries ending a compound
        self._exclude: frozenset[str] = frozenset()
        self._rank: dict[object, int] = {}
        # Rules ask about the same names again and again: each name is searched once.
        self._seen: dict[str, list[Match]] = {}
        # letter -> the expression tried where a word (or a compound end) starts with it
        self._at: dict[str, re.Pattern[str] | None] = {}
        self._tail_at: dict[str, re.Pattern[str] | None] = {}
        self._tail_any: re.Pattern[str] | None = None

    # -- building (on first use) ---------------------------------------------------------------
    def _build(self) -> None:
        words, rows, exclude = compiled.lexicon(self.concept, _sources(), self._read_words)
        # Nothing is converted or made per word here: a concept has up to a thousand words and
        # a cold start meets a few dozen of them (entries are made as they are found).
        self._words, self._read_rows = words, rows
        self._exclude = frozenset(exclude)
        if self._values is not None:
            convert = self._convert or (lambda v: v)
            self._rank = {convert(v): i for i, v in enumerate(self._values)}
        # Words that start a word are tried only where a word starts, and only those that can
        # begin with its letter: a few dozen expressions per word of a name, not a thousand.
        # Compound ends are tried at every letter of a name, again only those of that letter.
        for i, (_, _, _, regex) in enumerate(words):
            tail = not regex.startswith(_START)
            body = regex if tail else regex[len(_START) :]
            first = body[0] if body[0].isalnum() else ""
            buckets = self._tails if tail else self._buckets
            buckets.setdefault(first, []).append(i)
        for buckets in (self._buckets, self._tails):
            anywhere = buckets.setdefault("", [])
            if anywhere:  # each letter's list is in order already: merge only what may start it
                for letter in buckets:
                    buckets[letter] = sorted(set(buckets[letter] + anywhere))
        self._built = True

    def _entry(self, index: int) -> _Entry:
        entry = self._entries.get(index)
        if entry is None:
            value, langs, display, regex = self._words[index]
            if self._convert is not None:
                value = self._convert(value)
            stem = not regex.endswith(r"(?!\w)")
            entry = self._entries[index] = _Entry(value, langs, display, stem, regex)
        return entry

    def _read_words(
        self,
    ) -> tuple[list[tuple[Any, str, str, str]], list[tuple[Any, str, str]], list[str]]:
        """This concept's words from every language's file: (value, languages, display, regex)
        in the order they are tried, (value, languages, display) in the files' order, and the
        excluded words (folded). Plain data: kept between runs (:func:`compiled.lexicon`)."""
        # (value, regex) -> (order, shortest match, display, languages)
        merged: dict[tuple[object, str], tuple[int, int, str, list[str]]] = {}
        exclude: set[str] = set()
        for lang in LANGUAGES:
            module = importlib.import_module(f"flowmap.inference.words.{lang}")
            words = module.WORDS.get(self.concept, ())
            groups = words.items() if isinstance(words, dict) else ((True, words),)
            for value, patterns in groups:
                for pattern in patterns:
                    pattern, display = pattern if isinstance(pattern, tuple) else (pattern, "")
                    regex, length = _compile_word(pattern, lang)
                    key = (value, regex)
                    if key not in merged:
                        merged[key] = (len(merged), length, display or pattern.strip("-"), [])
                    if lang not in merged[key][3]:
                        merged[key][3].append(lang)
            exclude.update(fold(w) for w in module.EXCLUDE.get(self.concept, ()))
        # Where two words match at one place, the longer wins ('accounts receivable' over
        # 'accounts', 'director general' over 'director'), then the first language's.
        items = sorted(
            merged.items(), key=lambda kv: (-kv[1][1], LANGUAGES.index(kv[1][3][0]), kv[1][0])
        )
        return (
            [
                (value, "/".join(langs), display, regex)
                for (value, regex), (_, _, display, langs) in items
            ],
            [
                (value, "/".join(langs), display)
                for (value, _), (_, _, display, langs) in merged.items()
            ],
            sorted(exclude),
        )

    def _bucket(self, letter: str, tail: bool = False) -> re.Pattern[str] | None:
        buckets = self._tails if tail else self._buckets
        if letter not in buckets:
            letter = ""
        key = ("~" if tail else "") + letter
        if key not in self._compiled:
            cut = 0 if tail else len(_START)
            indices = buckets[letter]
            self._compiled[key] = (
                compiled.pattern("|".join(f"(?P<w{i}>{self._words[i][3][cut:]})" for i in indices))
                if indices
                else None
            )
        return self._compiled[key]

    def rows(self) -> list[tuple[object, str, str]]:
        """(value, languages, word) of every word, in the order the word files list them."""
        if not self._built:
            self._build()
        convert = self._convert or (lambda v: v)
        return [(convert(value), langs, display) for value, langs, display in self._read_rows]

    # -- searching -----------------------------------------------------------------------------
    def matches(self, name: str) -> list[Match]:
        """Every word of this concept found in ``name``, chosen by ``pick``.

        Within one word of the name only the last word found counts: a compound is what its
        last part says ('Lieferkontrolle' is a check, 'Abteilungsleiterassistenz' an assistant).
        """
        if not name:
            return []
        found = self._seen.get(name)
        if found is None:
            if len(self._seen) >= _MEMO_SIZE:
                self._seen.clear()
            found = self._seen[name] = self._search(name)
        return list(found)

    def _search(self, name: str) -> list[Match]:
        if not self._built:
            self._build()
        folded = fold(name)
        candidates = []  # (start, end, entry): words at word starts, then compound ends
        at = self._at
        for start in _word_starts(folded):
            letter = folded[start]
            regex = at.get(letter, _UNSET)
            if regex is _UNSET:
                regex = at[letter] = self._bucket(letter)
            hit = regex.match(folded, start) if regex is not None else None
            if hit is not None:
                candidates.append((start, 0, hit.end(), _entry_of(hit)))
        if len(self._tails) > 1 or self._tails.get(""):
            at = self._tail_at
            if self._tail_any is None:  # where any compound end matches: one search in C
                self._tail_any = compiled.pattern(
                    "(?=(?:"
                    + "|".join(w[3] for w in self._words if not w[3].startswith(_START))
                    + "))"
                )
            for place in self._tail_any.finditer(folded):
                start = place.start()
                letter = folded[start]
                regex = at.get(letter, _UNSET)
                if regex is _UNSET:
                    regex = at[letter] = (
                        self._bucket(letter, tail=True) if letter.isalnum() else None
                    )
                if regex is not None:
                    hit = regex.match(folded, start)
                    if hit is not None:
                        candidates.append((start, 1, hit.end(), _entry_of(hit)))
            candidates.sort()
        hits: dict[int, tuple[int, int, int]] = {}  # word start -> (entry, start, end)
        taken = 0  # words do not overlap: the leftmost, then the longest, counts
        for start, _, end, index in candidates:
            if start < taken:
                continue
            taken = end
            first, last = _word_around(folded, start, end)
            if self._exclude and folded[first:last] in self._exclude:
                continue
            if end < last and self._entry(index).stem:
                end = last  # a stem reads to the end of its word: 'genehmig-' -> 'genehmigung'
            hits[first] = (index, start, end)
        found: list[Match] = []
        for index, start, end in hits.values():
            entry = self._entry(index)
            first, last = _original_span(name, start, end)
            text = name[first:last]
            found.append(Match(self.concept, entry.value, entry.lang, text.lower(), text))
        if self.pick == "first":
            found = found[:1]
        elif self.pick == "order" and found:
            found = [min(found, key=lambda m: self._rank.get(m.value, len(self._rank)))]
        elif self.pick == "all":
            by_value: dict[object, Match] = {}
            for m in found:
                by_value.setdefault(m.value, m)
            found = list(by_value.values())
        return found

    def find(self, name: str) -> Match | None:
        """The word that decides, or None."""
        found = self.matches(name)
        return found[0] if found else None


@functools.cache
def _sources() -> tuple[str, ...]:
    """The files a lexicon is read from: every language's words, and this module (the notation)."""
    here = os.path.dirname(os.path.abspath(__file__))
    return (__file__, *(os.path.join(here, "words", f"{lang}.py") for lang in LANGUAGES))


_UNSET: Any = object()  # "not looked up yet", apart from None ("no expression")
_MEMO_SIZE = 100_000  # names remembered per concept (then forgotten all at once)


def _word_starts(text: str) -> list[int]:
    return [m.start() for m in re.finditer(r"(?<!\w)\w", text)]  # re caches the pattern


def _word_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the word(s) of ``text`` that hold ``text[start:end]``."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


_START = r"(?<!\w)"


def _compile_word(pattern: str, lang: str) -> tuple[str, int]:
    """(regular expression, length) of one word in the notation above."""
    tail = pattern.startswith("-")
    stem = pattern.endswith("-")
    body = pattern.strip("-")
    if re.search(r"(?<!\\)\((?!\?)", body):
        raise ValueError(f"{lang}: {pattern!r}: write (?:...) instead of a capturing group")
    body = fold(body).replace(" ?", " *").replace(" ", " +").replace(" +*", " *")
    # A stem does not take the rest of its word, so that a later part of a compound is found
    # too ('Liefer|kontrolle'); the match is widened to the whole word afterwards.
    regex = ("" if tail else r"(?<!\w)") + body + ("" if stem else r"(?!\w)")
    return regex, compiled.width(body, _shortest)


@functools.cache  # compiled on first use (cold start)
def _plain() -> re.Pattern[str]:
    """Letters, apostrophes and separators: counted, not parsed."""
    return re.compile(r"(?:[^\W_]|'| \+| \*)*")


def _entry_of(hit: re.Match[str]) -> int:
    """The entry a match came from: every alternative is a group named ``w<index>``."""
    return int(cast(str, hit.lastgroup)[1:])


def _shortest(regex: str) -> int:
    """How many characters a match of ``regex`` has at least ('managers?' -> 7)."""
    if _plain().fullmatch(regex):
        return len(regex) - regex.count(" +") - 2 * regex.count(" *")
    return _parsed_width(regex)


def _parsed_width(regex: str) -> int:
    try:
        parser = importlib.import_module("re._parser")  # the parser re itself uses
        width: int = parser.parse(regex).getwidth()[0]
        return width
    except (ImportError, AttributeError, re.error):  # pragma: no cover - other Pythons
        return len(regex)

"""The quick fix's three-way merge: a redesign's changed lines carried into the user's text."""

from __future__ import annotations

from flowmap.lsp.actions import apply, merge

BASE = "a: 1\nsteps:\n  - x\n  - y\n  - z\n"


def test_changed_lines_land_in_the_users_text_around_their_comments():
    ours = "# mine\na: 1\nsteps:\n  - x  # keep me\n  - y\n\n  - z\n"
    theirs = "a: 1\nsteps:\n  - x\n  - w\n  - z\n"  # y replaced by w
    edits = merge(ours, BASE, theirs)
    assert apply(ours, edits) == "# mine\na: 1\nsteps:\n  - x  # keep me\n  - w\n\n  - z\n"


def test_an_insertion_and_a_deletion():
    ours = "a: 1\nsteps:\n  - x\n  - y\n  - z\n"
    theirs = "a: 1\nsteps:\n  - x\n  - z\n  - q\n"
    assert apply(ours, merge(ours, BASE, theirs)) == theirs


def test_a_changed_line_the_user_wrote_differently_refuses_the_merge():
    ours = "a: 1\nsteps:\n  - x\n  - y  # a comment on the changed line\n  - z\n"
    theirs = "a: 1\nsteps:\n  - x\n  - w\n  - z\n"
    assert merge(ours, BASE, theirs) is None

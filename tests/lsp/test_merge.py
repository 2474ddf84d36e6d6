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


def test_comments_between_removed_lines_are_kept():
    ours = "a: 1\nsteps:\n  - x\n  # about y\n  - y\n\n  # about z\n  - z\n"
    theirs = "a: 1\nsteps:\n  - x\n"
    merged = apply(ours, merge(ours, BASE, theirs))
    assert merged == "a: 1\nsteps:\n  - x\n  # about y\n\n  # about z\n"


def test_every_quick_fix_on_a_library_process_gives_the_redesign_with_the_comments_kept(tmp_path):
    """What the editor ends up with after a quick fix loads, holds exactly what
    ``flowmap analyze --fix`` makes of that one finding, and keeps every comment line."""
    from pathlib import Path

    from flowmap.loaders.flow_yaml import load_process
    from flowmap.lsp.actions import quick_fix
    from flowmap.lsp.documents import Documents
    from flowmap.redesign import redesign

    source = Path(__file__).resolve().parents[2] / "processes" / "insurance-claim"
    for name in ("as-is.flow.yaml", "insurer.org.yaml"):
        (tmp_path / name).write_text((source / name).read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "as-is.flow.yaml"
    text = path.read_text(encoding="utf-8")
    documents = Documents()
    snapshot = documents.put(path.as_uri(), text, 1)
    analysis = documents.checked(snapshot).analysis
    comments = [line for line in text.split("\n") if line.lstrip().startswith("#")]
    offered = 0
    for finding in analysis.findings:
        action = quick_fix(snapshot, analysis.process, finding)
        if action is None:
            continue
        offered += 1
        edits = [
            (e.range.start.line, e.range.end.line, e.new_text)
            for e in action.edit.changes[snapshot.uri]
        ]
        assert all(
            e.range.start.character == 0 == e.range.end.character
            for e in action.edit.changes[snapshot.uri]
        )
        fixed = apply(text, edits)
        assert [line for line in fixed.split("\n") if line.lstrip().startswith("#")] == comments
        result = tmp_path / "fixed.flow.yaml"
        result.write_text(fixed, encoding="utf-8")
        expected = redesign(analysis.process, [finding]).process
        got = load_process(result)
        assert got.model_dump(exclude={"info"}) == expected.model_dump(exclude={"info"}), (
            finding.code
        )
        assert got.info == analysis.process.info  # the as-is stays an as-is
    assert offered >= 20


def test_ignore_is_offered_where_the_comment_applies_and_nowhere_else(tmp_path):
    """On a step's line the comment silences the finding; above the process header it would be
    a stray comment that silences nothing, so it is not offered there."""
    import dataclasses

    from flowmap.lsp.actions import ignore_here
    from flowmap.lsp.documents import Documents
    from flowmap.rules.smokestack.smk001_chimney_handoff import ChimneyHandoff

    text = ChimneyHandoff.bad
    path = tmp_path / "credit.flow.yaml"
    path.write_text(text, encoding="utf-8")
    documents = Documents()
    snapshot = documents.put(path.as_uri(), text, 1)
    analysis = documents.checked(snapshot).analysis
    finding = next(f for f in analysis.findings if f.code == "SMK001")
    assert ignore_here(snapshot, analysis.process, finding) is not None
    header = dataclasses.replace(finding, location=analysis.process.locate("process"))
    assert ignore_here(snapshot, analysis.process, header) is None

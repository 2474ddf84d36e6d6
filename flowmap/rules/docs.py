"""Rule documentation pages, generated from the registry (``docs/rules/`` and ``flowmap explain``).

A page follows ruff's order: what the rule does, why it is bad, an example (the rule's invalid
example, with the findings it must produce), what to use instead (the redesign, as a diff from the
invalid to the valid example), options and references. It is made of the rule's attributes, its
docstring (*What it finds*, *How to fix*) and its example files.
``python -m flowmap.rules.docs docs/rules`` writes the pages; a test fails when they are stale.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from flowmap.rules import presets
from flowmap.rules.base import Rule
from flowmap.rules.examples import Example

FIXABLE = {
    "always": "always (`flowmap analyze --fix` redesigns every finding)",
    "sometimes": "sometimes (`flowmap analyze --fix` redesigns the findings whose shape "
    "allows it; see *Use instead*)",
}


def _options_table(rule: type[Rule]) -> str:
    fields = rule.Options.model_fields
    if not fields:
        return "None.\n"
    rows = ["| option | default | meaning |", "|---|---|---|"]
    for name, info in fields.items():
        key = name.replace("_", "-")
        rows.append(f"| `{key}` | `{info.default!r}` | {info.description or ''} |")
    return "\n".join(rows) + "\n"


def sections(rule: type[Rule]) -> dict[str, str]:
    """The docstring cut at its ``## `` headings; the text before the first is ``""``."""
    intro, *rest = re.split(r"^## (.+)\n", rule.doc(), flags=re.MULTILINE)
    out = {"": intro.strip("\n")}
    out.update(
        (heading, body.strip("\n")) for heading, body in zip(rest[::2], rest[1::2], strict=True)
    )
    return out


def severities(rule: type[Rule]) -> str:
    return ", ".join(f"{presets.severity(rule.code, name)} in `{name}`" for name in presets.names())


def _reported(example: Example) -> list[str]:
    return [
        f"- `{e.code}` on {', '.join(f'`{el}`' for el in e.elements)}: {e.message}"
        for e in example.expected
    ]


def _redesign(invalid: Example, valid: Example) -> list[str]:
    diff = difflib.unified_diff(
        invalid.body.splitlines(),
        valid.body.splitlines(),
        invalid.path.name,
        valid.path.name,
        lineterm="",
        n=2,
    )
    return ["```diff", *diff, "```"]


def _needs(rule: type[Rule]) -> list[str]:
    from flowmap.applicability import NEEDS

    if not rule.needs:
        return []
    lacking = "; ".join(NEEDS[n].lacking for n in rule.needs)
    return [
        (
            f"**Runs when the model has:** {', '.join(rule.needs)} (skipped, and said so, when "
            f"{lacking})"
        ),
        "",
    ]


def page(rule: type[Rule]) -> str:
    text = sections(rule)
    examples = rule.examples()
    invalid = [e for e in examples if not e.valid]
    valid = {e.name: e for e in examples if e.valid}
    parts = [
        f"# {rule.code} {rule.name}",
        "",
        f"*{rule.summary}*",
        "",
        f"**Family:** {rule.family.value} · **Severity:** {severities(rule)} · **Fixable:** "
        + (FIXABLE[rule.fixable] if rule.fixable else "no"),
        "",
        *_needs(rule),
        "## What it does",
        "",
        text.get("", ""),
        "",
        text.get("What it finds", ""),
        "",
        "## Why is this bad?",
        "",
        rule.why,
        "",
        "## Example",
        "",
    ]
    for example in invalid:
        parts += [
            f"`{example.path.name}`:",
            "",
            "```yaml",
            example.body.rstrip("\n"),
            "```",
            "",
            "flowmap reports:",
            "",
            *_reported(example),
            "",
        ]
    parts += ["## Use instead", "", text.get("How to fix", ""), ""]
    for example in invalid:
        if example.name in valid:
            parts += [*_redesign(example, valid[example.name]), ""]
    for name, example in valid.items():
        if not any(e.name == name for e in invalid):
            parts += [
                f"`{example.path.name}`:",
                "",
                "```yaml",
                example.body.rstrip("\n"),
                "```",
                "",
            ]
    parts += [
        "## Options",
        "",
        (
            f"Set them in `[tool.flowmap.rules.{rule.code}]`, with `severity` to override the "
            "preset's:"
        ),
        "",
        _options_table(rule),
    ]
    if rule.references:
        parts += ["## References", ""] + [f"- {ref}" for ref in rule.references] + [""]
    return "\n".join(parts).rstrip() + "\n"


def index(rules: Sequence[type[Rule]]) -> str:
    lines = [
        "# Rules",
        "",
        (
            "Generated from the rule registry by `python -m flowmap.rules.docs "
            "docs/rules`; do not edit by hand."
        ),
        "",
        (
            'Severities are those of the `recommended` preset; `preset = "strict"` in the '
            "configuration makes every finding an error (`flowmap/rules/presets.toml`)."
        ),
        "",
        "| code | name | family | severity | fix | what it finds |",
        "|---|---|---|---|---|---|",
    ]
    for rule in rules:
        lines.append(
            f"| [{rule.code}]({rule.code}.md) | {rule.name} | {rule.family.value} | "
            f"{rule.severity.value} | {rule.fixable} | {rule.summary} |"
        )
    lines += [
        "",
        "## Adding a rule",
        "",
        (
            "A rule is a folder `flowmap/rules/<family>/<code>_<name>/`: `__init__.py` holds the "
            "rule class (its docstring has *What it finds* and *How to fix*), beside it "
            "`valid-*.flow.yaml` (the rule is silent) and `invalid-*.flow.yaml` examples. An "
            "invalid example lists the findings it must produce in its leading comments:"
        ),
        "",
        "```yaml",
        "# expect:",
        "#   - code: SMK001",
        "#     elements: [escalate->forward, take-order, escalate, forward, check-credit]",
        '#     message: "sales reaches finance through 2 manager hops"',
        "flowmap: 1",
        "...",
        "```",
        "",
        (
            "`elements` are the finding's steps and flows in order; `message` is a part of its "
            "message. `tests/test_rule_examples.py` checks every example of every rule; add "
            "the rule's severity to each preset in `flowmap/rules/presets.toml`."
        ),
    ]
    return "\n".join(lines) + "\n"


def pages() -> dict[str, str]:
    """File name -> contents of every page of docs/rules/."""
    from flowmap.rules import all_rules

    rules = all_rules()
    out = {"README.md": index(rules)}
    out.update({f"{rule.code}.md": page(rule) for rule in rules})
    return out


def main(argv: list[str]) -> int:
    from flowmap.files import write_atomic

    target = Path(argv[0] if argv else "docs/rules")
    target.mkdir(parents=True, exist_ok=True)
    wanted = pages()
    for old in target.glob("*.md"):
        if old.name not in wanted:
            old.unlink()
    for name, text in wanted.items():
        write_atomic(target / name, text)
    print(f"wrote {len(wanted)} pages to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

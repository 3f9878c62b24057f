"""The README stays true: every command is documented, and its console examples run as shown."""

from __future__ import annotations

import doctest
import re
import shlex
import shutil

import pytest
from conftest import ROOT

from regiongraph.cli import main

README = (ROOT / "README.md").read_text(encoding="utf-8")


def console_examples() -> list[tuple[str, list[str]]]:
    examples = []
    for block in re.findall(r"```console\n(.*?)```", README, flags=re.S):
        command, expected = None, []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command:
                    examples.append((command, expected))
                command, expected = line[2:], []
            else:
                expected.append(line)
        if command:
            examples.append((command, expected))
    return [(command, _trim(expected)) for command, expected in examples]


def _trim(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line; a line '...' in the README stands for any number of lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and matches(expected[1:], actual[1:])


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_has_help_and_is_in_the_readme(runner, name) -> None:
    result = runner.invoke(main, [name, "-h"])
    assert result.exit_code == 0
    assert "Example" in result.output
    assert f"regiongraph {name}" in README


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory):
    """A copy of the project, built, where README's examples run: the checkout stays clean."""
    from click.testing import CliRunner

    copy = tmp_path_factory.mktemp("readme") / "project"
    for part in ("data", "ontology", "shapes", "queries"):
        shutil.copytree(ROOT / part, copy / part)
    shutil.copy(ROOT / "regiongraph.toml", copy)
    result = CliRunner().invoke(main, ["build", "--project", str(copy)])
    assert result.exit_code == 0, result.output
    return copy


@pytest.mark.parametrize(
    ("command", "expected"), console_examples(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_readme_examples_run_as_shown(runner, monkeypatch, project_copy, command, expected) -> None:
    monkeypatch.chdir(project_copy)
    args = shlex.split(command)
    assert args[0] == "regiongraph"
    result = runner.invoke(main, args[1:])
    assert result.exit_code in (0, 1), result.output
    assert matches(expected, result.output.splitlines()), result.output


def test_readme_quick_start_has_exactly_two_setup_commands() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.findall(r"```sh\n(.*?)```", quick_start, flags=re.S)
    assert len(block) == 1
    commands = block[0].strip().splitlines()
    assert commands == [
        "python -m pip install . && regiongraph build",
        "python -m pip install '.[test]' && python -m pytest",
    ]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1].replace("python -m pip install", "python -m pip install -q") in ci


def test_readme_python_session_runs(monkeypatch, project_copy) -> None:
    """The "Python API" section is a doctest, run in the built copy of the project."""
    section = README.split("## Python API", 1)[1].split("\n## ", 1)[0]
    (session,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    monkeypatch.chdir(project_copy)
    test = doctest.DocTestParser().get_doctest(session, {}, "README", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    failures: list[str] = []
    runner.run(test, out=failures.append)
    assert runner.failures == 0, "".join(failures)
    assert runner.tries >= 8

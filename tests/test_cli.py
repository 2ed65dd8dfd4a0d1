"""The metrics command: exit codes, messages for people, no tracebacks."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT, SEED_DATA, Case, run_metrics

from metrics.tools.cli import main


def test_check_valid_data_prints_one_summary_line(capsys) -> None:
    # The seed fixture, whose counts stay put (the bundled data's own check is in
    # test_real_data.py).
    assert main(["check", str(SEED_DATA)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    assert out[0].startswith("ok: 7 sources, 27 regions, ")


def test_check_reports_every_problem_as_file_line_message(case: Case, capsys) -> None:
    case.replace("    value: 120\n", "    value: -120\n")
    case.replace("    qualifier: more_than", "    qualifier: lots")
    assert main(["check", str(case.path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    line = case.line("value: -120")
    message = "field 'value' is negative (-120) (reported amounts are zero or more)"
    assert err[0] == f"{case.path}:{line}: {message}"
    assert err[1].startswith(
        f"{case.path}:{case.line('qualifier: lots')}: unknown qualifier 'lots' ("
    )
    assert err[2] == "2 problems found"


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["export"], ["check", "a", "b"]])
def test_bad_usage_exits_2(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2


def test_installed_command_checks_default_data_from_project_folder() -> None:
    # The console script itself, as a curator types it: the one command of the suite
    # that pays a whole start (the others fork a process that has imported already).
    command = Path(sys.executable).with_name("metrics")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [str(command), "check"], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: ")


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\xff\xfe not utf-8",
        b"sources: [unclosed\n",
        b"a: &a [1]\nb: *a\n",
        b"\x00\x01\x02",
        # Nesting that would overflow libyaml's C stack and kill the process.
        b"sources: " + b"[" * 100_000 + b"]" * 100_000,
        b"sources:\n  " + b"- " * 100_000 + b"x",
        b"sources:\n" + b"\n".join(b" " * n + b"-" for n in range(1, 6000)),
    ],
    ids=[
        "empty",
        "not-utf8",
        "syntax",
        "alias",
        "control",
        "deep-flow",
        "deep-inline",
        "deep-indent",
    ],
)
def test_broken_files_give_exit_1_and_no_traceback(tmp_path, raw: bytes) -> None:
    path = tmp_path / "indicators.yaml"
    path.write_bytes(raw)
    result = run_metrics("check", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{path}:")


# What a terminal obeys: every C0 control (tab and newline are checked apart), DEL, C1.
_OBEYED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_check_shows_terminal_escapes_in_an_id_as_text(case: Case) -> None:
    # ESC [2K clears the line and CR returns to its start: raw, they would print "ok"
    # over the problem on a curator's terminal.
    case.replace("  - id: prov\n", '  - id: "prov\\e[2K\\rok"\n')
    result = run_metrics("check", str(case.path))
    assert result.returncode == 1
    assert "\x1b" not in result.stderr + result.stdout
    assert "\r" not in result.stderr + result.stdout
    assert f"{case.path}:{case.line('prov')}: id 'prov\\x1b[2K\\rok' is not valid" in result.stderr


def test_extract_shows_an_articles_control_characters_as_escapes(tmp_path, capsys) -> None:
    article = tmp_path / "article.txt"
    article.write_text("丙镇累计\x1b收集问题120个，\x9b新建项目5个。\n", encoding="utf-8")
    assert main(["extract", str(article), "--data", str(SEED_DATA)]) == 0
    table = capsys.readouterr().out
    assert "\\x1b收集问题120个" in table and "\\x9b新建项目5个" in table
    assert main(["extract", str(article), "--data", str(SEED_DATA), "--json"]) == 0
    printed = capsys.readouterr().out
    fragments = [m["fragment"] for m in json.loads(printed)["mentions"]]
    assert "\x9b新建项目5个" in fragments  # the same text, read back
    assert main(["extract", str(article), "--data", str(SEED_DATA), "--yaml"]) == 0
    stubs = capsys.readouterr().out
    quotes = [entry["quote"] for entry in yaml.safe_load(stubs)]
    assert quotes == fragments
    for output in (table, printed, stubs):
        assert _OBEYED.search(output) is None, output


def test_export_refuses_invalid_data(case: Case, tmp_path) -> None:
    case.replace("    value: 120\n", "    value: -120\n")
    assert main(["export", "--data", str(case.path), "--out", str(tmp_path / "pkg")]) == 1
    assert not (tmp_path / "pkg").exists()


def test_indicators_lists_id_unit_family_name_and_aliases() -> None:
    result = run_metrics("indicators", "--data", str(SEED_DATA))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "unit", "family", "name_zh", "aliases_zh"]
    assert lines[2].split() == [
        "training_classes_young_cadres", "session", "trainees", "中青年干部培训班", "-",
    ]  # fmt: skip
    indicators = yaml.safe_load(SEED_DATA.read_text(encoding="utf-8"))["indicators"]
    assert lines[-1] == f"{len(indicators)} indicators"
    assert [line.split()[0] for line in lines[2:-1]] == [i["id"] for i in indicators]


def test_indicators_json_carries_the_aliases(case: Case, capsys) -> None:
    case.replace(
        "    name_en: Problems collected\n",
        "    name_en: Problems collected\n    aliases_zh: [受理诉求, 群众反映问题]\n",
    )
    assert main(["indicators", "--data", str(case.path), "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert records[0] == {
        "id": "problems_reported",
        "unit": "item",
        "family": "problems",
        "name_zh": "收集群众问题",
        "aliases_zh": ["受理诉求", "群众反映问题"],
    }
    assert records[1]["aliases_zh"] == []
    assert main(["indicators", "--data", str(case.path)]) == 0
    assert "受理诉求; 群众反映问题" in capsys.readouterr().out.splitlines()[2]


def test_indicators_refuses_invalid_data(case: Case, capsys) -> None:
    case.replace("    unit: yuan\n    family: investment", "    unit: 万元\n    family: investment")
    assert main(["indicators", "--data", str(case.path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{case.path}:{case.line('unit: 万元')}: unknown unit" in captured.err
    assert captured.err.endswith("no indicators listed: fix the problems first\n")


def test_pre_commit_hooks_run_on_every_data_file() -> None:
    config = yaml.safe_load((PROJECT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert {hook["id"] for hook in hooks} == {"metrics-check", "metrics-coverage"}
    for hook in hooks:
        pattern = re.compile(hook["files"])  # pre-commit searches each staged path
        for path in ("data/indicators.yaml", "data/indicators/004_x.yaml", "data/sources/004.txt"):
            assert pattern.search(path), (hook["id"], path)
        for path in ("docs/x.md", "tests/fixtures/seed/indicators.yaml", "data/README.md"):
            assert not pattern.search(path), (hook["id"], path)

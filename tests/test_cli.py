"""kg.cli with click's CliRunner: help for every command, exact output of ``kg build``, skips, stdin, stable
bytes and a clean error for a bad model. Uses the real default model."""

from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import EXIT_SKIPPED, main
from kg.graph import DEFAULT_THRESHOLD, read_json, stated_relations
from kg.pipeline import OUTPUT_FILES

ARTICLE = Path(__file__).resolve().parents[1] / "data" / "syria-tillerson.txt"
SUMMARY = re.compile(
    r"^1 articles, (\d+) entities, (\d+) relations \((\d+) stated with confidence >= "
    + re.escape(str(DEFAULT_THRESHOLD))
    + r"\)$"
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()  # click 8.2+: result.stdout and result.stderr are kept apart, result.output has both


def expected_stdout(out: Path) -> str:
    """The summary line and the three "wrote" lines, with the counts of the graph that was written."""
    G = read_json(out / "graph.json")
    stated = len(stated_relations(G, threshold=DEFAULT_THRESHOLD))
    lines = [
        f"{len(G.graph['articles'])} articles, {G.number_of_nodes()} entities, {G.number_of_edges()} relations "
        f"({stated} stated with confidence >= {DEFAULT_THRESHOLD})"
    ]
    lines += [f"wrote {out / name}" for name in OUTPUT_FILES]
    return "\n".join(lines) + "\n"


# --- help -------------------------------------------------------------------------------------------------


def test_main_help_lists_every_command(runner: CliRunner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Usage: main [OPTIONS] COMMAND [ARGS]...\n")
    for name in main.commands:
        assert f"  {name} " in result.stdout


@pytest.mark.parametrize("name", sorted(main.commands))
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_every_command_has_help(runner: CliRunner, name: str, flag: str):
    result = runner.invoke(main, [name, flag])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Usage: main {name} [OPTIONS]")
    help_text = main.commands[name].help
    assert help_text
    assert help_text.split()[0] in result.stdout


def _groups() -> list[list[str]]:
    return [[]] + [[name] for name, command in sorted(main.commands.items()) if hasattr(command, "commands")]


@pytest.mark.parametrize("group", _groups(), ids=lambda group: " ".join(["kg", *group]))
def test_command_summaries_end_at_a_sentence(runner: CliRunner, group: list[str]):
    result = runner.invoke(main, [*group, "--help"])
    listed = result.stdout.split("\nCommands:\n", 1)[1].splitlines()
    assert listed
    for line in listed:
        name, summary = line.split(maxsplit=1)
        assert summary.endswith(".") and not summary.endswith("..."), f"kg {' '.join(group)} {name}: {summary!r}"


@pytest.mark.parametrize("command", ["build", "remove", "push"])
@pytest.mark.parametrize(
    ("alias", "name"), [("ttl", "turtle"), ("TTL", "turtle"), ("jsonld", "json-ld"), ("nq", "nquads")]
)
def test_rdf_formats_are_taken_by_their_aliases(command: str, alias: str, name: str):
    option = next(param for param in main.commands[command].params if param.name == "rdf_format")
    assert option.type.convert(alias, option, None) == name


def test_an_unknown_rdf_format_lists_the_names(runner: CliRunner, tmp_path: Path):
    result = runner.invoke(main, ["build", str(ARTICLE), "--out", str(tmp_path), "--format", "ttl2"])
    assert result.exit_code == 2
    assert "'ttl2' is not one of" in result.stderr and "'turtle'" in result.stderr


def test_validate_takes_an_alias(runner: CliRunner, tmp_path: Path):
    from conftest import make_sample_graph

    from kg.rdf import write_rdf

    path = tmp_path / "graph.data"
    write_rdf(make_sample_graph(), path, format="ttl")
    result = runner.invoke(main, ["validate", str(path), "--format", "ttl"])
    assert result.exit_code == 0, result.output


def test_vocabulary_needs_a_store(runner: CliRunner, tmp_path: Path):
    result = runner.invoke(main, ["build", str(ARTICLE), "--out", str(tmp_path), "--vocabulary"])
    assert result.exit_code == 2 and "pass --store DIR too" in result.stderr


# --- kg build ---------------------------------------------------------------------------------------------


def test_build_one_file(runner: CliRunner, tmp_path: Path):
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(ARTICLE), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout == expected_stdout(out)
    summary = result.stdout.splitlines()[0]
    entities, relations, stated = map(int, SUMMARY.match(summary).groups())
    assert entities > 0 and relations > stated > 0
    for name in OUTPUT_FILES:
        assert (out / name).is_file() and (out / name).stat().st_size > 0
    assert sorted(path.name for path in out.iterdir()) == sorted(OUTPUT_FILES)  # no temporary files left


def test_build_with_a_small_max_nodes_says_what_the_page_leaves_out(runner: CliRunner, tmp_path: Path):
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(ARTICLE), "--out", str(out), "-q", "--max-nodes", "3"])
    assert result.exit_code == 0, result.output
    n_entities = read_json(out / "graph.json").number_of_nodes()
    assert result.stdout == expected_stdout(out) + (
        f"graph.html holds the 3 of {n_entities} entities with the most relations and mentions and names the "
        "largest it leaves out; a larger --max-nodes holds more\n"
    )
    assert f"Left out: {n_entities - 3} entities" in (out / "graph.html").read_text(encoding="utf-8")


def test_build_with_a_missing_path_skips_it_and_exits_3(runner: CliRunner, tmp_path: Path):
    out = tmp_path / "out"
    missing = tmp_path / "no-such-article.txt"
    result = runner.invoke(main, ["build", str(ARTICLE), str(missing), "--out", str(out), "-q"])
    assert result.exit_code == EXIT_SKIPPED == 3
    assert re.search(rf"^skipped {re.escape(str(missing))}: .+$", result.stderr, flags=re.MULTILINE), result.stderr
    assert result.stderr.endswith("1 input(s) skipped; see the messages above.\n")
    assert result.stdout == expected_stdout(out)  # the good file was still used
    assert SUMMARY.match(result.stdout.splitlines()[0])
    assert all((out / name).is_file() for name in OUTPUT_FILES)


def test_build_from_stdin(runner: CliRunner, tmp_path: Path):
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", "-", "--out", str(out), "-q"], input=ARTICLE.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    assert result.stdout == expected_stdout(out)
    G = read_json(out / "graph.json")
    assert [meta["source"] for meta in G.graph["articles"].values()] == ["<stdin>"]
    assert "person:rex-tillerson" in G


def test_build_twice_gives_the_same_bytes(runner: CliRunner, tmp_path: Path):
    for run in ("first", "second"):
        result = runner.invoke(main, ["build", str(ARTICLE), "--out", str(tmp_path / run), "-q"])
        assert result.exit_code == 0, result.output
    for name in OUTPUT_FILES:
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes(), name


def test_build_with_a_bad_model_is_a_clean_error(runner: CliRunner, tmp_path: Path):
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(ARTICLE), "--model", "no_such_model_xyz", "--out", str(out), "-q"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # a ClickException, not a traceback
    assert result.stdout == ""
    assert result.stderr.startswith("Error: Cannot load the spaCy pipeline 'no_such_model_xyz'")
    assert "--model" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_build_needs_a_source(runner: CliRunner):
    result = runner.invoke(main, ["build"])
    assert result.exit_code == 2
    assert "Missing argument 'SOURCES...'" in result.stderr


def test_build_format_choices_are_the_rdf_formats():
    from kg import rdf
    from kg.cli import build

    (option,) = [p for p in build.params if p.name == "rdf_format"]
    assert sorted(option.type.choices) == sorted(rdf.FORMATS)


def test_build_writes_the_chosen_rdf_format(tmp_path):
    result = CliRunner().invoke(main, ["build", str(ARTICLE), "--out", str(tmp_path), "-q", "--format", "trig"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "graph.trig").is_file() and not (tmp_path / "graph.ttl").exists()


def test_build_with_two_workers_gives_the_same_graph(tmp_path):
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / workers
        result = CliRunner().invoke(main, ["build", str(ARTICLE), "--out", str(out), "-q", "--workers", workers])
        assert result.exit_code == 0, result.output
        outputs.append((out / "graph.json").read_bytes())
    assert outputs[0] == outputs[1]


# --- runs that must not lose earlier outputs ------------------------------------------------------------------


@pytest.fixture
def built(runner: CliRunner, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """An out folder of an earlier build, and its files' bytes."""
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(ARTICLE), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out, {path.name: path.read_bytes() for path in out.iterdir()}


def test_a_mistyped_folder_leaves_the_earlier_outputs(runner: CliRunner, tmp_path: Path, built):
    out, before = built
    result = runner.invoke(main, ["build", str(tmp_path / "typo-folder"), "--out", str(out), "-q"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "skipped" in result.stderr and "Error: No article in" in result.stderr
    assert "nothing was written" in result.stderr
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before


@pytest.mark.parametrize(("option", "value"), [("--batch-size", "0"), ("--batch-size", "-5"), ("--max-nodes", "0")])
def test_bad_option_values_are_refused_before_anything_is_done(runner: CliRunner, built, option: str, value: str):
    out, before = built
    result = runner.invoke(main, ["build", str(ARTICLE), "--out", str(out), "-q", option, value])
    assert result.exit_code == 2
    assert f"Invalid value for '{option}': {value} is not in the range x>=1." in result.stderr
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before


def _full_disk(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_outputs_are_replaced_together_or_not_at_all(runner: CliRunner, built, monkeypatch: pytest.MonkeyPatch):
    out, before = built
    monkeypatch.setattr("kg.viz.write_html", _full_disk)  # the last of the three files fails
    other = ARTICLE.parent / "wikinews.jsonl"
    result = runner.invoke(main, ["build", str(other), "--out", str(out), "-q"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "the disk is full" in result.stderr and "graph.html" in result.stderr and "Traceback" not in result.output
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before  # all old, no temporary file


def test_a_killed_writer_s_temporary_file_is_removed_by_the_next_build(runner: CliRunner, built):
    out, _ = built
    writer = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    leftover = out / f".graph.json.{writer.pid}.x1y2z3"
    leftover.write_text('{"directed": true, "multigraph": true, "gra')  # what a writer killed half-way leaves
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    result = runner.invoke(main, ["build", str(ARTICLE), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert not leftover.exists()
    assert sorted(path.name for path in out.iterdir()) == sorted(OUTPUT_FILES)


def test_a_file_name_that_is_not_utf8_is_built(runner: CliRunner, tmp_path: Path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / os.fsdecode(b"syria-\xe9t\xe9.txt")).write_bytes(ARTICLE.read_bytes())
    for _ in ("first run", "again"):
        result = runner.invoke(
            main, ["build", str(folder), "--out", str(tmp_path / "out"), "--store", str(tmp_path / "store"), "-q"]
        )
        assert result.exit_code == 0, result.output
    assert result.stdout.startswith("0 new articles, 1 already in the store")
    [meta] = read_json(tmp_path / "out" / "graph.json").graph["articles"].values()
    assert meta["source"] == f"{folder}/syria-\\xe9t\\xe9.txt"


def test_log_messages_are_printed_above_the_progress_bar(runner: CliRunner, tmp_path: Path, monkeypatch):
    # kg's warnings (here: a text split into parts) go through tqdm.write, as the "skipped" lines do, not straight
    # to the terminal through the bar
    monkeypatch.setattr("kg.ingest.MAX_ARTICLE_CHARS", 2000)
    result = runner.invoke(main, ["build", str(ARTICLE), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.stderr.splitlines() if "split into" in line]
    assert re.fullmatch(rf"{re.escape(str(ARTICLE))}: \d+ characters, split into \d+ articles of at most 2000", line)

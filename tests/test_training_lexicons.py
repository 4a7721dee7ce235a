"""The PLOVER tables kg ships are exactly what ``kg train lexicons`` derives from the shared event lexicons."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from kg.cli import main
from kg.extraction import plover
from kg.training import lexicons

SOURCE = Path("../shared/data/event_lexicons")


def test_the_shipped_tables_are_what_the_command_derives(tmp_path):
    result = CliRunner().invoke(main, ["train", "lexicons", str(SOURCE), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in (lexicons.VERBS_FILE, lexicons.AGENTS_FILE):
        assert (tmp_path / name).read_text(encoding="utf-8") == (plover.DATA / name).read_text(encoding="utf-8")


def test_verbs_and_phrasal_verbs_get_the_plover_category_of_their_cameo_code():
    assert plover.verb_category("meet with") == ("consult", "040")  # +MEET_WITH in MEET_PEOPLE [040]
    assert plover.verb_category("accuse") == ("accuse", "112")  # ACCUSE [112], DISAPPROVE -> ACCUSE
    assert plover.verb_category("call on") == ("request", "020")  # "- * (ON) [020] # CALL"; APPEAL is kg's REQUEST
    assert plover.verb_category("crack down") == ("coerce", "170")
    assert plover.verb_category("say") is None  # 01 MAKE PUBLIC STATEMENT: PLOVER drops it


def test_category_of_a_code_is_that_of_its_longest_listed_prefix():
    table = {"03": "AGREE", "0311": "AGREE", "12": "REJECT", "01": "dropped"}
    assert lexicons.category_of("0312", table) == "AGREE"
    assert lexicons.category_of("1246", table) == "REJECT"
    assert lexicons.category_of("010", table) is None
    assert lexicons.category_of("021", table) == "REQUEST"


def test_agents_of_the_state_sectors_with_their_plurals():
    assert plover.agent_sector("troops") == "MIL" and plover.agent_sector("regime") == "GOV"
    assert plover.agent_sector("officials") == "GOV" and plover.agent_sector("forces") == "MIL"  # kg's additions
    assert plover.agent_sector("farmers") is None  # AGR: not the state

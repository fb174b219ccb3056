"""The suite's speed rests on xdist groups: tests that share a dbt build run on one worker, which makes
the build once. pytest 9 with pytest-xdist 3.8 broke that silently (every group spread over both
workers, every shared build made twice); this runs a two-group suite on two workers and counts."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

GROUPED_MODULE = '''
import os
import pytest

pytestmark = pytest.mark.xdist_group("{group}")


@pytest.fixture(scope="module")
def shared_build():
    with open(os.environ["SETUP_LOG"], "a", encoding="utf-8") as log:
        log.write("{group} " + os.environ["PYTEST_XDIST_WORKER"] + "\\n")
    return 1


@pytest.mark.parametrize("case", range(6))
def test_uses_the_build(shared_build, case):
    assert shared_build == 1
'''


def test_each_group_runs_on_one_worker_and_sets_up_its_build_once(tmp_path: Path) -> None:
    suite = tmp_path / "suite"
    suite.mkdir()
    for group in ("first", "second"):
        (suite / f"test_{group}.py").write_text(GROUPED_MODULE.format(group=group), encoding="utf-8")
    log = tmp_path / "setups.log"
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadgroup",
                           "-p", "no:cacheprovider", "-c", "/dev/null", "--rootdir", str(suite), str(suite)],
                          capture_output=True, text=True, check=False,
                          env={"SETUP_LOG": str(log), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    setups = sorted(log.read_text(encoding="utf-8").split("\n")[:-1])
    assert [line.split()[0] for line in setups] == ["first", "second"], setups


GROUP_MARK = re.compile(r'xdist_group\("([^"{}]+)"\)')


def module_groups() -> dict[str, str]:
    """Test file name -> the xdist group its module is marked with."""
    return {path.name: match.group(1) for path in Path(__file__).parent.glob("test_*.py")
            if (match := GROUP_MARK.search(path.read_text(encoding="utf-8")))}


def test_every_group_of_the_suite_has_its_place_in_the_hand_out_order() -> None:
    """A group missing from HEAVIEST_GROUPS_FIRST would be handed out after the listed ones, however
    costly its build; a listed name no test uses is a renamed group that lost its place."""
    from conftest import HEAVIEST_GROUPS_FIRST  # noqa: PLC0415

    assert set(HEAVIEST_GROUPS_FIRST) == set(module_groups().values())


def test_the_heaviest_groups_are_collected_first(request: pytest.FixtureRequest) -> None:
    """The suite as this session collected it (after conftest's reordering; an xdist worker collects the
    whole suite): the groups in the listed order, then the tests of no group."""
    from conftest import HEAVIEST_GROUPS_FIRST, xdist_group_of  # noqa: PLC0415

    order = [xdist_group_of(item) for item in request.session.items]
    listed = [group for group in order if group is not None]
    if set(listed) != set(HEAVIEST_GROUPS_FIRST):
        pytest.skip("only a run of the whole suite collects every group")
    assert listed == sorted(listed, key=HEAVIEST_GROUPS_FIRST.index)
    assert order[:len(listed)] == listed

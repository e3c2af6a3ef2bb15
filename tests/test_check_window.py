"""check at the window: the tester's findings (tester2 #1, #7, #10, #11, #12), asserted as the clerk sees them."""

from __future__ import annotations

import pytest

# ── #10: common spellings of the 容缺 material ──


@pytest.mark.parametrize("number", ["14", "16"])
@pytest.mark.parametrize("spelling", ["居民身份证复印件", "身份证的复印件", "二代身份证复印件", "本人身份证的复印件"])
def test_spellings_of_the_tolerated_copy_are_understood(run, number: str, spelling: str) -> None:
    r = run("check", number, "-m", spelling, "--date", "2026-12-01", "-f", "plain")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("【容缺受理（补正截止 2026-12-22）】")


def test_a_spelling_that_fits_two_materials_still_asks(run) -> None:
    r = run("check", "14", "--when", "代办", "-m", "居民身份证复印件", "-f", "plain")
    assert r.exit_code == 2
    assert "可以指“存档人员有效身份证件”、“代办人员有效身份证件”，请问是哪一份" in r.stderr


def test_the_id_card_itself_is_still_not_tolerated(run) -> None:
    r = run("check", "16", "-m", "居民身份证", "--date", "2026-12-01", "-f", "plain")
    assert r.exit_code == 4
    assert r.stdout.startswith("【材料不全（缺：存档人员有效身份证件）】")


# ── #11: the same material both brought and missing ──


@pytest.mark.parametrize(
    "args",
    [
        ("14", "-m", "身份证复印件", "--have", "身份证复印件", "--have", "户口本"),
        ("14", "-m", "户口本", "--have", "户口簿"),
        ("免费职业技能培训", "-s", "无", "-m", "就业创业证", "--have", "就业创业证"),
    ],
)
def test_the_same_material_brought_and_missing_is_a_usage_error(run, args: tuple[str, ...]) -> None:
    r = run("check", *args, "--date", "2026-12-01", "-f", "plain")
    assert r.exit_code == 2
    assert "不能既写在 --have（已带）又写在 --missing（缺少）" in r.stderr
    assert r.stdout == ""


def test_the_id_brought_and_its_copy_missing_is_not_a_contradiction(run) -> None:
    r = run("check", "14", "-m", "身份证复印件", "--have", "身份证", "--have", "户口本", "--date", "2026-12-01")
    assert r.exit_code == 0
    assert "容缺受理" in r.stdout


# ── #12: 须补齐的材料 lists what is missing, not the source's whole sentence ──


def test_what_to_supply_lists_only_the_missing_material(run) -> None:
    r = run("check", "4", "--when", "代办", "--have", "社保卡", "--have", "委托书", "-f", "plain")
    assert r.exit_code == 4
    supply = r.stdout.split("【须补齐的材料】")[1].split("【")[0]
    assert supply.strip().splitlines() == ["- 代办人身份证（复印件；1份；正反面）"]
    assert "委托书" not in supply

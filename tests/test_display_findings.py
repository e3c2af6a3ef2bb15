"""Tester2's display findings, as the clerk sees them: window numbers in ``offices``, a channel
that needs no material in ``materials``, the issuer of a material on the card, the checklist and
the one-time notice."""

from __future__ import annotations

import json

import pytest

# ── offices N: the source's window numbers, not digits inside addresses ──


def test_offices_8_lists_both_windows_the_source_numbers_8(run):
    result = run("offices", "8", "--format", "plain")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "【序号为8的窗口（源文件中海城市、台安县的序号都写作“8”）】" in out
    assert "海城市劳动就业服务中心" in out and "台安县劳动和社会保障事务服务中心" in out
    assert "立山区" not in out and "鞍千路178号" not in out  # an address with an 8 in it
    assert "三道街81号" not in out and "莘英路889号" not in out
    data = json.loads(run("offices", "8", "--format", "json").stdout)
    assert sorted(o["district"] for o in data) == ["台安县", "海城市"]


@pytest.mark.parametrize("query", ["7", "７", "第7", "7号", "七号窗口"])
def test_offices_7_says_the_list_has_no_window_7(run, query):
    result = run("offices", query)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "源文件的窗口列表没有序号为7的窗口" in result.stderr
    assert "1、2、3、4、5、6、8、8、9" in result.stderr
    assert "建设大道709号" not in result.output and "岫岩" not in result.output


def test_offices_by_district_name_still_matches_text(run):
    out = run("offices", "海城", "--format", "plain").stdout
    assert "海城市劳动就业服务中心" in out and "台安县劳动和社会保障事务服务中心" not in out

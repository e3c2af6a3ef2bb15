"""Chinese text layout: what a clerk sees when a line is too long for the terminal."""

from __future__ import annotations

import re

import pytest

from rsguide.output.layout import CLOSING, atoms, column_widths, dedupe_columns, tone, width, wrap

TEXT = (
    "为保障您便捷快速办理此项业务，建议您可先拨打咨询电话0412-2216349（师范类、医学类）、"
    "0412-5517322（其它专业类别）。网上办：https://ggfw.lnrc.com.cn/ehrss/login/ 地点："
    "铁东区莘英路889号一楼，见第14项，须带《劳动仲裁调解书》，电话：5542127，15个工作日内补正。"
)
TOKENS = [
    "0412-2216349",
    "0412-5517322",
    "https://ggfw.lnrc.com.cn/ehrss/login/",
    "莘英路889号",
    "第14项",
    "《劳动仲裁调解书》",
    "5542127",
    "15个工作日",
]


@pytest.mark.parametrize("limit", range(40, 81, 3))  # the URL is 37 columns
def test_wrap_keeps_numbers_urls_addresses_and_titles_whole(limit):
    lines = wrap(TEXT, limit)
    assert "".join(lines).replace(" ", "") == TEXT.replace(" ", "")
    for token in TOKENS:
        assert any(token in line for line in lines), (token, lines)
    for line in lines:
        assert width(line) <= limit
        assert line[:1] not in CLOSING, lines


def test_wrap_with_indent_and_hard_breaks():
    lines = wrap("第一行\n第二行很长很长很长很长很长很长很长很长", 20, first="- ", indent="  ")
    assert lines[0] == "- 第一行"
    assert all(line.startswith("  ") for line in lines[1:])
    assert all(width(line) <= 20 for line in lines)


def test_a_token_wider_than_the_line_is_cut_but_not_inside_its_number():
    lines = wrap("铁西区建设大道709号", 15)
    assert lines == ["铁西区建设大道", "709号"]


def test_atoms_attach_punctuation():
    assert atoms("（师范类）、电话") == ["（师", "范", "类）、", "电", "话"]
    assert "铁东区莘英路899号" in atoms("鞍山市铁东区莘英路899号")
    assert "同兴街16号" in atoms("铁西区永发街道同兴街16号")


def test_column_widths_give_room_to_the_wide_column():
    assert column_widths([4, 10, 60], [4, 6, 12], 60) == [4, 10, 46]
    assert column_widths([4, 10], [4, 6], 60) == [4, 10]
    assert sum(column_widths([30, 30, 30], [20, 20, 20], 50)) <= 50


def test_dedupe_drops_empty_columns_and_the_second_address():
    columns = ["渠道", "情形", "源文件原文", "地点详情"]
    rows = [
        [
            "窗口办",
            "",
            "铁东区莘英路889号一楼综合业务窗口",
            "莘英路889号一楼综合业务窗口；地址：铁东区莘英路889号一楼；电话：0412-5517322",
        ]
    ]
    cols, out = dedupe_columns(columns, rows)
    assert cols == ["渠道", "源文件原文", "地点详情"]
    assert out[0][2] == "电话：0412-5517322"


@pytest.mark.parametrize(
    ("title", "style", "expected"),
    [
        ("不予受理（禁办：提供外省市职称评审材料办理补发证书）", "warn", "prohibited"),
        ("材料不全（缺：户口本）", "warn", "incomplete"),
        ("待确认（源文件未写）", "warn", "unconfirmed"),
        ("容缺受理（补正截止 2026-12-22）", "ok", "tolerated"),
        ("可以受理", "ok", "ok"),
    ],
)
def test_each_verdict_has_its_own_tone(title, style, expected):
    assert tone(title, style) == expected


def test_tones_are_distinct_colours():
    from rsguide.output.layout import TONES

    colours = [TONES[t] for t in ("prohibited", "incomplete", "unconfirmed", "tolerated")]
    assert len(set(colours)) == 4
    assert re.search("red", TONES["prohibited"]) and re.search("cyan|blue", TONES["tolerated"])


def test_a_reason_takes_the_colour_of_its_verdict():
    assert tone("理由", "warn", "incomplete") == "incomplete"
    assert tone("理由", "warn") == "prohibited"
    assert tone("请向申请人核对（是/否）", "warn", "unconfirmed") == "unconfirmed"

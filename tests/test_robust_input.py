"""Arbitrary input never crashes: every run ends with a result or a one-line message and an exit
code from the documented set (property tests with hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rsguide.check.checker import check
from rsguide.errors import ExitCode, RsguideError
from rsguide.search.engine import search
from rsguide.search.lookup import resolve

DOCUMENTED = {int(c) for c in ExitCode}

hostile_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    st.sampled_from(
        [
            "",
            " ",
            "　　",
            "\t\n",
            "😀社保卡",
            "\u202e失业登记",  # right-to-left override
            "\x00\x07\x1b[31m",
            "--x",
            "-h",
            "第项",
            "第0项",
            "99999999999",
            "失" * 10_000,
            "社保卡" * 3000,
            "'; drop table items; --",
            "{{ 7*7 }}",
            "<script>alert(1)</script>",
        ]
    ),
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(query=hostile_text)
def test_search_never_crashes(index, query):
    hits = search(index, query)
    assert all(0 <= h.score <= 100 for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


@SETTINGS
@given(query=hostile_text)
def test_resolve_gives_an_item_or_a_domain_error(kb, index, query):
    try:
        found = resolve(kb, lambda: index, query)
    except RsguideError as exc:
        assert exc.exit_code in DOCUMENTED
        assert "\n" not in str(exc)
    else:
        assert kb.item(found.item.number) is found.item


@SETTINGS
@given(subject=hostile_text, missing=st.lists(hostile_text, max_size=2), situation=st.lists(hostile_text, max_size=2))
def test_check_gives_a_verdict_or_a_domain_error(kb, index, subject, missing, situation):
    try:
        v = check(kb, lambda: index, subject, missing=missing, situations=situation, case=None)
    except RsguideError as exc:
        assert exc.exit_code in DOCUMENTED
    else:
        assert v.verdict in ("ok", "tolerated", "incomplete", "prohibited", "unconfirmed")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=hostile_text, command=st.sampled_from(["show", "search", "materials", "check"]))
def test_cli_ends_with_a_documented_code_and_no_traceback(run, query, command):
    result = run(command, query, "--format", "json")
    assert result.exit_code in DOCUMENTED
    assert "Traceback" not in result.output
    if result.exit_code not in (0, 4, 5):
        assert result.stderr.startswith("rsguide：")


@pytest.mark.parametrize("query", ["\ud800失业", "失业\udfff登记"])
def test_lone_surrogates(kb, index, query):
    # Possible on some systems (undecodable argv bytes become surrogates).
    try:
        resolve(kb, lambda: index, query)
    except RsguideError:
        pass
    search(index, query)

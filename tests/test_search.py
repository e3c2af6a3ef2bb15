"""Search: quality floors on the public and the dev query sets, and what a user sees."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from rsguide.search.engine import analyse, expand, search
from rsguide.search.normalize import normalize

DATA = Path(__file__).parent / "data"


def read_queries(name: str) -> list[tuple[str, set[int], str]]:
    """Rows of a set; an empty set of numbers means "none of the 36 items" (``-``)."""
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or (line.startswith("#") and "\t" not in line):  # `#31<TAB>31` is a query
            continue
        query, numbers, kind = line.split("\t")[:3]
        accepted = set() if numbers.strip() == "-" else {int(n) for n in numbers.split(",")}
        rows.append((query, accepted, kind.strip()))
    return rows


_HITS: dict[tuple[int, str], list] = {}


def hits_of(index, query: str) -> list:
    """The first three hits of ``query``, computed once per index (several tests read every set)."""
    key = (id(index), query)
    if key not in _HITS:
        _HITS[key] = search(index, query, limit=3)
    return _HITS[key]


def per_kind(index, rows) -> tuple[dict[str, float], dict[str, float], dict[str, list[str]]]:
    """Top-1 and top-3 per kind; a query labelled ``-`` counts as right when nothing is returned."""
    n: dict[str, int] = defaultdict(int)
    t1: dict[str, int] = defaultdict(int)
    t3: dict[str, int] = defaultdict(int)
    misses: dict[str, list[str]] = defaultdict(list)
    for query, accepted, kind in rows:
        numbers = [h.number for h in hits_of(index, query)]
        n[kind] += 1
        if not accepted:
            ok1 = ok3 = not numbers
        else:
            ok1 = bool(numbers) and numbers[0] in accepted
            ok3 = bool(accepted & set(numbers))
        t1[kind] += ok1
        t3[kind] += ok3
        if not ok1:
            misses[kind].append(f"{query} → {numbers}")
    return {k: t1[k] / n[k] for k in n}, {k: t3[k] / n[k] for k in n}, dict(misses)


# Per-kind floors (top-1, top-3): regression guards a little under what the sets measure today.
SITUATION_FLOORS = {"S": (0.93, 0.96), "DI": (0.93, 0.95), "N": (0.95, 0.95), "Q": (0.9, 0.95)}
EARLIER_FLOORS = {k: (0.95, 0.95) for k in ("E", "P", "C", "PI", "T", "TR", "W", "N", "NUM")} | {"PY": (0.8, 0.8)}


# The former held-out sets, tuned on since (rounds 5, 6 and 7), are harder than the sets the layer grew on.
HOLDOUT_FLOORS = {"S": (0.92, 0.94), "DI": (0.92, 0.92), "N": (0.95, 0.95), "Q": (0.9, 0.97)}
SITUATION_SETS = [
    "situations_public.tsv",
    "queries_dev_blind.tsv",
    "queries_dev2_blind.tsv",
    "queries_dev3_blind.tsv",
    "queries_dev5_blind.tsv",
    "queries_dev8_blind.tsv",  # measured once before round 8 (top-1 93.2 %, top-3 95.6 %), tuned on since
]
HOLDOUT_SETS = [
    "queries_holdout2.tsv",
    "queries_holdout3.tsv",
    "queries_holdout4.tsv",
    "queries_holdout5.tsv",
    "queries_holdout6.tsv",  # measured once after round 6 (S 84.4, DI 88.9, N 94.3 %), tuned on in round 7
    # Round 8: each measured fresh at least once (docs/search.md), then tuned on.
    "queries_holdout8.tsv",
    "queries_holdout9.tsv",
    "queries_holdout10.tsv",
    "queries_holdout11.tsv",
    "queries_holdout13.tsv",
    "queries_holdout14.tsv",
    "queries_holdout15.tsv",
    "queries_holdout16.tsv",
    "queries_holdout17.tsv",
]


# Measured once on the final code of round 8 (docs/search.md), then only the general causes of their confident
# wrong answers fixed — guards a little under that measurement.
# holdout12: top-1 97.2 %, S 94.7, DI 93.9, N 100, 2 confident wrong; holdout18: 95.5 %, S 92.2, DI 100,
# N 94.1, 7; holdout19: 95.8 %, S 95.6, DI 93.9, N 94.4, 4.
FRESH_SETS = {
    # holdout7: measured once after round 7 (top-1 90.9 %), only general causes fixed on it since.
    "queries_holdout7.tsv": ({"S": (0.90, 0.93), "DI": (0.93, 0.97), "N": (0.97, 0.97), "Q": (0.95, 0.95)}, 2),
    "queries_holdout12.tsv": ({"S": (0.92, 0.92), "DI": (0.91, 0.93), "N": (0.97, 0.97), "Q": (0.95, 0.95)}, 2),
    "queries_holdout18.tsv": ({"S": (0.90, 0.94), "DI": (0.97, 0.97), "N": (0.92, 0.92), "Q": (0.9, 0.97)}, 7),
    "queries_holdout19.tsv": ({"S": (0.93, 0.95), "DI": (0.91, 0.93), "N": (0.92, 0.92), "Q": (0.95, 0.95)}, 4),
}


def _floors(name: str) -> tuple[dict[str, tuple[float, float]], int]:
    """Per-kind (top-1, top-3) floors of a set and how many confident wrong answers it may have."""
    if name in FRESH_SETS:
        return FRESH_SETS[name]
    return (HOLDOUT_FLOORS if name in HOLDOUT_SETS else SITUATION_FLOORS), 1


@pytest.mark.parametrize("name", SITUATION_SETS + HOLDOUT_SETS + list(FRESH_SETS))
def test_situation_sets_per_kind_floors(index, name):
    floors, _wrong = _floors(name)
    top1, top3, misses = per_kind(index, read_queries(name))
    for kind, (floor1, floor3) in floors.items():
        assert top1[kind] >= floor1, (kind, misses.get(kind))
        assert top3[kind] >= floor3, (kind, misses.get(kind))


@pytest.mark.parametrize("name", SITUATION_SETS + HOLDOUT_SETS + list(FRESH_SETS))
def test_confident_wrong_answers_stay_rare(index, name):
    # The worst defect: a wrong first hit (or an answer to a question not on the list) that says it
    # is sure (high or medium). At most one per tuned set of ~200–290 queries.
    wrong = []
    for query, accepted, _kind in read_queries(name):
        hits = hits_of(index, query)
        if hits and hits[0].number not in accepted and hits[0].confidence in ("high", "medium"):
            wrong.append(f"{query} → {hits[0].number} ({hits[0].confidence})")
    assert len(wrong) <= _floors(name)[1], wrong


@pytest.mark.parametrize("name", SITUATION_SETS[1:] + HOLDOUT_SETS + list(FRESH_SETS))
def test_blind_dev_set_earlier_kinds_keep_their_floor(index, name):
    rows = [r for r in read_queries(name) if r[2] not in SITUATION_FLOORS]
    if name in FRESH_SETS:
        # Five to seven queries a kind: the floor (97 % in the issue) holds for the earlier kinds together.
        top1, _top3, misses = per_kind(index, [(q, a, "earlier") for q, a, _k in rows])
        assert top1["earlier"] >= 0.97, misses
        return
    top1, top3, misses = per_kind(index, rows)
    for kind, value in top1.items():
        assert value >= EARLIER_FLOORS[kind][0], (kind, misses.get(kind))
        assert top3[kind] >= EARLIER_FLOORS[kind][1], (kind, misses.get(kind))


@pytest.mark.parametrize(
    "query",
    [
        "我住院花了两万多，医保那块咋报销",
        "失业了能申请公租房吗",
        "医保卡看病报销比例多少",
        "公积金怎么取",
        "想申请劳动仲裁",
    ],
)
def test_topics_not_on_the_list_get_no_answer(index, query):
    assert search(index, query) == []


@pytest.mark.parametrize(
    ("query", "number"),
    [
        ("合同到期单位不续签了，找工作这段时间能领点生活费不", 4),
        ("我们公司新来了俩人，社保咋给上", 20),
        ("孩子大学毕业，学校把档案给邮回来了", 14),
        ("厂子黄了，失业金上哪旮沓领去", 4),
    ],
)
def test_situations_find_the_item(index, query, number):
    assert search(index, query)[0].number == number


@pytest.mark.parametrize(
    "query",
    [
        "在公司辞职要办什么手续",  # only a side detail (辞职) of item 28 is said, nothing that defines an item
        "社保卡里的钱能给孩子买学区房用吗",  # words the parser does not know; 社保卡 alone defines no item
        "证书丢了想补发一个焊接操作资格",  # 补发 + 证书 fit item 18, but its topic (职称) is not what is said
    ],
)
def test_partial_readings_with_unknown_words_get_no_answer(index, query):
    assert search(index, query) == []


def test_northeast_words_read_like_standard_ones(index):
    # 俺/咋/整 are read as 我/怎么/弄 before parsing: the same item as the standard sentence.
    spoken = search(index, "俺那社保卡整丢了，咋整")
    standard = search(index, "我的社保卡弄丢了怎么办")
    assert spoken and standard and spoken[0].number == standard[0].number


def test_matched_says_what_was_understood(index):
    hit = search(index, "合同到期单位不续签了，找工作这段时间能领点生活费不")[0]
    assert hit.matched == "理解为"
    assert hit.text.startswith("失业") and "领取待遇" in hit.text


def test_every_hit_has_a_confidence(index):
    hits = search(index, "退休")
    assert hits[0].confidence == "high"
    assert all(h.confidence in ("high", "medium", "low") for h in hits)


def test_two_items_meaning_the_same_are_not_sure(index):
    # 丢了: 挂失 (34) and 补领 (33) fit alike; the clerk must choose.
    hits = search(index, "社保卡整丢了")
    assert {hits[0].number, hits[1].number} == {33, 34}
    assert hits[0].confidence == "low"


def test_a_tie_is_not_sure_anywhere_in_the_list(index):
    # 社保卡 alone fits all five card items alike: none of them is sure, not only the first.
    hits = search(index, "我的社保卡")
    assert {h.number for h in hits} == {32, 33, 34, 35, 36}
    assert {h.confidence for h in hits} == {"low"}


def test_siblings_that_miss_their_direction_yield_to_what_was_said(index):
    # 外地 fits 转出 (7) and 转入 (8) alike, but neither direction was said: 失业金 (4) comes first,
    # with both directions next to it, and the clerk must choose.
    hits = search(index, "家里人托我问失业金的事，他人在外地", limit=3)
    assert hits[0].number == 4 and {h.number for h in hits} == {4, 7, 8}
    assert hits[0].confidence == "low"


def test_a_best_hit_said_only_as_far_as_a_sibling_shares_it_is_not_high(index):
    # 社保卡 + 到期 is 换卡 (33) and says nothing that sets it apart from the other card items.
    hits = search(index, "社保卡到期了怎么办")
    assert hits[0].number == 33 and hits[0].confidence == "high"
    hits = search(index, "我的社保卡怎么了")
    assert hits[0].confidence == "low"


def quality(index, rows) -> tuple[float, float, dict[str, list[str]]]:
    top1 = top3 = 0
    misses: dict[str, list[str]] = defaultdict(list)
    for query, accepted, kind in rows:
        numbers = [h.number for h in search(index, query, limit=3)]
        top1 += bool(numbers) and numbers[0] in accepted
        top3 += bool(accepted & set(numbers))
        if not numbers or numbers[0] not in accepted:
            misses[kind].append(query)
    return top1 / len(rows), top3 / len(rows), dict(misses)


def test_public_set_floor(index):
    rows = read_queries("queries_public.tsv")
    assert len(rows) == 53
    top1, top3, misses = quality(index, rows)
    assert top1 >= 0.95, misses
    assert top3 == 1.0, misses


def test_dev_set_floor(index):
    # Written independently of the search code (see the file's header); a regression guard.
    rows = read_queries("queries_dev.tsv")
    top1, top3, misses = quality(index, rows)
    assert top1 >= 0.93, misses
    assert top3 >= 0.97, misses


@pytest.mark.parametrize("query", ["天气预报", "asdfgh", "今天吃什么", "xyz", "hello world", "😀😀", "办理", "的"])
def test_nonsense_finds_nothing(index, query):
    assert search(index, query) == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("“失业登记”", "失业登记"),
        ("１８", "18"),
        ("失业　登记", "失业登记"),
        ("失業登記", "失业登记"),
        ("SBK挂失", "sbk挂失"),
        ("(社保卡)【补领】", "社保卡补领"),
    ],
)
def test_normalisation(raw, expected):
    assert normalize(raw) == expected


def test_synonyms_expand_queries(index):
    variants = [v for v, _ in expand(normalize("社保卡丢了"), index.synonyms)]
    assert "社会保障卡挂失" in variants and "社会保障卡补领" in variants


def test_matched_says_why(index):
    (hit, *_rest) = search(index, "sydj")
    assert (hit.number, hit.matched) == (2, "拼音首字母")
    (hit, *_rest) = search(index, "要带户口本的事项")
    assert hit.matched == "材料" and hit.text == "户口本"
    assert hit.confidence in ("medium", "high")


def test_material_queries_find_items_that_need_it(index):
    numbers = {h.number for h in search(index, "委托书", limit=10)}
    assert {4, 8, 10} <= numbers


def test_ties_are_deterministic(index):
    first = [(h.number, h.score) for h in search(index, "退休")]
    assert first == [(h.number, h.score) for h in search(index, "退休")]
    assert first[0][0] == 24  # 正常退休, the shortest name among 24–26


def test_heteronym_reading(index):
    # 参保 reads canbao (not shenbao): the phrase-aware pinyin is used.
    assert search(index, "zhigongcanbaodengji")[0].number in (20, 27)


def test_indexed_pinyin_is_pypinyins_reading_of_the_whole_text(index):
    # The builder converts each of pypinyin's words once (a province's names share them): the
    # reading must stay that of pypinyin on the whole text, heteronyms in phrases included.
    import pypinyin

    from rsguide.search.pinyin import full, full_and_initials, initials

    texts = [t for t, f in zip(index.texts, index.fields, strict=True) if f in ("名称", "别名", "口语", "材料")]
    texts += ["重庆银行行长参保", "长沙绿色长城", "社会保障卡补领（1234）ab", "〇㐀𠀀"]
    for text in texts:
        syllables = pypinyin.lazy_pinyin(text, style=pypinyin.Style.NORMAL, errors="default", v_to_u=False)
        expected = ("".join(syllables), "".join(s[:1] for s in syllables))
        assert full_and_initials(text) == (full(text), initials(text)) == expected, text


@pytest.mark.parametrize(
    ("query", "number"),
    [
        ("4", 4),
        ("第4项", 4),
        ("１８", 18),
        ("第 3 项", 3),
        ("序号33", 33),
        ("32号", 32),
        ("三十二", 32),
        ("第三十二项", 32),
        ("第十项", 10),
    ],
)
def test_item_numbers(index, query, number):
    (hit,) = search(index, query)
    assert (hit.number, hit.matched) == (number, "序号")


# ── what the clerk sees ──


def test_search_not_on_the_list_message_and_related_items(run):
    result = run("search", "失业了能申请公租房吗")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert "本清单没有与“失业了能申请公租房吗”对应的事项" in lines[0]
    related = lines[1:]
    assert 1 <= len(related) <= 3
    assert all("相关但不同" in line for line in related)


def test_search_not_on_the_list_json_is_an_empty_list(run):
    result = run("search", "我住院花了两万多，医保那块咋报销", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == []
    assert "本清单没有与" in result.stderr


def test_show_not_on_the_list_prints_no_card(run):
    result = run("show", "医保卡看病报销比例多少", "--format", "json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "本清单没有与" in result.stderr


def test_search_json_carries_confidence_and_understanding(run):
    data = json.loads(run("search", "厂子黄了，失业金上哪旮沓领去", "--format", "json").stdout)
    assert data[0]["number"] == 4
    assert data[0]["confidence"] in ("high", "medium")
    assert {d["confidence"] for d in data} <= {"high", "medium", "low"}
    assert data[0]["matched"] == "理解为" and "失业保险金" in data[0]["matched_text"]


def test_search_table_has_a_confidence_column(run):
    out = run("search", "厂子黄了，失业金上哪旮沓领去", "--format", "plain").stdout
    assert "把握" in out and "理解为：" in out


def test_show_on_a_low_confidence_query_lists_candidates(run):
    result = run("show", "社保卡整丢了")
    assert result.exit_code == 1
    assert result.stdout == ""  # no card
    assert "请用序号选择" in result.stderr
    assert "第33项" in result.stderr and "第34项" in result.stderr


def test_show_on_a_confident_situation_prints_the_card(run):
    result = run("show", "我们公司新来了俩人，社保咋给上", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["number"] == 20


def test_items_described_alike_rank_as_if_every_one_were_scored(kb) -> None:
    """Agreement is computed once per distinct description and only the first items of each
    description are ranked (the rest cannot be shown): hits, confidence and related items equal
    those of a ranking that scores every item (a limit so large that nothing is left out). 400
    items here, each described like one of the real ones and matched by its concepts alone."""
    import dataclasses

    from rsguide.search.concepts import compile_lexicon
    from rsguide.search.engine import SearchIndex, analyse

    real = kb.concepts.items
    keys = sorted(real)
    items = {n: real[keys[(n - 1) % len(keys)]] for n in range(1, 401)}
    lexicon = compile_lexicon(dataclasses.replace(kb.concepts, items=items))
    idx = SearchIndex(names={n: f"事项{n}" for n in items}, concepts=lexicon)
    queries = ("厂子黄了领钱", "失业了怎么领失业金", "社保卡丢了咋整", "退休了档案放哪", "我想给员工交社保", "毕业生报到")
    answered = 0
    for query in queries:
        everything = analyse(idx, query, limit=10_000)
        answered += bool(everything.hits)
        for limit in (1, 3):
            found = analyse(idx, query, limit=limit)
            # the confidence too: a tie with the next item (of the same description) makes it "low"
            assert [(h.number, h.score, h.matched, h.confidence) for h in found.hits] == [
                (h.number, h.score, h.matched, h.confidence) for h in everything.hits[:limit]
            ]
            assert found.related[:limit] == everything.related[:limit]
    assert answered >= 3


@pytest.mark.parametrize(
    ("query", "number"),
    [
        ("孩子落户需要我的个人社保缴费记录，我在私企上班", 22),
        ("我不是要领钱，就想在社区登记一下没工作了", 2),
        ("户口在岫岩，在沈阳领着失业金，想弄回来", 8),
        ("单位裁员名单里有我，接下来该办啥", 2),
    ],
)
def test_general_constructions_find_the_item(index, query, number):
    assert search(index, query)[0].number == number


@pytest.mark.parametrize(
    "query",
    [
        "工伤住院期间的伙食补助怎么报",  # 工伤医疗, not item 31's 伤残待遇
        "老爷子的退休金这个月少发了",  # a pension being paid, not a retirement to apply for
        "事业单位职工到岁数了，退休去哪办",  # item 24 is an enterprise worker's retirement
    ],
)
def test_neighbours_of_an_item_get_no_answer(index, query):
    assert search(index, query) == []


@pytest.mark.parametrize(
    ("query", "number"),
    [
        ("函授本科毕业两年了，能直接定初级职称吗", 19),  # 直接确定 is for 全日制 graduates
        ("我是在吉林评的职称，证书丢了", 18),  # 18 reissues 鞍山's or the province's certificates
    ],
)
def test_a_prohibited_case_of_an_item_is_not_its_answer(index, query, number):
    # The 禁办 case of the item (违规禁办事项清单) is not on the list: no answer, the item only
    # related, and a query that names the item in full still gets it.
    assert search(index, query) == []
    related = analyse(index, query).related
    assert related and related[0].number == number and all(h.confidence == "low" for h in related)


def test_the_full_name_of_an_item_beats_its_prohibited_case(index):
    assert search(index, "外省市评审的职称证书补发")[0].number == 18


def test_pinyin_with_tone_marks_is_pinyin(index):
    assert search(index, "shīyè dēngjì")[0].number == 2
    assert normalize("shīyè") == "shiye"


@pytest.mark.parametrize("query", ["2.1", "1.5", "1,4", "1 4", "3.6", "1-4", "１．５"])
def test_two_separate_numbers_name_no_item(run, query):
    # Normalisation drops the dot or space (2.1 → 21): a section number or a list is not item 21.
    result = run("show", query, "-f", "plain")
    assert result.exit_code == 1, result.stdout
    assert result.stdout == ""
    assert "本清单没有" in result.stderr


def test_pinyin_two_names_contain_alike_is_not_sure(index):
    # tuixiu shenqing is in the pinyin of several retirement items: no card on a guess.
    hits = search(index, "tuixiu shenqing")
    assert hits and hits[0].confidence == "low"
    assert search(index, "shiye dengji")[0].confidence == "high"


@pytest.mark.parametrize(
    ("query", "number"),
    [
        ("我以前那个就业失业登记证找不着了，想重新领一个", 3),  # the old name of the 就业创业证, not 失业登记
        ("员工干到月底就走了，单位这边要做什么手续", 1),  # 走了 after 离职 is leaving, not death
        ("不知道我的社保卡是不是被挂失了", 36),
        ("社保卡丢了，先给我停了", 34),
    ],
)
def test_situations_of_round_six(index, query, number):
    hits = search(index, query)
    assert hits and hits[0].number == number


@pytest.mark.parametrize(
    "query",
    [
        "老爷子退休了，每年那个认证咋整，怕停了钱",  # 养老待遇资格认证
        "非因工丧失劳动能力程度鉴定怎么申请",  # the 鉴定 itself; item 26 needs its conclusion
        "退役士兵自主就业的一次性补助去哪领",
        "会计专业是全国统考的，能直接确定初级职称吗",  # 禁办: a major of a unified examination
        "评了九级工伤，合同到期不干了，一次性工伤医疗补助金去哪领",  # not among item 31's payments
        "我在鞍山领失业金，户口也是鞍山的，想搬去大连，能把失业金转到大连领吗",  # item 7 only to the 户口's place
        "我想看看自己档案里都装了啥，能查阅吗",
        "工伤保险单位怎么参保",
    ],
)
def test_neighbours_of_round_six_get_no_answer(index, query):
    assert search(index, query) == []


@pytest.mark.parametrize("query", ["从外省调来，职称是鞍山评的，证丢了", "在鞍山评的职称证丢了，我是从外省调来的"])
def test_a_title_evaluated_here_is_item_18_even_after_a_move_from_another_province(index, query):
    # 外省市评审 is the 禁办 case; a title evaluated in 鞍山 is item 18's ordinary business.
    from rsguide.search.engine import analyse

    found = analyse(index, query)
    assert not found.rejected and found.hits[0].number == 18


def test_a_title_evaluated_in_another_province_is_the_prohibited_case(index):
    from rsguide.search.engine import analyse

    found = analyse(index, "外省评的职称证丢了")
    assert found.rejected and 18 in [h.number for h in found.related]


def test_answers_do_not_depend_on_the_hash_seed(tmp_path):
    # The same question gives the same hits and the same "matched" words in every process.
    import os
    import subprocess
    import sys

    env = {**os.environ, "RSGUIDE_CACHE_DIR": str(tmp_path)}
    outputs = set()
    for seed in ("1", "2", "3", "4"):
        proc = subprocess.run(
            [sys.executable, "-m", "rsguide", "search", "劳动合同纠纷", "-f", "json"],
            env={**env, "PYTHONHASHSEED": seed},
            capture_output=True,
            timeout=120,
        )
        outputs.add(proc.stdout)
    assert len(outputs) == 1


@pytest.mark.parametrize("query", ["养老保险个人账户一次性退还", "养老个人账户返还", "因病想做非因工丧失劳动能力鉴定，去哪儿申请"])
def test_neighbouring_procedures_are_not_on_the_list(index, query):
    # A refund of the pension account is not 22's record printing; the 鉴定 itself is not item 26.
    assert search(index, query) == []


@pytest.mark.parametrize(("query", "number"), [("第十七个事项", 17), ("第3个", 3)])
def test_item_number_said_with_ge(index, query, number):
    hits = search(index, query)
    assert hits[0].number == number


def test_items_that_fit_a_query_equally_are_none_of_them_sure(index):
    hits = search(index, "社保卡")
    assert len(hits) >= 2 and {h.confidence for h in hits} == {"low"}


@pytest.mark.parametrize(
    "query", ["去世了", "工伤死亡", "生孩子报销", "失业登记注销", "sbkjg", "减员", "停保", "职称", "失业4"]
)
def test_a_name_that_says_less_than_the_query_is_not_sure(index, query):
    # 去世 reaches item 5's alias only through a synonym, and 5 is only for those receiving 失业保险金;
    # 失业登记 does no 注销; sbkjg is one letter off sbkjh (社保卡激活); 减员 is item 28's only for
    # 机关事业 units; 职称 is in two items' cores; a number among words is not an item number.
    hits = search(index, query)
    assert not hits or hits[0].confidence == "low"


@pytest.mark.parametrize(("query", "number"), [("丧葬补助金", 5), ("解挂", 34), ("失业登记", 2), ("失业金", 4)])
def test_part_of_a_name_keeps_its_confidence(index, query, number):
    hit = search(index, query)[0]
    assert (hit.number, hit.confidence) == (number, "high")


# Round 8 (issue 12): each rule with sentences of its own (never a query of an evaluation set);
# None means "not on the list" (no hits).
ROUND_EIGHT = [
    # an off-list topic said as a circumstance is background; who the speaker is, or what is asked, is not
    ("我妈住院了来不了，我替她来领失业金", 4),
    ("我们原来做培训，现在想申请职业中介的许可", 17),
    ("我是个体户，想交失业保险", None),
    ("失业了，医保咋交", None),
    ("我在领失业金，住院能报销吗", None),
    ("俺家孩子函授的本科，想直接定个初级职称", None),
    ("我退休后又被单位返聘了，单位还要给我交社保吗", None),
    ("我爱人怀孕了，我俩都上班，我就想查一下我在公司交的养老", 22),
    # a denied state, a refused benefit, never having worked, a question
    ("我没在领失业金，在单位上班时生了孩子，生育的钱找谁", None),
    ("我还没领失业金，咋领", 4),
    ("我不领失业金，就想做个失业登记", 2),
    ("领不领失业金都能做失业登记吗", 2),
    ("我不是要领失业金，就想把没工作的情况登个记", 2),
    ("我从没工作过，想问能给我啥补贴", None),
    ("我是农村的，从来没在单位上过班，想自己交养老保险", None),
    ("我在单位上班时生的孩子，没领过失业金，生育的钱找谁", None),
    # typing, direction, reissue, who holds the file
    ("失业保险金异地转人", 8),
    ("原单位让我把档案拿走，我该存哪", 14),
    ("人才中心让我把档案提走", 15),
    ("学校叫我把档案拿走，我还没找着工作", 14),
    ("档案一直存你们这，新单位来函要调我的档案", 15),
    ("社保卡丢了，想再办一张", 33),
    ("职工辞职了，就业那块单位要去销一下吗", 1),
    ("我户口在鞍山，在这领着失业金，想把失业金转到大连去领", None),
    ("我户口在鞍山，在大连领失业金，想转到鞍山领", 8),
    ("我户口是铁西区的，在外地领失业金，想转回来领", 8),
    # what was done before, what is granted, whose fact
    ("我的社保卡以前换过一次，现在到年龄了想办退休", 24),
    ("我从来没办过社保卡", 32),
    ("我改了名字，社保卡上还是以前的名，卡倒是还能用", 33),
    ("我爱人在机关工作，我在企业上班，想打一份我自己的缴费记录", 22),
    ("我户口在鞍山，老婆户口在外地，我在大连领失业金想转回鞍山", 8),
    ("工伤认定和伤残鉴定都做完了，评了九级", 31),
    ("我在企业干了一辈子，明年到点了，得办啥手续领养老金", 24),
    # an off-list rule keeps its own exceptions; neighbours of narrow items
    ("公司的职工有几个月失业保险没录上，工资条都有，能补吗", 9),
    ("公司不给工资条怎么办", None),
    ("丧葬补助金要带死亡医学证明吗", 5),
    ("死亡医学证明去哪开", None),
    ("我爱人在单位上班没失业，刚生了孩子，能领什么钱", None),
    ("我家老爷子领了十几年退休金，前几天走了，家里能领啥", None),
    ("退休证丢了咋补", None),
    ("工伤认定怎么申请", None),
    ("单位说我摔伤了不算工伤，这事找谁", None),
    ("延迟退休是怎么规定的", None),
    ("长期护理保险怎么申请", None),
    # the confident wrong answers of the last fresh sets: their general causes
    ("我老婆刚生了孩子，我自己被单位裁了，想领我的失业金", 4),  # the wife's birth is hers
    ("我在市政府上班，想打一份养老缴费记录", 29),
    ("卡换了新的，旧卡是不是作废了", 36),
    ("失业保险交了不到一年，够不上领失业金，有别的补助吗", None),
    ("机关单位职工去世了，抚恤金找谁", None),
    ("医保卡门诊统筹怎么用", None),
    ("单位裁员要提前多少天报告", None),
    ("在银行办的卡，回家能在手机上让卡生效吗", 35),
]


@pytest.mark.parametrize(("query", "expected"), ROUND_EIGHT)
def test_round_eight_rules(index, query, expected):
    hits = search(index, query)
    assert (hits[0].number if hits else None) == expected


@pytest.mark.parametrize("query", ["EDI", "edi", "ieh"])
def test_a_few_letters_inside_a_full_pinyin_name_name_nothing(index, query):
    # edi lies inside zhijieding (直接定), across syllables: no card for item 19.
    assert search(index, query) == []


def test_a_negative_number_is_no_item(index):
    from rsguide.search.itemno import item_number

    assert item_number("1", "-1") is None and item_number("1", "1") == 1
    assert not search(index, "-1") or search(index, "-1")[0].matched != "序号"


def test_candidates_do_not_depend_on_the_hash_seed():
    """When candidate lists are too long to count (a province's common grams), which are counted must
    not depend on a set's order, which changes from one process to the next: the same query gives the
    same candidates in every run. (Five grams of a query with lists of the same length, too long at 3.)"""
    import os
    import subprocess
    import sys

    script = (
        "from rsguide.search import engine\n"
        "engine.MAX_POSTINGS = 3\n"
        "idx = engine.SearchIndex()\n"
        "texts = [tail + word + tail for word in ['失业', '业登', '登记', '记补', '补领'] for tail in '甲乙丙丁']\n"
        "for n, text in enumerate(texts):\n"
        "    idx.add(n, '名称', text)\n"
        "print(engine._candidates(idx, '失业登记补领', 10))\n"
    )
    outputs = {
        seed: subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(1, 9)
    }
    assert len(set(outputs.values())) == 1, outputs

"""The concept layer: parsing (longest match, negation), validation of concepts.yaml, and a
knowledge base of another city with its own concept file or none."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rsguide.errors import DataError, Issue
from rsguide.kb.loader import load, packaged_data_dir
from rsguide.search.concepts import (
    Lexicon,
    agreement,
    compile_lexicon,
    focus_of,
    parse,
    read_concepts,
    standardise,
)
from rsguide.search.engine import build_index, search


@pytest.fixture(scope="module")
def lexicon(kb) -> Lexicon:
    return Lexicon(compile_lexicon(kb.concepts))


def test_the_packaged_knowledge_base_describes_every_item(kb):
    assert kb.concepts is not None
    assert set(kb.concepts.items) == {i.number for i in kb.items}


def test_parse_reads_everyday_and_northeast_words(lexicon):
    p = parse("厂子黄了，失业金上哪旮沓领去", lexicon)
    assert "离职" in p.concepts and "失业保险金" in p.concepts
    assert "失业金" in [m.word for m in p.matches]


def test_longest_match_wins(lexicon):
    # 医保卡 is the social security card, not 医保 (medical insurance, not on the list).
    p = parse("医保卡丢了", lexicon)
    assert "社保卡" in p.concepts and not p.out_of_scope
    assert parse("医保怎么报销", lexicon).out_of_scope == ("医疗保险",)


def test_spans_are_reported(lexicon):
    p = parse("社保卡丢了", lexicon)
    (card, lost) = p.matches
    assert (card.word, card.start, card.end) == ("社保卡", 0, 3)
    assert lost.word == "丢了" and "丢失" in lost.concepts


def test_negation_of_a_detail(lexicon):
    p = parse("我们公司今年没裁员", lexicon)
    assert "离职" in p.negated and "离职" not in p.concepts
    assert parse("不是工伤", lexicon).negated == ("工伤",)


def test_a_word_that_contains_a_negator_is_not_negated(lexicon):
    p = parse("系统显示没到账", lexicon)
    assert "到账" in p.concepts and not p.negated
    assert "失业" in parse("一直没找着工作", lexicon).concepts


def test_lacking_something_is_not_negating_it(lexicon):
    # "还没有社保卡，想办一张" asks for a card.
    p = parse("还没有社保卡，想办一张", lexicon)
    assert "社保卡" in p.concepts and "办卡" in p.concepts


def test_out_of_scope_unless(lexicon):
    assert parse("我在公司上班，休完产假生育津贴怎么领", lexicon).out_of_scope
    assert not parse("我在领失业金，这期间生了二宝，有补助吗", lexicon).out_of_scope


def test_understood_puts_topics_first(lexicon):
    p = parse("合同到期不续签，失业了想领点生活费", lexicon)
    assert p.concepts[0] == "离职"
    assert p.ranked(lexicon).understood() == "失业 · 失业保险金 · 离职 · 领取待遇"  # 失业 + 领钱 ⇒ 失业保险金


def test_agreement_prefers_the_item_that_says_it_all(lexicon):
    p = parse("失业金转到外地", lexicon)
    scores = {n: agreement(p, lexicon.items[n], lexicon) for n in (4, 7, 8)}
    assert scores[7] > scores[8] and scores[7] > scores[4]


def test_implications_add_what_words_mean_together(lexicon):
    # 失业 + 领钱 ⇒ 失业保险金; the payments of a record are not a wish to enrol.
    assert "失业保险金" in parse("没工作了，能领点钱不", lexicon).concepts
    record = parse("要一份交养老保险的记录", lexicon).concepts
    assert "缴费记录" in record and "参保" not in record
    # 领失业金期间去世 ⇒ 丧葬补助金和抚恤金, though the query names neither.
    assert "丧葬抚恤" in parse("我爸领失业金那阵子走了", lexicon).concepts


def test_a_noun_compound_wins_over_a_verb_phrase(lexicon):
    words = [m.word for m in parse("还没办社保卡", lexicon).matches]
    assert "社保卡" in words and "办社保" not in words


def test_a_phrase_that_says_a_topic_means_it(lexicon):
    assert "档案" in parse("新单位开了调档函", lexicon).concepts


def test_who_alone_does_not_agree(lexicon):
    p = parse("职工", lexicon)
    assert p.concepts == ("员工",)
    assert agreement(p, lexicon.items[20], lexicon) == 0.0


def test_a_question_is_not_a_negation(lexicon):
    assert parse("合同到期有没有经济补偿", lexicon).out_of_scope
    assert "离职" in parse("是不是裁员了", lexicon).concepts


def test_the_household_registration_decides_the_direction(lexicon):
    # 第7项 is for 户口 outside 鞍山, 第8项 for 户口 in 鞍山, whatever verb the citizen uses.
    away = parse("我户口在吉林，想把失业金转回吉林领", lexicon).concepts
    assert "转出" in away and "转入" not in away
    home = parse("户口在鞍山，在大连领的失业金", lexicon).concepts
    assert "转入" in home and "转出" not in home


def test_northeast_words_are_read_as_standard_ones(lexicon):
    # The dialect layer runs before parsing; the normalised original is kept.
    p = parse("俺家那旮沓咋整", lexicon)
    assert p.text == "我家那里怎么弄" and p.original == "俺家那旮沓咋整"
    # A word the lexicon knows as it is stays whole: 整丢 is 丢失, not 弄 + 丢.
    assert standardise("社保卡咋整丢了", lexicon) == "社保卡怎么整丢了"
    assert "丢失" in parse("社保卡咋整丢了", lexicon).concepts
    # 调到 (a job transfer) reads as 转到, so every transfer word serves it.
    assert "转出" in parse("员工调到外省去了，失业保险关系咋办", lexicon).concepts


def test_what_is_not_understood_is_reported(lexicon):
    # Function words (我, 能, 吗) and concept words are understood; 学区房 is not.
    p = parse("我的社保卡能买学区房吗", lexicon)
    assert p.unknown == ("买学区房",) and p.unknown_chars == 4
    assert parse("我的社保卡丢了怎么办", lexicon).unknown == ()


def test_a_verb_does_not_swallow_the_head_of_a_who_word(lexicon):
    # 从事 (a detail) would leave 业单位 unread; 事业单位 (机关事业) wins.
    p = parse("从事业单位调去外市机关了", lexicon)
    assert "机关事业" in p.concepts and "开办" not in p.concepts


def test_a_word_never_spans_two_clauses(lexicon):
    # 本溪户口，在鞍山失业: the 户口 is 本溪's; 户口在鞍山 across the comma is not what was said.
    p = parse("我是本溪户口，在鞍山失业了", lexicon)
    assert "本地户口" not in p.concepts and "户口在鞍山" not in [m.word for m in p.matches]
    assert "本地户口" in parse("我户口在鞍山，在大连失业了", lexicon).concepts


def test_an_out_of_scope_word_kept_on_the_list_says_its_topic(lexicon):
    # 工伤鉴定 is not on the list by itself, but asked with 伤残补助金 it is item 31's 工伤.
    p = parse("工伤鉴定完了，伤残补助金在哪领", lexicon)
    assert not p.out_of_scope and "工伤" in p.concepts
    assert parse("工伤鉴定在哪做", lexicon).out_of_scope


def test_the_clause_that_asks_is_the_focus(lexicon):
    p = parse("社保卡整丢了，先给我挂上", lexicon)
    assert focus_of("社保卡整丢了，先给我挂上", p, lexicon).focus == ("挂失",)
    # One clause, or a last clause that says all that came before: no focus.
    assert focus_of("社保卡整丢了先给我挂上", p, lexicon).focus == ()
    q = parse("社保卡，社保卡丢了", lexicon)
    assert focus_of("社保卡，社保卡丢了", q, lexicon).focus == ()
    # The focus weighs more: 补领 (33), which lacks 挂失, agrees less than without it.
    focused = focus_of("社保卡整丢了，先给我挂上", p, lexicon)
    assert agreement(focused, lexicon.items[33], lexicon) < agreement(p, lexicon.items[33], lexicon)
    # 挂失 (34) says it all; its related 丢失 counts a little less than a core concept would.
    assert agreement(focused, lexicon.items[34], lexicon) > 0.95 > agreement(focused, lexicon.items[33], lexicon)


def test_implications_see_what_earlier_ones_added(lexicon):
    # 失业 + 领钱 ⇒ 失业保险金 comes first; the money is then not the asker's 养老金 (退休 said in passing).
    p = parse("我退休好几年了，闺女失业了能领多少钱", lexicon)
    assert "失业保险金" in p.concepts and "养老金" not in p.concepts and not p.out_of_scope


def test_asking_whether_a_card_was_blocked_asks_its_state(lexicon):
    # 是不是被挂失了 asks the card's state (36), it does not ask to block it (34).
    p = parse("我的社保卡是不是被挂失了，想查一下状态", lexicon)
    assert "状态查询" in p.concepts and "挂失" not in p.concepts
    assert "挂失" in parse("社保卡丢了，想先挂失，再查一下状态", lexicon).concepts


def test_dialect_and_function_words_are_validated(tmp_path):
    f = write(
        tmp_path / "concepts.yaml",
        "concepts:\n  失业: {kind: topic, words: [失业]}\ndialect: [咋, 怎么]\nfunction_words: {我: 1}\n",
    )
    issues: list[Issue] = []
    read_concepts(f, issues)
    text = "\n".join(str(i) for i in issues)
    assert "dialect" in text and "function_words" in text


def test_implications_are_validated(tmp_path):
    f = write(
        tmp_path / "concepts.yaml",
        "concepts:\n  失业: {kind: topic, words: [失业]}\n"
        "implies:\n  - {when: [失业, 没有这个], add: [也没有]}\n  - {when: [失业]}\n",
    )
    issues: list[Issue] = []
    read_concepts(f, issues)
    text = "\n".join(str(i) for i in issues)
    assert "没有这个" in text and "也没有" in text and "须有 when" in text


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_validation_reports_each_problem(tmp_path):
    f = write(
        tmp_path / "concepts.yaml",
        "concepts:\n"
        "  失业: {kind: topic, words: [失业]}\n"
        "  坏: {kind: colour, words: [坏]}\n"
        "items:\n"
        "  1: {core: [失业, 不存在的概念]}\n"
        "  99: {core: [失业]}\n"
        "out_of_scope:\n"
        "  - {topic: 医保}\n"
        "bogus: 1\n",
    )
    issues: list[Issue] = []
    data = read_concepts(f, issues, item_numbers=[1, 2])
    text = "\n".join(str(i) for i in issues)
    assert "kind" in text and "colour" in text
    assert "不存在的概念" in text
    assert "事项 99 不存在" in text
    assert "words" in text  # the out-of-scope entry has neither words nor all
    assert "bogus" in text
    assert [c.name for c in data.concepts] == ["失业"]


def test_a_broken_concepts_file_stops_loading(tmp_path):
    shutil.copytree(packaged_data_dir(), tmp_path / "kb")
    write(tmp_path / "kb" / "concepts.yaml", "concepts:\n  失业: {kind: topic}\n")
    with pytest.raises(DataError) as exc:
        load(tmp_path / "kb")
    assert "concepts.yaml" in str(exc.value.issues[0].file)


def test_a_knowledge_base_without_concepts_still_searches(tmp_path):
    shutil.copytree(packaged_data_dir(), tmp_path / "kb")
    (tmp_path / "kb" / "concepts.yaml").unlink()
    kb = load(tmp_path / "kb")
    assert kb.concepts is None
    index = build_index(kb)
    assert search(index, "失业登记")[0].number == 2
    assert search(index, "社保卡挂失")[0].number == 34


def test_another_city_ships_its_own_concepts(tmp_path):
    shutil.copytree(packaged_data_dir(), tmp_path / "kb")
    (tmp_path / "kb" / "eligibility.yaml").unlink()  # its conditions name Anshan's concepts
    write(
        tmp_path / "kb" / "concepts.yaml",
        "concepts:\n"
        "  社保卡: {kind: topic, words: [社保卡, 市民卡]}\n"
        "  挂失: {kind: action, words: [挂失, 丢了]}\n"
        "items:\n"
        "  34: {core: [社保卡, 挂失]}\n"
        "out_of_scope:\n"
        "  - {topic: 公交, words: [公交, 地铁]}\n",
    )
    index = build_index(load(tmp_path / "kb"))
    assert search(index, "市民卡丢了，在外面怕别人用")[0].number == 34
    assert search(index, "市民卡坐公交怎么打折") == []


def test_what_a_paper_is_for_is_not_the_question(lexicon):
    # 落户 (not on the list) is what the record is for: X 需要 <paper>, <paper> 去办 X.
    assert not parse("孩子落户需要我的社保缴费记录", lexicon).out_of_scope
    assert not parse("我们公司要开参保证明去办营业执照", lexicon).out_of_scope
    # Asked for itself, it is still not on the list.
    assert parse("孩子落户需要什么手续", lexicon).out_of_scope


def test_not_wanting_an_action_negates_it(lexicon):
    # 不是要领钱 / 不用…调走: the action is what the citizen does *not* ask for.
    p = parse("我不是要领钱，想登记一下失业", lexicon)
    assert "领取待遇" in p.negated and "登记" in p.concepts
    assert "转出" in parse("开个档案证明，不用把档案调走", lexicon).negated
    # A question with 要不要 is not a refusal.
    assert "挂失" in parse("社保卡要不要挂失", lexicon).concepts


def test_the_counties_of_anshan_are_anshan(lexicon):
    # 户口在海城 is a local 户口: the money comes back (item 8), it does not leave.
    p = parse("在大连领的失业金，户口在海城，想转回来", lexicon)
    assert "本地户口" in p.concepts and "转入" in p.concepts and "转出" not in p.concepts


def test_a_lay_off_is_unemployment_but_a_resignation_is_not_said_to_be(lexicon):
    assert "失业" in parse("单位裁员把我裁了，接下来办什么", lexicon).concepts
    assert "失业" not in parse("我在公司辞职了", lexicon).concepts


def test_the_boundaries_the_source_draws_are_out_of_scope(lexicon):
    # Item 24 is an enterprise worker's
    # retirement; item 6 is the woman's own benefit.
    # A certificate of another province, and 直接确定 on a 函授 degree, are 禁办 cases of items 18 and 19
    # (违规禁办事项清单): not on the list; the query that names the item in full keeps its card.
    assert parse("在江苏评的中级职称证书丢了", lexicon).out_of_scope == ("外省市评审的职称证书补发（禁办）",)
    assert parse("函授本科毕业，能直接定个初级职称吗", lexicon).out_of_scope
    assert not parse("外省市评审的职称证书补发", lexicon).out_of_scope
    assert not parse("我在北京读的全日制研究生，回鞍山想定初级职称", lexicon).out_of_scope
    assert parse("我在机关单位上班，明年到岁数退休，手续咋办", lexicon).out_of_scope
    assert parse("我领着失业金，我老婆刚生了孩子，我能领生育补助吗", lexicon).out_of_scope
    assert not parse("我领着失业金，这个月生了孩子，能领生育补助吗", lexicon).out_of_scope
    # 高级 is evaluated elsewhere, but a lost certificate of any level is item 18's.
    assert not parse("副高职称证书丢了想补发", lexicon).out_of_scope

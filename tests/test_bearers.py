"""Where bearers stand in a clause (``bearers.py``)."""

from __future__ import annotations

import pytest

from policygraph.bearers import BearerGrammar, default_grammar


@pytest.fixture(scope="module")
def grammar() -> BearerGrammar:
    return default_grammar()


def test_overlapping_heads_end_a_name(grammar: BearerGrammar) -> None:
    """管理人 and 人员 overlap in 管理人员: the name may end after either."""
    text = "生产经营单位的安全生产管理人员应当根据本单位的生产经营特点"
    found = grammar.before_cue(text, 0, text.index("应当"))
    assert found == (["生产经营单位的安全生产管理人员"], text.index("应当"))


@pytest.mark.parametrize(("text", "names"), [
    ("县级以上人民政府组织编制地质灾害防治规划", ["县级以上人民政府"]),  # the shortest name before a verb
    ("国务院反洗钱行政主管部门为履行反洗钱资金监测职责", ["国务院反洗钱行政主管部门"]),  # a name goes on; 为 + verb
    ("国务院扶贫开发领导小组建设精准扶贫精准脱贫大数据平台", ["国务院扶贫开发领导小组"]),
])
def test_the_subject_before_a_verb(grammar: BearerGrammar, text: str, names: list[str]) -> None:
    found = grammar.before_verb(text, 0, len(text))
    assert found is not None and found[0] == names


@pytest.mark.parametrize(("text", "names"), [
    # 注册会计师法(2014-08-31): a body named for its function
    ("复议机关应当在接到复议申请之日起六十日内作出复议决定", ["复议机关"]),
    ("审批机关应当自受理申请之日起30日内作出决定", ["审批机关"]),
])
def test_a_body_named_for_its_function_before_a_cue(grammar: BearerGrammar, text: str, names: list[str]) -> None:
    found = grammar.before_cue(text, 0, text.index("应当"))
    assert found is not None and found[0] == names


def test_a_verb_and_its_object_before_a_cue_is_no_body(grammar: BearerGrammar) -> None:
    text = "开展数据处理活动应当依照法律、法规的规定"  # an activity (convention 21), not a body
    assert grammar.before_cue(text, 0, text.index("应当")) is None


def test_a_list_closed_by_etc_before_its_cue(grammar: BearerGrammar) -> None:
    """反电信网络诈骗法(2022-09-02) 第三十二条 (abridged): …和国家网信部门等应当…: 等 between the list and its cue."""
    text = "国务院公安部门、金融管理部门、电信主管部门和国家网信部门等应当统筹负责本行业领域反制技术措施建设"
    found = grammar.before_cue(text, 0, text.index("应当"))
    assert found is not None
    assert found[0] == ["国务院公安部门", "国务院金融管理部门", "国务院电信主管部门", "国家网信部门"]


def test_bodies_named_for_their_function_after_by(grammar: BearerGrammar) -> None:
    """广告法(2021-04-29): …由任免机关或者监察机关依法给予处分 — after 由 a verb and its object cannot stand, so
    任免 names what the body does; but with no body's head a verb phrase after 由 is still no name."""
    text = "由任免机关或者监察机关依法给予处分"
    found = grammar.before_verb(text, 1, len(text), longest=True)
    assert found is not None and found[0] == ["任免机关", "监察机关"]
    assert grammar.before_verb("由组织实施", 1, 5, longest=True) is None


@pytest.mark.parametrize(("text", "cue"), [
    ("国家可以决定实行戒严", "可以"),  # 戒严法(1996-03-01) 第二条
    ("国家在必要时可以设立支持基础研究的基金", "可以"),  # 科学技术进步法(2021-12-24), abridged
])
def test_the_state_with_a_cue_of_its_own_bears_it(grammar: BearerGrammar, text: str, cue: str) -> None:
    """CONVENTIONS.md, "Not records": 国家 with an explicit cue is a record with bearer 国家."""
    assert grammar.before_cue(text, 0, text.index(cue)) == (["国家"], 2)


@pytest.mark.parametrize("text", [
    "国家机关应当依法公开政府信息",  # 国家 opens a name
    "国家和地方应当加大投入",  # a coordination: 国家 is not read alone before a list
])
def test_the_state_is_no_bearer_inside_a_name_or_a_list(grammar: BearerGrammar, text: str) -> None:
    assert grammar.before_cue(text, 0, text.index("应当")) != (["国家"], 2)


def test_a_bare_head_after_a_modified_name_shares_its_modifier(grammar: BearerGrammar) -> None:
    """无障碍环境建设法(2023-06-28) 第二十六条 (abridged): convention 23, the modifier repeated."""
    text = "无障碍设施所有权人或者管理人应当对无障碍设施履行以下维护和管理责任"
    assert grammar.before_cue(text, 0, text.index("应当")) == (["无障碍设施所有权人", "无障碍设施管理人"], 14)


@pytest.mark.parametrize(("text", "names"), [
    # 海洋环境保护法(2023-10-24) 第五条: a place's modifier the grammar has no rule for, before a body it reads
    ("沿海县级以上地方人民政府应当将海洋环境保护工作纳入国民经济和社会发展规划", ["沿海县级以上地方人民政府"]),
    # 大气污染防治法(2018-10-26) 第八十一条: a 的-phrase before an agent
    ("排放油烟的餐饮服务业经营者应当安装油烟净化设施", ["排放油烟的餐饮服务业经营者"]),
    # 特种设备安全监察条例(2009-01-24) 第五条: verbs coordinated before the head they share
    ("特种设备生产、使用单位应当建立健全特种设备安全、节能管理制度", ["特种设备生产、使用单位"]),
])
def test_a_modified_name_right_before_its_cue(grammar: BearerGrammar, text: str, names: list[str]) -> None:
    found = grammar.before_cue(text, 0, text.index("应当"))
    assert found is not None and found[0] == names


@pytest.mark.parametrize("text", [
    "担任法官应当具备下列条件",  # an activity (convention 21): a verb and its object
    "有专门的机构或者人员负责保密工作",  # what there is, not who
    "必要时有关部门应当协助",  # an occasion before the name is no modifier
    "副院长、审判委员会委员应当从法官中产生",  # two names, not verbs sharing a head: never one bearer
    # 国内水路运输管理条例(2017-03-01) 第八条, the dictionary cutting 经国 | 务院: a preposition and its object
    "经国务院交通运输主管部门或者设区的市级以上地方人民政府负责水路运输管理的部门批准",
    # 劳动保险条例(1953-01-02) 第三十一条 (abridged): a name, 为 and what it is — a description
    "中央人民政府劳动部为全国劳动保险业务的最高监督机关负责贯彻劳动保险条例的实施",
    # 证券公司风险处置条例(2016-02-06) 第五十六条 (abridged): names listed before a relative clause, not one relative
    "托管组、接管组、行政清理组以及被责令停业整顿、托管和行政重组的证券公司应当报告工作情况",
])
def test_what_is_no_modified_name(grammar: BearerGrammar, text: str) -> None:
    cue = next(c for c in ("应当", "负责") if c in text)  # (the first cue the text has)
    found = grammar.before_cue(text, 0, text.index(cue))
    assert found is None or all(len(name) < len(text[:text.index(cue)]) for name in found[0])


def test_an_organisation_is_whoever_has_a_board(grammar: BearerGrammar) -> None:
    """证券法(2019-12-28) 第八十二条: 董事 belong to a company or an association, so the owner before 的 is one whatever
    its name ends in (发行人), and the staff listed after it are its staff too (convention 23)."""
    text = "发行人的董事、监事和高级管理人员应当保证发行人及时、公平地披露信息"
    assert grammar.before_cue(text, 0, text.index("应当")) == (
        ["发行人的董事", "发行人的监事", "发行人的高级管理人员"], text.index("应当"))


@pytest.mark.parametrize("span", ["等", "的", "各"])
def test_what_is_left_of_no_name_is_none(grammar: BearerGrammar, span: str) -> None:
    """A head tried while reading a name in part may be only what ends a name (…合作社等): nothing is left once it is
    dropped, and that is no name (it once raised IndexError on 农民专业合作社法(2017-12-27))."""
    assert grammar.parse(span) is None

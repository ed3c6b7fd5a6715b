"""Conventions 11-19, 25 and 30 (tests/gold/CONVENTIONS.md), each on a real sentence with its source named.

Sentences come from national laws in ../shared/corpus/lawrefbook that are in neither gold half (and, for
convention 14, which only local rules use, from a local rule in ../shared/corpus/local-dev).
"""

from __future__ import annotations

import pytest

from policygraph.extract import Duty, Extractor
from policygraph.graph import own_place
from policygraph.normalize import normalize_text
from policygraph.structure import parse


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _duties(extractor: Extractor, article: str) -> list[Duty]:
    return extractor.extract(parse(normalize_text(article)))


def _triples(duties: list[Duty]) -> list[tuple[str | None, str, str]]:
    return [(d.actor, d.modality, d.action) for d in duties]


CASES = [
    # 11. a sentence with no bearer of its own goes on with the previous sentence's bearer
    ("11", "保险法(2015-04-24) 第七十六条",
     "第七十六条　保险监督管理机构应当对保险公司设立分支机构的申请进行审查，"
     "自受理之日起六十日内作出批准或者不批准的决定。"
     "决定批准的，颁发分支机构经营保险业务许可证；决定不批准的，应当书面通知申请人并说明理由。",
     [("保险监督管理机构", "obligation", "对保险公司设立分支机构的申请进行审查"),
      ("保险监督管理机构", "obligation", "自受理之日起六十日内作出批准或者不批准的决定"),
      ("保险监督管理机构", "obligation", "颁发分支机构经营保险业务许可证"),
      ("保险监督管理机构", "obligation", "书面通知申请人并说明理由")]),
    # 12. an obligation with no bearer at all has bearer null
    ("12", "最高人民法院关于适用财产刑若干问题的规定(2000-12-13) 第八条",
     "第八条　罚金刑的数额应当以人民币为计算单位。",
     [(None, "obligation", "以人民币为计算单位")]),
    # 13. 任何组织和个人 is one universal bearer
    ("13", "工会法(2021-12-24) 第十三条", "第十三条　任何组织和个人不得随意撤销、合并工会组织。",
     [("任何组织和个人", "prohibition", "随意撤销、合并工会组织")]),
    # 15. rights: 有权
    ("15", "行政诉讼法(2017-06-27) 第十一条", "第十一条　人民检察院有权对行政诉讼实行法律监督。",
     [("人民检察院", "right", "对行政诉讼实行法律监督")]),
    # 16. 由X + any verb
    ("16", "城市房地产管理法(2019-08-26) 第六十六条",
     "第六十六条　违反本法第三十九条第一款的规定转让土地使用权的，"
     "由县级以上人民政府土地管理部门没收违法所得，可以并处罚款。",
     [("县级以上人民政府土地管理部门", "obligation", "没收违法所得"),
      ("县级以上人民政府土地管理部门", "permission", "处罚款")]),  # a leading 并 is dropped (convention 6)
    # 17. a list of departments sharing a head gives one bearer each
    ("17", "会计法(2017-11-04) 第三十三条",
     "第三十三条　财政、审计、税务、人民银行、证券监管、保险监管等部门应当依照有关法律、行政法规规定的职责，"
     "对有关单位的会计资料实施监督检查。",
     [(name, "obligation", "依照有关法律、行政法规规定的职责，对有关单位的会计资料实施监督检查")
      for name in ("财政部门", "审计部门", "税务部门", "人民银行部门", "证券监管部门", "保险监管部门")]),
    # 17. a shared prefix is repeated for each department
    ("17", "母婴保健法实施办法(2017-11-17) 第八条",
     "第八条　县级以上各级人民政府财政、公安、民政、教育、劳动保障、计划生育等部门应当在各自职责范围内，"
     "配合同级卫生行政部门做好母婴保健工作。",
     [(f"县级以上各级人民政府{f}部门", "obligation", "在各自职责范围内，配合同级卫生行政部门做好母婴保健工作")
      for f in ("财政", "公安", "民政", "教育", "劳动保障", "计划生育")]),
    # 18. a lead-in's comma does not split the action; three coordinated bearers
    ("18", "体育法(2022-06-24) 第二十二条",
     "第二十二条　居民委员会、村民委员会以及其他社区组织应当结合实际，组织开展全民健身活动。",
     [(name, "obligation", "结合实际，组织开展全民健身活动") for name in ("居民委员会", "村民委员会", "其他社区组织")]),
    # 18. lead-ins chain: two of them before one predicate are one action with it
    ("18", "公职人员政务处分法(2020-06-20) 第六十五条",
     "第六十五条　国务院及其相关主管部门根据本法的原则和精神，结合事业单位、国有企业等的实际情况，"
     "对事业单位、国有企业等的违法的公职人员处分事宜作出具体规定。",
     [(name, "obligation", "根据本法的原则和精神，结合事业单位、国有企业等的实际情况，"
       "对事业单位、国有企业等的违法的公职人员处分事宜作出具体规定") for name in ("国务院", "国务院相关主管部门")]),
    # 25. 享受 + a benefit is a right, the action keeping 享受; 无权 + verb is a prohibition
    ("25", "驻外外交人员法(2009-10-31) 第三十九条", "第三十九条　驻外外交人员享受国家规定的带薪年休假和任期假。",
     [("驻外外交人员", "right", "享受国家规定的带薪年休假和任期假")]),
    ("25", "商标法(2019-04-23) 第五十九条",
     "第五十九条　注册商标中含有的本商品的通用名称、图形、型号，或者直接表示商品的质量、主要原料、功能、用途、重量、"
     "数量及其他特点，或者含有的地名，注册商标专用权人无权禁止他人正当使用。",
     [("注册商标专用权人", "prohibition", "禁止他人正当使用")]),
    # 27. an occasion between the bearer and the cue is the condition (the record keeps it in `condition`)
    ("27", "公务员法(2018-12-29) 第九条", "第九条　公务员就职时应当依照法律规定公开进行宪法宣誓。",
     [("公务员", "obligation", "依照法律规定公开进行宪法宣誓")]),
    # 30. a principle lead-in and its items are no duties
    ("30", "农民专业合作社法(2017-12-27) 第四条",
     "第四条　农民专业合作社应当遵循下列原则：\n（一）成员以农民为主体；"
     "\n（二）以服务成员为宗旨，谋求全体成员的共同利益；\n（三）入社自愿、退社自由；", []),
    # 19. the addressees of a scope article are not duties
    ("19", "拍卖法(2015-04-24) 第二条", "第二条　本法适用于中华人民共和国境内拍卖企业进行的拍卖活动。", []),
    ("19", "统计法(2024-09-13) 第二条",
     "第二条　本法适用于各级人民政府、县级以上人民政府统计机构和有关部门组织实施的统计活动。", []),
]


@pytest.mark.parametrize(("convention", "source", "article", "expected"), CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_convention(extractor: Extractor, convention: str, source: str, article: str,
                    expected: list[tuple[str | None, str, str]]) -> None:
    assert _triples(_duties(extractor, article)) == expected, f"convention {convention}, {source}"


def test_17_with_goes_in_its_own_field(extractor: Extractor) -> None:
    """草原法(2021-04-29) 第二十三条: in X会同Y…, X bears the duty and Y is ``with``."""
    duties = _duties(extractor, "第二十三条　国务院草原行政主管部门会同国务院有关部门制定全国草原等级评定标准。")
    assert [(d.actor, d.with_, d.action) for d in duties] == [
        ("国务院草原行政主管部门", "国务院有关部门", "制定全国草原等级评定标准")]
    assert duties[0].to_json()["with"] == "国务院有关部门"


def test_16_with_inside_by(extractor: Extractor) -> None:
    """人民陪审员法(2018-04-27) 第二十五条: 由X会同Y负责 → X, with Y, action 负责 (convention 7)."""
    duties = _duties(extractor, "第二十五条　人民陪审员的培训、考核和奖惩等日常管理工作，"
                                "由基层人民法院会同司法行政机关负责。")
    assert [(d.actor, d.with_, d.modality, d.action) for d in duties] == [
        ("基层人民法院", "司法行政机关", "obligation", "负责")]


def test_14_own_place_is_named_as_written_and_resolved_to_the_jurisdiction(extractor: Extractor) -> None:
    """北京市实施《国家通用语言文字法》若干规定 第三条 (local-dev): 本市 stays as written in the record; the
    graph resolves it to the rule's place."""
    duties = _duties(extractor, "第三条　本市各级人民政府应当采取措施推广普通话和推行规范汉字。")
    assert _triples(duties) == [("本市各级人民政府", "obligation", "采取措施推广普通话和推行规范汉字")]
    assert own_place(duties[0].actor or "", "北京市") == "北京市各级人民政府"


def test_28_liability_without_a_subject_has_a_null_bearer(extractor: Extractor) -> None:
    """煤炭法(2016-11-07) 第六十二条: …由煤炭管理部门责令停止作业…；造成损失的，依法承担赔偿责任 — who is liable
    is not named and is not the enforcing body of the sentence: a null bearer, the 的-clause its condition."""
    duties = _duties(extractor, "第六十二条　违反本法第五十二条的规定，未经批准或者未采取安全措施，在煤矿采区范围内进行"
                                "危及煤矿安全作业的，由煤炭管理部门责令停止作业，可以并处五万元以下的罚款；造成损失的，"
                                "依法承担赔偿责任。")
    assert [(d.actor, d.modality, d.action) for d in duties] == [
        ("煤炭管理部门", "obligation", "责令停止作业"), ("煤炭管理部门", "permission", "处五万元以下的罚款"),
        (None, "obligation", "依法承担赔偿责任")]
    assert duties[-1].condition == "造成损失的"

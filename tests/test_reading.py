"""Reading one clause (``reading.py``) and the occasion between a bearer and its cue (``bearers.py``): real sentences
of the national corpus, each with its source, read whole by the extractor."""

from __future__ import annotations

import pytest

from policygraph.extract import Extractor
from policygraph.normalize import normalize_text
from policygraph.structure import parse


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _read(extractor: Extractor, text: str) -> list[tuple[str | None, str, str]]:
    return [(d.actor, d.modality, d.action) for d in extractor.extract(parse(normalize_text(f"第一条　{text}")))]


@pytest.mark.parametrize(("source", "text", "expected"), [
    # a predicate cue (负责) inside the relative clause of a name that opens the clause is the name's: the bearer is
    # the department, not the government that names it
    ("防震减灾法(2008) 第二十三条 (abridged)",
     "县级以上地方人民政府负责管理地震工作的部门或者机构应当采取紧急措施组织修复。",
     [("县级以上地方人民政府负责管理地震工作的部门", "obligation", "采取紧急措施组织修复"),
      ("县级以上地方人民政府负责管理地震工作的机构", "obligation", "采取紧急措施组织修复")]),
    # …also where no other cue follows (a declarative of a body, convention 5)
    ("报废机动车回收管理办法(2019) 第四条 (second paragraph, abridged)",
     "县级以上地方人民政府负责报废机动车回收管理的部门对本行政区域内报废机动车回收活动实施监督管理。",
     [("县级以上地方人民政府负责报废机动车回收管理的部门", "obligation",
       "对本行政区域内报废机动车回收活动实施监督管理")]),
    # a verb phrase between the bearer and its cue is the occasion (convention 22), its subject the bearer
    ("道路交通事故处理程序规定(2018) 第六条",
     "公安机关交通管理部门处理道路交通事故应当使用全国统一的交通管理信息系统。",
     [("公安机关交通管理部门", "obligation", "使用全国统一的交通管理信息系统")]),
    ("集成电路布图设计行政执法办法(2001) 第二十二条 (second paragraph, abridged)",
     "行政执法委员会调查收集证据应当制作笔录。", [("行政执法委员会", "obligation", "制作笔录")]),
    # the parties a verb is done to, named by a passive relative clause (基本农田保护条例(2011) 第三十一条, abridged)
    ("基本农田保护条例(2011) 第三十一条 (abridged)", "被检查的单位和个人应当如实提供有关情况和资料，不得拒绝。",
     [("被检查的单位", "obligation", "如实提供有关情况和资料"),
      ("被检查的个人", "obligation", "如实提供有关情况和资料"),
      ("被检查的单位", "prohibition", "拒绝"), ("被检查的个人", "prohibition", "拒绝")]),
])
def test_rules_of_stop_25(extractor: Extractor, source: str, text: str,
                          expected: list[tuple[str | None, str, str]]) -> None:
    assert _read(extractor, text) == expected, source


@pytest.mark.parametrize(("source", "text", "expected"), [
    # a verb right before 的 makes the name the subject of a relative clause of the topic, a thing: no bearer
    ("电子签名法(2019) 第二十一条 (abridged)", "电子认证服务提供者签发的电子签名认证证书应当准确无误。",
     [(None, "obligation", "准确无误")]),
    # two 的 between the name and the cue: a topic named by clauses, not an occasion (中外合作办学条例(2019) 第十条)
    ("中外合作办学条例(2019) 第十条 (abridged)",
     "接受国务院教育行政部门邀请前来中国合作办学的外国教育机构的知识产权投入可以超过其投入的1/3。",
     [(None, "permission", "超过其投入的1/3")]),
    # a relative clause with a preposition is no name's (负责对…的企业): 负责 stays the clause's cue
    ("工业产品生产许可证管理条例(2005) 第三十六条 (abridged)",
     "工业产品生产许可证主管部门依照本条例规定负责对生产列入目录产品的企业以及核查人员的相关活动进行监督检查。",
     [("工业产品生产许可证主管部门", "obligation",
       "依照本条例规定负责对生产列入目录产品的企业以及核查人员的相关活动进行监督检查")]),
])
def test_stop_25_rules_do_not_misfire(extractor: Extractor, source: str, text: str,
                                      expected: list[tuple[str | None, str, str]]) -> None:
    assert _read(extractor, text) == expected, source

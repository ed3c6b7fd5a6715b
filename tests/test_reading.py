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
    # a clause that is only names the grammar reads in part (a 的-phrase before the head), a cue opening the next:
    # its subject (ninth half's 证券投资基金法, now development)
    ("证券投资基金法(2015) 第十六条 (abridged)",
     "公开募集基金的基金管理人的董事、监事和高级管理人员，应当熟悉证券投资方面的法律、行政法规。",
     [("公开募集基金的基金管理人的董事", "obligation", "熟悉证券投资方面的法律、行政法规"),
      ("公开募集基金的基金管理人的监事", "obligation", "熟悉证券投资方面的法律、行政法规"),
      ("公开募集基金的基金管理人的高级管理人员", "obligation", "熟悉证券投资方面的法律、行政法规")]),
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
    # an agent named by what they do after nouns or a 的-phrase that say of what (票据法(2004) 第七十四条, 第十五条)
    ("票据法(2004) 第七十四条", "本票的出票人必须具有支付本票金额的可靠资金来源，并保证支付。",
     [("本票的出票人", "obligation", "具有支付本票金额的可靠资金来源"), ("本票的出票人", "obligation", "保证支付")]),
    ("票据法(2004) 第十五条 (second paragraph)", "收到挂失止付通知的付款人，应当暂停支付。",
     [("收到挂失止付通知的付款人", "obligation", "暂停支付")]),
    # a clause opening with a name before a comma and a cue: the occasion, its subject the bearer (convention 22),
    # where jieba tags the verb a noun (承兑汇票)
    ("票据法(2004) 第四十三条 (abridged)", "付款人承兑汇票，不得附有条件。", [("付款人", "prohibition", "附有条件")]),
    # a lead-in runs to the comma though jieba tags a noun in it a verb (需求 | 和…): one action (convention 18)
    ("就业促进法(2015) 第四十七条 (abridged: one bearer)",
     "县级以上地方人民政府根据市场需求和产业发展方向，鼓励、指导企业加强职业教育和培训。",
     [("县级以上地方人民政府", "obligation", "根据市场需求和产业发展方向，鼓励、指导企业加强职业教育和培训")]),
    # an occasion of two clauses before the cue: its subject bears the cue, and neither clause is a record (22)
    ("网络数据安全管理条例(2024) 第十五条 (abridged)",
     "国家机关委托他人建设、运行、维护电子政务系统，存储、加工政务数据，应当按照国家有关规定经过严格的批准程序。",
     [("国家机关", "obligation", "按照国家有关规定经过严格的批准程序")]),
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
    # 的 between a name and its cue names a thing more often than not: no bearer (护士条例(2020) 第二十条)
    ("护士条例(2020) 第二十条 (abridged)", "医疗卫生机构配备护士的数量不得低于国务院卫生主管部门规定的护士配备标准。",
     [(None, "prohibition", "低于国务院卫生主管部门规定的护士配备标准")]),
    # a modifier ends in no light verb (利用野生动物进行 | 公众): a verb that takes an object
    ("野生动物保护法(2022) 第二十八条 (sixth paragraph, abridged)",
     "利用野生动物进行公众展示展演应当采取安全管理措施。",
     [(None, "obligation", "采取安全管理措施")]),
    # second review of stop 25 (120 laws outside the gold): an occasion runs over clauses that go on with its act,
    # not over a condition (如果…), and not to a predicate (享受 is the third of three acts)
    ("全国年节及纪念日放假办法(2013) 第六条 (abridged)",
     "全体公民放假的假日，如果适逢星期六、星期日，应当在工作日补假。",
     [(None, "obligation", "在工作日补假")]),
    ("退役军人安置条例(2024) 第八十一条 (second paragraph)",
     "退役军人依法参加养老、医疗、工伤、失业、生育等社会保险，缴纳社会保险费，享受社会保险待遇。",
     [("退役军人", "obligation", "依法参加养老、医疗、工伤、失业、生育等社会保险"),
      ("退役军人", "obligation", "缴纳社会保险费"), ("退役军人", "right", "享受社会保险待遇")]),
    # 不得 + a name is no bearer's prohibition (only 禁止/严禁 X… names X, convention 9)
    ("广告法(2021) 第三十八条 (second paragraph)", "不得利用不满十周岁的未成年人作为广告代言人。",
     [(None, "prohibition", "利用不满十周岁的未成年人作为广告代言人")]),
    # a conjunction opens no name (由于 | 承运人…)
    ("水路货物运输合同实施细则(2011) 第二十三条 (abridged)",
     "由于承运人责任发生货物错运、错交，应无偿运回合同规定的到达港，交给指定的收货人。",
     [(None, "obligation", "无偿运回合同规定的到达港"), (None, "obligation", "交给指定的收货人")]),
    # the state's act for those it names (convention 29): a clause opening with 或者 goes on with the object
    ("社会救助暂行办法(2019) 第十四条",
     "国家对无劳动能力、无生活来源且无法定赡养、抚养、扶养义务人，或者其法定赡养、抚养、扶养义务人无赡养、抚养、扶养能力的"
     "老年人、残疾人以及未满16周岁的未成年人，给予特困人员供养。", []),
    # 利用 opens a relative clause of a thing here (…产生的收入，…，属于业主共有: no duty)
    ("民法典 物权编 第二百八十二条",
     "建设单位、物业服务企业或者其他管理人等利用业主的共有部分产生的收入，在扣除合理成本之后，属于业主共有。", []),
    # third review of stop 25: a clause naming someone ends an occasion's run (国境卫生检疫法实施细则(2019) 第四十五条)
    ("国境卫生检疫法实施细则(2019) 第四十五条 (abridged)",
     "受入境检疫的列车和其他车辆到达车站、关口后，检疫医师首先登车，列车长或者其他车辆负责人，应当口头或者书面向卫生检疫机关申报。",
     [("检疫医师", "obligation", "首先登车"), ("列车长", "obligation", "口头或者书面向卫生检疫机关申报"),
      ("其他车辆负责人", "obligation", "口头或者书面向卫生检疫机关申报")]),
    # 所 + a verb names a thing: no occasion, no act (香港特别行政区驻军法(1996) 第二十一条,
    # 保守国家秘密法(2024) 第十一条)
    ("香港特别行政区驻军法(1996) 第二十一条 (second sentence)",
     "被羁押的人员所涉及的案件，依照本法第二十条的规定确定管辖。", []),
    ("保守国家秘密法(2024) 第十一条 (second paragraph)",
     "机关、单位开展保密工作所需经费应当列入本机关、本单位年度预算或者年度收支计划。",
     [(None, "obligation", "列入本机关、本单位年度预算或者年度收支计划")]),
    # a word jieba cuts in two (本条 | 例) is no noun before 和 in a lead-in: 协商 is the clause's act (电力设施保护条例
    # (2011) 第二十二条, abridged)
    ("电力设施保护条例(2011) 第二十二条 (abridged)",
     "双方有关单位必须按照本条例和国家有关规定协商，就迁移、采取必要的防护措施和补偿等问题达成协议后方可施工。",
     [("双方有关单位", "obligation", "按照本条例和国家有关规定协商"), ("双方有关单位", "permission", "施工")]),
    # 具有 states what a body is, as 是 and 属于 do: no duty without a cue (工会法(2021) 第十五条)
    ("工会法(2021) 第十五条 (first paragraph)", "中华全国总工会、地方总工会、产业工会具有社会团体法人资格。", []),
    # fourth review of stop 25: an agent's modifier holds no name and coordinator (公司法(2023) 第十五条), and a
    # cue opening a clause is inside no name (未成年人保护法(2024) 第九十六条)
    ("公司法(2023) 第十五条 (third paragraph, abridged)",
     "前款规定的股东或者受前款规定的实际控制人支配的股东，不得参加前款规定事项的表决。",
     [("前款规定的股东", "prohibition", "参加前款规定事项的表决"),
      ("受前款规定的实际控制人支配的股东", "prohibition", "参加前款规定事项的表决")]),
    ("未成年人保护法(2024) 第九十六条 (second paragraph)",
     "县级以上人民政府及其民政部门应当根据需要设立未成年人救助保护机构、儿童福利机构，负责收留、抚养由民政部门监护的未成年人。",
     [("县级以上人民政府", "obligation", "根据需要设立未成年人救助保护机构、儿童福利机构"),
      ("县级以上人民政府民政部门", "obligation", "根据需要设立未成年人救助保护机构、儿童福利机构"),
      ("县级以上人民政府", "obligation", "负责收留、抚养由民政部门监护的未成年人"),
      ("县级以上人民政府民政部门", "obligation", "负责收留、抚养由民政部门监护的未成年人")]),
    # a relative clause with a preposition is no name's (负责对…的企业): 负责 stays the clause's cue
    ("工业产品生产许可证管理条例(2005) 第三十六条 (abridged)",
     "工业产品生产许可证主管部门依照本条例规定负责对生产列入目录产品的企业以及核查人员的相关活动进行监督检查。",
     [("工业产品生产许可证主管部门", "obligation",
       "依照本条例规定负责对生产列入目录产品的企业以及核查人员的相关活动进行监督检查")]),
])
def test_stop_25_rules_do_not_misfire(extractor: Extractor, source: str, text: str,
                                      expected: list[tuple[str | None, str, str]]) -> None:
    assert _read(extractor, text) == expected, source


@pytest.mark.parametrize(("source", "text", "expected"), [
    # 由X + a verb without a cue of its own is an obligation (convention 16), not the permission of the clause
    # before it
    ("进出口商品检验法(2021) 第二十七条 (abridged)",
     "报检人对检验结果有异议的，可以向原商检机构申请复验，由受理复验的商检机构及时作出复验结论。",
     [("报检人", "permission", "向原商检机构申请复验"), ("受理复验的商检机构", "obligation", "及时作出复验结论")]),
    # a body's members named after it (常务委员会 | 组成人员, jieba's 组成 a verb), and how many act together
    ("立法法(2023) 第三十条 (abridged)",
     "常务委员会组成人员十人以上联名，可以向常务委员会提出法律案，由委员长会议决定是否列入常务委员会会议议程。",
     [("常务委员会组成人员", "permission", "向常务委员会提出法律案"),
      ("委员长会议", "obligation", "决定是否列入常务委员会会议议程")]),
    # …but not what a body has (用人单位 | 有会员二十五人以上的: an occasion)
    ("工会法(2021) 第十一条 (abridged)", "用人单位有会员二十五人以上的，应当建立基层工会委员会。",
     [("用人单位", "obligation", "建立基层工会委员会")]),
    # a prohibition opening the clause is no part of a name (禁止…的单位 read as a bearer before)
    ("公安机关适用继续盘问规定(2004) 第五条",
     "继续盘问工作由人民警察执行。严禁不具有人民警察身份的人员从事有关继续盘问的执法工作。",
     [("人民警察", "obligation", "执行"), ("不具有人民警察身份的人员", "prohibition", "从事有关继续盘问的执法工作")]),
    # levels listed with 、 are one place word before the name (县、市、旗 | 公安局, convention 3b); 旗 is a level
    ("公安机关适用继续盘问规定(2004) 第二十六条 (second paragraph)",
     "县、市、旗公安局或者城市公安分局以上公安机关及其内设机构，不得设置候问室。",
     [("县、市、旗公安局", "prohibition", "设置候问室"), ("城市公安分局以上公安机关", "prohibition", "设置候问室"),
      ("县、市、旗公安局内设机构", "prohibition", "设置候问室"),
      ("城市公安分局以上公安机关内设机构", "prohibition", "设置候问室")]),
    # a body named for what it does stays whole after what it does it to (企业 | 登记机关), and so do members
    # (first review of stop 26)
    ("合伙企业登记管理办法(2019) 第十六条 (first paragraph, abridged)",
     "企业登记机关能够当场登记的，应予当场登记，发给合伙企业营业执照。",
     [("企业登记机关", "obligation", "予当场登记"), ("企业登记机关", "obligation", "发给合伙企业营业执照")]),
    # 银行 heads a name as 金融机构 does; 国家 + a verb + whom it addresses is the state's policy, no bearer
    ("中小企业促进法(2017) 第十七条 (second paragraph)",
     "国有大型商业银行应当设立普惠金融机构，为小型微型企业提供金融服务。"
     "国家推动其他银行业金融机构设立小型微型企业金融服务专营机构。",
     [("国有大型商业银行", "obligation", "设立普惠金融机构"),
      ("国有大型商业银行", "obligation", "为小型微型企业提供金融服务")]),
    # …and 非 before it says what a body is not (非银行支付机构, one name)
    ("反电信网络诈骗法(2022) 第十五条 (abridged)",
     "银行业金融机构、非银行支付机构为客户开立银行账户、支付账户及提供支付结算服务，应当建立客户尽职调查制度。",
     [("银行业金融机构", "obligation", "建立客户尽职调查制度"),
      ("非银行支付机构", "obligation", "建立客户尽职调查制度")]),
    # an adverb after a name ends it (县级以上人民政府 | 定期 | 组织…: 组织 the verb, not a head)
    ("中小企业促进法(2017) 第五十七条 (abridged)", "县级以上人民政府定期组织对中小企业促进工作情况的监督检查。",
     [("县级以上人民政府", "obligation", "定期组织对中小企业促进工作情况的监督检查")]),
    # second review of stop 26: a bare 可以 before a lead-in reaches over it to 由X (convention 18) …
    ("水污染防治法(2017) 第九十七条 (abridged)",
     "因水污染引起的损害赔偿责任和赔偿金额的纠纷，可以根据当事人的请求，由环境保护主管部门调解处理。",
     [("环境保护主管部门", "permission", "根据当事人的请求，调解处理")]),
    # … 禁止 after a comma goes on with the bearer's act (convention 11), it opens no prohibition of its own …
    ("香港特别行政区基本法(1990) 第二十三条 (abridged)",
     "香港特别行政区应自行立法禁止任何叛国的行为，禁止外国的政治性组织或团体在香港特别行政区进行政治活动。",
     [("香港特别行政区", "obligation", "自行立法禁止任何叛国的行为"),
      ("香港特别行政区", "obligation", "禁止外国的政治性组织或团体在香港特别行政区进行政治活动")]),
    # … and no list hands 银行 to the items before it (建设、财政、人民银行…: no 建设银行)
    ("住房公积金管理条例(2019) 第八条 (abridged)",
     "住房公积金管理委员会的成员中，人民政府负责人和建设、财政、人民银行等有关部门负责人以及有关专家占1/3。", []),
    # an assembly's presidium is named by it as its deputies are (人民代表大会 | 主席团)
    ("全国人民代表大会和地方各级人民代表大会选举法(2020) 第三十四条 (abridged)",
     "选举委员会或者人民代表大会主席团应当向选民或者代表介绍代表候选人的情况。",
     [("选举委员会", "obligation", "向选民或者代表介绍代表候选人的情况"),
      ("人民代表大会主席团", "obligation", "向选民或者代表介绍代表候选人的情况")]),
    # a department named for what it does (发证 | 部门), as 机关 and 机构 are, after a determiner (原)
    ("报废机动车回收管理办法(2019) 第二十条 (second paragraph, abridged)",
     "报废机动车回收企业有前款规定情形，情节严重的，由原发证部门吊销资质认定书。",
     [("原发证部门", "obligation", "吊销资质认定书")]),
    # a condition's subject bears what follows it (convention 22), its predicate negated (未按照…的)
    ("拍卖法(2015) 第四十条 (second paragraph)", "买受人未按照约定受领拍卖标的的，应当支付由此产生的保管费用。",
     [("买受人", "obligation", "支付由此产生的保管费用")]),
    # third review of stop 26: a modal fused with its verb opens no name (须经 | …过半数的代表通过) …
    ("全国人民代表大会和地方各级人民代表大会选举法(2020) 第五十三条 (second paragraph, abridged)",
     "罢免由县级以上的地方各级人民代表大会选出的代表，须经各该级人民代表大会过半数的代表通过。",
     [(None, "obligation", "经各该级人民代表大会过半数的代表通过")]),
    # … how many act together is a condition, not an act (十人以上联名), and 政党 names an organisation …
    ("全国人民代表大会和地方各级人民代表大会选举法(2020) 第三十条 (second paragraph, abridged)",
     "各政党、各人民团体，可以联合或者单独推荐代表候选人。选民或者代表，十人以上联名，也可以推荐代表候选人。",
     [("政党", "permission", "联合或者单独推荐代表候选人"), ("人民团体", "permission", "联合或者单独推荐代表候选人"),
      ("选民", "permission", "推荐代表候选人"), ("代表", "permission", "推荐代表候选人")]),
    # … 交 hands a matter to a body or to people, ending the name before it (由选举委员会 | 交…选民小组讨论) …
    ("全国人民代表大会和地方各级人民代表大会选举法(2020) 第三十二条 (abridged)",
     "如果所提代表候选人的人数超过本法第三十一条规定的最高差额比例，由选举委员会交各该选区的选民小组讨论、协商，"
     "确定正式代表候选人名单。",
     [("选举委员会", "obligation", "交各该选区的选民小组讨论、协商"),
      ("选举委员会", "obligation", "确定正式代表候选人名单")]),
    # … and the subject of a condition that bore nothing is not carried into the next sentence (convention 28)
    ("期货交易管理条例(2017) 第七十六条",
     "会计师事务所、律师事务所、资产评估机构等中介服务机构未勤勉尽责，所出具的文件有虚假记载、误导性陈述或者重大遗漏的，"
     "责令改正，没收业务收入，暂停或者撤销相关业务许可，并处业务收入1倍以上5倍以下的罚款。"
     "对直接负责的主管人员和其他直接责任人员给予警告，并处3万元以上10万元以下的罚款。", []),
    # 中心 heads the name of a public institution (住房公积金管理中心, 疾病预防控制中心…)
    ("住房公积金管理条例(2019) 第十三条 (first paragraph)", "住房公积金管理中心应当在受委托银行设立住房公积金专户。",
     [("住房公积金管理中心", "obligation", "在受委托银行设立住房公积金专户")]),
    # a thing that is one noun of the dictionary, no name (城乡规划), is the subject (convention 21), and its
    # clauses go on with no bearer
    ("突发事件应对法(2007) 第十九条",
     "城乡规划应当符合预防、处置突发事件的需要，统筹安排应对突发事件所必需的设备和基础设施建设，合理确定应急避难场所。",
     [(None, "obligation", "符合预防、处置突发事件的需要"),
      (None, "obligation", "统筹安排应对突发事件所必需的设备和基础设施建设"),
      (None, "obligation", "合理确定应急避难场所")]),
    # a lead-in ends at a verb after its basis noun (按照…的规定 | 确定…): the clause has an act of its own
    ("保守国家秘密法实施条例(2014) 第十三条 (first paragraph, abridged)",
     "机关、单位对所产生的国家秘密，应当按照保密事项范围的规定确定具体的保密期限；"
     "保密事项范围没有规定具体保密期限的，可以根据工作需要，在保密法规定的保密期限内确定。",
     [("机关", "obligation", "按照保密事项范围的规定确定具体的保密期限"),
      ("单位", "obligation", "按照保密事项范围的规定确定具体的保密期限"),
      ("机关", "permission", "根据工作需要，在保密法规定的保密期限内确定"),
      ("单位", "permission", "根据工作需要，在保密法规定的保密期限内确定")]),
    # bodies listed with commas before their cue are all its bearers (convention 3)
    ("全国人民代表大会常务委员会议事规则(2022) 第十八条 (second paragraph, abridged)",
     "国务院，中央军事委员会，国家监察委员会，最高人民法院，最高人民检察院，全国人民代表大会各专门委员会，"
     "可以向常务委员会提出属于常务委员会职权范围内的议案。",
     [(name, "permission", "向常务委员会提出属于常务委员会职权范围内的议案")
      for name in ("国务院", "中央军事委员会", "国家监察委员会", "最高人民法院", "最高人民检察院",
                   "全国人民代表大会各专门委员会")]),
    # the kin or unit of a party named by a passive (被盘问人的 | 家属), a condition's subject bearing its right
    ("公安机关适用继续盘问规定(2004) 第二十五条 (second paragraph, abridged)",
     "被盘问人的家属或者单位对鉴定结论不服的，可以在收到鉴定结论后的七日以内向上一级公安机关申请重新鉴定。",
     [("被盘问人的家属", "permission", "在收到鉴定结论后的七日以内向上一级公安机关申请重新鉴定"),
      ("被盘问人的单位", "permission", "在收到鉴定结论后的七日以内向上一级公安机关申请重新鉴定")]),
    # a share of a body's people acting together is a bearer (三分之一以上的村民代表); not 有选举权的村民 (a relative
    # opening with 有 was tried and taken back: the fifth review found 有权…的X and 有…行为的单位 read as bearers)
    ("村民委员会组织法(2018) 第十六条 (first paragraph, abridged)",
     "三分之一以上的村民代表联名，可以提出罢免村民委员会成员的要求，并说明要求罢免的理由。",
     [("三分之一以上的村民代表", "permission", "提出罢免村民委员会成员的要求"),
      ("三分之一以上的村民代表", "permission", "说明要求罢免的理由")]),
    # a cue in quotation marks is a word the text names, not the sentence's (记载“不得转让”字样), and 不承担…责任
    # exempts: no record
    ("票据法(2004) 第三十四条",
     "背书人在汇票上记载“不得转让”字样，其后手再背书转让的，原背书人对后手的被背书人不承担保证责任。", []),
    # whole-stop review of stop 26: a relative clause may point back with 其 (承继其权利和义务的 | 用人单位) …
    ("劳动合同法(2012) 第三十四条 (abridged)", "劳动合同由承继其权利和义务的用人单位继续履行。",
     [("承继其权利和义务的用人单位", "obligation", "继续履行")]),
    # … 商请 hands a matter to a body (由公安部 | 商请外交部…), and 犯罪嫌疑人 signs (签名 an act, though a noun of the
    # dictionary)
    ("公安机关办理刑事案件程序规定(2020) 第八十三条 (abridged)",
     "取保候审决定书应当向犯罪嫌疑人宣读，由犯罪嫌疑人签名、捺指印。",
     [(None, "obligation", "向犯罪嫌疑人宣读"), ("犯罪嫌疑人", "obligation", "签名、捺指印")]),
    # 可以由X负责: the modal's force, the action 负责
    ("保守国家秘密法实施条例(2014) 第十七条 (abridged)",
     "机关、单位被撤销的，其所确定国家秘密的变更和解除，也可以由其上级机关负责。",
     [("其上级机关", "permission", "负责")]),
])
def test_stop_26_rules(extractor: Extractor, source: str, text: str,
                       expected: list[tuple[str | None, str, str]]) -> None:
    assert _read(extractor, text) == expected, source


@pytest.mark.parametrize(("source", "text", "expected"), [
    # 对 + a noun phrase after its relative clause is a lead-in of the next clause, no record of its own
    # (convention 27: the action starts at the verb), though jieba tags a noun's modifier a verb (紧急 | 信访 |
    # 事项); but after a noun a verb is the clause's own predicate (问题 | 提出 | 方案)
    ("信访工作条例(2022) 第二十五条 (abridged)",
     "各级机关对可能造成社会影响的重大、紧急信访事项和信访信息，应当及时报告本级党委和政府。",
     [("各级机关", "obligation", "及时报告本级党委和政府")]),
    ("行政法规制定程序条例(2017) 第十五条",
     "起草行政法规，起草部门应当对涉及有关管理体制、方针政策等需要国务院决策的重大问题提出解决方案，报国务院决定。",
     [("起草部门", "obligation", "对涉及有关管理体制、方针政策等需要国务院决策的重大问题提出解决方案"),
      ("起草部门", "obligation", "报国务院决定")]),
    # 对/向 + an object, then a predicate of the clause's own, before a clause opening with the cue: the occasion
    # (convention 22), its subject the bearer — not a record of its own
    ("机关团体建设楼堂馆所管理条例(2017) 第十七条 (abridged)",
     "监督检查机关对建设楼堂馆所活动实施监督检查，有权要求建设单位提供有关文件。",
     [("监督检查机关", "right", "要求建设单位提供有关文件")]),
    # whole-stop review of stop 27: 国家禁止… binds everyone (convention 9); 国家 opening a thing's name or a relative
    # clause is no bearer (国家自然科学基金…, 国家对…给予的抚恤优待…)
    ("知识产权海关保护条例(2018) 第三条", "国家禁止侵犯知识产权的货物进出口。",
     [(None, "prohibition", "侵犯知识产权的货物进出口")]),
    ("国家自然科学基金条例(2007) 第七条 (abridged)", "国家自然科学基金应当设立专项资金，用于培养青年科学技术人才。",
     [(None, "obligation", "设立专项资金"), (None, "obligation", "用于培养青年科学技术人才")]),
    ("烈士褒扬条例(2019) 第三条 (abridged)", "国家对烈士遗属给予的抚恤优待应当随经济社会的发展逐步提高。",
     [(None, "obligation", "随经济社会的发展逐步提高")]),
    # … setting up a body is an activity, not a name read in part (convention 21)
    ("医疗机构管理条例(2016) 第八条", "设置医疗机构应当符合医疗机构设置规划和医疗机构基本标准。",
     [(None, "obligation", "符合医疗机构设置规划和医疗机构基本标准")]),
    # … names before a comma and 禁止 are what it bans (convention 9), and 其 in a list read in part points back
    ("长江三峡水利枢纽安全保卫条例(2013) 第十五条 (abridged)",
     "未持有效的通行证件或者拒绝接受安全检查的车辆、人员，禁止进入陆域安全保卫区。",
     [(None, "prohibition", "进入陆域安全保卫区")]),
    ("青藏高原生态保护法(2023) 第二十四条 (abridged)",
     "青藏高原县级以上地方人民政府及其有关部门应当统筹协调草原生态保护和畜牧业发展。",
     [("青藏高原县级以上地方人民政府", "obligation", "统筹协调草原生态保护和畜牧业发展"),
      ("青藏高原县级以上地方人民政府有关部门", "obligation", "统筹协调草原生态保护和畜牧业发展")]),
    # a universal bearer after 禁止 binds, whatever follows it; a 禁止 opening the next clause binds everyone again
    ("报废机动车回收管理办法(2019) 第十五条 (abridged)",
     "禁止任何单位或者个人利用报废机动车“五大总成”和其他零部件拼装机动车，禁止拼装的机动车交易。",
     [("任何单位或者个人", "prohibition", "利用报废机动车“五大总成”和其他零部件拼装机动车"),
      (None, "prohibition", "拼装的机动车交易")]),
    # 可 in an adjective jieba cuts off (可 | 再生能源) is no permission (resources/cues.toml [unmodal])
    ("可再生能源法(2009) 第十三条", "国家鼓励和支持可再生能源并网发电。", []),
    # what is protected by law bears no duty
    ("人民陪审员法(2018) 第二十八条",
     "人民陪审员的人身和住所安全受法律保护。任何单位和个人不得对人民陪审员及其近亲属打击报复。",
     [("任何单位和个人", "prohibition", "对人民陪审员及其近亲属打击报复")]),
])
def test_stop_27_rules(extractor: Extractor, source: str, text: str,
                       expected: list[tuple[str | None, str, str]]) -> None:
    assert _read(extractor, text) == expected, source

"""Names of bearers read by their shape (``names.py``: one name; ``lists.py``: coordinated names): one case per rule."""

from __future__ import annotations

import pytest

from policygraph.bearers import default_grammar
from policygraph.lists import ListGrammar as NameGrammar


@pytest.fixture(scope="module")
def grammar() -> NameGrammar:
    return default_grammar()


@pytest.mark.parametrize(("span", "names"), [
    # a level that is itself a body, coordinated with another level's government: two bodies
    ("国务院和县级以上地方各级人民政府", ["国务院", "县级以上地方各级人民政府"]),
    # …but a party committee and government named together stay one joint body (convention 3a)
    ("党中央、国务院", ["党中央、国务院"]),
    ("省级党委和政府", ["省级党委和政府"]),
    ("各级党委和政府信访部门", ["各级党委和政府信访部门"]),
    # departments listed before 等有关部门: one each, without 等 and 有关 (convention 17)
    ("国务院交通运输、住房和城乡建设、水利、民航等有关部门",
     ["国务院交通运输部门", "国务院住房和城乡建设部门", "国务院水利部门", "国务院民航部门"]),
    # coordinated heads after one modifier: the modifier repeated (convention 23)
    ("各级机关、单位", ["各级机关", "各级单位"]),
    ("有关机关、单位", ["有关机关", "有关单位"]),
    # a relative clause of standing opening with 依法
    ("反洗钱行政主管部门和其他依法负有反洗钱监督管理职责的部门、机构",
     ["反洗钱行政主管部门", "其他依法负有反洗钱监督管理职责的部门", "其他依法负有反洗钱监督管理职责的机构"]),
    # the party acted on, and organs named for one act
    ("被询问人", ["被询问人"]),
    # 其 after a list points back to every body in it
    ("各级机关、单位及其工作人员", ["各级机关", "各级单位", "各级机关工作人员", "各级单位工作人员"]),
    # a party committee and government are never split (3a), even inside a longer name
    ("各级党委和政府信访部门以外的其他机关、单位",
     ["各级党委和政府信访部门以外的其他机关", "各级党委和政府信访部门以外的其他单位"]),
    # a 主管部门 whose function opens with a verb of three characters
    ("反洗钱行政主管部门", ["反洗钱行政主管部门"]),
    # set phrases that open with a preposition's character
    ("从业人员", ["从业人员"]),
    ("对外贸易经营者", ["对外贸易经营者"]),
    ("地方党委常委会", ["地方党委常委会"]),
    # a coordinator inside a word (参与) does not split; 其他部门 shares the list's prefix (convention 17; since
    # stop 24: three development laws' annotators repeat it, 地质灾害防治条例's did not)
    ("参与事故抢救的部门和单位", ["参与事故抢救的部门", "参与事故抢救的单位"]),
    ("县级以上人民政府国土资源主管部门或者其他部门", ["县级以上人民政府国土资源主管部门", "县级以上人民政府其他部门"]),
    # a post after a list of bodies is each body's; staff after an organisation's post are its staff too
    ("各级机关、单位工作人员", ["各级机关工作人员", "各级单位工作人员"]),
    ("生产经营单位的主要负责人和安全生产管理人员", ["生产经营单位的主要负责人", "生产经营单位的安全生产管理人员"]),
    # one word in a list sharing a head names a unit, even a verb (出版, 广播)
    ("新闻、出版、广播、电影、电视等单位", ["新闻单位", "出版单位", "广播单位", "电影单位", "电视单位"]),
    ("国务院反洗钱行政主管部门或者其省一级派出机构",
     ["国务院反洗钱行政主管部门", "国务院反洗钱行政主管部门省一级派出机构"]),
    # a government's department named by a relative
    ("县级以上地方各级人民政府负有安全生产监督管理职责的部门",
     ["县级以上地方各级人民政府负有安全生产监督管理职责的部门"]),
    # people named by what they do
    ("电子签名人", ["电子签名人"]),
    ("收件人", ["收件人"]),
    # stop 22, each from a development law: a body named by what it does (招标投标法 第三十七条, 反洗钱法 第十三条,
    # 中外合作办学条例 第二十一条), the members of a named body (招标投标法 第四十四条), agents of a verb and its
    # object (国家赔偿法 第九条), the parties of a relation (招标投标法 第三十一条, 农村土地承包法 第四十条) and a
    # relative clause with 人 (招标投标法 第四十八条)
    ("评标委员会", ["评标委员会"]),
    ("侦查机关", ["侦查机关"]),
    ("联合管理委员会", ["联合管理委员会"]),
    # kin are people (村民委员会组织法 第三十二条 村民委员会成员及其近亲属不得担任…; 监察官法 第五十一条), and a
    # dictionary noun is a name though its first part is a verb (会计人员: 农村集体经济组织法 第三十四条)
    ("村民委员会成员及其近亲属", ["村民委员会成员", "村民委员会成员近亲属"]),
    ("监察官的配偶、父母、子女", ["监察官的配偶", "监察官的父母", "监察官的子女"]),
    ("会计人员", ["会计人员"]),
    # a place word alone is a jurisdiction (地质灾害防治条例 第二十八条, 突发事件应对法 第七条)
    ("当地人民政府", ["当地人民政府"]),
    ("发生地县级人民政府", ["发生地县级人民政府"]),
    ("评标委员会成员", ["评标委员会成员"]),
    ("赔偿请求人", ["赔偿请求人"]),
    ("联合体各方", ["联合体各方"]),
    ("当事人双方", ["当事人双方"]),
    ("接受分包的人", ["接受分包的人"]),
    # an organisation's boards and committee, the owner on each (中外合作办学条例 第二十三条)
    ("中外合作办学机构的理事会、董事会或者联合管理委员会",
     ["中外合作办学机构的理事会", "中外合作办学机构的董事会", "中外合作办学机构的联合管理委员会"]),
    # kinds listed before a person share no head (档案法 第五条); a relative clause is shared by the bare nouns
    # after it (反食品浪费法 第二十四条); a prefix that is a name is not shared (村民委员会组织法)
    ("国家机关、武装力量、政党、团体、企业事业单位和公民",
     ["国家机关", "武装力量", "政党", "团体", "企业事业单位", "公民"]),
    ("产生厨余垃圾的单位、家庭和个人", ["产生厨余垃圾的单位", "产生厨余垃圾的家庭", "产生厨余垃圾的个人"]),
    ("村民委员会成员、村民委员会", ["村民委员会成员", "村民委员会"]),
    # a post after 的, and a coordinated post sharing the organisation
    ("生产经营单位的安全生产管理机构以及安全生产管理人员",
     ["生产经营单位的安全生产管理机构", "生产经营单位的安全生产管理人员"]),
    # 等 closes a list at its head: 自然灾害救助条例 第二十六条 受灾地区人民政府应急管理、财政等部门和有关社会组织应当…
    ("应急管理、财政等部门和有关社会组织", ["应急管理部门", "财政部门", "有关社会组织"]),
    # a ministry named with 和 is one function (国家林业和草原局): 农村土地承包法 第十二条
    ("国务院林业和草原主管部门", ["国务院林业和草原主管部门"]),
    # coordinated levels before one body's head are one bearer (3b), and three bearers as a subject (3)
    ("省、自治区、直辖市人民政府水行政主管部门", ["省、自治区、直辖市人民政府水行政主管部门"]),
    ("省、自治区、直辖市", ["省", "自治区", "直辖市"]),
    # activities listed after an owner and 的 share the owner and the head (安全生产法 第八十二条), and a list
    # may follow
    ("危险物品的生产、经营、储存单位以及矿山、金属冶炼单位",
     ["危险物品的生产单位", "危险物品的经营单位", "危险物品的储存单位", "矿山单位", "金属冶炼单位"]),
    # 其 points back; 设区的 opens a level, not a relative clause (反洗钱法 第三十一条)
    ("国务院反洗钱行政主管部门或者其授权的设区的市一级以上派出机构",
     ["国务院反洗钱行政主管部门", "国务院反洗钱行政主管部门授权的设区的市一级以上派出机构"]),
    # a level's prefix is repeated on the departments listed after its body, not on organisations or persons
    ("国家机关、企业和个人", ["国家机关", "企业", "个人"]),
    # a relational modifier is shared with persons listed after (被检查单位或者个人; 有关单位和个人)
    ("被检查单位或者个人", ["被检查单位", "被检查个人"]),
    ("有关单位和个人", ["有关单位", "有关个人"]),
    # a person named by what they do, X + 者 like X + 人 (中外合作办学条例: 中外合作办学者可以…)
    ("中外合作办学者", ["中外合作办学者"]),
    ("人民警察", ["人民警察"]),
    # 其他 before a name (消费者权益保护法 第三十二条: 各级人民政府工商行政管理部门和其他有关行政部门应当…)
    ("其他有关行政部门", ["其他有关行政部门"]),
    # 等 inside a word (高等) is no 等 of a list
    ("高等院校主管部门", ["高等院校主管部门"]),
    # 一切 is dropped like 各 (convention 24); the generic pair stays one universal bearer (13)
    ("一切国家机关", ["国家机关"]),
    ("各类院校", ["各类院校"]),  # 各类, unlike 各, is kept
    # a conjunction opening the clause is not the name's (消费者权益保护法 第二十三条: …，但消费者…的除外)
    ("但消费者", ["消费者"]),
    ("一切单位和个人", ["一切单位和个人"]),
    # people listed after an organisation's people belong to it (公司法 passim: 公司董事、监事、高级管理人员应当…)
    ("公司董事、监事、高级管理人员", ["公司董事", "公司监事", "公司高级管理人员"]),
    ("高等学校的校长或者主要行政负责人", ["高等学校的校长", "高等学校的主要行政负责人"]),
    ("中外合作办学机构的理事会、董事会或者监事会",
     ["中外合作办学机构的理事会", "中外合作办学机构的董事会", "中外合作办学机构的监事会"]),
    ("中外合作办学机构理事会、董事会或者监事会",
     ["中外合作办学机构理事会", "中外合作办学机构董事会", "中外合作办学机构监事会"]),
    ("生产经营单位主要负责人和县级以上人民政府工作人员", ["生产经营单位主要负责人", "县级以上人民政府工作人员"]),
    # a noun ending in a character the corpus's agents end in (resources/heads.toml): 人民陪审员法 第三条
    # 人民陪审员依法享有参加审判活动的权利; a noun the corpus shows to be an agent, however short (军人: 兵役法,
    # 国防法), and a modifier before it (现役军人). (检察官 was here while 官 was mined with 法官法 counted; since
    # 法官法 became a test law at stop 22, 官 has one noun of evidence, and 检察官 is an agent only where its
    # document makes it the subject of 有权/享有/负责/会同.)
    ("人民陪审员", ["人民陪审员"]),
    ("军人", ["军人"]),
    ("现役军人", ["现役军人"]),
    # nouns listed before 其他X name kinds of X in full (档案法 第五条 and many laws: 机关、团体、…和其他组织)
    ("机关、团体、企业事业单位和其他组织", ["机关", "团体", "企业事业单位", "其他组织"]),
    # …but before 其他有关部门 they are functions (convention 17)
    ("公安、交通和其他有关部门", ["公安有关部门", "交通有关部门", "其他有关部门"]),
    # stop 23: a shared modifier goes to heads of its kind only; a long first name keeps its own head
    ("未成年人的父母或者其他监护人", ["未成年人的父母", "未成年人的其他监护人"]),  # 未成年人保护法(2024) 第十五条
    ("共产主义青年团、妇女联合会、未成年人保护组织", ["共产主义青年团", "妇女联合会", "未成年人保护组织"]),
    ("中国单位或者个人", ["中国单位", "中国个人"]),
    ("有关单位和人员", ["有关单位", "有关人员"]),
    ("有条件的地方", ["有条件的地方"]),  # a region named by a relative clause (convention 26)
    # stop 25: 等 closes a list at the head its items share (农产品质量安全法(2022) 第七条), though the last item
    # alone reads with a longer head; 市场 is one word, no 市 + 场… (a prefix ends where a word does)
    ("国务院卫生健康、市场监督管理等部门", ["国务院卫生健康部门", "国务院市场监督管理部门"]),
    ("市场监督管理部门", ["市场监督管理部门"]),
    # …and what follows 等 may be longer than a head (循环经济促进法(2018) 第二十六条)
    ("餐饮、娱乐、宾馆等服务性企业", ["餐饮服务性企业", "娱乐服务性企业", "宾馆服务性企业"]),
    # a level goes to the systems listed after a system (人民法院, 人民检察院), not to a court of its own kind
    # (人民法院组织法(2018) 第十条: 地方各级人民法院和专门人民法院) nor to an organisation (村民委员会)
    ("各级人民法院、人民检察院", ["各级人民法院", "各级人民检察院"]),
    ("地方各级人民法院和专门人民法院", ["地方各级人民法院", "专门人民法院"]),
    ("乡、镇人民政府和村民委员会", ["乡、镇人民政府", "村民委员会"]),
    # third review of stop 25: a prefix that cuts a word gives it to the function (市场) or, a place's name, keeps
    # it (市辖区) (市场监督管理行政处罚信息公示规定(2021) 第十五条, 预备役军官法(2010) 第五条); 等 inside a
    # relative clause stays (国务院关于鼓励投资开发海南岛的规定(1988) 第十二条)
    ("各省、自治区、直辖市市场监督管理部门", ["省、自治区、直辖市市场监督管理部门"]),
    ("县、自治县、不设区的市、市辖区人民武装部", ["县、自治县、不设区的市、市辖区人民武装部"]),
    ("从事工业、农业等生产性行业的企业", ["从事工业、农业等生产性行业的企业"]),
    # fourth review of stop 25: a prefix goes along a run of bodies, not past an item it does not fit (献血法(1997)
    # 第六条); a word of the dictionary that is the whole name keeps its prefix (国徽法(2020) 第十二条: 国务院办公厅);
    # a conjunction opens no name, but jieba's tag says nothing of it (商业银行法(2015) 第六十六条: 接管 | 组织)
    ("国家机关、军队、社会团体、企业事业组织、居民委员会、村民委员会",
     ["国家机关", "军队", "社会团体", "企业事业组织", "居民委员会", "村民委员会"]),
    ("全国人民代表大会常务委员会办公厅或者国务院办公厅", ["全国人民代表大会常务委员会办公厅", "国务院办公厅"]),
    ("接管组织", ["接管组织"]),
    # the party a verb is done to, named by a passive relative (基本农田保护条例(2011) 第三十一条)
    ("被检查的单位和个人", ["被检查的单位", "被检查的个人"]),
    # a name whose relative clause opens with 负责 (防震减灾法(2008) 第二十三条)
    ("县级以上地方人民政府负责管理地震工作的部门", ["县级以上地方人民政府负责管理地震工作的部门"]),
])
def test_names_by_shape(grammar: NameGrammar, span: str, names: list[str]) -> None:
    assert grammar.parse(span) == names


@pytest.mark.parametrize("span", [
    "对位置相邻、行业相近、业态相似的生产经营单位",  # a prepositional phrase
    "建立健全安全生产工作协调机制",  # a verb phrase ending in a head word
    "建立生产经营单位",
    "执行上级党组织关于信访工作的部署",  # 部署 is a word, not a 署
    "履行国务院反洗钱行政主管部门",  # a verb and its object
    "建议有关金融监督管理机构",
    "经国务院反洗钱行政主管部门",  # 经 + a name: a prepositional phrase
    "国家鼓励取得执业医师资格的人员",  # whom a policy addresses
    "与其他电子认证服务提供者",  # 与 + a name: the other party
    "法律、行政法规规定或者当事人",  # a person's head is not shared with laws
    "他人",
    "县级以上人民政府组织有关部门",  # a body, a verb and its object
    "国家鼓励政策性金融机构",  # a policy and whom it addresses (农村集体经济组织法 第五十二条)
    "报乡、民族乡、镇人民政府",  # sending a matter up to a body (村民委员会组织法 第二十七条)
    "建设单位负责组织",  # a bearer, its cue and a verb that is also a head (安全生产法 第三十四条)
    "设置会计机构",  # a verb and its object (农村集体经济组织法 第四十四条)
    "因原企业",  # a preposition (因) opens a phrase, not a name
    "以妇女",  # nor 以 before a noun the corpus shows to be an agent
    "1985年2月8日国务院",  # a date opens a record of enactment, not a name
    "当事人对公安机关",  # a name and a preposition (集会游行示威法 第三十一条), though the dictionary has 对公
    "消费者通过网络交易平台",  # 通过 is a preposition (消费者权益保护法 第四十四条)
    "器官",  # ends in 官 like 法官, but is no word + 官 (nor 社会 a word + 会)
    "社会",
    # stop 22: a dictionary word ending in 关 that is no 机关 (招标投标法 第三十一条: 国家有关规定…)
    "国家有关",
    # a name and then a preposition or a modal word: a clause, not a relative (促进科技成果转化法 第四十九条,
    # 村民委员会组织法 第三十二条, 资产评估法 第二十七条)
    "监察机关对直接负责的主管人员",
    "村应当建立村务监督委员会或者其他形式的村务监督机构",
    "评估报告应当由至少两名承办该项业务的评估专业人员",
    # posts with heads of their own share no head with the last (工会法 第十九条)
    "基层工会专职主席、副主席或者委员",
    # stop 25: a one-character preposition is no modifier, however the dictionary cuts it (拍卖法 第六十一条:
    # 自当事人知道…之日起); nor 与 + a name a conjunct (促进科技成果转化法 第四十五条)
    "自当事人",
    "国家设立的研究开发机构、高等院校规定或者与科技人员",
    # a verb, what it acts on and another verb before 企业 may govern the name (循环经济促进法(2018) 第三十七条:
    # 支持 | 废物回收企业; 台湾同胞投资保护法(2019) 第七条: 举办 | 台湾同胞投资企业): not read as one name
    "支持废物回收企业",
    "举办台湾同胞投资企业",
    "回收企业",  # a verb and its object, as far as the name alone says
])
def test_not_names(grammar: NameGrammar, span: str) -> None:
    assert grammar.parse(span) is None


def test_a_trade_the_document_names_an_agent_for_makes_names(grammar: NameGrammar) -> None:
    """拍卖 is a verb, but where the document's own agents include 拍卖人 it is the trade a name is about
    (拍卖法: 拍卖企业, 拍卖行业协会, 拍卖师); without that, 拍卖企业 stays a verb and its object."""
    before = grammar.local
    try:
        assert grammar.one("拍卖企业") is None
        grammar.local = frozenset({"拍卖人"})
        assert [grammar.one(n) is not None for n in ("拍卖企业", "拍卖行业协会", "拍卖师")] == [True, True, True]
    finally:
        grammar.local = before

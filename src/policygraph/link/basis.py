"""Which measure a rule implements: basis titles, implementing titles, and the version in force.

A rule implements a measure when its title says so (实施《X》办法/细则/规定/若干规定, 《X》实施办法,
贯彻…《X》…的意见) or its first articles say so (为了实施《X》…, 根据《X》…结合本省实际…). Titles are
reduced to the measure's own title (《…关于印发〈X〉的通知》 → X, …印发的《X》 → X, a trailing document
number dropped) before they are matched against the titles of stored documents.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..structure import Document

_NOTICE = re.compile(r"^.*?关于印发[〈《](?P<title>.+?)[〉》]的通知$")
_ISSUED = re.compile(r"印发的?[〈《](?P<title>.+?)[〉》]")
_DOCNO = re.compile(r"[（(][^（）()]*〔\d{4}〕\d+号[)）]$")
_STATE = "中华人民共和国"
# Titles of rules that implement the measure they name.
_IMPLEMENTING_TITLE = re.compile(
    r"实施[《〈](?P<a>[^》〉]+)[》〉]的?(?:办法|细则|规定|若干规定|条例|意见|方案)"
    r"|[《〈](?P<b>[^》〉]+)[》〉]的?(?:实施办法|实施细则|实施意见|实施方案|具体办法|若干规定)"
    r"|贯彻(?:落实|实施|执行)?[^《〈]{0,20}[《〈](?P<c>[^》〉]+)[》〉][^《〈]{0,20}的(?:意见|办法|规定|通知)")
# A rule's own name for a measure (实施细则/实施办法 of a measure named elsewhere in it).
_BARE_IMPLEMENTING = re.compile(r"实施细则|实施办法|具体办法|实施意见|实施方案")
# Sentences of purpose or basis that name the implemented measure.
_BASIS_SENTENCE = re.compile(r"(?:为了?|为保证|为保障)(?:贯彻)?(?:实施|执行|施行|落实)(?P<body>[^。；]*?)(?:，|,|。|$)"
                             r"|(?:根据|依据|依照|按照)(?P<basis>[^。]*?)(?:，|,)?结合[^。，]*实际")
_TITLE = re.compile(r"[《〈](?P<title>[^《》〈〉]+)[》〉]")


def measure_title(title: str) -> str:
    """The measure a title names, whichever way it is written.

    >>> measure_title("中共中央办公厅、国务院办公厅关于印发〈脱贫攻坚责任制实施办法〉的通知")
    '脱贫攻坚责任制实施办法'
    >>> measure_title("脱贫攻坚责任制实施办法（厅字〔2016〕33号）")
    '脱贫攻坚责任制实施办法'
    """
    title = _DOCNO.sub("", title.strip().strip("《》"))
    if m := _NOTICE.match(title):
        return m.group("title")
    return title


def short_title(title: str) -> str:
    """A law's title without the state's name, how rules usually cite it.

    >>> short_title("中华人民共和国矿山安全法")
    '矿山安全法'
    """
    return title.removeprefix(_STATE)


def basis_titles(document: Document) -> list[str]:
    """Titles the document names as basis or cites, reduced to measure titles, implemented ones first."""
    text = " ".join(a.text for a in document.provisions[:3])
    titles = [*implemented_titles(document.title, text), *document.basis, *document.cites]
    titles += [m.group("title") for m in _ISSUED.finditer(text)]
    return list(dict.fromkeys(measure_title(t) for t in titles))


def implemented_titles(title: str, opening: str) -> list[str]:
    """The measures a rule says it implements: by its title, then by its purpose or basis sentence.

    >>> implemented_titles("北京市实施《中华人民共和国水法》办法", "")
    ['中华人民共和国水法']
    >>> implemented_titles("某规定", "第一条　为了实施《中华人民共和国消防法》，制定本办法。")
    ['中华人民共和国消防法']
    >>> implemented_titles("某办法", "根据《中华人民共和国水法》等法律，结合本省实际，制定本办法。")
    ['中华人民共和国水法']
    """
    found = [next(g for g in m.groups() if g) for m in _IMPLEMENTING_TITLE.finditer(title)]
    for sentence in re.split(r"[。；]", opening):
        if m := _BASIS_SENTENCE.search(sentence):
            body = m.group("body") or m.group("basis") or ""
            found += [t.group("title") for t in _TITLE.finditer(body)]
    return list(dict.fromkeys(measure_title(t) for t in found))


def is_implementing_rule(title: str, opening: str = "") -> bool:
    """Rules whose articles are worth aligning (a law 根据宪法 is based on it, but does not implement it)."""
    return bool(implemented_titles(title, opening) or _BARE_IMPLEMENTING.search(title))


def match_title(title: str, known: Iterable[str]) -> str | None:
    """The known title a cited title names: itself, or the same law with or without 中华人民共和国."""
    candidates = set(known)
    for form in (title, _STATE + title, short_title(title)):
        if form in candidates:
            return form
    return None


def find_basis(document: Document, known: dict[str, str]) -> list[str]:
    """The ids of known documents (title → id) that a rule is based on."""
    found = []
    for title in basis_titles(document):
        hit = match_title(title, known)
        if hit is not None and hit != document.title:
            found.append(known[hit])
    return list(dict.fromkeys(found))


def version_in_force(date: str | None, versions: list[tuple[str | None, str]]) -> str:
    """Of (version date, id) pairs, the latest dated on or before ``date``; else the earliest.

    >>> version_in_force("2016-11-25", [("2010-04-29", "a"), ("2024-02-27", "b")])
    'a'
    >>> version_in_force("1996-09-06", [("2024-02-27", "b"), ("2010-04-29", "a")])
    'a'
    >>> version_in_force(None, [("2024-02-27", "b"), (None, "c")])
    'c'
    """
    ordered = sorted(versions, key=lambda v: v[0] or "")
    before = [v for v in ordered if date and v[0] and v[0] <= date]
    return (before[-1] if before else ordered[0])[1]

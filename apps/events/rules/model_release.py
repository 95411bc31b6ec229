"""Model releases: a company releases a named AI model ("A released Grok 3", "A unveiled its
Claude 3.5 Sonnet model", "Grok 3, A's new model, launched on Monday", "Grok 3 was released by
A"). The model is no known entity: its name is read from the words as written, a capitalised
name with its version ("Grok 3", "GPT-4o mini", "Llama 4 Scout") right after the verb or right
before "model", and becomes the finding's `detail`. A cluster the sentence says it was trained on
is the CLUSTER.

Launch verbs are common ("launched an investigation", "released a statement", "unveiled Q4
results"), so the name must be capitalised, must not be a known company, person or cluster, must
not be followed by a noun it describes ("Q4 results"), and must carry a version number unless the
clause speaks of a model.
"""

import re

from apps.events.rules.base import CLUSTER, COMPANY, Finding, Named, Rule, Sentence
from apps.events.rules.clauses import Reader, Scope
from apps.events.vocabulary import EventType, Role, Status

NAME = "model_release"
VERSION = 2

# Substrings of the lower-cased text, a cheap first test (most sentences release nothing).
_KEYWORDS = (
    "releas", "launch", "unveil", "introduc", "roll", "debut", "ship", "sourc", "announc",
    "publish", "available", "put", "push", "went out", "went live", "came out", "arriv",
    "online", "download", "public", "post", "upload", "show",
)  # fmt: skip
_VERB = (
    r"releas(?:e|es|ed|ing)|launch(?:es|ed|ing)?|unveil(?:s|ed|ing)?|introduc(?:e|es|ed|ing)"
    r"|roll(?:s|ed|ing)?\s+out|debut(?:s|ed|ing)?|ship(?:s|ped|ping)?|open[- ]sourc(?:e|es|ed|ing)"
    r"|announc(?:e|es|ed|ing)|publish(?:es|ed|ing)?|put(?:s|ting)?\s+out|push(?:es|ed|ing)?\s+out"
)
# Words between the verb and the name: "its new flagship model,", "a new version of".
_LEAD = (
    r"(?:(?:its|their|the|a|an|new|newer|newest|latest|next|next-generation|flagship|upgraded"
    r"|updated|improved|open-source|open-weight|open|first|second|third|reasoning|frontier|large"
    r"|language|chatbot|version|versions|model|models|called|named|dubbed|of|AI|generative"
    r"|multimodal|coding|smaller|cheaper|faster|most|powerful|advanced|capable|weights|code"
    r"|checkpoints?),?\s+|,\s+)*"
)
_PART = r"(?:[A-Z][A-Za-z0-9+]*|[a-z]\d[A-Za-z0-9+]*|\d[A-Za-z0-9+]*)(?:[-.][A-Za-z0-9+]+)*"
_FIRST = r"(?:[A-Z][A-Za-z0-9+]*|[a-z]\d[A-Za-z0-9+]*)(?:[-.][A-Za-z0-9+]+)*"
_SUFFIX = r"mini|nano|turbo|preview|pro|max|lite|fast|heavy"
_NAME = rf"{_FIRST}(?:\s+(?:{_PART}|{_SUFFIX})(?![\w'\u2019])){{0,4}}"
_ACTIVE = re.compile(rf"(?i:\b(?P<v>{_VERB}))\s+{_LEAD}(?P<name>{_NAME})")
# "Grok 3, xAI's new model, launched on Monday", "Grok 3 was released by xAI".
_PASSIVE_VERB = re.compile(
    r"(?i)\b(?P<v>released|launched|unveiled|introduced|rolled\s+out|debuted|shipped"
    r"|open[- ]sourced|announced|published|put\s+out|pushed\s+out"
    # The model as the subject: "Grok 2 went out in beta", ", which arrived in July".
    r"|went\s+(?:out|live)|came\s+out|arrived|arrives)\b"
)
_INTRANSITIVE = re.compile(r"(?i)went|came|arriv")
# "put the weights of Grok-1 on the internet", "showed Grok to the public": a release in other
# words, told by where the model went.
_PUT_ONLINE = re.compile(
    rf"""(?i:\b(?P<v>put(?:s|ting)?|post(?:s|ed|ing)?|upload(?:s|ed|ing)?|show(?:s|ed|ing)?
    |open(?:s|ed|ing)?(?:\s+up)?))\s+{_LEAD}(?P<name>{_FIRST}(?:\s+(?:{_PART}|{_SUFFIX})(?!\w)){{0,4}})
    (?:['\u2019]s\s+weights)?
    (?:,[^,]{{1,80}},)?\s+(?i:online|on\s+the\s+(?:internet|web)|on\s+(?:GitHub|Hugging\s+Face)
    |to\s+(?:the\s+)?(?:public|everyone|all\s+users)|for\s+(?:anyone\s+to\s+)?download
    |up\s+for\s+download)\b""",
    re.VERBOSE,
)
# A release still to come is not one: "is set to unveil Grok 4 tonight".
_SCHEDULED = re.compile(
    r"""(?ix)\b(?:(?:is|are|was|were)\s+(?:set|scheduled|slated|due|about|poised|expected|going
    |preparing|planning)\s+to|will|plans?\s+to|intends?\s+to|would)\s+(?:\w+ly\s+)?(?:also\s+)?$"""
)
# "Grok 4, which xAI released in July": an object relative hanging on the model's name.
_WHICH = re.compile(
    rf"(?<![\w'\u2019.-])(?P<name>{_NAME})(?:\s+(?i:model|LLM))?,\s+(?:which|that)\s+$"
)
# After the relative's verb: no object of its own ("released in July", "put out last August").
_NO_OBJECT = re.compile(
    r"""(?ix)(?=\s*(?:[,.;)]|$)|\s+(?:in|on|last|this|earlier|early|late|together|alongside|with|to
    |for|at|back|only|just|publicly|quietly|\d))"""
)
# Quarters and fiscal years are announced too, and they are no models.
_PERIOD = re.compile(r"(?:Q[1-4]|H[12]|FY\d*)\b")
_AUXILIARIES = re.compile(
    r"(?i)\s+(?:(?:has|had|have|first|quietly|officially|publicly|formally|also|later)\s+)*"
)
_FRONTED = re.compile(
    rf"(?<![\w'\u2019.-])(?P<name>{_NAME})(?:\s+(?i:model|LLM))?(?:,\s+(?P<desc>[^,]{{1,80}}),)?\s+"
    r"(?:(?i:was|is|were|are|has\s+been|had\s+been|will\s+be|officially|publicly|first|"
    r"quietly|formally)\s+)*$"
)
_AVAILABLE = re.compile(
    rf"(?i:\b(?P<v>made|makes|make|making))\s+{_LEAD}(?P<name>{_NAME})"
    r"\s+(?:(?:generally|widely|publicly|broadly|freely)\s+)?available\b"
)
_BY = re.compile(r"\s+by\s+")
_AND = re.compile(r"\s*(?:,\s*and|,|and|&)\s+")
_POSSESSIVE_BEFORE = re.compile(r"['\u2019]s?\s+$")
_MODEL_WORD = re.compile(
    r"(?i)\bmodels?\b|\bLLMs?\b|chatbot|language|reasoning|weights|open[- ](?:source|weight)"
    r"|multimodal|\bversion\b"
)
# After the name: a word that shows the name was only an adjective ("Q4 results", "X Money app").
_FOLLOW = re.compile(r"\s+(?P<word>[a-z][a-z-]*)")
_FOLLOW_OK_WORDS = """model models llm on in to for with at as and or which that earlier last
    this yesterday today after before via through under its their a an the alongside publicly
    globally worldwide by available said says family series weights checkpoint checkpoints next
    later soon early late now"""
_FOLLOW_OK = frozenset(_FOLLOW_OK_WORDS.split())
_NOT_NAMES_WORDS = """The A An Its Their This That These Those New On In At For It He She They We
    I AI Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
    May June July August September October November December Today Last Next Earlier"""
_NOT_NAMES = frozenset(_NOT_NAMES_WORDS.split())
_TRAINED = re.compile(
    r"(?i)\b(?:trained|training|pre-?trained|built|developed|powered)\s+(?:\w+\s+){0,3}?"
    r"(?:on|at|using|with|in|by)\s+(?:the\s+|its\s+)?$"
)


def find(sentence: Sentence) -> list[Finding]:
    if not sentence.names and not sentence.recent:
        return []
    if not any(k in sentence.text.lower() for k in _KEYWORDS):
        return []
    reader = Reader(sentence)
    findings: dict[str, Finding] = {}
    matches = (_ACTIVE, _AVAILABLE, _PUT_ONLINE)
    for m in (match for pattern in matches for match in pattern.finditer(sentence.text)):
        scope = reader.scope(*m.span("v"))
        company = reader.subject(m.start(), scope)
        for start, end in _names(reader, m.start("name"), m.end("name")):
            _add(findings, reader, m.span("v"), company, (start, end), fronted=False)
    for m in _PASSIVE_VERB.finditer(sentence.text):
        which = _object_relative(reader, m.start())
        if which is None and _INTRANSITIVE.match(m["v"]):
            which = _subject_relative(reader, m.start())
        if which is not None:
            company, span = which
            _add(findings, reader, m.span("v"), company, span, fronted=True)
            continue
        fronted = _FRONTED.search(sentence.text, max(0, m.start() - 140), m.start())
        if fronted is None:
            continue
        company = _fronted_company(reader, fronted, m.end())
        span = _trimmed(fronted.span("name"), reader)
        if company is None and any(c.isdigit() for c in reader.text[span[0] : span[1]]):
            company = _article_company(reader)  # "Grok 2 went out in beta last August"
        _add(findings, reader, m.span("v"), company, span, fronted=True)
    return list(findings.values())


def _object_relative(reader: Reader, verb: int) -> tuple[Named, tuple[int, int]] | None:
    """ "Grok-2, which xAI put out last August": the company right before the verb and the
    model's name right before ", which"."""
    before = [n for n in reader.sentence.names if n.end <= verb]
    if not before or before[-1].kind != COMPANY:
        return None
    company = before[-1]
    if not _AUXILIARIES.fullmatch(reader.text, company.end, verb):
        return None
    end = _PASSIVE_VERB.match(reader.text, verb)
    if end is None or not _NO_OBJECT.match(reader.text, end.end()):
        return None
    which = _WHICH.search(reader.text, max(0, company.start - 80), company.start)
    if which is None or _PERIOD.match(which["name"]):
        return None
    return company, _trimmed(which.span("name"), reader)


def _subject_relative(reader: Reader, verb: int) -> tuple[Named, tuple[int, int]] | None:
    """ "Grok 4, which arrived in July": a versioned model the article's company made."""
    which = _WHICH.search(reader.text, max(0, verb - 80), verb)
    if which is None or _PERIOD.match(which["name"]):
        return None
    span = _trimmed(which.span("name"), reader)
    company = _article_company(reader)
    if company is None or not any(c.isdigit() for c in reader.text[span[0] : span[1]]):
        return None
    return company, span


def _article_company(reader: Reader) -> Named | None:
    """The company the article is about, among those the sentence or the ones before it named:
    who made a model the sentence names without its maker."""
    about = reader.sentence.about
    named = (*reader.sentence.names, *reader.sentence.recent)
    return next((n for n in named if n.kind == COMPANY and n.entity_id in about), None)


def _names(reader: Reader, start: int, end: int) -> list[tuple[int, int]]:
    """The name at `start`..`end` and those listed after it: "Llama 4 Scout and Llama 4
    Maverick"."""
    found = [_trimmed((start, end), reader)]
    pattern = re.compile(_NAME)
    while True:
        joint = _AND.match(reader.text, found[-1][1])
        following = pattern.match(reader.text, joint.end()) if joint else None
        if following is None:
            return found
        found.append(_trimmed(following.span(), reader))


def _trimmed(span: tuple[int, int], reader: Reader) -> tuple[int, int]:
    """The name cut before any known entity it runs into ("Grok 3 Nvidia ...")."""
    start, end = span
    for name in reader.sentence.names:
        if start < name.start < end:
            end = name.start
    return start, start + len(reader.text[start:end].rstrip())


def _fronted_company(reader: Reader, fronted: re.Match[str], verb_end: int) -> Named | None:
    names = reader.sentence.names
    if fronted["desc"]:
        inside = [
            n
            for n in names
            if n.kind == COMPANY and fronted.start("desc") <= n.start < fronted.end("desc")
        ]
        if inside:
            return inside[0]  # "Grok 3, xAI's new model, launched"
    before = [n for n in names if n.end <= fronted.start("name") and n.kind == COMPANY]
    if before and _POSSESSIVE_BEFORE.fullmatch(reader.text, before[-1].end, fronted.start()):
        return before[-1]  # "xAI's Grok 3 was released"
    by = _BY.match(reader.text, verb_end)
    if by:
        return reader.following(by.end(), (COMPANY,), words=2)
    return None


def _add(
    findings: dict[str, Finding],
    reader: Reader,
    trigger: tuple[int, int],
    company: Named | None,
    span: tuple[int, int],
    *,
    fronted: bool,
) -> None:
    start, end = span
    text = reader.text
    model = text[start:end].rstrip(" ,.;:")
    if company is None or len(model) < 2 or model.split()[0] in _NOT_NAMES or model in findings:
        return
    if any(n.start < start + len(model) and start < n.end for n in reader.sentence.names):
        return  # a known company, person or cluster is not a model
    follow = None if fronted else _FOLLOW.match(text, start + len(model))
    if follow and follow["word"] not in _FOLLOW_OK and not follow["word"].endswith("ly"):
        return  # "Q4 results", "Premium subscriptions"
    scope = reader.scope(*trigger)
    outside = scope.text(text)[:start] + " " * len(model) + scope.text(text)[start + len(model) :]
    if not any(c.isdigit() for c in model) and not _MODEL_WORD.search(outside):
        return
    status = reader.status(scope, trigger[0])
    if status is None:
        return
    if status == Status.CONFIRMED and _SCHEDULED.search(text, max(0, trigger[0] - 40), trigger[0]):
        return  # announced for later: no release yet (a rumoured or denied one is still news)
    findings[model] = Finding(
        type=EventType.MODEL_RELEASE,
        participants=((Role.COMPANY, company.entity_id), *_clusters(reader, scope)),
        date=reader.date(scope, *trigger),
        status=status,
        rule=NAME,
        version=VERSION,
        detail=model,
        trigger=trigger,
    )


def _clusters(reader: Reader, scope: Scope) -> tuple[tuple[Role, int], ...]:
    found = []
    for name in reader.sentence.names:
        if name.kind == CLUSTER and _TRAINED.search(
            reader.text, max(0, name.start - 50), name.start
        ):
            found.append((Role.CLUSTER, name.entity_id))
    return tuple(dict.fromkeys(found))


RULE = Rule(name=NAME, version=VERSION, find=find)

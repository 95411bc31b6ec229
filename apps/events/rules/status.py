"""Is a reported event confirmed, only rumoured, denied, or not an event at all?

`status_of(text)` reads the hedges and denials news puts around a claim. It is shared by every
rule, so one sentence reads the same whatever event it reports. The first that applies wins:

- Denied: someone denies, refutes or knocks down the claim ("a spokesperson denied that…",
  "dismissed reports", "pushed back on a report", "waved off the speculation", "called the
  report fake", "there is no truth to", "that's false", "is not leaving", "has no plans to
  sell"). A denied claim is recorded as denied, never as confirmed. Declining to deny is no
  denial: "declined to confirm or deny" and "did not deny" read as rumoured.
- Negated (None): the sentence says the event did not happen ("has not left", "never joined",
  "did not acquire", "hasn't filed", "did not release", "never sued", "has yet to raise",
  "has not formally signed"). Nothing is recorded. Only the verbs of events count, so "raised
  $6 billion but did not disclose its valuation" is still a raise.
- Rumoured, tentative: the event is only being talked about or planned ("in talks to",
  "weighing", "considering", "could", "may", "is expected to", "plans to leave"). A company's
  own confirmation does not change that: "xAI confirmed it is in talks" is still a rumour.
- Rumoured, hearsay: the claim is attributed to someone other than the company: unnamed people
  ("is said to", "reportedly", "according to people familiar", "sources said", "spoke on
  condition of anonymity"), other outlets ("Bloomberg reported", "a report on Thursday said",
  "according to a report", "as first reported by", "reports suggest", "a single site is
  reporting that", "according to an unverified post"), or word of mouth ("word is that",
  "unconfirmed"). An outlet that could not verify the claim, or a company that declined to
  confirm it, leaves it hearsay. Hearsay the company itself confirmed is confirmed: "the
  company confirmed", "a spokesperson said", "xAI said in a statement".
- Otherwise confirmed: the company's own word ("the company said", "announced") or a plain
  statement of fact.
"""

import re

from apps.events.vocabulary import Status

# What an outlet or a rumour puts out; the claim a denial knocks down.
_CLAIM_NOUNS = r"(?:reports?|claims?|rumou?rs?|speculation|stor(?:y|ies)|articles?|suggestions?)"
# The same without "claims", for verbs that also answer a lawsuit's claims ("rejected the
# claims in the suit" is the defence's plea, not a denial that the suit was filed).
_MEDIA_NOUNS = r"(?:reports?|rumou?rs?|speculation|stor(?:y|ies)|articles?|headlines?)"
_FALSE = (
    r"(?:false|untrue|inaccurate|incorrect|fake|wrong|baseless|nonsense|fiction|fabricated"
    r"|made[\s-]up|(?:complete\s+|total\s+)?fabrications?|fake\s+news)"
)
# Refusing or failing to deny is not a denial; these are blanked before anything is read.
_NOT_A_DENIAL = re.compile(
    r"""\b(?:
        (?:confirm|confirmed)\s+(?:or|nor)\s+den(?:y|ied)
      | (?:not|n[\u2019']t|never|neither|declined\s+to|refused\s+to|without)\s+(?:\w+\s+)?
        den(?:y|ied|ying)
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
_DENIED = re.compile(
    rf"""\b(?:
        den(?:y|ies|ied|ying)\b | refut\w* | rebut\w*
      | (?:dismiss|disput|contest)\w*\s+(?:the\s+|such\s+)?{_CLAIM_NOUNS}
      | (?:reject(?:ed|s|ing)?|push(?:ed|es|ing)?\s+back\s+(?:on|against)
        |wav(?:e|ed|es|ing)\s+(?:off|away|aside)|brush(?:ed|es|ing)?\s+(?:off|aside)
        |(?:shot|shoots?|shooting|knock(?:ed|s|ing)?|bat(?:ted|s|ting)?)\s+down
        |pour(?:ed|s|ing)?\s+cold\s+water\s+on|slap(?:ped|s)?\s+down)\s+
        (?:[\w-]+\s+){{0,3}}?{_MEDIA_NOUNS}
      | (?:call|calls|called|calling|labell?(?:ed|ing)?|brand(?:ed|s|ing)?|describ(?:ed|es|ing))
        \s+(?:the\s+|a\s+|that\s+|this\s+|these\s+|those\s+|such\s+)?(?:[\w-]+\s+){{0,2}}?
        {_CLAIM_NOUNS}\b[^.;]{{0,80}}?\s["'\u201c\u2018]?{_FALSE}\b
      | {_CLAIM_NOUNS}\b[^.;]{{0,80}}?\s(?:are|were|is|was)\s+(?:\w+\s+)?
        (?:false|untrue|inaccurate|baseless|incorrect|fake|wrong|not\s+true)
      | (?:that|this|it)(?:\s+is|\s+was|['\u2019]s)\s+(?:simply\s+|just\s+|completely\s+|totally\s+
        |categorically\s+|entirely\s+|patently\s+)?(?:false|untrue|fake\s+news|not\s+true
        |not\s+the\s+case|nonsense|inaccurate|incorrect)
      | (?:is|are|was|were)\s+not\s+(?:leaving|stepping\s+down|resigning|departing|quitting
        |retiring|for\s+sale)
      | no\s+plans?\s+to\s+(?:leave|step\s+down|resign|sell|depart|quit|exit|merge|buy|acquire)
      | (?:there\s+(?:is|was)\s+)?no\s+truth\s+(?:whatsoever\s+)?(?:to|in|behind)
      | nothing\s+to\s+(?:the|these|those|such)\s+{_CLAIM_NOUNS}
      | not\s+true
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# The verbs of events; a negated auxiliary before one of them says the event did not happen.
# Verbs of speech and disclosure are left out on purpose: "raised $6 billion but did not disclose
# its valuation" reports a raise.
_EVENT_VERBS = r"""(?:
    leave|left|join(?:ed)?|acquire[ds]?|buy|bought|purchased?|raised?|sign(?:ed)?|filed?
  | approved?|depart(?:ed)?|resign(?:ed)?|step(?:ped)?|quit|been|released?|launch(?:ed)?
  | ship(?:ped)?|unveil(?:ed)?|sued?|settled?|merged?|invest(?:ed)?|closed?|completed?
  | secured?|received?|grant(?:ed)?|issued?|finali[sz]ed?|agreed?|obtain(?:ed)?|win|won
  | deploy(?:ed)?
)"""
_NEGATION_ADVERBS = (
    r"(?:(?:yet|still|ever|actually|formally|officially|publicly|already|even|so\s+far)\s+){0,2}"
)
_NEGATED = re.compile(
    rf"""\b(?:
        (?:(?:has|have|had|did|does|do|will|would|is|was|were|are|could|can|should)
          (?:(?:\s+still)?\s+not|n[\u2019']t)|wo(?:n[\u2019']t)|ca(?:n[\u2019']t)|cannot)
        \s+{_NEGATION_ADVERBS}{_EVENT_VERBS}
      | never\s+(?:(?:formally|officially|actually|publicly)\s+)?
        (?:left|joined|acquired|bought|purchased|raised|signed|filed|approved|departed|resigned
        |been|released|launched|shipped|unveiled|sued|settled|merged|invested|closed|completed
        |secured|received|granted|issued|agreed|obtained|won|deployed)
      | (?:has|have|had|is|are|was|were)\s+(?:still\s+)?yet\s+to\s+{_EVENT_VERBS}
      | (?:failed|fails)\s+to\s+{_EVENT_VERBS}
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
# The event is still only talked about or planned; no confirmation makes it done.
_TENTATIVE = re.compile(
    r"""\b(?:
        \b(?:an?|the)\s+option\s+to\s+(?:acquire|buy|purchase|take\s+over)
      | in\s+(?:advanced\s+|early\s+|late[- ]stage\s+)?(?:talks|discussions|negotiations)
      | weigh(?:s|ing)?\b | consider(?:s|ing)\b | mull(?:s|ing)?\b | explor(?:es|ing)\b
      | (?:could|may|might)\s+(?:soon\s+)?
        (?:leave|join|step|exit|depart|acquire|buy|raise|sell|merge)
      | (?:is|are)\s+(?:expected|poised|set|likely|preparing|planning)\s+to\s+
        (?:leave|join|step|exit|depart|acquire|buy|raise|sell|merge)
      | plans?\s+to\s+(?:leave|step\s+down|exit|depart|resign)
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# A condition reports nothing: "If Kroiss leaves, Nordeen would be the last co-founder".
_CONDITIONAL = re.compile(
    r"\b(?:if|unless|whether)\s+(?:[\w'\u2019.-]+\s+){0,4}?(?:leaves|leave|joins|join|departs"
    r"|exits|quits|resigns|steps\s+down|raises|buys|acquires|sells|merges)\b",
    re.IGNORECASE,
)
# Words for outlets and posts that are not the company's own.
_OUTLET = (
    r"(?:site|website|outlet|blog|newsletter|account|aggregator|tabloid|post|forum|leaker"
    r"|tipster|publication|newspaper|report|story|article|scoop|tweet|thread|podcast)"
)
_SAY = (
    r"(?:is\s+reporting|has\s+reported|reports|reported|claims|claimed|says|said|suggests"
    r"|suggested|alleges|alleged|writes|wrote|stated|states|indicated|indicates)"
)
# Reports that are the company's own: its annual report, its own post.
_OWN_REPORT = r"(?!(?:annual|quarterly|financial|earnings|sustainability|impact|transparency)\b)"
# The claim comes from someone other than the company.
_HEARSAY = re.compile(
    rf"""\b(?:
        (?:is|are|was|were)\s+(?:said|reported|rumou?red|understood|believed|thought)\s+to
      | (?:^|[,:;]\s*)(?:\w+\s+){{1,4}}(?:said|reported|rumou?red)\s+to\s+(?:be|have)\b
      | it\s+is\s+(?:understood|believed)\s+that
      | reportedly | allegedly | rumou?r\w* | speculat\w* | unconfirmed | unverified
      | according\s+to\s+(?:\w+\s+){{0,3}}(?:people|persons|sources?|insiders?|a\s+person|someone
        |reports)
      | (?:people|persons|sources?|insiders?|a\s+person|someone)\s+(?:\w+\s+){{0,3}}
        (?:familiar|close|briefed|knowledgeable|aware|privy|with\s+(?:direct\s+)?knowledge)
      | (?:sources?|insiders?)\s+(?:say|said|says|tell|told|indicate[sd]?|suggest(?:ed)?)
      | (?:unnamed|anonymous)\s+(?:sources?|people|persons|insiders?|officials?|employees?)
      | (?:said|told|spoke)\s+(?:to\s+)?(?:\w+\s+){{0,2}}(?:anonymously
        |on\s+(?:the\s+)?condition\s+of\s+anonymity)
      | (?:asked|requested|declined)\s+(?:not\s+)?to\s+be\s+(?:named|identified)
      | requested\s+anonymity
      | citing\s+(?:\w+\s+){{0,2}}(?:sources?|people|persons|insiders?|documents|reports?
        |an?\s+(?:person|source))
      | word\s+(?:is|was|has\s+it|is\s+out|went\s+round|going\s+around)\b
      | word\s+(?:from|in|around|on)\s+[^,;.]{{1,40}}?\s+(?:is|was)\s+that
      | (?:the\s+)?(?:buzz|chatter|whispers?)\s+(?:is|was|are|were|has\s+it)\b
      | (?:media|press|news)\s+reports
      | reports\s+(?:suggest|suggested|say|said|indicate|indicated|claim|claimed|emerged
        |surfaced|have\s+it)
      | according\s+to\s+(?:a|an|one|the|that|another|local|media|press|news)\s+{_OWN_REPORT}
        (?:[\w-]+\s+){{0,3}}?(?:report|story|article|scoop|leak|leaker|tabloid|tipster)
      | (?:a|an|one|single|another|the|that|earlier|recent)\s+{_OWN_REPORT}(?:[\w-]+\s+){{0,3}}?
        {_OUTLET}\s+(?:(?:on|in|from|by|last|this|published|earlier)\s+(?:[\w.&-]+\s+){{1,3}}?)?
        {_SAY}
      | (?:(?:as|was|were|first|originally|earlier|previously)\s+)+reported\s+(?:by|in|earlier)
      | ,\s*(?!(?:the\s+)?(?:company|firm|startup|lab|it|we|they)\b)
        (?:[\w.&'\u2019-]+\s+){{1,4}}?(?:reported|is\s+reporting|has\s+reported)
        (?:\s+(?:on\s+)?\w+|\s+(?:earlier|last|this)\s+\w+)?\s*(?:[.,;)]|$)
      | (?:could\s+not|couldn[\u2019']t|was\s+unable\s+to|were\s+unable\s+to)\s+
        (?:independently\s+)?(?:verify|confirm)
      | (?:declined|refused|would\s+not|wouldn[\u2019']t|did\s+not|didn[\u2019']t)\s+
        (?:\w+ly\s+)?(?:to\s+)?confirm
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# "Bloomberg reported on Thursday that": an outlet's name, capitalised, reporting a claim. The
# company's own "the company reported that" has a lower-case head and does not match.
_NAMED_OUTLET = re.compile(
    r"(?:^|[.;:(]\s*|\b(?:and|but|while|as)\s+)(?:(?:The\s+)?[A-Z][\w.&'\u2019-]*\s+){1,4}"
    r"(?:reported|reports|is\s+reporting|has\s+reported|first\s+reported)(?:\s+[\w,]+){0,3}?"
    r"\s+that\b"
)
# The company's own word, which turns hearsay into a confirmed claim.
_COMPANY_CONFIRMS = re.compile(
    r"""\b(?:confirmed|confirms|confirming)\b
    | \b(?:the|a|an|its)\s+(?:company|firm|startup|lab|spokes(?:person|woman|man)|representative
      |statement|press\s+release|announcement)\s+(?:\w+\s+){0,2}?(?:said|says|announced
      |announces|added|stated)\b""",
    re.IGNORECASE | re.VERBOSE,
)
# "did not immediately confirm", "declined to confirm": no confirmation at all.
_REFUSED_BEFORE = re.compile(
    r"(?i)(?:\bnot|n[\u2019']t|\bnever|\bto|\bnor|\bor|\bunable)\s+(?:\w+ly\s+)?\Z"
)


def _company_confirms(text: str) -> bool:
    return any(
        not _REFUSED_BEFORE.search(text, max(0, m.start() - 24), m.start())
        for m in _COMPANY_CONFIRMS.finditer(text)
    )


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group())


def status_of(text: str) -> Status | None:
    """The status of the claim a sentence (or a clause of one) makes; None when it is negated."""
    undenied = _NOT_A_DENIAL.search(text) is not None
    text = _NOT_A_DENIAL.sub(_blank, text)
    if _DENIED.search(text):
        return Status.DENIED
    if _NEGATED.search(text) or _CONDITIONAL.search(text):
        return None
    if _TENTATIVE.search(text):
        return Status.RUMOURED
    hearsay = undenied or _HEARSAY.search(text) or _NAMED_OUTLET.search(text)
    if hearsay and not _company_confirms(text):
        return Status.RUMOURED
    return Status.CONFIRMED

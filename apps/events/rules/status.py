"""Is a reported event confirmed, only rumoured, denied, or not an event at all?

`status_of(text)` reads the hedges and denials news puts around a claim. It is shared by every
rule, so one sentence reads the same whatever event it reports:

- Denied: someone denies or refutes the claim ("a spokesperson denied that…", "dismissed
  reports", "called the report false", "is not leaving"). A denied claim is recorded as denied,
  never as confirmed.
- Negated (None): the sentence says the event did not happen ("has not left", "never joined",
  "did not acquire"). Nothing is recorded.
- Rumoured: the claim is attributed to unnamed sources or is still only being considered ("is said
  to", "reportedly", "according to people familiar", "in talks to", "weighing", "considering",
  "could", "may", "is expected to", "plans to leave").
- Otherwise confirmed.
"""

import re

from apps.events.vocabulary import Status

_DENIED = re.compile(
    r"""\b(?:
        den(?:y|ies|ied|ying)\b | refut\w* | rebut\w*
      | (?:dismiss|disput|contest|push(?:ed|es)?\s+back\s+on)\w*\s+(?:the\s+|such\s+)?
        (?:reports?|claims?|rumou?rs?|speculation|stor(?:y|ies))
      | (?:called|calling|labell?ed)\s+(?:the\s+)?(?:reports?|claims?|story)\s+(?:\w+\s+)?
        (?:false|untrue|inaccurate|fake|wrong)
      | (?:reports?|claims?|rumou?rs?)\s+(?:\w+\s+){0,3}(?:are|were|is|was)\s+
        (?:false|untrue|inaccurate|baseless)
      | (?:is|are|was|were)\s+not\s+(?:leaving|stepping\s+down|resigning|departing|for\s+sale)
      | no\s+plans?\s+to\s+(?:leave|step\s+down|resign|sell|depart)
      | not\s+true
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_NEGATED = re.compile(
    r"""\b(?:
        (?:has|have|had|did|does|do|will|would|is|was|were|are)(?:\s+not|n[\u2019']t)\s+(?:yet\s+)?
        (?:leave|left|join|joined|acquire|acquired|buy|bought|raise|raised|sign|signed|file|filed|
           approve|approved|depart|departed|resign|resigned|step|quit|been)\b
      | never\s+(?:left|joined|acquired|bought|raised|signed|filed|approved|departed|resigned)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_RUMOURED = re.compile(
    r"""\b(?:
        (?:is|are|was|were)\s+(?:said|reported|rumou?red|understood|believed|thought)\s+to
      | (?:^|[,:;]\s*)(?:\w+\s+){1,4}(?:said|reported|rumou?red)\s+to\s+(?:be|have)\b
      | \b(?:an?|the)\s+option\s+to\s+(?:acquire|buy|purchase|take\s+over)
      | reportedly | allegedly | rumou?r\w*
      | according\s+to\s+(?:\w+\s+){0,3}(?:people|persons|sources?|insiders?|a\s+person|someone)
      | (?:people|persons|sources?|insiders?)\s+(?:\w+\s+){0,3}
        (?:familiar|close|briefed|knowledgeable)
      | (?:said|told)\s+(?:to\s+)?(?:\w+\s+){0,2}(?:anonymously|on\s+condition\s+of\s+anonymity)
      | in\s+(?:advanced\s+|early\s+|late[- ]stage\s+)?(?:talks|discussions|negotiations)
      | weigh(?:s|ing)?\b | consider(?:s|ing)\b | mull(?:s|ing)?\b | explor(?:es|ing)\b
      | (?:could|may|might)\s+(?:soon\s+)?
        (?:leave|join|step|exit|depart|acquire|buy|raise|sell|merge)
      | (?:is|are)\s+(?:expected|poised|set|likely|preparing|planning)\s+to\s+
        (?:leave|join|step|exit|depart|acquire|buy|raise|sell|merge)
      | plans?\s+to\s+(?:leave|step\s+down|exit|depart|resign)
      | speculat\w*
    )""",
    re.IGNORECASE | re.VERBOSE,
)


def status_of(text: str) -> Status | None:
    """The status of the claim a sentence (or a clause of one) makes; None when it is negated."""
    if _DENIED.search(text):
        return Status.DENIED
    if _NEGATED.search(text):
        return None
    if _RUMOURED.search(text):
        return Status.RUMOURED
    return Status.CONFIRMED

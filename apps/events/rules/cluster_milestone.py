"""Cluster milestones: a compute cluster's build-out, told by its counts and its changes of state.

- A count with a state verb: "Colossus reached/now has/houses/runs 200,000 GPUs", "doubled to",
  "was expanded to", "came online with", "draws 150 MW", "runs 35 gas turbines", "xAI added
  100,000 GPUs to Colossus", "100,000 GPUs are now running at Colossus".
- A change of state, with or without a count: "came online", "went live", "began training",
  "started operations", "broke ground", "construction began", "reached full capacity", "went
  operational at 1 GW", "received its first GB200s".

The cluster is named in the clause, or "the supercomputer", "the site" stand for the article's
latest cluster. A count belongs to the milestone only when a state verb governs it: the
turbines of a permit, the dollars of a funding round and "100,000 people" are not read. A plan
("plans to expand to 1 million GPUs", "will grow to", "Colossus 2 will start with 550,000") is a
finding too, marked `extras={"projection": "1"}` for the service to store as a projection.

Others' words about a cluster: a count someone "puts at 46" is a milestone, and so is a dated
"up from 27 in December" beside one (that earlier count, at its date). A third party's forecast
("Epoch AI expects the site to reach 2 GW", "the analysts' model has it switching on in March") is
not the owner's plan, and whoever forecasts or estimates is never the owner. A correction note's
account of what an earlier version said is no news at all.
"""

import re
from dataclasses import dataclass, field, replace

from apps.events.rules.base import CLUSTER, COMPANY, Finding, Named, Rule, Sentence
from apps.events.rules.parties import (
    Dates,
    Span,
    asides,
    clauses,
    cluster_mentions,
    group_before,
    hedged,
    inside,
    is_authority,
    is_possessive,
    lowered,
    names_in,
    quantities_of,
    withdrawn,
)
from apps.events.rules.quantities import Quantity, find_quantities
from apps.events.rules.status import status_of
from apps.events.rules.when import EventDate
from apps.events.vocabulary import EventType, Role, Status

NAME = "cluster_milestone"
VERSION = 2

_KINDS = ("gpus", "chips", "h100e", "power_mw", "turbines")
_STATE_VERB = re.compile(
    r"""\b(?:
        reach(?:ed|es|ing)?|hit(?:s|ting)?|top(?:s|ped|ping)?|surpass(?:ed|es|ing)?
      | exceed(?:ed|s|ing)?|cross(?:ed|es|ing)?
      | has|have|had|(?:(?:will|would)\s+)?be|is|are|was|were
      | run(?:s|ning)?|ran|hous(?:es|ed|ing)|house|hold(?:s|ing)?|contain(?:s|ed)?
      | home\s+to|count(?:s|ed)|total(?:s|ed|led)|number(?:s|ed)|sport(?:s|ed)
      | employ(?:s|ed|ing)?|(?:outfitted|fitted|stocked|loaded|kitted\s+out)\s+with
      | built\s+(?:around|on|from|with)
      | st(?:ood|ands|and|anding)\s+at
      | boast(?:s|ed|ing)?|pack(?:s|ed|ing)?|feature(?:s|d)?|us(?:es|ed|ing)|deploy(?:s|ed|ing)?
      | host(?:s|ed|ing)?|operat(?:es|ed|ing)\s+with|(?:consist(?:s|ed)?|made\s+up)\s+of
      | compris(?:es|ed|e)|equipped\s+with|powered\s+by|draw(?:s|ing|n)?|drew
      | consum(?:es|ed|ing|e)|need(?:s|ed)?|requir(?:es|ed|ing|e)
      | add(?:s|ed|ing)?|install(?:s|ed|ing)?
      | (?:start(?:s|ed|ing)?|launch(?:es|ed|ing)?|open(?:s|ed)?|debut(?:s|ed)?|began|begins?)
        \s+with
      | (?:built|launched|opened|started|debuted)(?=\s+(?:[\w.'\u2019-]+\s+){1,3}?with\s)
      | (?:grow|grew|grown|grows|growing|expand(?:s|ed|ing)?|doubl(?:e|es|ed|ing)
        |tripl(?:e|es|ed|ing)|scal(?:e|es|ed|ing)(?:\s+up)?|increas(?:e|es|ed|ing)
        |upgrad(?:e|es|ed|ing)|bring(?:s|ing)?|brought|boost(?:s|ed|ing)?|ramp(?:s|ed|ing)?\s+up
        |enlarg(?:e|es|ed|ing)|tak(?:e|es|en|ing)|took|push(?:es|ed|ing)?
        |(?:went|gone|goes|go|going|jump(?:s|ed|ing)?|climb(?:s|ed|ing)?|r[io]se|rising
        |swell(?:s|ed|ing)?|balloon(?:s|ed|ing)?)(?=\s+from\b))(?=[^.;]{0,40}?\bto\b)
    )\b""",
    re.VERBOSE,
)
_CHANGE = re.compile(
    r"""\b(?:
        (?:came|comes|come|coming|went|goes|go|going|gone|brought|brings|bring|is\s+now|now)
        \s+(?:fully\s+|partially\s+|partly\s+)?online
      | (?:went|goes|go|going|gone)\s+live|is\s+now\s+live
      | (?P<since>(?:has|have|had)\s+been\s+(?:up\s+and\s+running|running|operating|operational
        |online|live|in\s+operation))(?=\s+since\b)
      | (?P<ops>operations|construction|work|training)(?=\s+(?:at|on|of)\s+[^,;]{1,40}?\s
        (?:began|begun|started|commenced|kicked\s+off|got\s+under\s?way)\b)
      # "training had started there": the activity first, its start right after it.
      | (?P<ops_>operations|training)\s+(?:(?:has|have|had)\s+)?(?:began|begun|started
        |commenced|kicked\s+off|got\s+under\s?way)
      | (?P<opened>opened|completed|finished|inaugurated|commissioned)
      | (?P<brought>brought|brings|bring|bringing|got|gets|getting)
        (?=\s+(?:[\w.'\u2019-]+\s+){1,4}?(?:fully\s+)?online\b)
      | (?:began|begun|begins|begin|beginning|started|starts|start|starting|commenced|commences
        |kicked\s+off)\s+(?:full\s+|commercial\s+|initial\s+)?(?:training|operations?|operating
        |construction|production)
      | (?:became|become|becomes|is\s+now|was|went|goes|is|are|were|be)\s+(?:fully\s+)?operational
      | (?:entered|enters|went\s+into|goes\s+into)\s+(?:into\s+)?(?:service|operation)
      | (?:broke|breaks|breaking|break)\s+ground|ground\s+was\s+broken
      | construction\s+(?:began|begins|started|starts|kicked\s+off|got\s+under\s?way
        |is\s+under\s?way|was\s+completed|finished|wrapped\s+up)
      | (?:switch(?:ed|es|ing)?|power(?:ed|s|ing)?)\s+on
      | (?:was|were|been|being|got|is|are)\s+turned\s+on  # "turned on X" is also "attacked X"
      | (?:power(?:ed|s|ing)?|fir(?:ed|es|e|ing))\s+up
      | (?:reached|reaches|hit|hits|reaching|at|running\s+at)\s+full
        \s+(?:operating\s+|operational\s+|power\s+|production\s+)?capacity
      | (?:was|is|has\s+been)\s+(?:fully\s+)?completed|(?:was|is|has\s+been)\s+expanded
      | (?P<removed>(?:removed|gone|dismantled|taken\s+(?:away|down|out)|hauled\s+(?:away|off)
        |decommissioned)(?=\s+(?:[\w-]+\s+){0,5}?from\b)|(?<=be\s)removed|(?<=been\s)removed
        |(?<=were\s)removed)
      | (?:has|had|have|with)\s+(?:its|their)\s+(?:first\s+)?(?:[\w-]+\s+)?(?:buildings?|halls?
        |data\s+halls?|phases?)\s+(?:fully\s+|now\s+|already\s+)*(?:running|online|operational|live)
      | (?:began|begun|begins|started|starts)\s+(?:supplying|feeding|delivering)\b
      | (?:received|receives|got|gets|took\s+delivery\s+of|welcomed|installed)\s+its\s+first
        \s+(?P<first>[\w-]+)
    )\b""",
    re.VERBOSE,
)
# Cheap first look: a count or a change-of-state word somewhere in the (lower-cased) sentence.
_KEYWORD = re.compile(
    r"\d|online|live\b|operat|training|ground|construction|capacity|complet|expanded|first|turbine"
    r"|switch|turn(?:ed|s|ing)?\s+on|power|fir(?:ed|es|e|ing)\s+up|dozen|hundred|thousand|million"
    r"|gigawatt|megawatt|supply|supplying|feeding"
)
# "100,000 GPUs are now running at Colossus": the count before its verb, maybe with an aside
# (", among them 30,000 GB200s,") or a place ("on a single fabric") between them.
_COUNT_THEN_STATE = re.compile(
    r"""(?:\s*,(?:[^,.;()]|[,.](?=\d)){1,60},|\s+(?:on|in|across|inside)\s+[^,.;()]{1,40}?)?
    (?:\s+there)?
    \s+(?:(?:are|were|is|was|have|has|had|will\s+be)\s+)?(?:now\s+|already\s+|been\s+
    |currently\s+|fully\s+)*(?P<verb>running|installed|operating|operational|deployed|housed
    |humming|in\s+operation|online|live|came\s+online|went\s+live|went\s+online|training
    |(?:tied|linked|wired|networked)\s+together|networked|interconnected
    |(?:started|began|begun)\s+(?:work|working|training|running))\b""",
    re.VERBOSE,
)
# "100,000 GPUs came online", "its first batch, some 550,000 chips, would begin coming online":
# between a count and the change it is the subject of.
_SUBJECT_COUNT = re.compile(
    r""",?\s+(?:(?:are|were|is|was|have|has|had|will|would|could|should|may|might)\s+)?
    (?:now\s+|already\s+|been\s+|finally\s+|be\s+)*
    (?:(?:begin|began|begun|begins|start|started|starts)\s+(?:to\s+)?)?""",
    re.VERBOSE,
)
# Words in the stretch between a verb and its count that show the count is not the verb's.
_GAP_BLOCK = re.compile(
    r"""[$;:(]|\b(?:for|permit\w*|approv\w*|allow\w*|licen[cs]\w*|authori[sz]\w*|which|who
    |whom|that|while|but|after|before|when|because|since|if|unless|bought|buy\w*|purchas\w*
    |order\w*|ship\w*|spen[dt]\w*|rais\w*|cost\w*|worth|said|says|plus|people|employees
    |including|includes|among|of\s+which|of\s+them|over|about|against|amid|despite|than
    |unlike|dwarf\w*|versus|vs)\b
    |\bfrom\b(?!\s+(?:about\s+|around\s+)?\d)""",
    re.VERBOSE,
)
# After "has", "uses", "holds" only these may come before the count: "has" before anything else
# is an auxiliary ("Nvidia has sold 100,000 GPUs") or owns something else.
_HAVE = re.compile(
    r"(?:has|have|had|be|is|are|was|were|holds?|holding|uses?|used|using|counts?|counted|totall?(?:s|ed|led)"
    r"|numbers?|numbered|sports?|sported|employs?|employed|employing)\Z"
)
_HAVE_GAP = re.compile(r"\s*(?:(?:now|already|currently|still|just|a\s+total\s+of)\s+)*\Z")
_APPOSITION = re.compile(
    r",\s+(?:(?:about|around|roughly|nearly|some|more\s+than|over|at\s+least|up\s+to)\s+)?"
)
_APPOSED = ("gpus", "chips", "h100e")
# Between a cluster and a figure that describes it: "Colossus, with", "Colossus (", "Colossus, a
# supercomputer housing", "Colossus — home to", "Colossus, a". `state` marks a verb-like word,
# which says the figure is the cluster's wherever the cluster stands.
_DESCRIBED = re.compile(
    r"""(?:,|\s*\(|\s+[\u2014\u2013]|\s+--)\s*(?:(?:now|currently|today)\s+)?
    (?:(?:a|an|the|its|their)\s+(?:(?!(?:of|in|at|for|by|to|from|on|near)\b)[\w-]+\s+){0,3}?
    (?P<state>with|housing|packing|holding|running|containing|boasting|featuring|powered\s+by
    |home\s+to|of)\s+
    |(?P<state_>with|housing|packing|holding|running|containing|boasting|featuring|home\s+to
    |powered\s+by|now\s+at|at)\s+
    |(?:a|an|the|its|their)\s+(?:(?:new|planned|proposed|future|current|giant|massive|huge)\s+)?
    )?""",
    re.VERBOSE,
)
# "With 200,000 GPUs, Colossus is": a figure fronted before its cluster.
_FRONTED_WITH = re.compile(r"(?:^|[,(]\s*|\b(?:and|but)\s+)\s*(?:now\s+)?with\s+\Z")
_FRONTED_GAP = re.compile(
    r"(?:\s+(?:running|online|installed|in\s+place))?,\s+(?:(?:the|its|their|[\w.&-]+['\u2019]s?)\s+)?"
)
# A figure written as a modifier: "200,000-GPU", "150MW", "1.2-gigawatt", "200,000 GPU".
_COMPOUND = re.compile(r"(?:-[a-z0-9]+|\bgpu|\bchip|mw|gw|megawatt|gigawatt|turbine)\Z")
# "gigawatt-class", "gigawatt-scale": a class of size, not a figure.
_SCALE_AFTER = re.compile(r"-(?:class|scale|level|size|sized|range|plus)\b")
# From a compound figure to the cluster's name: "200,000-GPU [Colossus]", "150MW facility, known
# as [Colossus]", "150MW [xAI] facility" is not (a company's, not a name).
_NAMED_AFTER = re.compile(
    r"""\s+(?:(?:ai|gpu|compute|training|data|supercomputing)\s+)?
    (?:(?:cluster|supercomputer|facility|site|campus|data\s*cent(?:er|re)|plant|system|machine)
    (?:,\s*|\s+)(?:(?:now\s+|officially\s+)?(?:known|called|dubbed|named|nicknamed|branded)
    \s+(?:as\s+)?)?)?""",
    re.VERBOSE,
)
# Where an apposition ends: its closing comma, bracket or dash.
_APPOSITION_END = re.compile(r"[,)\u2014\u2013;]|\s--\s|$")
_PLANNED = re.compile(r"\b(?:planned|proposed|future|upcoming|would-be|envisioned|eventual)\b")
# The words before a name that make it a preposition's object, not a subject or a verb's object.
_PREPOSITION_BEFORE = re.compile(
    r"""\b(?:of|at|in|from|for|to|by|on|beside|near|next\s+to|outside|around|behind|across
    |into|about|over|with|like|than|between|among|opposite|toward|towards|along)\s+
    (?:(?:the|a|an|its|their)\s+)?(?:[\w.'\u2019&-]+['\u2019]s?\s+)?(?:[\w-]+\s+){0,1}\Z""",
    re.VERBOSE,
)
_TURBINES_NEAR = re.compile(r"\bturbines?\b")
_WORD = re.compile(r"[A-Za-z][\w'-]*")
_GAP_WORDS = 5
_FROM_BEFORE = re.compile(r"\b(?:from|by)\s*\Z")
# An approval or a permit before the verb: its counts are the permit's ("allowing xAI to run 15
# turbines").
_PERMIT_BEFORE = re.compile(
    r"\b(?:permit\w*|approv\w*|allow\w*|authori[sz]\w*|licen[cs]\w*|applied|application)\b"
)
# "If Colossus reached 1 million GPUs, it would draw 1.5 GW": a supposition, not news.
_CONDITION_BEFORE = re.compile(r"(?:^|[\s,(])(?:if|unless|whether|suppose|supposing)\s")
_NEGATION_BEFORE = re.compile(
    r"(?:\bnot|n[\u2019']t|\bnever|\bno\s+longer|\byet\s+to|\bfailed\s+to)\s+"
    r"(?:yet\s+)?(?:been\s+)?(?:\w+ly\s+)?(?:be\s+)?\Z"
)
_PLAN_BEFORE = re.compile(
    r"""\b(?:will|would|shall|could|may|might|plans?|planned|planning|aims?|aiming|expects?
    |expected|intends?|intended|should|set\s+to|slated|scheduled|poised|going\s+to|want(?:s|ed)?
    |hop(?:es?|ed)|goal
    |target\w*|eventually|on\s+track|envisions?|proposed|projected|designed\s+to|ambition\w*
    |seeks?|seeking)\b|(?<!days\s)(?<!weeks\s)(?<!months\s)\bto\s+(?:be\s+)?(?:\w+\s+)?\Z""",
    re.VERBOSE,
)
# "the first cluster in the world to reach a gigawatt": a superlative's infinitive is a claim
# about what happened, not a plan.
_FIRST_TO = re.compile(
    r"\b(?:first|only|largest|biggest|fastest|earliest)\b[^,;]{0,50}\bto\s+(?:\w+\s+)?\Z"
)
_TO_END = re.compile(r"\bto\s+(?:\w+\s+)?\Z")
_BARE_COUNT = re.compile(
    r"""(?:(?:about|around|roughly|nearly|some|more\s+than|over|up\s+to|at\s+least)\s+)?
    (?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?\s+(?:million|thousand))(?![\d,.]?\d)
    (?!\s*(?:%|percent)|\s+(?!(?:and|or|in|by|at|to|while|respectively|next|this|last|on)\b)\w)""",
    re.VERBOSE,
)
_BARE_NOUN = {"gpus": " GPUs", "chips": " chips", "h100e": " H100 equivalents"}
_OWNER_BY = re.compile(r"\b(?:built|operated|owned|run|developed)\s+by\s")
_PRODUCT_BEFORE = re.compile(
    r"\b(?:model|chatbot|app|feature|product|service|version|api|tool|website|update)s?\b"
)
_IT_BEFORE = re.compile(r"\bit\s+(?:\w+\s+){0,2}\Z|\bits\s+(?:[\w-]+\s+){1,4}\Z")
_IT = re.compile(r"\bit\b")
_GROWTH = re.compile(
    r"(?:grow|grew|expand|doubl|tripl|scal|increas|upgrad|boost|ramp|enlarg)", re.IGNORECASE
)
_GROWN = ("gpus", "chips", "h100e", "power_mw")
# "550,000 of them," with nothing after: the count of a plural named before it. ("50,000 of
# them H200s" is a part of another count, which the quantity reader takes.)
_OF_THEM = re.compile(
    r"""(?<![\w,.])(?P<count>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?\s+(?:million|thousand))\s+of\s+them
    (?=\s*(?:[,.;)\u2014\u2013]|$))""",
    re.VERBOSE,
)
_CHIP_NOUN = re.compile(
    r"\b(?:GPUs|gpus|chips|accelerators|processors|superchips|[A-Z]{1,3}\d{2,4}[A-Za-z]?s)\b"
)
_CLAUSE_END = re.compile(r"[.;:]\s")
_OF_THEM_REACH = 80
# "is already doubling it to 200,000 GPUs": a growth under way has not reached its figure yet.
_UNDER_WAY = re.compile(
    r"""\b(?:is|are|was|were)\s+(?:(?:now|already|still|currently|steadily|rapidly|quickly)\s+)*
    (?:grow|expand|doubl|tripl|scal|increas|upgrad|boost|ramp|enlarg)[a-z]*ing\Z""",
    re.VERBOSE,
)
_OPENED_OBJECT = re.compile(r"\s+(?:(?:the|its|their)\s+)?(?:(?:first|new|\w+['\u2019]s)\s+)?")
_SUBORDINATE = re.compile(r"\b(?:after|before|when|since|until|once|as|while)\s+(?:the\s+)?\Z")
_OPENED_SUBJECT = re.compile(
    r"(?:\s+(?:was|were|is|has\s+been|had\s+been|officially|formally|finally|quietly|fully))*\s+"
)
_DIGIT = re.compile(r"\d|\b(?:million|thousand|hundred|dozen|gigawatt|megawatt)")
_PLACE_BEFORE = re.compile(
    r"\b(?:at|to|in|into|inside|within|on|across|from)\s+(?:(?:the|its|their)\s+)?"
    r"(?:[\w.'\u2019&-]+['\u2019]s\s+)?(?:[\w-]+\s+){0,2}\Z"
)
# A complaint's allegation is the plaintiff's claim, not a count: "accuses xAI of running 27".
_ALLEGED = re.compile(
    r"\b(?:accus\w*\s+(?:[\w.'\u2019-]+\s+){0,4}?of|alleg(?:es|ed|ing|ations?)(?:\s+that)?)\s+"
    r"(?:[\w.'\u2019-]+\s+){0,6}?\Z"
)
_THERE_AFTER = re.compile(r"\s+(?:now\s+|already\s+)?there\b")
_THERE = re.compile(r"\bthere\b")
# "the turbines there began supplying": not the "there" of "there are".
_THERE_BEFORE = re.compile(
    r"(?<=[a-z]\s)there\s+(?:(?:were|was|are|is|have|has|had)\s+)?(?:\w+ly\s+)?\Z"
)
# "puts the number of turbines at the site at 46": a count someone gives.
_PUT_AT = re.compile(
    r"""\bput(?:s|ting)?\s+(?:the|its|their)\s+(?:number|count|total|tally)\s+of\s+
    (?P<noun>(?:[\w-]+\s+){0,2}?(?:turbines|gpus|chips|accelerators|processors))\s+
    (?:(?:at|in|on)\s+(?:[\w.'\u2019-]+\s+){1,5}?)?at\s+
    (?P<count>(?:(?:about|around|roughly|nearly|some|more\s+than|over|at\s+least)\s+)?
    \d{1,3}(?:,\d{3})*)(?![\d,]*\d)""",
    re.VERBOSE,
)
# "its GPU count stands at 200,000", "the turbine tally at the site rose to 35".
_TALLY = re.compile(
    r"""\b(?P<noun>gpu|chip|accelerator|turbine|h100)s?\s+(?:count|tally|total|fleet|inventory)
    (?:\s+(?:at|of|in|inside)\s+[^,;]{1,40}?)?
    \s+(?:(?:has|had|have|now|already|currently|recently|officially|since|reportedly|just)\s+)*
    (?P<verb>stands?\s+at|stood\s+at|is|was|reached|reaches|hit|hits|tops|topped|exceeds
    |exceeded|crossed|passed|surpassed|(?:rose|risen|grew|grown|climbed|jumped|swelled)\s+to)\s+
    (?P<count>(?:(?:about|around|roughly|nearly|some|more\s+than|over|at\s+least|almost)\s+)?
    (?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?(?:\s*(?:k|million|thousand)\b)?))(?![\d,.]*\d)""",
    re.VERBOSE,
)
_TALLY_NOUN = {
    "gpu": "GPUs",
    "chip": "chips",
    "accelerator": "accelerators",
    "turbine": "turbines",
    "h100": "H100s",
}
# "46, up from 27 in December": the earlier count, dated, is a milestone of its own.
_EARLIER = re.compile(
    r""",?\s+(?:up|down)\s+from\s+(?:the\s+)?(?:(?:about|around|roughly|some|nearly)\s+)?
    (?P<count>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+(?:million|thousand))?""",
    re.VERBOSE,
)
_EARLIER_NOUN = {"gpus": " GPUs", "chips": " chips", "h100e": " H100 equivalents"}
_EARLIER_NOUN["turbines"] = " turbines"
_POWER_UNIT = re.compile(r"(?i)\b(?:gw|mw|gigawatts?|megawatts?)\b")
# Whose words a figure is: a possessive owner stands right before the cluster's name ("xAI's
# Memphis supercomputer Colossus"), not before a model or an estimate that names it.
_OWNER_GAP = re.compile(
    r"""['\u2019]s?\s+(?:(?!(?:of|in|at|on|for|by|has|have|had|is|was|are|were|shows?|puts?
    |models?|estimates?|forecasts?|projections?|analysis|data|reports?|figures?|counts?|tally
    |numbers?|satellite|imagery)\b)(?:[\w.-]|,(?=\d))+\s+){0,3}\Z""",
    re.VERBOSE,
)
# A third party's forecast: "Epoch AI expects the site to reach", "the analysts' model has it".
_FORECASTS = re.compile(
    r"""\b(?:expects?|expected|forecasts?|forecasted|predicts?|predicted|projects|anticipates?
    |anticipated)\s+(?:that\s+)?\Z""",
    re.VERBOSE,
)
_MODEL_SAYS = re.compile(
    r"\b(?:models?|forecasts?|projections?)\s+(?:has|have|had|shows?|showed|puts?|sees?|saw)\b"
)
_OUTSIDER = re.compile(
    r"\b(?:analysts?|experts?|observers?|consultants?|critics|skeptics|sceptics|forecasters?"
    r"|watchers|speculat\w*)\b"
)
# Outsiders guessing what a cluster could do: "analysts say Colossus could need 2 GW".
_GUESS = re.compile(
    r"""\b(?:analysts?|experts?|observers?|consultants?|critics|skeptics|sceptics|some|others
    |estimates?|watchers)\b[^;]{0,40}?\b(?:say|said|says|believe\w*|think\w*|estimat\w*
    |expect\w*|predict\w*|reckon\w*|warn\w*|suggest\w*|argu\w*|speculat\w*)\b[^;]{0,60}?
    \b(?:could|might|may|would)\b[^;]{0,30}\Z""",
    re.VERBOSE,
)
_ESTIMATOR_VERB = re.compile(
    r"""\s+(?:expects?|expected|forecasts?|forecasted|predicts?|predicted|projects|projected
    |anticipates?|estimates?|estimated|reckons?|calculates?|says|said|believes?|thinks?)\b""",
    re.VERBOSE,
)
_GAP_WINDOW = 80


@dataclass
class _Draft:
    cluster: Named
    trigger: Span
    quantities: list[Quantity]
    projection: bool
    detail: str
    owners: list[int] = field(default_factory=list)
    # Where the draft's own date may be: the apposition that gave a figure in passing.
    window: Span | None = None


def find(sentence: Sentence) -> list[Finding]:
    latest = next((n for n in sentence.recent if n.kind == CLUSTER), None)
    if latest is None and not sentence.of_kind(CLUSTER):
        return []
    # The patterns are lower-case: matching a lowered copy is several times faster than (?i).
    # Dates, quantities and status read the sentence as written (month names, "GW", "H100").
    low = lowered(sentence.text)
    if not _KEYWORD.search(low):
        return []
    mentions = cluster_mentions(sentence)
    if not (mentions or _IT.search(low) or _THERE.search(low) or _unnamed(sentence)):
        return []
    original, sentence = sentence, replace(sentence, text=low)
    text = low
    spans = clauses(text)
    counts = [q for q in quantities_of(original.text) if q.kind in _KINDS]
    counts = sorted(counts + _of_them(original.text, counts), key=lambda q: q.start)
    holes = asides(text)
    dates = Dates(original)
    findings: list[Finding] = []
    for index, clause in enumerate(spans):
        triggers = _triggers(text, clause, counts)
        drafts = [
            one
            for trigger, change in triggers
            if (d := _draft(sentence, clause, trigger, change, mentions, counts, holes, original))
            for one in _respectively(text, clause, d, mentions)
        ]
        drafts = _with_appositions(drafts, _appositions(sentence, clause, mentions, counts))
        drafts += _put_at(sentence, clause, mentions, original)
        drafts += _tally(sentence, clause, mentions, original)
        drafts.sort(key=lambda d: d.trigger)
        if not drafts or withdrawn(text[clause[0] : clause[1]]):
            continue
        status = status_of(original.text[clause[0] : clause[1]])
        if status is None:
            continue
        status = hedged(status, original.text)
        owned = dates.owned([d.trigger for d in drafts], clause)
        lead = _leading_date(text, dates, spans, index, drafts[0].trigger)
        for draft, date in zip(drafts, owned, strict=True):
            date = date or lead
            if date is None and len(spans) == 1 and len(drafts) == 1:
                date = dates.near(draft.trigger, clause, fallback=True)
            if draft.window is not None:
                # A figure said in passing is dated only by its own words, not by the clause's.
                date = dates.near(draft.trigger, draft.window)
            projection = draft.projection or (
                date is not None and date.date > sentence.published.date()
            )
            _merge(findings, _finding(draft, date, status, projection))
            if earlier := _earlier(sentence, draft, dates, clause):
                _merge(findings, _finding(earlier[0], earlier[1], status, False))
    return findings


def _leading_date(
    text: str, dates: Dates, spans: list[Span], index: int, first: Span
) -> EventDate | None:
    """The date that leads the clause and so every trigger in it ("said on Saturday that it is
    operational and has reached 1 GW"), else that of a clause introducing this one with a colon
    ("gave an update on Tuesday: 230,000 GPUs are running")."""
    lo = spans[index][0]
    date = dates.near(first, (lo, first[0]))
    if date is None and index > 0 and text[spans[index - 1][1] : lo].startswith(":"):
        previous = spans[index - 1]
        date = dates.near((previous[1], previous[1]), previous)
    return date


def _triggers(text: str, clause: Span, counts: list[Quantity]) -> list[tuple[Span, re.Match[str]]]:
    """The clause's state verbs and changes of state, in order, without overlaps (a change wins
    over a verb inside it: "came online with")."""
    lo, hi = clause
    found = [((m.start(), m.end()), m) for m in _CHANGE.finditer(text, lo, hi)]
    for m in _STATE_VERB.finditer(text, lo, hi):
        if not any(a <= m.start() < b or m.start() <= a < m.end() for (a, b), _ in found):
            found.append(((m.start(), m.end()), m))
    for q in counts:
        state = _COUNT_THEN_STATE.match(text, q.end, hi) if lo <= q.start < hi else None
        if state is not None and not any(a <= state.start("verb") < b for (a, b), _ in found):
            found.append(((state.start("verb"), state.end("verb")), state))
    return sorted(found, key=lambda item: item[0])


def _draft(
    sentence: Sentence,
    clause: Span,
    trigger: Span,
    change: re.Match[str],
    mentions: list[Named],
    counts: list[Quantity],
    holes: list[Span],
    original: Sentence,
) -> _Draft | None:
    text = sentence.text
    lo, hi = clause
    start, end = trigger
    before = text[lo:start]
    if _PERMIT_BEFORE.search(before) or _NEGATION_BEFORE.search(before):
        return None
    if _CONDITION_BEFORE.search(before):
        return None
    if _forecast(sentence, lo, start, mentions) or _ALLEGED.search(
        text, max(lo, start - 80), start
    ):
        return None
    cluster = _cluster(text, clause, (start, end), mentions) or _it(sentence, lo, start)
    is_change = change.re is _CHANGE
    quantities = _governed(sentence, (start, end), hi, counts)
    subject = [q for q in counts if _count_of(text, q, trigger, hi)][-1:]
    if change.re is _COUNT_THEN_STATE or (subject and not quantities and not is_change):
        # "100,000 GPUs are running at the site": the count is the verb's subject.
        quantities = subject
        is_change = change.group().lower().startswith(("came", "went", "online", "live"))
        cluster = cluster or _there(sentence, clause, trigger, quantities)
        cluster = cluster or _unnamed_home(sentence, quantities)
    elif is_change and not quantities:
        quantities = [q for q in counts if _SUBJECT_COUNT.fullmatch(text, q.end, start)] or subject
        cluster = cluster or _unnamed_home(sentence, quantities)
    cluster = cluster or _there(sentence, clause, trigger, quantities)
    cluster = cluster or _it_grows(sentence, (lo, start), change, quantities)
    if cluster is None:
        return None
    if change.re is _CHANGE and change["opened"] and not _opened(text, trigger, cluster):
        return None
    if change.re is _CHANGE and change["removed"]:
        # "the turbines were removed from the site": only turbines leave a cluster as news, and
        # the count is of those removed, not of those still there.
        if not _TURBINES_NEAR.search(text, max(lo, start - 60), min(hi, end + 60)):
            return None
        quantities = []
    if not quantities and not is_change:
        return None
    stretch_lo = max(lo, start - 60, cluster.end if cluster.end <= start else lo)
    # An aside's words are not the main verb's ("Colossus, which will grow, has"), unless the
    # trigger is in that aside ("Colossus 2, which will eventually house 550,000 GB200s,").
    own = [h for h in holes if not h[0] <= start < h[1]]
    stretch = "".join(" " if inside(i, own) else text[i] for i in range(stretch_lo, start))
    if _FIRST_TO.search(text, max(lo, start - 80), start):
        stretch = _TO_END.sub(" ", stretch + " ")
    projection = (
        _PLAN_BEFORE.search(stretch) is not None
        or bool(_PLAN_BEFORE.search(text[start:end]))
        or _UNDER_WAY.search(text, max(lo, start - 40), end) is not None
    )
    if projection and _OUTSIDER.search(text):
        return None  # an analyst's guess at what the cluster could become is not its plan
    detail = ""
    if is_change:
        detail = " ".join(change.group().lower().split())
        if change.re is _CHANGE and change["removed"]:
            detail = "turbines removed"
        if change.re is _CHANGE and change["brought"]:
            detail = "came online"
        if change.re is _CHANGE and change["since"]:
            detail = "online since"
        if change.re is _CHANGE and (change["ops"] or change["ops_"]):
            detail = f"{change['ops'] or change['ops_']} began"
        if change.re is _CHANGE and change["first"]:
            detail = f"first {original.text[change.start('first') : change.end('first')]}"
    draft = _Draft(cluster, (start, end), quantities, projection, detail)
    draft.owners = _owners(sentence, clause, draft)
    return draft


def _opened(text: str, trigger: Span, cluster: Named) -> bool:
    """ "xAI opened Colossus", "Colossus officially opened", "Colossus was inaugurated": said of
    the cluster itself, right beside it, not of "an office" or "talks"."""
    if cluster.start >= trigger[1]:
        return _OPENED_OBJECT.fullmatch(text, trigger[1], cluster.start) is not None
    if _SUBORDINATE.search(text, max(0, cluster.start - 20), cluster.start):
        return False  # "turned on xAI after Colossus opened": the time of something else
    return _OPENED_SUBJECT.fullmatch(text, cluster.end, trigger[0]) is not None


def _forecast(sentence: Sentence, lo: int, pos: int, mentions: list[Named]) -> bool:
    """Whether the trigger at `pos` sits in a forecast: a model's ("the model has it switching
    on"), or a forecaster's whose object is the cluster ("Epoch AI expects Colossus 2 to")."""
    text = sentence.text
    if _MODEL_SAYS.search(text, max(lo, pos - 80), pos) or _GUESS.search(text, lo, pos):
        return True
    clusters = [n for n in mentions if lo <= n.start and n.end <= pos]
    if not clusters:
        return False
    verb = _FORECASTS.search(text, max(lo, clusters[-1].start - 40), clusters[-1].start)
    return verb is not None and _names_before(sentence, lo, verb.start())


def _names_before(sentence: Sentence, lo: int, pos: int) -> bool:
    """Whether a company is the subject of the verb just before `pos`: a forecaster."""
    companies = names_in(sentence, lo, pos, (COMPANY,))
    if not companies:
        return False
    return _ESTIMATOR_VERB.match(sentence.text, companies[-1].end) is not None


def _there(
    sentence: Sentence, clause: Span, trigger: Span, quantities: list[Quantity]
) -> Named | None:
    """ "500,000 chips were running there", "the 100,000 GPUs there are tied together": "there"
    is the article's latest cluster, when the clause names none."""
    text = sentence.text
    m = _THERE_AFTER.match(text, trigger[1], clause[1]) or _THERE_BEFORE.search(
        text, clause[0], trigger[0]
    )
    if m is None and quantities and quantities[0].end <= trigger[0]:
        m = _THERE.search(text, quantities[0].end, trigger[0])
    latest = next((n for n in sentence.recent if n.kind == CLUSTER), None)
    if m is None or latest is None:
        return None
    if any(n.kind == CLUSTER and clause[0] <= n.start < clause[1] for n in sentence.names):
        return None
    at = text.index("there", m.start())
    return Named(latest.entity_id, CLUSTER, at, at + 5, "there")


def _put_at(
    sentence: Sentence, clause: Span, mentions: list[Named], original: Sentence
) -> list[_Draft]:
    """ "The state's letter puts the number of turbines at the site at 46"."""
    drafts = []
    for m in _PUT_AT.finditer(sentence.text, *clause):
        count, noun = original.text[m.start("count") : m.end("count")], m["noun"]
        found = find_quantities(f"{count} {noun}")
        cluster = _cluster(sentence.text, clause, (m.start(), m.start()), mentions)
        if not found or cluster is None or found[0].kind not in _KINDS:
            continue
        q = replace(found[0], start=m.start("count"), end=m.end("count"))
        draft = _Draft(cluster, (m.start(), m.end()), [q], False, "")
        draft.owners = _owners(sentence, clause, draft)
        drafts.append(draft)
    return drafts


def _tally(
    sentence: Sentence, clause: Span, mentions: list[Named], original: Sentence
) -> list[_Draft]:
    """ "The site's GPU count now stands at 200,000": the noun before the verb, the number
    after it."""
    drafts = []
    for m in _TALLY.finditer(sentence.text, *clause):
        if _NEGATION_BEFORE.search(sentence.text, m.start("verb") - 20, m.start("verb")):
            continue
        count = original.text[m.start("count") : m.end("count")]
        found = find_quantities(f"{count} {_TALLY_NOUN[m['noun']]}")
        cluster = _cluster(sentence.text, clause, (m.start(), m.start()), mentions)
        if not found or cluster is None or found[0].kind not in _KINDS:
            continue
        q = replace(found[0], start=m.start("count"), end=m.end("count"))
        before = sentence.text[max(clause[0], m.start() - 60) : m.start("verb")]
        plan = _PLAN_BEFORE.search(before + " ") is not None
        draft = _Draft(cluster, (m.start("verb"), m.end("verb")), [q], plan, "")
        draft.owners = _owners(sentence, clause, draft)
        drafts.append(draft)
    return drafts


def _earlier(
    sentence: Sentence, draft: _Draft, dates: Dates, clause: Span
) -> tuple[_Draft, EventDate] | None:
    """ "46, up from 27 in December": the count the figure is compared with, at its date."""
    if not draft.quantities or draft.projection:
        return None
    last = draft.quantities[-1]
    m = _EARLIER.match(sentence.text, last.end, clause[1])
    if m is None:
        return None
    date = next((d for d in dates.found if m.end() <= d.start <= m.end() + 12), None)
    if date is None:
        return None
    if _POWER_UNIT.match(sentence.text, m.end("count") + 1):
        found = find_quantities(sentence.text[m.start("count") : m.end()])
    elif last.kind == "power_mw":
        unit = _POWER_UNIT.search(sentence.text, last.start, last.end)
        found = find_quantities(f"{m['count']} {unit.group() if unit else 'MW'}")
    else:
        found = find_quantities(m.group("count") + _EARLIER_NOUN.get(last.kind, ""))
    if not found or found[0].kind != last.kind:
        return None
    q = replace(found[0], start=m.start("count"), end=m.end())
    return replace(draft, trigger=(m.start(), m.end()), quantities=[q], detail=""), date


def _count_of(text: str, q: Quantity, trigger: Span, hi: int) -> bool:
    state = _COUNT_THEN_STATE.match(text, q.end, hi)
    return state is not None and state.start("verb") == trigger[0]


def _appositions(
    sentence: Sentence, clause: Span, mentions: list[Named], counts: list[Quantity]
) -> list[_Draft]:
    """A count set beside the cluster's name says how big it is: "the Goodyear cluster, 100,000
    H100s at Microsoft's site", "Colossus, with 200,000 GPUs,", "Colossus (200,000 GPUs)",
    "Colossus, a 200,000-GPU system", "the 150MW facility", "xAI's 200,000-GPU Colossus". A
    compound figure ("a 100,000-GPU cluster") describes a cluster in passing when the cluster
    sits after a preposition ("leased land beside Colossus, a 100,000-GPU cluster"): not read.
    """
    text = sentence.text
    drafts = []
    for cluster in mentions:
        if not clause[0] <= cluster.start < clause[1]:
            continue
        for q in counts:
            if q.kind not in _KINDS or _SCALE_AFTER.match(text, q.end):
                continue
            if q.kind in _APPOSED and _APPOSITION.fullmatch(text, cluster.end, q.start):
                draft = _Draft(cluster, (q.start, q.end), [q], False, "")  # dated by the clause
            elif (
                (
                    _FRONTED_WITH.search(text, clause[0], q.start)
                    and _FRONTED_GAP.fullmatch(text, q.end, cluster.start)
                )
                or (
                    (m := _DESCRIBED.fullmatch(text, cluster.end, q.start))
                    and (m["state"] or not _governed_by_preposition(text, clause, cluster))
                )
                or _named_by_count(sentence, clause, cluster, q)
            ):
                lo, hi = min(cluster.start, q.start), max(cluster.end, q.end)
                close = _APPOSITION_END.search(text, hi, clause[1] + 1)
                window = (lo, close.start() if close else clause[1])
                plan = _PLANNED.search(text, lo, window[1]) is not None
                draft = _Draft(cluster, (q.start, q.end), [q], plan, "", window=window)
            else:
                continue
            draft.owners = _owners(sentence, clause, draft)
            drafts.append(draft)
    return drafts


def _named_by_count(sentence: Sentence, clause: Span, cluster: Named, q: Quantity) -> bool:
    """ "the 150MW facility" (standing for the latest cluster), "the 200,000-GPU Colossus", "the
    150MW facility, known as Colossus": a compound figure before the cluster's name or noun."""
    text = sentence.text
    if not _COMPOUND.search(text, q.start, q.end) or _governed_by_preposition(
        text, clause, cluster if cluster.start < q.start else q
    ):
        return False
    if cluster.start < q.start and q.end < cluster.end:
        # Inside "the 150mw facility": a cluster noun standing for the article's latest cluster.
        return all(not (n.start <= q.start < n.end) for n in sentence.names)
    return cluster.start >= q.end and _NAMED_AFTER.fullmatch(text, q.end, cluster.start) is not None


def _governed_by_preposition(text: str, clause: Span, name: Named | Quantity) -> bool:
    return _PREPOSITION_BEFORE.search(text, max(clause[0], name.start - 40), name.start) is not None


def _with_appositions(drafts: list[_Draft], apposed: list[_Draft]) -> list[_Draft]:
    """Figures given in passing join the clause's change of state of their cluster when it has
    none ("Colossus, a 100,000-GPU cluster, came online in 2024"), stand alone when nothing else
    is said of their cluster, and give way to a count the clause states."""
    for extra in apposed:
        own = [d for d in drafts if d.cluster.entity_id == extra.cluster.entity_id]
        if any(d.quantities for d in own):
            continue
        change = next((d for d in own if d.detail and d.trigger[0] >= extra.trigger[1]), None)
        if change is not None:
            change.quantities = extra.quantities
        elif not own:
            drafts.append(extra)
    return sorted(drafts, key=lambda d: d.trigger)


def _respectively(text: str, clause: Span, draft: _Draft, mentions: list[Named]) -> list[_Draft]:
    """ "Colossus 1 and Colossus 2 have 230,000 and 550,000 GPUs respectively": in pairs."""
    if "respectively" not in text[clause[0] : clause[1]] or len(draft.quantities) < 2:
        return [draft]
    before = [n for n in mentions if clause[0] <= n.start and n.end <= draft.trigger[0]]
    clusters = before[-len(draft.quantities) :]
    if len(clusters) != len(draft.quantities):
        return [draft]
    return [
        replace(draft, cluster=cluster, quantities=[q])
        for cluster, q in zip(clusters, draft.quantities, strict=True)
    ]


def _cluster(text: str, clause: Span, trigger: Span, mentions: list[Named]) -> Named | None:
    """The subject cluster before the trigger, else the object cluster after it."""
    lo, hi = clause
    before = [n for n in mentions if lo <= n.start and n.end <= trigger[0]]
    if before:
        cluster = before[-1]
        if not _PRODUCT_BEFORE.search(text, cluster.end, trigger[0]):
            return cluster
        return None
    after = [n for n in mentions if trigger[1] <= n.start and n.end <= hi]
    if not after:
        return None
    # Past the verb's object, only a place the count went holds it ("added 100,000 GPUs to
    # Colossus"), not a cluster it is set against ("runs 300,000 GPUs, dwarfing Colossus").
    gap = text[trigger[1] : after[0].start]
    if _DIGIT.search(gap) and not _PLACE_BEFORE.search(gap):
        return None
    return after[0]


def _it(sentence: Sentence, lo: int, pos: int) -> Named | None:
    """ "xAI built Colossus in 122 days, and it went live": "it" is a cluster when the name
    just before it is one (in the sentence, else in the article)."""
    m = _IT_BEFORE.search(sentence.text, lo, pos)
    if m is None:
        return None
    before = [n for n in sentence.names if n.end <= m.start()]
    latest = before[-1] if before else (sentence.recent[0] if sentence.recent else None)
    if latest is None or latest.kind != CLUSTER:
        return None
    return Named(latest.entity_id, CLUSTER, m.start(), m.start() + 2, m.group()[:2])


def _of_them(text: str, counts: list[Quantity]) -> list[Quantity]:
    """ "the first GB200s for the site, 550,000 of them,": a count standing for the chips named
    just before it, read with their noun."""
    found = []
    for m in _OF_THEM.finditer(text):
        if any(q.start <= m.start() < q.end for q in counts):
            continue
        nouns = list(_CHIP_NOUN.finditer(text, max(0, m.start() - _OF_THEM_REACH), m.start()))
        noun = nouns[-1] if nouns else None
        if noun is None or _CLAUSE_END.search(text, noun.end(), m.start()):
            continue
        for q in find_quantities(f"{m['count']} {noun.group()}"):
            if q.kind in ("gpus", "chips"):
                found.append(replace(q, start=m.start(), end=m.end()))
    return found


def _it_grows(
    sentence: Sentence, before: Span, change: re.Match[str], quantities: list[Quantity]
) -> Named | None:
    """ "Musk wrote that it would grow to 200,000 GPUs": what grows to a count of chips or
    megawatts is a cluster, so an "it" that no company or cluster of the sentence precedes (a
    person is never "it") is the article's latest cluster."""
    m = _IT_BEFORE.search(sentence.text, *before)
    if m is None or not _GROWTH.match(change.group()) or not quantities:
        return None
    if any(q.kind not in _GROWN for q in quantities):
        return None
    if names_in(sentence, 0, m.start(), (CLUSTER, COMPANY)):
        return None
    latest = next((n for n in sentence.recent if n.kind == CLUSTER), None)
    if latest is None:
        return None
    return Named(latest.entity_id, CLUSTER, m.start(), m.start() + 2, m.group()[:2])


def _unnamed(sentence: Sentence) -> bool:
    """A sentence naming neither a cluster nor a company, in an article about a cluster."""
    return not any(n.kind in (CLUSTER, COMPANY) for n in sentence.names) and any(
        n.kind == CLUSTER for n in sentence.recent
    )


def _unnamed_home(sentence: Sentence, quantities: list[Quantity]) -> Named | None:
    """ "By July, 100,000 H100s had started work": accelerators said to be running, in a sentence
    that names no cluster nor anyone who might own other ones, run at the article's latest
    cluster."""
    if (
        len(quantities) != 1
        or quantities[0].kind not in ("gpus", "chips")
        or not _unnamed(sentence)
    ):
        return None
    latest = next(n for n in sentence.recent if n.kind == CLUSTER)
    q = quantities[0]
    return Named(latest.entity_id, CLUSTER, q.start, q.end, sentence.text[q.start : q.end])


def _governed(sentence: Sentence, trigger: Span, hi: int, counts: list[Quantity]) -> list[Quantity]:
    """The counts the verb ending at `trigger[1]` governs: those that follow it with nothing
    between that starts another phrase, and the counts coordinated with them."""
    text = sentence.text
    stop = min(hi, trigger[1] + _GAP_WINDOW)
    governed: list[Quantity] = []
    pos = trigger[1]
    candidates = counts + _bare_counts(text, trigger[1], stop, counts)
    for q in sorted(candidates, key=lambda q: q.start):
        if q.start < pos or q.start > stop:
            continue
        gap = text[pos : q.start]
        if _FROM_BEFORE.search(gap):
            continue  # "grew from 100,000 to 200,000 GPUs": where it started, not the milestone
        if _GAP_BLOCK.search(gap) or _STATE_VERB.search(gap) or _CHANGE.search(gap):
            break
        if not governed and not _gap_fits(sentence, text[trigger[0] : trigger[1]], pos, q.start):
            break
        governed.append(q)
        pos = q.end
        stop = min(hi, pos + 24)  # the next one only coordinated: "200,000 GPUs and 300 MW"
    return governed


def _gap_fits(sentence: Sentence, verb: str, start: int, end: int) -> bool:
    """Whether the words between a verb and its count are few enough to be its complements:
    names and dates aside, at most a handful ("expanded Colossus to", "came online in
    September with"), and after "has" only adverbs."""
    gap = sentence.text[start:end]
    if _HAVE.search(verb):
        return _HAVE_GAP.match(gap) is not None
    chars = list(gap)
    for n in sentence.names:
        if start <= n.start and n.end <= end:
            chars[n.start - start : n.end - start] = " " * (n.end - n.start)
    return len(_WORD.findall("".join(chars))) <= _GAP_WORDS


def _bare_counts(text: str, lo: int, hi: int, counts: list[Quantity]) -> list[Quantity]:
    """A number with its noun left out, read as the noun of the sentence's other count:
    "Colossus 1 has 230,000 GPUs while Colossus 2 will start with 550,000"."""
    kinds = [q.kind for q in counts if q.kind in _BARE_NOUN]
    if not kinds:
        return []
    found = []
    for m in _BARE_COUNT.finditer(text, lo, hi):
        if any(q.start <= m.start() < q.end for q in counts):
            continue
        for q in find_quantities(m.group() + _BARE_NOUN[kinds[0]]):
            found.append(replace(q, start=m.start(), end=m.end()))
    return found


def _owners(sentence: Sentence, clause: Span, draft: _Draft) -> list[int]:
    """The company whose cluster it is: "xAI's Colossus", "xAI expanded Colossus", "Colossus,
    operated by xAI"."""
    text = sentence.text
    lo, hi = clause
    cluster = draft.cluster
    owners = [
        n
        for n in names_in(sentence, max(lo, cluster.start - 40), cluster.start, (COMPANY,))
        if is_possessive(text, n) and _OWNER_GAP.match(text, n.end, cluster.start)
    ][-1:]
    if cluster.start >= draft.trigger[1]:
        owners += [
            n
            for n in group_before(sentence, lo, draft.trigger[0], (COMPANY,))
            if not _ESTIMATOR_VERB.match(text, n.end)
        ]
    if by := _OWNER_BY.search(text, cluster.end, hi):
        owners += [n for n in names_in(sentence, by.end(), by.end() + 30, (COMPANY,))][:1]
    return list(dict.fromkeys(n.entity_id for n in owners if not is_authority(n)))


def _finding(draft: _Draft, date: EventDate | None, status: Status, projection: bool) -> Finding:
    participants = [(Role.CLUSTER, draft.cluster.entity_id)]
    participants += [(Role.COMPANY, i) for i in draft.owners]
    return Finding(
        type=EventType.CLUSTER_MILESTONE,
        participants=tuple(participants),
        date=date,
        status=status,
        quantities=tuple(draft.quantities),
        rule=NAME,
        version=VERSION,
        detail=draft.detail,
        trigger=draft.trigger,
        extras={"projection": "1"} if projection else {},
    )


def _merge(findings: list[Finding], new: Finding) -> None:
    """One finding per cluster, date and plan: "runs 35 turbines and draws 150 MW" is one."""
    for i, old in enumerate(findings):
        same = (
            old.participants[0] == new.participants[0]
            and old.date == new.date
            and old.extras == new.extras
            and old.status == new.status
        )
        if same:
            quantities = old.quantities + tuple(
                q for q in new.quantities if q not in old.quantities
            )
            participants = tuple(dict.fromkeys(old.participants + new.participants))
            detail = "; ".join(d for d in (old.detail, new.detail) if d)
            findings[i] = replace(
                old, quantities=quantities, participants=participants, detail=detail
            )
            return
    findings.append(new)


RULE = Rule(name=NAME, version=VERSION, find=find)

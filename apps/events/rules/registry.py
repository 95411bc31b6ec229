"""Every event rule, in the order they run over each sentence."""

from apps.events.rules import (
    acquisition,
    cluster_milestone,
    departure,
    funding,
    hire,
    lawsuit,
    legal_notice,
    merger,
    model_release,
    partnership,
    permit,
    reorganisation,
)
from apps.events.rules.base import Rule

ALL_RULES: tuple[Rule, ...] = (
    departure.RULE,
    hire.RULE,
    reorganisation.RULE,
    acquisition.RULE,
    merger.RULE,
    funding.RULE,
    partnership.RULE,
    model_release.RULE,
    cluster_milestone.RULE,
    permit.RULE,
    lawsuit.RULE,
    legal_notice.RULE,
)

"""The words events are made of: their types, the roles of their participants, their status.

Plain choices with no database behind them, so that the pure rules and the models share them.
A new event type or role is one line here (and a rule module that finds it).
"""

from django.db import models


class EventType(models.TextChoices):
    DEPARTURE = "departure", "Departure"
    HIRE = "hire", "Hire"
    ACQUISITION = "acquisition", "Acquisition"
    MERGER = "merger", "Merger"
    FUNDING = "funding", "Funding"
    LAWSUIT = "lawsuit", "Lawsuit"
    LEGAL_NOTICE = "legal_notice", "Legal notice"
    PERMIT = "permit", "Permit"
    PARTNERSHIP = "partnership", "Partnership"
    CLUSTER_MILESTONE = "cluster_milestone", "Cluster milestone"
    MODEL_RELEASE = "model_release", "Model release"
    REORGANISATION = "reorganisation", "Reorganisation"
    ANNOUNCEMENT = "announcement", "Announcement"


class Role(models.TextChoices):
    PERSON = "person", "Person"
    FROM_COMPANY = "from_company", "From company"
    DESTINATION = "destination", "Destination"
    ACQUIRER = "acquirer", "Acquirer"
    ACQUIRED = "acquired", "Acquired"
    MERGED = "merged", "Merged"
    INVESTOR = "investor", "Investor"
    RECIPIENT = "recipient", "Raised by"
    PLAINTIFF = "plaintiff", "Plaintiff"
    DEFENDANT = "defendant", "Defendant"
    REGULATOR = "regulator", "Regulator"
    PARTNER = "partner", "Partner"
    CLUSTER = "cluster", "Cluster"
    COMPANY = "company", "Company"  # the subject of a release, reorganisation or announcement


class Status(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    RUMOURED = "rumoured", "Rumoured"
    DENIED = "denied", "Denied"

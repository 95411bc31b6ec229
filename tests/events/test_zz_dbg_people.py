import datetime
import pytest
from tests.events.test_analyze_article import analysed, departures_of

pytestmark = pytest.mark.django_db

def test_dbg(monkeypatch):
    import apps.events.rules.departure as dep
    orig = dep.find
    def spy(s):
        out = orig(s)
        print("SENT", s.text, s.employers, [n.surface for n in s.recent], out)
        return out
    import apps.events.services.analysis as an
    from apps.events.rules.base import Rule
    monkeypatch.setattr(an, "ALL_RULES", tuple(Rule("departure", 2, spy) if r.name == "departure" else r for r in an.ALL_RULES))
    analysed("Kosic leaves", "Kyle Kosic has left xAI to return to OpenAI.", when=datetime.datetime(2024, 4, 20, tzinfo=datetime.UTC))
    analysed("The founders who left xAI", "Kyle Kosic left xAI in April 2024 to rejoin OpenAI. Christian Szegedy departed in February 2025.", outlet="recap")
    for e in departures_of("kyle-kosic"):
        print(e, e.date, list(e.participants.values_list("role", "entity__slug")))
    assert 0

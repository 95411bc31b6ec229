"""`load_storylines`: the seed storylines, created once and never overwriting a curator's."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from apps.entities.services.seed import load_seed
from apps.events.models import Storyline

pytestmark = pytest.mark.django_db

SEED = Path(settings.BASE_DIR) / "demo" / "seed"


@pytest.fixture(autouse=True)
def entities():
    load_seed(SEED)


def test_it_creates_both_seed_storylines_with_readable_rules():
    out = io.StringIO()
    call_command("load_storylines", stdout=out)

    assert set(Storyline.objects.values_list("slug", flat=True)) == {
        "xai-exodus",
        "colossus-build-out",
    }
    assert "xAI exodus: 0 events" in out.getvalue()


def test_it_never_overwrites_a_curators_storyline():
    call_command("load_storylines", stdout=io.StringIO())
    Storyline.objects.filter(slug="xai-exodus").update(title="Edited", rule=[{"types": ["hire"]}])

    call_command("load_storylines", stdout=io.StringIO())

    edited = Storyline.objects.get(slug="xai-exodus")
    assert (edited.title, edited.rule) == ("Edited", [{"types": ["hire"]}])
    assert Storyline.objects.count() == 2


def test_it_refuses_a_file_with_a_bad_rule_and_writes_nothing(tmp_path):
    path = tmp_path / "storylines.yaml"
    path.write_text("- {slug: a, title: A, rule: [{types: [coup]}]}\n- {slug: b, title: B}\n")

    with pytest.raises(CommandError, match="Storyline a: Clause 1: unknown types: coup"):
        call_command("load_storylines", str(path), stdout=io.StringIO())

    assert not Storyline.objects.exists()


def test_it_says_clearly_when_the_file_is_missing(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("load_storylines", str(tmp_path / "none.yaml"), stdout=io.StringIO())

from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from apps.entities.models import (
    Affiliation,
    Alias,
    ClusterObservation,
    Company,
    ComputeCluster,
    Entity,
    Person,
)
from apps.entities.services.seed import SeedError, load_seed

pytestmark = pytest.mark.django_db

DEMO_SEED = Path(settings.BASE_DIR) / "demo" / "seed"

XAI_COFOUNDERS = {
    "Elon Musk",
    "Igor Babuschkin",
    "Jimmy Ba",
    "Yuhuai Wu",
    "Christian Szegedy",
    "Greg Yang",
    "Kyle Kosic",
    "Manuel Kroiss",
    "Toby Pohlen",
    "Ross Nordeen",
    "Guodong Zhang",
    "Zihang Dai",
}

SMALL_COMPANIES = """
- slug: acme
  name: Acme AI
  kind: ai_lab
  founded: "2021-06"
  description: A lab.
  aliases: [Acme, {text: AA, case_sensitive: true}]
  sources: [https://example.com/acme]
- slug: acme-labs
  name: Acme Labs
  parent: acme
"""


def _dump() -> list[list[dict[str, Any]]]:
    models = (Entity, Company, Person, ComputeCluster, Affiliation, ClusterObservation, Alias)
    return [list(model.objects.order_by("pk").values()) for model in models]


def _write_seed(directory: Path, **files: str) -> Path:
    for name, text in files.items():
        (directory / f"{name}.yaml").write_text(text)
    return directory


def test_it_creates_the_twelve_xai_cofounders_with_their_xai_affiliation():
    load_seed(DEMO_SEED)

    founders = Affiliation.objects.filter(company__slug="xai", is_cofounder=True)
    assert {a.person.name for a in founders} == XAI_COFOUNDERS
    assert founders.count() == 12
    assert {a.kind for a in founders} == {Affiliation.Kind.FOUNDER}


def test_it_gives_colossus_its_owner_and_dated_observations_in_order():
    load_seed(DEMO_SEED)

    colossus = ComputeCluster.objects.get(slug="colossus-1")
    dates = list(colossus.observations.values_list("as_of", flat=True))
    assert colossus.owner is not None and colossus.owner.name == "xAI"
    assert colossus.status == ComputeCluster.Status.OPERATIONAL
    assert len(dates) >= 5
    assert dates == sorted(dates)
    assert colossus.observations.filter(as_of=date(2024, 9, 2), gpus=100_000).exists()
    assert all(o.source_url.startswith("https://") for o in colossus.observations.all())


def test_it_links_companies_to_their_parents():
    load_seed(DEMO_SEED)

    xai = Company.objects.get(slug="xai")
    assert xai.parent is not None and xai.parent.name == "SpaceX"
    assert Company.objects.get(slug="x-corp").parent == xai


def test_it_stores_every_name_as_an_alias_with_the_flags_the_seed_gives():
    load_seed(DEMO_SEED)

    for entity in Entity.objects.all():
        assert entity.aliases.filter(text=entity.name).exists()
    x = Alias.objects.get(entity__slug="x-corp", text="X")
    assert x.case_sensitive and x.needs_context
    assert Alias.objects.get(entity__slug="jimmy-ba", text="Ba").needs_context
    assert not Alias.objects.get(entity__slug="xai", text="xAI").needs_context


def test_it_keeps_month_precision_dates_as_months():
    load_seed(DEMO_SEED)

    kosic = Affiliation.objects.get(person__slug="kyle-kosic", company__slug="xai")
    assert (kosic.end, kosic.end_precision) == (date(2024, 4, 1), "month")
    assert (kosic.start, kosic.start_precision) == (date(2023, 1, 1), "year")
    x = Company.objects.get(slug="x-corp")
    assert (x.founded, x.founded_precision) == (date(2006, 3, 1), "month")


def test_it_changes_nothing_on_a_second_run():
    first = load_seed(DEMO_SEED)
    before = _dump()

    second = load_seed(DEMO_SEED)

    assert _dump() == before
    for kind, counts in second.counts.items():
        assert counts.created == counts.updated == counts.skipped_curated == 0
        assert counts.unchanged == first.counts[kind].created
    assert first.counts["person"].created == Person.objects.count()


def test_it_keeps_a_curators_edits_and_aliases_on_a_rerun():
    load_seed(DEMO_SEED)
    xai = Company.objects.get(slug="xai")
    xai.description = "Curated."
    xai.curated_at = timezone.now()
    xai.save()
    Alias.objects.create(entity=xai, text="the Musk lab", needs_context=True)
    Alias.objects.filter(entity=xai, text="SpaceXAI").update(needs_context=True)
    kosic = Affiliation.objects.get(person__slug="kyle-kosic", company__slug="xai")
    Affiliation.objects.filter(pk=kosic.pk).update(title="Curated title", curated_at=timezone.now())

    report = load_seed(DEMO_SEED)

    xai.refresh_from_db()
    assert xai.description == "Curated."
    assert Alias.objects.filter(entity=xai, text="the Musk lab").exists()
    assert Alias.objects.get(entity=xai, text="SpaceXAI").needs_context
    assert Affiliation.objects.get(pk=kosic.pk).title == "Curated title"
    assert report.counts["company"].skipped_curated == 1
    assert report.counts["affiliation"].skipped_curated == 1
    assert report.counts["alias"].skipped_curated == 1


def test_it_updates_uncurated_rows_when_the_seed_changes(tmp_path):
    seed = _write_seed(tmp_path, companies=SMALL_COMPANIES)
    load_seed(seed)
    _write_seed(tmp_path, companies=SMALL_COMPANIES.replace("A lab.", "A better lab."))

    report = load_seed(seed)

    assert Company.objects.get(slug="acme").description == "A better lab."
    assert report.counts["company"].updated == 1
    assert report.counts["company"].unchanged == 1
    assert Company.objects.get(slug="acme-labs").parent == Company.objects.get(slug="acme")


def test_it_refuses_an_unknown_slug_and_writes_nothing(tmp_path):
    people = """
- slug: ada
  name: Ada Example
  affiliations:
    - {company: acme, title: CEO, start: "2022"}
    - {company: no-such-company, start: "2023"}
"""
    seed = _write_seed(tmp_path, companies=SMALL_COMPANIES, people=people)

    with pytest.raises(SeedError, match=r"people\.yaml: record 1 \(ada\).*'no-such-company'"):
        load_seed(seed)

    assert not Entity.objects.exists()
    assert not Alias.objects.exists()


def test_it_refuses_a_bad_date_naming_the_file_and_record(tmp_path):
    broken = SMALL_COMPANIES.replace('"2021-06"', '"2021-13"')
    seed = _write_seed(tmp_path, companies=broken)

    with pytest.raises(SeedError, match=r"companies\.yaml: record 1 \(acme\): founded"):
        load_seed(seed)

    assert not Entity.objects.exists()


def test_it_refuses_an_unknown_field(tmp_path):
    seed = _write_seed(tmp_path, companies="- {slug: acme, name: Acme, foundd: '2020'}")

    with pytest.raises(SeedError, match=r"unknown field.*foundd"):
        load_seed(seed)


def test_it_loads_the_demo_seed_from_the_command():
    out = StringIO()
    call_command("load_seed", stdout=out)

    assert "company" in out.getvalue()
    assert Company.objects.filter(slug="spacex").exists()


def test_it_reports_a_broken_seed_from_the_command(tmp_path):
    _write_seed(tmp_path, clusters="- {slug: c1, name: C1, owner: nobody}")

    with pytest.raises(CommandError, match=r"Nothing loaded.*clusters\.yaml.*nobody"):
        call_command("load_seed", str(tmp_path), stdout=StringIO())

"""A compute cluster's page: its facts, GPUs and power over time with every point linked to its
source, reports that disagree side by side, and its events."""

import datetime
import re

import pytest

from apps.dashboard.conflicts import Report, conflicts
from tests.dashboard.entity_pages import events_with, summaries
from tests.entities.builders import make_cluster, make_company, make_observation

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def colossus():
    owner = make_company(name="Halcyon Labs", slug="halcyon")
    return make_cluster(name="Colossus", slug="colossus", owner=owner, city="Memphis",
                        region="TN", country="US", status="operational",
                        chip_type="NVIDIA H100", chip_count=200_000, power_mw=300)  # fmt: skip


def page(client, slug="colossus") -> str:
    response = client.get(f"/entities/{slug}/")
    assert response.status_code == 200
    return response.content.decode()


def figure(body: str, chart_id: str) -> str:
    """The chart's <figure>, from its <svg> to its fallback."""
    labelled = body.index(f'aria-labelledby="{chart_id}-title')
    start = body.rindex("<svg", 0, labelled)
    return body[start : body.index("</figure>", start)]


def test_it_shows_site_owner_status_chips_and_power(client, colossus):
    body = page(client)

    assert "Compute cluster · Operational" in body
    assert 'Owner</dt><dd><a href="/entities/halcyon/">Halcyon Labs</a>' in body
    assert "Memphis, TN, US" in body
    assert "200k NVIDIA H100" in body and "300 MW" in body


def test_it_charts_gpus_and_power_over_time_each_point_linked_to_its_source(client, colossus):
    make_observation(colossus, as_of=D(2024, 7, 22), gpus=100_000,
                     source_url="https://one.example/100k")  # fmt: skip
    make_observation(colossus, as_of=D(2025, 2, 1), as_of_precision="month", gpus=200_000,
                     power_mw=300, source_url="https://two.example/200k")  # fmt: skip
    make_observation(colossus, as_of=D(2024, 10, 1), gpus=None, power_mw=150,
                     basis="permit", source_url="https://three.example/permit")  # fmt: skip

    body = page(client)
    gpus, power = figure(body, "gpu-chart"), figure(body, "power-chart")

    assert 'role="img"' in gpus and '<title id="gpu-chart-title">GPUs over time</title>' in gpus
    points = re.findall(r'<a href="([^"]+)"[^>]*><circle', gpus)
    assert points == ["https://one.example/100k", "https://two.example/200k"]
    assert "100,000 GPUs, 22 Jul 2024: Press report" in gpus
    assert "200,000 GPUs, Feb 2025: Press report" in gpus  # dated as precisely as reported
    assert re.search(r'<path class="step" d="M[\d.]+ [\d.]+H[\d.]+V[\d.]+H[\d.]+"', gpus)
    assert ">200k</text>" in gpus  # a readable axis
    assert re.findall(r'<a href="([^"]+)"[^>]*><circle', power) == [
        "https://three.example/permit",
        "https://two.example/200k",
    ]
    # Both charts share the time axis: the last report is at the same x in each.
    last_x = [re.findall(r'cx="([\d.]+)"', chart)[-1] for chart in (gpus, power)]
    assert last_x[0] == last_x[1]
    # The text fallback lists every report with its link.
    assert (
        '<a href="https://one.example/100k" rel="noopener noreferrer nofollow">100,000 GPUs' in gpus
    )


def test_a_plan_is_drawn_apart_and_never_called_a_conflict(client, colossus):
    make_observation(colossus, as_of=D(2025, 3, 1), gpus=200_000, source_url="https://a.example/")
    make_observation(colossus, as_of=D(2025, 3, 1), gpus=1_000_000, is_projection=True,
                     source_url="https://b.example/plan")  # fmt: skip

    body = page(client)

    assert 'class="point projected"' in figure(body, "gpu-chart")
    assert "1,000,000 GPUs (planned)" in body
    assert "No two sources give different figures for the same time." in body


def test_reports_that_disagree_are_shown_side_by_side(client, colossus):
    make_observation(colossus, as_of=D(2024, 9, 1), gpus=100_000, basis="company_claim",
                     source_url="https://company.example/claim")  # fmt: skip
    make_observation(colossus, as_of=D(2024, 9, 4), gpus=80_000, basis="satellite",
                     source_url="https://imagery.example/count")  # fmt: skip
    make_observation(colossus, as_of=D(2025, 1, 1), gpus=150_000,
                     source_url="https://later.example/")  # fmt: skip

    body = page(client)
    section = body[body.index('id="conflicts-title"') : body.index('id="reports-title"')]

    assert section.count('class="conflict"') == 1
    assert "GPUs, around 1 Sep 2024" in section
    first, second = section.index("100,000 GPUs"), section.index("80,000 GPUs")
    assert first < section.index("https://company.example/claim") < second
    assert second < section.index("https://imagery.example/count")
    assert "Company claim" in section and "Satellite imagery" in section
    assert "150,000" not in section


def test_it_lists_the_cluster_events(client, colossus):
    events_with(colossus, 2, role="cluster")

    assert summaries(page(client)) == ["Event number 1", "Event number 0"]


def test_a_cluster_with_no_figures_says_so(client, colossus):
    make_observation(colossus, as_of=D(2024, 5, 31), gpus=None, note="land clearing begins")

    body = page(client)

    assert "No GPU count or power figure reported yet." in body
    assert "land clearing begins" in body  # still in the list of every report


def test_hostile_notes_and_sources_are_inert(client, colossus):
    make_observation(colossus, gpus=5, note="<script>alert(1)</script>",
                     source_url="javascript:alert(1)")  # fmt: skip

    body = page(client)

    assert "<script>alert" not in body and 'href="javascript:' not in body
    assert '5 GPUs, 1 Sep 2024: Press report <span class="meta">(no source given)' in body


@pytest.mark.parametrize("rows", [1, 40])
def test_its_queries_are_fixed_whatever_it_holds(client, colossus, rows, django_assert_num_queries):
    for n in range(rows):
        make_observation(colossus, as_of=D(2024, 1, 1) + datetime.timedelta(days=n),
                         gpus=1000 * (n + 1), power_mw=n + 1,
                         source_url=f"https://s{n % 3}.example/")  # fmt: skip
    events_with(colossus, rows, role="cluster")
    # Entity; cluster with its owner; observations; aliases; storylines; events and their
    # participants, evidence, storylines; the newest article; the weekly counters; the articles.
    with django_assert_num_queries(12):
        page(client)


# What counts as a conflict (apps.dashboard.conflicts) ------------------------------------------


SEPT_1 = D(2024, 9, 1)


def report(metric="gpus", day=SEPT_1, precision="day", value=100, source="a"):
    return Report(metric, day, precision, value, source, item=(metric, day, value, source))


def test_different_values_from_different_sources_for_one_day_conflict():
    found = conflicts([report(value=100, source="a"), report(value=120, source="b")])
    assert [[r.value for r in group] for group in found] == [[100, 120]]


def test_agreeing_reports_or_one_source_revising_itself_do_not():
    assert conflicts([report(value=100, source="a"), report(value=100, source="b")]) == []
    assert conflicts([report(value=100, source="a"), report(value=120, source="a")]) == []


def test_days_within_a_week_are_the_same_time_further_ones_are_not():
    near = [report(day=D(2024, 9, 1)), report(day=D(2024, 9, 8), value=120, source="b")]
    far = [report(day=D(2024, 9, 1)), report(day=D(2024, 9, 9), value=120, source="b")]
    assert len(conflicts(near)) == 1 and conflicts(far) == []


def test_a_steady_series_is_not_one_long_group():
    series = [report(day=D(2024, 9, 1) + datetime.timedelta(days=5 * n), value=n, source=str(n))
              for n in range(6)]  # fmt: skip
    # Each report is within a week of the next, but a group spans a week from its first day.
    assert all((group[-1].day - group[0].day).days <= 7 for group in conflicts(series))


def test_months_and_years_compare_with_their_own_precision_only():
    month = [report(day=D(2024, 9, 1), precision="month"),
             report(day=D(2024, 9, 1), precision="month", value=120, source="b")]  # fmt: skip
    assert len(conflicts(month)) == 1
    vague = [report(day=D(2024, 1, 1), precision="year"),
             report(day=D(2024, 9, 1), value=120, source="b")]  # fmt: skip
    assert conflicts(vague) == []


def test_metrics_are_compared_apart():
    assert conflicts([report(metric="gpus"), report(metric="power_mw", value=9, source="b")]) == []

import datetime

import pytest

from apps.events.rules.when import EventDate, event_date, find_dates

UTC = datetime.UTC
THU = datetime.datetime(2026, 2, 12, 15, 0, tzinfo=UTC)  # Thursday 12 February 2026
MON = datetime.datetime(2026, 2, 9, 9, 0, tzinfo=UTC)
JAN = datetime.datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
MAR = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
D = datetime.date


def only(sentence: str, published: datetime.datetime = THU) -> EventDate:
    found = find_dates(sentence, published=published)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "published", "expected", "text"),
    [
        ("Ba said on Feb. 10, 2026 that he is leaving.", THU, D(2026, 2, 10), "on Feb. 10, 2026"),
        ("It closed February 10, 2026.", THU, D(2026, 2, 10), "February 10, 2026"),
        ("It closed on 10 February 2026.", THU, D(2026, 2, 10), "on 10 February 2026"),
        ("Filed 2026-02-10, the suit says", THU, D(2026, 2, 10), "2026-02-10"),
        ("On Tuesday, Feb. 10, 2026, he quit.", THU, D(2026, 2, 10), "On Tuesday, Feb. 10, 2026"),
        ("It launched on the 3rd of March 2025.", THU, D(2025, 3, 3), "on the 3rd of March 2025"),
        ("It shipped Sept. 5, 2024.", THU, D(2024, 9, 5), "Sept. 5, 2024"),
    ],
)
def test_it_reads_explicit_days(sentence, published, expected, text):
    found = only(sentence, published)
    assert (found.date, found.precision, found.relative) == (expected, "day", False)
    assert sentence[found.start : found.end] == text
    assert not found.approximate


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        ("He left Feb 10 after a dispute.", THU, D(2026, 2, 10)),
        ("He left on Feb. 12, the company said.", THU, D(2026, 2, 12)),
        ("He left Feb 20 after a dispute.", THU, D(2025, 2, 20)),
        ("It was announced Dec. 30.", THU, D(2025, 12, 30)),
        ("It was announced on 30 December.", THU, D(2025, 12, 30)),
        ("It was signed Feb. 29.", MAR, D(2024, 2, 29)),
    ],
)
def test_it_puts_a_day_without_a_year_on_or_before_publication(sentence, published, expected):
    found = only(sentence, published)
    assert (found.date, found.precision, found.relative) == (expected, "day", True)


@pytest.mark.parametrize(
    ("sentence", "published", "expected", "approximate", "relative"),
    [
        ("The deal closed in February 2025.", THU, D(2025, 2, 1), False, False),
        ("It opened in Sept. 2024.", THU, D(2024, 9, 1), False, False),
        ("It opened in February of 2025.", THU, D(2025, 2, 1), False, False),
        ("It was founded in mid-February 2025.", THU, D(2025, 2, 1), True, False),
        ("He joined in February.", THU, D(2026, 2, 1), False, True),
        ("He joined in February.", JAN, D(2025, 2, 1), False, True),
        ("He joined last February.", THU, D(2025, 2, 1), False, True),
        ("He joined last February.", MAR, D(2026, 2, 1), False, True),
        ("He joined in early December.", JAN, D(2025, 12, 1), True, True),
        ("In May, OpenAI said it would.", THU, D(2025, 5, 1), False, True),
        ("The lab grew last month.", THU, D(2026, 1, 1), False, True),
        ("The lab grew last month.", JAN, D(2025, 12, 1), False, True),
        ("The lab said earlier this month it would.", THU, D(2026, 2, 1), False, True),
        ("Revenue tripled three months ago.", THU, D(2025, 11, 1), True, True),
    ],
)
def test_it_reads_months(sentence, published, expected, approximate, relative):
    found = only(sentence, published)
    assert (found.date, found.precision) == (expected, "month")
    assert (found.approximate, found.relative) == (approximate, relative)


@pytest.mark.parametrize(
    ("sentence", "expected", "relative"),
    [
        ("Kosic joined xAI in 2024.", D(2024, 1, 1), False),
        ("She has led the team since 2023.", D(2023, 1, 1), False),
        ("He worked there until 2021.", D(2021, 1, 1), False),
        ("The lab was set up circa 2019.", D(2019, 1, 1), False),
        ("The startup raised money last year.", D(2025, 1, 1), True),
        ("The startup raised money earlier this year.", D(2026, 1, 1), True),
        ("It went public two years ago.", D(2024, 1, 1), True),
    ],
)
def test_it_reads_years(sentence, expected, relative):
    found = only(sentence)
    assert (found.date, found.precision, found.relative) == (expected, "year", relative)


@pytest.mark.parametrize(
    ("sentence", "published", "expected", "text"),
    [
        ("Jimmy Ba said on Tuesday he is leaving.", THU, D(2026, 2, 10), "on Tuesday"),
        ("Jimmy Ba said Tuesday he is leaving.", THU, D(2026, 2, 10), "Tuesday"),
        ("The outage began on Monday night.", THU, D(2026, 2, 9), "on Monday night"),
        ("The board met on Thursday.", THU, D(2026, 2, 12), "on Thursday"),
        ("The board met on Friday.", THU, D(2026, 2, 6), "on Friday"),
        ("The board met last Thursday.", THU, D(2026, 2, 5), "last Thursday"),
        ("Officials said Sunday's launch went well.", MON, D(2026, 2, 8), "Sunday"),
        ("It was cut yesterday.", THU, D(2026, 2, 11), "yesterday"),
        ("It was cut today.", THU, D(2026, 2, 12), "today"),
        ("It was cut last night.", THU, D(2026, 2, 11), "last night"),
        ("It was cut the day before yesterday.", THU, D(2026, 2, 10), "the day before yesterday"),
        ("It was cut three days ago.", THU, D(2026, 2, 9), "three days ago"),
    ],
)
def test_it_reads_days_relative_to_publication(sentence, published, expected, text):
    found = only(sentence, published)
    assert (found.date, found.precision, found.relative) == (expected, "day", True)
    assert sentence[found.start : found.end] == text
    assert not found.approximate


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        ("The startup raised money this week.", THU, D(2026, 2, 9)),
        ("The startup said earlier this week it would.", THU, D(2026, 2, 9)),
        ("The startup raised money last week.", THU, D(2026, 2, 2)),
        ("The startup raised money last week.", MON, D(2026, 2, 2)),
        ("The deal was agreed over the weekend.", MON, D(2026, 2, 7)),
        ("The deal was agreed two weeks ago.", THU, D(2026, 1, 29)),
        ("The lab said around Feb. 10 it would.", THU, D(2026, 2, 10)),
    ],
)
def test_it_reads_weeks_as_approximate_days(sentence, published, expected):
    found = only(sentence, published)
    assert (found.date, found.precision, found.approximate) == (expected, "day", True)


@pytest.mark.parametrize(
    ("sentence", "published", "expected", "relative", "text"),
    [
        ("Kyle Kosic left in mid-2024.", THU, D(2024, 7, 1), False, "in mid-2024"),
        ("It launched early 2025.", THU, D(2025, 3, 1), False, "early 2025"),
        ("It launched in late 2023.", THU, D(2023, 11, 1), False, "in late 2023"),
        ("It launched late last year.", THU, D(2025, 11, 1), True, "late last year"),
        ("It launched at the end of last year.", THU, D(2025, 12, 1), True, "the end of last year"),
        ("It began in the spring of 2024.", THU, D(2024, 4, 1), False, "in the spring of 2024"),
        ("It began in summer 2023.", THU, D(2023, 7, 1), False, "in summer 2023"),
        ("It began in the fall of 2022.", THU, D(2022, 10, 1), False, "in the fall of 2022"),
        ("It began in winter 2024.", THU, D(2024, 1, 1), False, "in winter 2024"),
        (
            "Sales rose in the second half of 2024.",
            THU,
            D(2024, 10, 1),
            False,
            "in the second half of 2024",
        ),
        ("Sales rose in Q2 2024.", THU, D(2024, 5, 1), False, "in Q2 2024"),
        (
            "Sales rose in the first quarter of 2025.",
            THU,
            D(2025, 2, 1),
            False,
            "in the first quarter of 2025",
        ),
        ("Sales rose in H1 2025.", THU, D(2025, 4, 1), False, "in H1 2025"),
        ("It started in early 2026.", THU, D(2026, 2, 1), False, "in early 2026"),
    ],
)
def test_it_reads_parts_of_a_year_as_approximate_months(
    sentence, published, expected, relative, text
):
    found = only(sentence, published)
    assert (found.date, found.precision, found.approximate) == (expected, "month", True)
    assert found.relative == relative
    assert sentence[found.start : found.end] == text


@pytest.mark.parametrize(
    ("sentence", "expected", "precision"),
    [
        ("It will ship Grok 5 next month.", D(2026, 3, 1), "month"),
        ("It will ship Grok 5 next year.", D(2027, 1, 1), "year"),
        ("It will ship Grok 5 next week.", D(2026, 2, 16), "day"),
        ("It will ship Grok 5 next Tuesday.", D(2026, 2, 17), "day"),
        ("It will ship Grok 5 tomorrow.", D(2026, 2, 13), "day"),
        ("It plans to ship Grok 5 by 2030.", D(2030, 1, 1), "year"),
        ("It plans to ship Grok 5 in late 2026.", D(2026, 11, 1), "month"),
        ("It plans to ship Grok 5 this June.", D(2026, 6, 1), "month"),
    ],
)
def test_it_dates_plans_after_publication(sentence, expected, precision):
    found = only(sentence)
    assert (found.date, found.precision) == (expected, precision)


@pytest.mark.parametrize(
    "sentence",
    [
        "xAI released Grok 3 to paying users.",
        "The cluster runs on H100 and H200 chips.",
        "Colossus 2 will hold 2,000 GPUs.",
        "The company booked $2024 million in revenue.",
        "Section 2025 of the act applies.",
        "Colossus 2 is in Memphis.",
        "Call the press office on 555-201-2024 or +1 (415) 555-2024.",
        "Musk spent heavily on the 2024 election.",
        "The 300-page filing runs to 2024 pages.",
        "It invested in 2,000 GPUs.",
        "The firm employs about 2000 people.",
        "Revenue grew 2024% in a quarter.",
        "Last year's model was slower.",
        "Jan Leike said he disagreed.",
        "Theresa May said nothing.",
        "Musk met him at Mar-a-Lago.",
        "It may march on regardless.",
        "It shipped version 2024.1 of the SDK.",
        "The lab has hired aggressively in recent weeks.",
        "Engineers have recently left.",
        "It will ship later this year.",
        "Output rose 3.5% to 12,500 units.",
    ],
)
def test_it_finds_no_date_in_things_that_are_not_dates(sentence):
    assert find_dates(sentence, published=THU) == []


MAY = datetime.datetime(2026, 5, 20, 9, 0, tzinfo=UTC)
DEC = datetime.datetime(2025, 12, 10, 9, 0, tzinfo=UTC)
SEP = datetime.datetime(2026, 9, 15, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("sentence", "published", "expected", "text"),
    [
        ("It raised money in the spring.", THU, D(2025, 4, 1), "in the spring"),
        ("It raised money in spring.", THU, D(2025, 4, 1), "in spring"),
        ("In the fall, xAI raised $6 billion.", THU, D(2025, 10, 1), "In the fall"),
        ("Over the summer, the lab hired 200 engineers.", THU, D(2025, 7, 1), "Over the summer"),
        ("During the winter, turbines ran unpermitted.", THU, D(2026, 1, 1), "During the winter"),
        ("It closed the round in late spring.", THU, D(2025, 5, 1), "in late spring"),
        ("It closed the round in early summer.", THU, D(2025, 6, 1), "in early summer"),
        ("It closed the round in the spring.", MAY, D(2026, 4, 1), "in the spring"),
        (
            "It closed the round sometime in the spring.",
            MAY,
            D(2026, 4, 1),
            "sometime in the spring",
        ),
        ("It raised money last autumn.", THU, D(2025, 10, 1), "last autumn"),
        ("It raised money this past fall.", THU, D(2025, 10, 1), "this past fall"),
        ("Last summer, Ba joined xAI.", THU, D(2025, 7, 1), "Last summer"),
        ("It raised money last spring.", MAY, D(2025, 4, 1), "last spring"),
        ("It raised money last winter.", DEC, D(2025, 1, 1), "last winter"),
        ("It raised money last summer.", SEP, D(2026, 7, 1), "last summer"),
        ("It raised money earlier this winter.", THU, D(2026, 1, 1), "earlier this winter"),
        ("It will ship Grok 5 this summer.", THU, D(2026, 7, 1), "this summer"),
        ("It will ship Grok 5 this winter.", DEC, D(2025, 12, 1), "this winter"),
        ("It will ship Grok 5 this winter.", SEP, D(2027, 1, 1), "this winter"),
        ("It will ship Grok 5 next spring.", MAY, D(2027, 4, 1), "next spring"),
        ("The site will open by the summer.", THU, D(2026, 7, 1), "by the summer"),
        ("It expects to close the round in the spring.", THU, D(2026, 4, 1), "in the spring"),
        ("It will ship in the autumn.", MAY, D(2026, 10, 1), "in the autumn"),
        ("xAI's spring reorganisation cut jobs.", THU, D(2025, 4, 1), "spring"),
    ],
)
def test_it_reads_seasons_without_a_year_as_approximate_months(sentence, published, expected, text):
    found = only(sentence, published)
    assert (found.date, found.precision, found.approximate) == (expected, "month", True)
    assert found.relative
    assert sentence[found.start : found.end] == text


@pytest.mark.parametrize(
    ("sentence", "published", "expected", "text"),
    [
        ("He decided to leave in March.", THU, D(2026, 3, 1), "in March"),
        ("He will leave xAI in March.", THU, D(2026, 3, 1), "in March"),
        ("He'll step down at the end of March.", THU, D(2026, 3, 1), "the end of March"),
        ("She agreed to join in March.", THU, D(2026, 3, 1), "in March"),
        ("The company said it would open the site in March.", THU, D(2026, 3, 1), "in March"),
        ("xAI is set to close the round in April.", THU, D(2026, 4, 1), "in April"),
        (
            "It plans to leave Memphis around the end of March.",
            DEC,
            D(2026, 3, 1),
            "around the end of March",
        ),
        ("He will leave in January.", THU, D(2027, 1, 1), "in January"),
        ("He decided to leave in January.", THU, D(2026, 1, 1), "in January"),
        # The plan does not govern the date.
        (
            "The reorganisation was completed around the end of March.",
            DEC,
            D(2025, 3, 1),
            "around the end of March",
        ),
        ("He said in March that he would leave.", THU, D(2025, 3, 1), "in March"),
        ("He will leave xAI, which raised money in March.", THU, D(2025, 3, 1), "in March"),
        ("He would later say the deal closed in March.", THU, D(2025, 3, 1), "in March"),
        ("It was delayed due to problems in March.", THU, D(2025, 3, 1), "in March"),
    ],
)
def test_it_reads_a_bare_month_a_plan_governs_as_the_planned_month(
    sentence, published, expected, text
):
    found = only(sentence, published)
    assert (found.date, found.precision) == (expected, "month")
    assert sentence[found.start : found.end] == text


@pytest.mark.parametrize(
    ("sentence", "expected", "precision", "text"),
    [
        ("Last month's reorganisation cut 40 jobs.", D(2026, 1, 1), "month", "Last month"),
        ("This month's raise was its largest.", D(2026, 2, 1), "month", "This month"),
        ("Last week's layoffs hit 500 staff.", D(2026, 2, 2), "day", "Last week"),
        ("Yesterday's announcement surprised staff.", D(2026, 2, 11), "day", "Yesterday"),
        ("Musk's March reorganisation cut 40 jobs.", D(2025, 3, 1), "month", "March"),
        ("Its January round valued it at $50bn.", D(2026, 1, 1), "month", "January"),
        ("The December filing named Ba.", D(2025, 12, 1), "month", "December"),
        ("January's raise was its largest.", D(2026, 1, 1), "month", "January's"),
        ("It will meet its March deadline.", D(2026, 3, 1), "month", "March"),
    ],
)
def test_it_reads_possessive_and_attributive_dates(sentence, expected, precision, text):
    found = only(sentence)
    assert (found.date, found.precision) == (expected, precision)
    assert sentence[found.start : found.end] == text


@pytest.mark.parametrize(
    "sentence",
    [
        "Shares saw a fall in revenue.",
        "The fall of the old guard was swift.",
        "Summer Johnson joined xAI.",
        "The company hired Spring Health's chief executive.",
        "The summer interns left.",
        "The May government fell.",
        "The March of Dimes gave money.",
        "It said April Smith would lead the team.",
        "Musk's team shipped it.",
    ],
)
def test_it_finds_no_date_in_seasons_and_months_that_are_not_dates(sentence):
    assert find_dates(sentence, published=THU) == []


def test_it_uses_the_publication_day_in_utc():
    tokyo = datetime.timezone(datetime.timedelta(hours=9))
    published = datetime.datetime(2026, 2, 13, 1, 0, tzinfo=tokyo)  # 12 Feb 16:00 UTC
    assert only("He quit today.", published).date == D(2026, 2, 12)
    assert only("He quit today.", datetime.datetime(2026, 2, 12, 23, 0)).date == D(2026, 2, 12)


def test_it_prefers_the_longest_expression_where_two_overlap():
    sentence = "He left late last year, on Tuesday, Feb. 10, 2026, or so it said."
    texts = [sentence[d.start : d.end] for d in find_dates(sentence, published=THU)]
    assert texts == ["late last year", "on Tuesday, Feb. 10, 2026"]


def test_it_lists_every_date_in_order():
    sentence = "Ba, who joined in 2023, said on Tuesday that he left last week."
    found = find_dates(sentence, published=THU)
    assert [d.date for d in found] == [D(2023, 1, 1), D(2026, 2, 10), D(2026, 2, 2)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Jimmy Ba, who co-founded xAI in 2023, said on Tuesday he is leaving.", D(2026, 2, 10)),
        ("On Feb. 10, he said he had resigned last week.", D(2026, 2, 10)),
        ("He left in 2025 after joining in 2021.", D(2025, 1, 1)),
        ("It raised money in January and will list next year.", D(2026, 1, 1)),
        ("It raised money in mid-2024 and again in 2025.", D(2024, 7, 1)),
        ("It will release Grok 5 next month.", D(2026, 3, 1)),
        ("It will release Grok 5 next month or next year.", D(2026, 3, 1)),
    ],
)
def test_it_picks_the_most_precise_date_not_after_publication(sentence, expected):
    found = event_date(sentence, published=THU)
    assert found is not None
    assert found.date == expected


def test_it_returns_none_without_a_date():
    assert event_date("xAI's Colossus cluster runs 200,000 GPUs.", published=THU) is None

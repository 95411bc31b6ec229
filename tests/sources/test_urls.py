import pytest

from apps.sources.parsers.urls import canonicalize_url, resolve_url


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://News.Example.COM/Story", "https://news.example.com/Story"),
        ("https://news.example", "https://news.example/"),
        ("http://news.example:80/a", "http://news.example/a"),
        ("https://news.example:443/a", "https://news.example/a"),
        ("https://news.example:8443/a", "https://news.example:8443/a"),
        ("https://news.example/a#comments", "https://news.example/a"),
        ("https://user:secret@news.example/a", "https://news.example/a"),
        ("https://news.example./a", "https://news.example/a"),
        ("https://bücher.example/a", "https://xn--bcher-kva.example/a"),
        ("http://[2001:DB8::1]:8080/a", "http://[2001:db8::1]:8080/a"),
        ("  https://news.example/a b\n", "https://news.example/a%20b"),
        (
            "https://news.example/a?utm_source=rss&id=7&fbclid=x&utm_medium=feed&page=2",
            "https://news.example/a?id=7&page=2",
        ),
        (
            "https://news.example/a?gclid=1&dclid=2&msclkid=3&mc_cid=4&mc_eid=5&igshid=6&yclid=7",
            "https://news.example/a",
        ),
        (
            "https://news.example/a?_hsenc=1&_hsmi=2&ref=3&ref_src=4&cmpid=5&at_medium=6&at_campaign=7",
            "https://news.example/a",
        ),
        ("https://news.example/a?UTM_Source=x&q=a%20b&&", "https://news.example/a?q=a%20b"),
        ("https://news.example/a?b=2&a=1", "https://news.example/a?b=2&a=1"),
        (
            "https://news.example/a?reference=1&atlas=2",
            "https://news.example/a?reference=1&atlas=2",
        ),
    ],
)
def test_it_canonicalizes_urls(url: str, canonical: str) -> None:
    assert canonicalize_url(url) == canonical
    assert canonicalize_url(canonical) == canonical


@pytest.mark.parametrize(
    "url",
    [
        "",
        "ftp://news.example/a",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "feed://news.example/rss",
        "mailto:tips@news.example",
        "http:///no-host",
        "https://news.example:99999/",
        "https://news.example:port/",
        "//news.example/a",
        "/relative",
    ],
)
def test_it_refuses_anything_but_web_urls(url: str) -> None:
    assert canonicalize_url(url) == ""


@pytest.mark.parametrize(
    ("href", "resolved"),
    [
        ("/about", "https://news.example/about"),
        ("next", "https://news.example/2025/next"),
        ("?page=2", "https://news.example/2025/story?page=2"),
        ("//cdn.example/x.png", "https://cdn.example/x.png"),
        ("http://other.example/a", "http://other.example/a"),
        ("  https://other.example/a\n", "https://other.example/a"),
    ],
)
def test_it_resolves_links(href: str, resolved: str) -> None:
    assert resolve_url(href, base="https://news.example/2025/story") == resolved


@pytest.mark.parametrize(
    "href",
    [
        "",
        "javascript:alert(1)",
        "jav\tascript:alert(1)",
        " JAVASCRIPT:alert(1)",
        "\x01javascript:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "mailto:a@news.example",
        "file:///etc/passwd",
        "https://news.example:bad/",
        "http:///no-host",
    ],
)
def test_it_resolves_only_to_web_urls(href: str) -> None:
    assert resolve_url(href, base="https://news.example/2025/story") == ""


def test_it_needs_a_web_base_for_relative_links() -> None:
    assert resolve_url("/about", base="") == ""
    assert resolve_url("/about", base="file:///etc/") == ""

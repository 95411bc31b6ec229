import subprocess
import sys
import timeit
from pathlib import Path

from apps.sources.parsers.dedup import (
    NEAR_DUPLICATE_THRESHOLD,
    band_values,
    content_hash,
    minhash_signature,
    similarity,
)
from apps.sources.parsers.extract import extract

ROOT = Path(__file__).resolve().parent.parent.parent
PAGES = ROOT / "tests" / "fixtures" / "pages"


def article_text(name: str) -> str:
    result = extract((PAGES / name).read_bytes(), url="https://news.example/a")
    assert result is not None
    return result.text


HALCYON = article_text("halcyon_gpu_campus.html")
MERIDIAN = article_text("meridian_cofounder_departs.html")
# Another story on the same topic (a GPU campus and its power deal), in other words.
SAME_TOPIC = (
    "Northwind Compute said on Monday that it would add a third building to its training campus "
    "in Tennessee after reaching a supply agreement with the regional utility for 250 megawatts. "
    "The company, which rents most of its capacity to model developers, has struggled to secure "
    "enough power for the accelerators it has already ordered. Executives said the new building "
    "would house liquid-cooled racks and open late next year if transformers arrive on schedule. "
    "The utility will build a new substation, paid for in part by Northwind, and the county "
    "approved the plans after residents asked about noise and water use at two public hearings. "
    "Analysts said independent operators are racing to lock in grid capacity because chips are "
    "no longer the scarcest input: transmission upgrades and switchgear now take years to "
    "deliver. Northwind did not say how much the expansion would cost or which chips it would "
    "buy, but people familiar with its plans said it had raised debt backed by its hardware."
)


def test_it_hashes_typographic_variants_alike() -> None:
    plain = "Halcyon's CEO said: \"It's the substation\" - not the chips."
    fancy = (
        "HALCYON\u2019S CEO said: \u201cIt\u2019s the  substation\u201d \u2014 not the chips\u2026"
    )
    assert content_hash(plain) == content_hash(fancy)
    assert len(content_hash(plain)) == 64


def test_it_hashes_different_texts_apart() -> None:
    assert content_hash(HALCYON) != content_hash(MERIDIAN)
    assert content_hash("a b c") != content_hash("a b d")


def test_it_signs_with_64_little_endian_values() -> None:
    signature = minhash_signature(HALCYON)
    assert len(signature) == 64 * 8
    assert minhash_signature(HALCYON) == signature


def test_it_signs_short_texts_too() -> None:
    assert len(minhash_signature("Halcyon expands")) == 512
    assert (
        similarity(minhash_signature("Halcyon expands"), minhash_signature("halcyon EXPANDS!")) == 1
    )


def test_it_gives_empty_texts_no_signature_and_no_bands() -> None:
    assert minhash_signature("") == b""
    assert minhash_signature(" \n -- ") == b""
    assert band_values(b"") == []
    assert similarity(b"", b"") == 0


def test_it_finds_an_edited_copy_a_near_duplicate() -> None:
    sentences = HALCYON.split(". ")
    sentences[0] = "In a statement on Friday, Halcyon Labs announced a major expansion in Ohio"
    sentences[5] = sentences[5].replace("Developers", "Builders")
    edited = ". ".join(sentences) + " (Additional reporting by the wire desk.)"
    score = similarity(minhash_signature(HALCYON), minhash_signature(edited))
    assert score >= NEAR_DUPLICATE_THRESHOLD
    assert set(band_values(minhash_signature(HALCYON))) & set(
        band_values(minhash_signature(edited))
    )


def test_it_tells_different_articles_on_one_topic_apart() -> None:
    halcyon = minhash_signature(HALCYON)
    assert similarity(halcyon, minhash_signature(SAME_TOPIC)) < 0.3
    assert similarity(halcyon, minhash_signature(MERIDIAN)) < 0.3


def test_it_bands_into_16_bigints() -> None:
    bands = band_values(minhash_signature(HALCYON))
    assert len(bands) == 16
    assert all(-(2**63) <= band < 2**63 for band in bands)
    assert len(set(bands)) == 16


def test_it_bands_the_same_in_another_process() -> None:
    code = (
        "from apps.sources.parsers.dedup import band_values, minhash_signature;"
        "print(band_values(minhash_signature('the same story told twice in two outlets')))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert output.strip() == str(
        band_values(minhash_signature("the same story told twice in two outlets"))
    )


def test_it_signs_a_1000_word_article_in_about_a_millisecond() -> None:
    words = (HALCYON.split() * 2)[:1000]
    text = " ".join(words)
    seconds = min(timeit.repeat(lambda: minhash_signature(text), number=20, repeat=3)) / 20
    assert seconds < 0.005

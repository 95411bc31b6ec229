"""Bytes for the bytes-level fuzz runs: a real document from a seed corpus, mutated a few times
by flips, insertions of tokens that parsers treat specially, deletions, splices with another
document, repetitions and raw `st.binary()` chunks."""

from hypothesis import strategies as st

# Bytes that mean something to a decoder or a parser: BOMs, invalid and overlong UTF-8, an
# encoded surrogate, markup that opens and never closes, entity declarations, script.
TOKENS = (
    *(b"\x00", b"\xff", b"\xfe\xff", b"\xff\xfe", b"\xef\xbb\xbf", b"\xc3", b"\xc0\x80"),
    *(b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"<", b">", b"&", b"&#0;", b"&#xd800;", b"]]>"),
    *(b"<![CDATA[", b"<!--", b"<!ENTITY x 'y'>", b"<!DOCTYPE x [", b"</item>", b"<item>"),
    *(b"<author>", b"</author>", b"<b/>", b"<entry>", b"</channel>", b"<outline xmlUrl='"),
    *(b"a" * 3000, b"&#97;" * 600, b'"', b"'", b"{", b"}", b"[", b"\\u0000", b"\\ud800"),
    *(b"javascript:", b"<script>", b"<svg onload=x>", b'encoding="utf-16"', b"\r\n", b"\x1b"),
    *(b"<ul><li>" * 300, b"&amp;" * 3000, b"http://127.0.0.1/", b"<meta charset=utf-16>"),
)
MAX_SIZE = 400_000


@st.composite
def mutated(draw: st.DrawFn, corpus: tuple[bytes, ...]) -> bytes:
    data = bytearray(draw(st.sampled_from(corpus)))
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data)))
        step = draw(st.sampled_from(("flip", "token", "delete", "splice", "repeat", "binary")))
        if step == "flip" and at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif step == "token":
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif step == "delete":
            del data[at : at + draw(st.integers(1, 200))]
        elif step == "splice":
            other = draw(st.sampled_from(corpus))
            start = draw(st.integers(0, len(other)))
            data[at:at] = other[start : start + draw(st.integers(1, 2000))]
        elif step == "repeat":
            chunk = bytes(data[at : at + draw(st.integers(1, 64))])
            data[at:at] = chunk * draw(st.integers(1, 2000))
        elif step == "binary":
            data[at:at] = draw(st.binary(max_size=64))
    return bytes(data[:MAX_SIZE])

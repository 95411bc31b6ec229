"""What the Content Security Policy in settings needs computed: the hashes of our mail's styles.

A digest mail carries its styles in style="" attributes, as mail clients need. The digest preview
page shows that mail in a sandboxed srcdoc iframe, which inherits the page's policy; rather than
allow every inline style, the policy allows exactly the declarations our mail templates use, by
hash (CSP's 'unsafe-hashes'). They are read from the templates, so the two never drift apart.
"""

import base64
import hashlib
import re
from pathlib import Path

# Our mail templates write every style attribute with double quotes and no template tag inside.
_STYLE_ATTRIBUTE = re.compile(r'\bstyle="([^"{}]*)"')


def style_attribute_hashes(folder: Path) -> list[str]:
    """'sha256-…' sources for every distinct style="…" value in the folder's HTML templates."""
    values: set[str] = set()
    for template in sorted(folder.glob("*.html")):
        values.update(_STYLE_ATTRIBUTE.findall(template.read_text(encoding="utf-8")))
    return [_sha256_source(value) for value in sorted(values)]


def _sha256_source(value: str) -> str:
    digest = hashlib.sha256(value.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"

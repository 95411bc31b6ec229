"""Secrets come from the environment only.

Production settings refuse to load without a SECRET_KEY of their own, and no file of the
repository outside the tests holds a secret-looking literal, except the few listed in KNOWN
with the reason each is no secret.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEV_KEY = "labintel-embedded-development-key-not-for-production"

# (file, literal): why it is in the repository and why it is harmless.
KNOWN = {
    # The embedded default's key: used only with DEBUG on, and refused when DEBUG is off
    # (test_it_refuses_the_development_key_in_production).
    ("labintel/settings.py", DEV_KEY),
    # collectstatic at image build needs some key; the image never serves with it.
    ("Dockerfile", "build-time-collectstatic-only-not-a-secret"),
    # Compose's own database, reachable only on the compose network (no port is published).
    ("docker-compose.yml", "labintel"),
    # The README's example of a DATABASE_URL.
    ("README.md", "secret"),
}

_NAME = r"(?:secret[_-]?key|secret|passw(?:or)?d|api[_-]?key|access[_-]?key|auth[_-]?token|token)"
# NAME = "literal", in any file.
_QUOTED = re.compile(rf"\b\w*{_NAME}\b['\"]?\s*[:=]\s*['\"]([^'\"\s]{{6,}})['\"]", re.I)
# NAME: literal or NAME=literal, in configuration (YAML, env files, Dockerfile, shell); in
# Python a bare word there is a variable, not a literal.
_BARE = re.compile(rf"(?:^|\s)\w*{_NAME}\s*[:=]\s*([^\s'\"${{#][^\s#]{{5,}})", re.I)
SHAPES = [
    # A password inside a URL: scheme://user:password@host.
    re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@]+:([^@\s/]+)@"),
    # Well-known token formats.
    re.compile(r"\b(AKIA[0-9A-Z]{16})\b"),
    re.compile(r"\b(gh[pousr]_[A-Za-z0-9]{30,})\b"),
    re.compile(r"\b(xox[abprs]-[A-Za-z0-9-]{10,})"),
    re.compile(r"\b(sk-[A-Za-z0-9_-]{20,})"),
    re.compile(r"(-----BEGIN [A-Z ]*PRIVATE KEY-----)"),
]
PLACEHOLDERS = {"password"}  # postgres://user:password@host in the docs


def secret_literals(text: str, *, python: bool) -> list[str]:
    """The secret-looking literals of a file's text."""
    shapes = [_QUOTED, *SHAPES] if python else [_QUOTED, _BARE, *SHAPES]
    found = []
    for line in text.splitlines():
        for shape in shapes:
            found += [m.group(1) for m in shape.finditer(line) if m.group(1) not in PLACEHOLDERS]
    return found


def repository_files() -> list[Path]:
    """Tracked files and new ones git does not ignore, tests and generated data aside."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    return [
        ROOT / name
        for name in listed
        if not name.startswith(("tests/", "bench/results/"))
        and (ROOT / name).is_file()
        and not name.endswith((".png", ".svg", ".ico", ".woff2", ".lock"))
    ]


def test_no_file_outside_the_tests_holds_a_secret():
    unexpected = []
    for path in repository_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        name = path.relative_to(ROOT).as_posix()
        literals = secret_literals(text, python=name.endswith(".py"))
        unexpected += [f"{name}: {value}" for value in literals if (name, value) not in KNOWN]
    assert unexpected == []


def test_it_reads_more_than_a_handful_of_files():
    names = {path.relative_to(ROOT).as_posix() for path in repository_files()}
    assert {"labintel/settings.py", "docker-compose.yml", "Dockerfile", ".env.example"} <= names
    assert len(names) > 100 and not any(name.startswith("tests/") for name in names)


def test_every_known_literal_is_still_there():
    # A stale entry would let the same literal back into that file unnoticed.
    for name, literal in KNOWN:
        text = (ROOT / name).read_text(encoding="utf-8")
        assert literal in secret_literals(text, python=name.endswith(".py")), name


@pytest.mark.parametrize(
    ("python", "line"),
    [
        (True, 'SECRET_KEY = "django-insecure-9x!k2m@q7#w"'),
        (True, "EMAIL_HOST_PASSWORD = 'hunter2hunter2'"),
        (False, "    API_KEY: sk_live_51HvQ2c"),
        (False, "export REDIS_PASSWORD=correct-horse-battery"),
        (False, "RUN SECRET_KEY=abcdef123456 python manage.py collectstatic"),
        (False, "DATABASE_URL=postgres://app:s3cr3t-pass@db.internal:5432/app"),
        (True, 'headers = {"Authorization": "token ghp_abcdefghijklmnopqrstuvwxyz0123456789"}'),
        (False, "aws_access_key_id = AKIAIOSFODNN7EXAMPLE"),
        (False, "-----BEGIN RSA PRIVATE KEY-----"),
        (True, 'client = OpenAI(api_key="sk-proj-abcdefghijklmnopqrstuvwx")'),
        (False, "SLACK_TOKEN: xoxb-1234567890-abcdefghij"),
    ],
)
def test_it_finds_a_secret_written_in(python, line):
    assert secret_literals(line, python=python), line


@pytest.mark.parametrize(
    ("python", "line"),
    [
        (True, 'SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else "")'),
        (True, 'EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")'),
        (True, "token = make_token(purpose, subscriber)"),
        (True, "claim_token: uuid.UUID,"),
        (True, "password = form.cleaned_data['password']"),
        (False, "  SECRET_KEY: ${SECRET_KEY:?set SECRET_KEY in the environment}"),
        (False, "# SECRET_KEY="),
        (False, "# Any dj-database-url URL; postgres://user:password@host:5432/name."),
    ],
)
def test_it_lets_what_only_names_a_secret_be(python, line):
    assert secret_literals(line, python=python) == [], line


# --- Settings refuse to start without a key of their own --------------------------------------


def load_settings(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Import the settings module in a clean environment: nothing of this shell leaks in."""
    return subprocess.run(
        [sys.executable, "-c", "import labintel.settings"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "LABINTEL_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_it_refuses_to_start_in_production_without_a_secret_key(tmp_path):
    result = load_settings({"DEBUG": "false", "ALLOWED_HOSTS": "example.org"}, tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_it_refuses_the_development_key_in_production(tmp_path):
    env = {"DEBUG": "false", "SECRET_KEY": DEV_KEY, "ALLOWED_HOSTS": "example.org"}
    result = load_settings(env, tmp_path)
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_it_starts_in_production_with_a_key_from_the_environment(tmp_path):
    env = {"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org"}
    assert load_settings(env, tmp_path).returncode == 0

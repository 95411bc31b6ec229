"""`make audit` (.ci/audit.py): a known vulnerability fails it, and a pin nothing could check is
never reported as clean.

PyPI is played by a loopback server (no test leaves the machine); pip-audit's own half, which
only talks to pypi.org, is covered through the report it writes.
"""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.httpserver import LoopbackServer, Reply

# The audit is CI's own script, not part of the app: load it from its file.
_spec = importlib.util.spec_from_file_location(
    "audit", Path(__file__).parents[1] / ".ci" / "audit.py"
)
assert _spec and _spec.loader
audit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(audit)
pins, read_pip_audit = audit.pins, audit.read_pip_audit

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def pypi():
    server = LoopbackServer().start()
    yield server
    server.stop()


def project(server: LoopbackServer, name: str, latest: str, advisories: list[str]) -> None:
    page = {
        "info": {"name": name, "version": latest},
        "vulnerabilities": [{"id": id, "fixed_in": [], "withdrawn": None} for id in advisories],
    }
    server.route(f"/pypi/{name}/json", Reply(200, json.dumps(page).encode()))


def audit(tmp_path: Path, pypi: LoopbackServer, requirements: str, **env: str):
    path = tmp_path / "requirements.txt"
    path.write_text(requirements)
    command = [sys.executable, ".ci/audit.py", "-r", str(path), "--no-pip-audit"]
    return subprocess.run(
        [*command, "--pypi-url", pypi.url("/pypi")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", **env},
        timeout=60,
        check=False,
    )


def test_it_fails_on_a_pin_with_a_known_vulnerability(tmp_path, pypi):
    project(pypi, "oldcrypto", "2.6.1", ["PYSEC-2017-94"])
    project(pypi, "fine", "1.0", [])

    result = audit(tmp_path, pypi, "oldcrypto==2.6.1\nfine==1.0\n")

    assert result.returncode == 1
    assert "VULNERABLE oldcrypto==2.6.1: PYSEC-2017-94" in result.stdout
    assert "1 checked clean, 1 vulnerable, 0 NOT AUDITED" in result.stdout


def test_it_passes_pins_that_are_the_latest_release_with_no_advisory(tmp_path, pypi):
    project(pypi, "fine", "1.0", [])
    result = audit(tmp_path, pypi, "fine==1.0\n")
    assert result.returncode == 0
    assert "1 checked clean, 0 vulnerable, 0 NOT AUDITED" in result.stdout
    assert "!!!" not in result.stdout


def test_an_older_pin_is_not_audited_by_the_latest_release_advisories(tmp_path, pypi):
    # The project page's advisories are the latest release's: they say nothing of 4.2.0.
    project(pypi, "django", "6.1.3", [])

    result = audit(tmp_path, pypi, "Django==4.2.0\n")

    assert "0 checked clean" in result.stdout
    assert "NOT AUDITED django==4.2.0: no advisory service answered" in result.stdout
    assert "!!! 1 of 1 pins could not be checked" in result.stdout
    assert result.returncode == 0


def test_strict_mode_fails_what_it_could_not_audit(tmp_path, pypi):
    project(pypi, "django", "6.1.3", [])
    result = audit(tmp_path, pypi, "Django==4.2.0\n", AUDIT_STRICT="1")
    assert result.returncode == 1


def test_an_unreachable_service_audits_nothing_and_says_so(tmp_path, pypi):
    result = audit(tmp_path, pypi, "fine==1.0\n")  # no route: 404 for every project
    assert "NOT AUDITED fine==1.0: PyPI's project page did not answer" in result.stdout
    assert "0 checked clean" in result.stdout


def test_it_reads_the_pins_of_both_requirements_files_and_their_includes():
    found = pins(ROOT / "requirements-dev.txt")
    assert found["django"] == "5.2.19" and found["psycopg"] == "3.3.9"  # from the -r include
    assert found["pip-audit"] == "2.10.1" and found["django-csp"]


def test_it_refuses_a_requirement_that_is_not_an_exact_pin(tmp_path):
    path = tmp_path / "requirements.txt"
    path.write_text("django>=5\n")
    with pytest.raises(SystemExit, match="not an exact pin"):
        pins(path)


def test_it_takes_pip_audits_verdict_where_pip_audit_could_check():
    report = {
        "dependencies": [
            {"name": "Django", "version": "4.2.0", "vulns": [{"id": "PYSEC-2023-100"}]},
            {"name": "nh3", "version": "0.3.8", "vulns": []},
            {"name": "celery", "skip_reason": "Dependency not found on PyPI"},
        ]
    }
    vulnerable, checked = read_pip_audit(report)
    assert vulnerable == {"django": ["PYSEC-2023-100"]}
    assert checked == {"django", "nh3"}

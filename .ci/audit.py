"""Known-vulnerability audit of the pinned requirements: `make audit`, run by CI.

pip-audit asks PyPI for the advisories of each pinned release (`/pypi/NAME/VERSION/json`) and
its verdict stands wherever that answers. Where it cannot (on our build machines the registry
proxy answers that per-release endpoint with 404 and OSV is unreachable, so pip-audit reports
every pin as "could not be audited" and exits 0), PyPI's project page (`/pypi/NAME/json`) still
lists the advisories of the project's latest release: for a pin that *is* the latest release
that is an exact answer; for an older pin it says nothing, and the pin is reported NOT AUDITED.

Exit status 1 when any pin has a known vulnerability. A pin nothing could check is never
counted as clean: each gets a loud NOT AUDITED line and the summary says how many; with
AUDIT_STRICT=1 (for a machine that reaches an advisory service) they fail the audit too.

Usage: python .ci/audit.py [-r FILE ...] [--pypi-url URL] [--no-pip-audit]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parents[1]
PYPI = "https://pypi.org/pypi"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;#]+)")


def canonical(name: str) -> str:
    """PEP 503's spelling of a project name: how PyPI and pip-audit name it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    """name -> pinned version of a requirements file, following `-r` includes."""
    found: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #")[0].strip()
        if line.startswith(("-r ", "--requirement ")):
            found |= pins(path.parent / line.split(maxsplit=1)[1])
        elif match := _PIN.match(line):
            found[canonical(match.group(1))] = match.group(2)
        elif line and not line.startswith("#"):
            raise SystemExit(f"audit: {path.name}: not an exact pin, cannot audit: {line!r}")
    return found


def read_pip_audit(report: dict) -> tuple[dict[str, list[str]], set[str]]:
    """(vulnerable name -> advisory ids, names pip-audit did check) from its JSON report."""
    vulnerable: dict[str, list[str]] = {}
    checked: set[str] = set()
    for dependency in report.get("dependencies", []):
        if "skip_reason" in dependency:
            continue
        name = canonical(dependency["name"])
        checked.add(name)
        if dependency.get("vulns"):
            vulnerable[name] = [vuln["id"] for vuln in dependency["vulns"]]
    return vulnerable, checked


def run_pip_audit(files: list[Path]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "pip-audit.json"
        command = [sys.executable, "-m", "pip_audit", "--no-deps", "--disable-pip", "-s", "pypi"]
        command += ["-f", "json", "-o", str(output), "--progress-spinner", "off"]
        for path in files:
            command += ["-r", str(path)]
        # Exit 1 means "vulnerabilities found": the report says which; only a missing report
        # means pip-audit itself failed.
        subprocess.run(command, capture_output=True, check=False, timeout=600)  # noqa: S603
        if not output.exists():
            return {}
        report: dict = json.loads(output.read_text())
        return report


def latest_advisories(name: str, *, pypi: str) -> tuple[str, list[str]]:
    """(latest release, ids of the advisories PyPI lists for it) from the project's page."""
    with urllib.request.urlopen(f"{pypi}/{name}/json", timeout=20) as response:  # noqa: S310
        page = json.load(response)
    ids = [v["id"] for v in page.get("vulnerabilities") or [] if not v.get("withdrawn")]
    return page["info"]["version"], ids


def same_release(a: str, b: str) -> bool:
    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return a == b


@dataclass
class Audit:
    clean: list[str] = field(default_factory=list)
    vulnerable: dict[str, list[str]] = field(default_factory=dict)
    unaudited: dict[str, str] = field(default_factory=dict)


def audit(pinned: dict[str, str], pip_audit_report: dict, *, pypi: str) -> Audit:
    result = Audit()
    vulnerable, checked = read_pip_audit(pip_audit_report)
    for name, version in sorted(pinned.items()):
        if name in checked:
            if name in vulnerable:
                result.vulnerable[name] = vulnerable[name]
            else:
                result.clean.append(name)
            continue
        try:
            latest, ids = latest_advisories(name, pypi=pypi)
        except (OSError, ValueError, KeyError) as error:
            result.unaudited[name] = f"PyPI's project page did not answer ({error})"
            continue
        if not same_release(version, latest):
            result.unaudited[name] = f"no advisory service answered for it (latest is {latest})"
        elif ids:
            result.vulnerable[name] = ids
        else:
            result.clean.append(name)
    return result


def report(result: Audit, pinned: dict[str, str], *, strict: bool) -> int:
    for name, ids in result.vulnerable.items():
        print(f"audit: VULNERABLE {name}=={pinned[name]}: {', '.join(ids)}")
    for name, reason in result.unaudited.items():
        print(f"audit: NOT AUDITED {name}=={pinned[name]}: {reason}")
    print(
        f"audit: {len(pinned)} pins: {len(result.clean)} checked clean, "
        f"{len(result.vulnerable)} vulnerable, {len(result.unaudited)} NOT AUDITED"
    )
    if result.unaudited:
        print(
            f"audit: !!! {len(result.unaudited)} of {len(pinned)} pins could not be checked "
            "against any advisory database from this machine: that is no clean bill of health"
            + ("; AUDIT_STRICT=1 fails the audit for it" if strict else "")
            + " !!!"
        )
    return 1 if result.vulnerable or (strict and result.unaudited) else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-r", dest="files", action="append", type=Path)
    parser.add_argument("--pypi-url", default=PYPI)
    parser.add_argument("--no-pip-audit", action="store_true", help="the project pages only")
    args = parser.parse_args(argv)
    files = args.files or [ROOT / "requirements.txt", ROOT / "requirements-dev.txt"]
    pinned: dict[str, str] = {}
    for path in files:
        pinned |= pins(path)
    pip_audit_report = {} if args.no_pip_audit else run_pip_audit(files)
    result = audit(pinned, pip_audit_report, pypi=args.pypi_url.rstrip("/"))
    return report(result, pinned, strict=os.environ.get("AUDIT_STRICT") == "1")


if __name__ == "__main__":
    sys.exit(main())

"""The one table format of LabIntel's benchmarks: each measure beside its same-run anchor."""

from dataclasses import dataclass


@dataclass
class Row:
    name: str
    measured: float
    anchor: float | None
    ratio: float | None
    goal: str
    passed: bool
    unit: str


def print_table(rows: list[Row]) -> None:
    header = f"{'metric':<38} {'measured':>10} {'anchor':>10} {'ratio':>7} {'goal':>9}  result"
    print("\n" + header + "\n" + "-" * len(header))
    for r in rows:
        anchor = f"{r.anchor:10.3f}" if r.anchor is not None else f"{'':>10}"
        ratio = f"{r.ratio:6.2f}x" if r.ratio is not None else f"{'':>7}"
        verdict = "pass" if r.passed else "FAIL"
        print(
            f"{r.name:<38} {r.measured:10.3f} {anchor} {ratio} {r.goal:>9}  {verdict}  ({r.unit})"
        )

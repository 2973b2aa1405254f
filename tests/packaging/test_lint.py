"""The security lint: ruff's flake8-bandit (S), bugbear (B) and Django (DJ) rules stay selected and clean."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_ruff_config_selects_the_security_rules():
    config = tomllib.loads((ROOT / "ruff.toml").read_text())
    selected = set(config["lint"]["select"])
    assert {"S", "B", "DJ"} <= selected
    # Only the assert rule (tests use assert) and the non-cryptographic random rule (demo data) are off.
    assert {rule for rule in config["lint"].get("ignore", []) if rule.startswith("S")} <= {"S101", "S311"}


def test_package_is_clean_under_the_security_rules():
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--no-cache",
            "wagtail_mentoring",
            "example_site",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr

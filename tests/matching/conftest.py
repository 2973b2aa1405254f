"""Fixtures for the matching engine's tests: run them on both the dense and the sparse solver."""

import pytest

from wagtail_mentoring.programs.matching import solver as matching_solver


@pytest.fixture(params=["dense", "sparse"])
def solver(request, monkeypatch):
    """Force one solver path; the sparse one starts from a single candidate per mentee to exercise
    the optimality certificate and the candidate growth."""
    if request.param == "sparse":
        monkeypatch.setattr(matching_solver, "DENSE_LIMIT", 0)
        monkeypatch.setattr(matching_solver, "CANDIDATES_PER_MENTEE", 1)
    return request.param

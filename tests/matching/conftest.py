"""Fixtures for the matching engine's tests: run them on the dense, the sparse and the chunked solver."""

import pytest

from wagtail_mentoring.programs.matching import engine as matching_engine
from wagtail_mentoring.programs.matching import generation as matching_generation
from wagtail_mentoring.programs.matching import solver as matching_solver


def use_chunked(monkeypatch, top_k: int = 1, chunk_rows: int = 2) -> None:
    """Send every problem through candidate generation in tiny chunks with ``top_k`` candidates per
    mentee, so the certificate has to grow the candidates."""
    monkeypatch.setattr(matching_engine, "DENSE_PAIRS", 0)
    monkeypatch.setattr(matching_solver, "TOP_K", top_k)
    monkeypatch.setattr(matching_solver, "DOUBT_CHUNK", chunk_rows)
    monkeypatch.setattr(matching_generation, "CHUNK_ROWS", chunk_rows)


@pytest.fixture(params=["dense", "sparse", "chunked"])
def solver(request, monkeypatch):
    """Force one solver path; the sparse one starts from a single candidate per mentee to exercise
    the optimality certificate and the candidate growth; the chunked one also generates the
    candidates a few mentees at a time."""
    if request.param == "sparse":
        monkeypatch.setattr(matching_solver, "DENSE_LIMIT", 0)
        monkeypatch.setattr(matching_solver, "CANDIDATES_PER_MENTEE", 1)
    elif request.param == "chunked":
        use_chunked(monkeypatch)
    return request.param

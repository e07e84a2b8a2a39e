"""Tests that need ../shared skip on a fresh clone, and fail when CI requires the data."""

import pytest

from tests import shared_data


@pytest.fixture
def nothing_beside_the_checkout(monkeypatch, tmp_path):
    monkeypatch.setattr(shared_data, "REFERENCE", tmp_path / "shared" / "reference")


def test_missing_reference_material_skips_the_test_and_says_why(
    nothing_beside_the_checkout, monkeypatch
):
    monkeypatch.delenv(shared_data.REQUIRED, raising=False)

    with pytest.raises(pytest.skip.Exception, match=r"shared/reference.*is missing"):
        shared_data.reference("shallow-review-2025")


def test_ci_turns_the_skip_into_a_failure(nothing_beside_the_checkout, monkeypatch):
    monkeypatch.setenv(shared_data.REQUIRED, "1")

    with pytest.raises(pytest.fail.Exception, match="REQUIRE_SHARED_DATA=1 makes it required"):
        shared_data.reference("shallow-review-2025")


def test_present_reference_material_is_returned(monkeypatch, tmp_path):
    (tmp_path / "reference" / "sources.md").parent.mkdir()
    (tmp_path / "reference" / "sources.md").write_text("x")
    monkeypatch.setattr(shared_data, "REFERENCE", tmp_path / "reference")

    assert shared_data.reference("sources.md") == tmp_path / "reference" / "sources.md"


def test_ci_requires_the_reference_material():
    ci = (shared_data.Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()

    assert f"export {shared_data.REQUIRED}=1" in ci

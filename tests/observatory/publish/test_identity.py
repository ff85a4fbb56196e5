import pytest

from observatory.publish.identity import data_date, inputs_fingerprint, release_fingerprint, tree_hash


def test_the_code_hash_follows_every_module_sql_and_default_file(tmp_path):
    (tmp_path / "observatory").mkdir()
    (tmp_path / "observatory" / "a.py").write_text("x = 1\n")
    (tmp_path / "observatory" / "q.sql").write_text("SELECT 1\n")
    (tmp_path / "observatory" / "notes.txt").write_text("ignored\n")
    before = tree_hash(tmp_path, ["observatory"], (".py", ".sql"))
    (tmp_path / "observatory" / "notes.txt").write_text("changed, still ignored\n")
    assert tree_hash(tmp_path, ["observatory"], (".py", ".sql")) == before
    (tmp_path / "observatory" / "q.sql").write_text("SELECT 2\n")
    assert tree_hash(tmp_path, ["observatory"], (".py", ".sql")) != before


def test_identity_depends_on_inputs_date_code_and_previous_release_never_on_order():
    base = inputs_fingerprint(["a", "b"], data_date="2026-03-23", code="c")
    assert inputs_fingerprint(["b", "a"], data_date="2026-03-23", code="c") == base
    assert inputs_fingerprint(["a", "b"], data_date="2026-03-24", code="c") != base
    assert inputs_fingerprint(["a", "b"], data_date="2026-03-23", code="d") != base
    assert release_fingerprint(base, None) != release_fingerprint(base, "2026-01-01-aaaaaaaa")


def test_the_date_comes_from_the_data_in_order_of_preference():
    manifest = {"date_donnees": "2026-03-23"}
    assert (
        data_date(last_modified=["2026-10-01T08:00:00", None, "2026-11-02T10:00:00+00:00"], manifest=manifest)
        == "2026-11-02"
    )
    assert data_date(last_modified=[None], manifest=manifest, newest_designation="2025-01-01") == "2026-03-23"
    assert data_date(manifest={}, newest_designation="2021-03-15") == "2021-03-15"
    with pytest.raises(ValueError, match="date des données introuvable"):
        data_date()

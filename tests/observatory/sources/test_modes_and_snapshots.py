import json

import pytest

from observatory.errors import SourceError
from observatory.paths import EMBEDDED_SOURCES_DIR
from observatory.sources.layout import SourceTree
from observatory.sources.modes import LiveModeUnavailable, resolve_source_tree
from observatory.sources.snapshot import sha256_file, take_snapshot


def test_embedded_tree_is_the_committed_demo_folder_and_says_so():
    tree = resolve_source_tree("embedded")
    assert tree.root == EMBEDDED_SOURCES_DIR
    assert tree.is_demonstration
    assert tree.path("cnil_designations").name == "opencnil-organismes-avec-dpo.csv.gz"


def test_local_tree_without_manifest_is_not_demonstration(tmp_path):
    (tmp_path / "declarations").mkdir()
    (tmp_path / "declarations" / "opsn.csv").write_text("siren\n", encoding="utf-8")
    tree = resolve_source_tree("local", str(tmp_path))
    assert not tree.is_demonstration
    assert tree.path("declarations_opsn") == tmp_path / "declarations" / "opsn.csv"
    with pytest.raises(SourceError, match="absent"):
        tree.path("cnil_designations")


def test_local_mode_needs_an_existing_folder(tmp_path):
    with pytest.raises(ValueError, match="OBSERVATORY_SOURCES"):
        resolve_source_tree("local", "")
    with pytest.raises(FileNotFoundError):
        resolve_source_tree("local", str(tmp_path / "missing"))


def test_live_mode_refuses_plainly_before_anything_was_downloaded(tmp_path):
    with pytest.raises(LiveModeUnavailable, match="aucune source téléchargée de data.gouv.fr"):
        resolve_source_tree("live", str(tmp_path / "arbre"))


def test_snapshot_is_content_addressed_and_immutable(tmp_path):
    source = tmp_path / "adherents.csv"
    source.write_text("a\n1\n", encoding="utf-8")
    first = take_snapshot("declarations_adherents", source, tmp_path / "raw", "local")
    assert first.sha256 == sha256_file(source) and first.size_bytes == 4
    source.write_text("a\n2\n", encoding="utf-8")  # a steward edits the file after the run read it
    second = take_snapshot("declarations_adherents", source, tmp_path / "raw", "local")
    assert first.path != second.path
    assert open(first.path, encoding="utf-8").read() == "a\n1\n"
    provenance = json.loads(
        (tmp_path / "raw" / "declarations_adherents" / first.sha256 / "provenance.json").read_text()
    )
    assert provenance["origin"] == str(source) and provenance["mode"] == "local"


def test_demo_manifest_flag_is_read_from_the_tree(tmp_path):
    (tmp_path / "MANIFEST.json").write_text(json.dumps({"demonstration": True}), encoding="utf-8")
    assert SourceTree(tmp_path).is_demonstration

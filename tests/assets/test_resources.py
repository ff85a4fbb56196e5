"""Typed configuration: the source mode is one of three values, every variable has a default."""

import dagster as dg
import pytest
from pydantic import ValidationError

from assets.resources import (
    MODE_VARIABLE,
    SOURCES_MODES,
    ConfigurationError,
    ObservatorySettings,
    default_resources,
)
from observatory.paths import DEFAULT_BUILD_DIR, DEFAULT_EXPORTS_DIR
from observatory.publish.upload import API_KEY_VARIABLE, DATASET_VARIABLE
from observatory.sources.modes import SourceMode

VARIABLES = (
    "OBSERVATORY_SOURCES",
    "OBSERVATORY_SOURCES_MODE",
    "OBSERVATORY_BUILD_DIR",
    "OBSERVATORY_EXPORTS_DIR",
    "OBSERVATORY_DATAGOUV_URL",
)


@pytest.fixture
def bare_environment(monkeypatch):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_the_literal_lists_exactly_the_library_modes():
    assert set(SOURCES_MODES) == {mode.value for mode in SourceMode}


def test_with_no_variable_set_the_defaults_run_the_embedded_sources(bare_environment):
    settings = default_resources()["settings"]
    assert settings.sources_mode == "embedded"
    assert (settings.build_dir, settings.exports_dir) == (str(DEFAULT_BUILD_DIR), str(DEFAULT_EXPORTS_DIR))
    assert settings.datagouv_url.startswith("https://")
    assert settings.source_tree().is_demonstration


def test_a_sources_folder_alone_means_local_mode_and_an_empty_mode_counts_as_unset(bare_environment, tmp_path):
    bare_environment.setenv("OBSERVATORY_SOURCES", str(tmp_path))
    bare_environment.setenv(MODE_VARIABLE, "")
    settings = default_resources()["settings"]
    assert (settings.sources_mode, settings.sources_dir) == ("local", str(tmp_path))


def test_an_unknown_mode_names_the_variable_and_the_allowed_values(bare_environment):
    bare_environment.setenv(MODE_VARIABLE, "Embedded ")
    with pytest.raises(ConfigurationError) as refused:
        default_resources()
    message = str(refused.value)
    assert MODE_VARIABLE in message and "'Embedded'" in message
    assert "embedded, local, live" in message


def test_the_resource_itself_refuses_a_mode_outside_the_literal():
    with pytest.raises(ValidationError, match="'embedded', 'local' or 'live'"):
        ObservatorySettings(sources_mode="demo")


def test_uploads_are_off_by_default_and_their_key_is_an_envvar_once_turned_on(bare_environment):
    bare_environment.delenv(DATASET_VARIABLE, raising=False)
    bare_environment.delenv(API_KEY_VARIABLE, raising=False)
    upload = default_resources()["upload"]
    assert (upload.dataset, upload.api_key) == ("", "")
    bare_environment.setenv(DATASET_VARIABLE, "65aa00000000000000000001")
    bare_environment.setenv(API_KEY_VARIABLE, "cle-secrete-123")
    upload = default_resources()["upload"]
    # Resolved when a run starts, never held by the code location (nor shown in the UI).
    assert isinstance(upload.api_key, dg.EnvVar) and upload.api_key == API_KEY_VARIABLE
    with dg.build_resources({"upload": upload}) as resources:
        assert resources.upload.api_key == "cle-secrete-123"

"""The publication plugins' settings: `plugins: entanglement-publication:` in metadata.yml.

Every plugin file of plugins/ that is configured reads its keys from this one block (see the
comments there for what each key does), through plugin_settings().
"""

from __future__ import annotations

import weakref

PLUGIN = "entanglement-publication"

_settings: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def plugin_settings(datasette) -> dict:
    """The plugin's settings, read once per Datasette instance: render_cell asks for them for every
    cell, and Datasette 0.65's plugin_config walks the whole configuration (resolving $env/$file
    secrets) on every call, which made a 1,000-row query page take 0.8 s instead of 0.2 s."""
    settings = _settings.get(datasette)
    if settings is None:
        settings = _settings[datasette] = datasette.plugin_config(PLUGIN) or {}
    return settings

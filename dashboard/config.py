"""Settings: config.yaml, then command-line overrides."""
from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Config:
    data_dir: Path = PROJECT_ROOT / "data"
    seeds_dir: Path = PROJECT_ROOT / "seeds"
    host: str = "127.0.0.1"
    port: int = 8050
    debug: bool = False
    max_file_bytes: int = 2_000_000
    cache_dir: Path | None = None  # where `serve` keeps the validated data (None: no cache)
    title: str = "Tendency Atlas"

    def with_overrides(self, **overrides: Any) -> "Config":
        clean = {k: v for k, v in overrides.items() if v is not None}
        for key in ("data_dir", "seeds_dir", "cache_dir"):
            if key in clean:
                clean[key] = Path(clean[key]).resolve()
        return replace(self, **clean)


class ConfigError(Exception):
    pass


def default_config_path() -> Path | None:
    env = os.environ.get("TENDENCY_ATLAS_CONFIG")
    if env:
        return Path(env)
    for candidate in (Path.cwd() / "config.yaml", PROJECT_ROOT / "config.yaml"):
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path | str | None = None, **overrides: Any) -> Config:
    path = Path(path) if path else default_config_path()
    cfg = Config()
    if path is not None:
        try:
            raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read the settings: {exc}") from None
        if not isinstance(raw, dict):
            raise ConfigError(f"{path}: expected a mapping of settings")
        known = {f.name for f in fields(Config)}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ConfigError(f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        base = Path(path).resolve().parent
        for key in ("data_dir", "seeds_dir", "cache_dir"):
            if key in raw and raw[key] is not None:
                raw[key] = (base / str(raw[key])).resolve()
        try:
            cfg = replace(cfg, **raw)
        except TypeError as exc:  # pragma: no cover
            raise ConfigError(f"{path}: {exc}") from None
        if not isinstance(cfg.port, int) or not 0 < cfg.port < 65536:
            raise ConfigError(f"{path}: port must be a number between 1 and 65535")
    return cfg.with_overrides(**overrides)

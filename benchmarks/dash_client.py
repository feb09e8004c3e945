"""The Dash test client, kept importable here for scripts that name it (../shared/bench/
peer_compare.py): it lives in tests/support/dash_client.py, with the tests' support code."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.dash_client import PAGES_CONTENT, DashClient  # noqa: E402

__all__ = ["DashClient", "PAGES_CONTENT"]

"""The one pattern of ids and tags: lowercase letters and digits in words joined by single hyphens."""

from __future__ import annotations

import re

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

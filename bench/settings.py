"""Production settings plus the bare baseline view: used only by `make bench`."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

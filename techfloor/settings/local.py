"""Development on a laptop: debug on, console email, everything embedded by default."""

from techfloor.settings.base import *  # noqa: F403
from techfloor.settings.base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)

"""Development on a laptop: debug on, console email, everything embedded by default."""

from techfloor.settings.base import *  # noqa: F403
from techfloor.settings.base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
if DEBUG:
    # The REST API browsable in a web browser while developing; JSON only elsewhere.
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"] = [  # noqa: F405
        *REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"],  # noqa: F405
        "rest_framework.renderers.BrowsableAPIRenderer",
    ]

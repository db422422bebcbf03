"""Case pages: the list, a case with its evidence and history, the ladder's administration."""

from app.cases import bp  # noqa: F401

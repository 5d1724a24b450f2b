"""The demo-data registry: each app registers an idempotent loader in ``AppConfig.ready()``.

``gongkai demo`` runs the loaders in ``order``. A loader creates what is missing and returns a
short Chinese report (it may span lines); running it again must change nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class DemoLoader:
    key: str
    order: int
    load: Callable[[], str]


_loaders: dict[str, DemoLoader] = {}


def register_demo_loader(key: str, order: int, load: Callable[[], str]) -> None:
    loader = DemoLoader(key=key, order=order, load=load)
    if _loaders.setdefault(key, loader) != loader:
        raise ImproperlyConfigured(f"demo loader {key!r} is registered twice")


def demo_loaders() -> list[DemoLoader]:
    return sorted(_loaders.values(), key=lambda loader: (loader.order, loader.key))

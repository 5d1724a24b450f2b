"""Demo data: the index of everything the other demo loaders published."""

from .selectors import index_status
from .services import index_rebuild


def load_demo_index() -> str:
    """Rebuild the index when it was never built or its dictionary changed; the sources keep
    it current themselves afterwards, so loading the demo again changes nothing."""
    status = index_status()
    if status.state is not None and not status.outdated:
        return f"搜索索引：{status.total} 条，无需重建"
    written = index_rebuild(actor=None)
    return f"搜索索引：已重建，{written} 条"

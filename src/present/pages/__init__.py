"""The dashboard's pages: one registry that the navigation, the tests and the
architecture check all read.

Each page has a layout script ``app_pages/<name>.py`` and a shaping module
``present.pages.<name>`` (a module, or a package of its own); page modules never
import each other.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """One page of the dashboard."""

    name: str
    # The URL under the dashboard's root; "" is the root itself (the default page).
    url_path: str
    # Left out of the navigation when the workbench is off (METRICS_WORKBENCH=off).
    workbench: bool = False

    @property
    def script(self) -> str:
        """The layout script, relative to the project's root."""
        return f"app_pages/{self.name}.py"

    @property
    def title_key(self) -> str:
        """The key of the page's title in the interface texts."""
        return f"page.{self.name}"


PAGES: tuple[Page, ...] = (
    Page("overview", ""),
    Page("compare", "compare"),
    Page("region", "region"),
    Page("practices", "practices"),
    Page("sources", "sources"),
    Page("quality", "quality"),
    Page("curate", "curate", workbench=True),
)
PAGE_NAMES: tuple[str, ...] = tuple(page.name for page in PAGES)

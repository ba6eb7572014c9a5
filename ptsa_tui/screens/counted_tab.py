"""An inbox tab whose label carries a count that changes with every live update."""

from textual.content import Content
from textual.widgets import Static, Tab


class CountedTab(Tab):
    def show(self, label: str) -> None:
        """Relabel; when the width stays the same, without the re-layout and the animated
        underline a relabel otherwise costs on every change."""
        content = Content.from_text(label)
        if content == self.label:
            return
        if content.cell_length != self.label.cell_length:
            self.label = content
            return
        self._label = content
        Static.update(self, content, layout=False)

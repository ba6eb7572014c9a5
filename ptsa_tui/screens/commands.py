"""Command palette (ctrl+p): the actions the current screen offers right now."""

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ptsa_tui.screens.i18n import _


class DeskCommands(Provider):
    def _commands(self) -> list[tuple[str, str]]:
        """(label, action) pairs the current screen would run now."""
        from ptsa_tui.screens.actions import ACTION_NAMES, ActionScreen

        screen = self.screen
        found: list[tuple[str, str]] = []
        if isinstance(screen, ActionScreen):
            for name in ACTION_NAMES:
                if screen.check_action("act", (name,)) is True:
                    found.append((_(ACTION_NAMES[name]), f"act('{name}')"))
        for action, label in (("new", _("New request")), ("filter", _("Filter"))):
            if hasattr(screen, f"action_{action}") and screen.check_action(action, ()) is True:
                found.append((label, action))
        offers = getattr(screen, "palette_commands", None)  # a screen's own, e.g. escalations
        if callable(offers):
            found.extend(offers())
        if self.app.check_action("escalations", ()) is True:
            found.append((_("Escalations"), "app.escalations"))
        if self.app.check_action("kpis", ()) is True:
            found.append((_("KPIs"), "app.kpis"))
        return found

    async def discover(self) -> Hits:
        for label, action in self._commands():
            yield DiscoveryHit(label, partial(self.screen.run_action, action))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, action in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(self.screen.run_action, action))

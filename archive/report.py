"""What an import did, page by page: kept on ImportRun, printed by the command."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

CREATED, UPDATED, UNCHANGED, FAILED = "created", "updated", "unchanged", "failed"
# A change to a live piece from someone who may not change it directly: kept as its pending
# change, for an editor to publish (articles.actions.save_or_propose).
PROPOSED = "proposed"
OUTCOMES = (CREATED, UPDATED, PROPOSED, UNCHANGED, FAILED)


@dataclass
class Entry:
    outcome: str
    source: str
    line: int | None = None
    detail: str = ""

    def __str__(self):
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.detail}" if self.detail else where


@dataclass
class Report:
    entries: list = field(default_factory=list)
    dry_run: bool = False

    def add(self, outcome, source, line=None, detail=""):
        self.entries.append(Entry(outcome, source, line, detail))

    @property
    def counts(self):
        return {outcome: sum(e.outcome == outcome for e in self.entries) for outcome in OUTCOMES}

    @property
    def failed(self):
        return self.counts[FAILED]

    def summary(self):
        counted = self.counts
        text = (
            _(
                "%(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
                "%(failed)d failed."
            )
            % counted
        )
        if counted[PROPOSED]:
            text += " " + _("%(proposed)d kept as pending changes for an editor.") % counted
        return _("Dry run, nothing saved: %(counts)s") % {"counts": text} if self.dry_run else text

"""Every write to a commentary goes through these actions, whoever calls them: the admin,
both import formats, the management commands, the demo, jobs and the API. Each checks the
actor's permission (rules), runs in one transaction, takes the article's row lock and checks
and bumps its version, records the revision and the workflow step, and asks for reindexing,
cache, CDN and mail after commit. Nothing else writes Article, Revision, Byline,
WorkflowEvent or TranslationLink rows (translations.actions holds the pairs' actions).

Editing (editing.py):
    save(article, user, version=…, comment=…, note=…, save_related=…) -> Revision
    propose(article, user, changes, version=…, submit=…, comment=…) -> pending Revision
    save_or_propose(article, user, version=…, note=…)   an import's change: "saved"/"proposed"
    restore_revision(revision, user)
    keep_refused(article, user, changes)    an edit refused by a conflict, kept unapplied
    set_bylines(article, authors)           inside a save (its save_related)
Publishing (publishing.py):
    publish(article, user, at=None), unpublish, set_end(article, user, at), submit,
    return_to_writer, move(article, user, status, comment, **dates)
    publish_change(article, user, at=None), discard_change(article, user)
    publish_due_changes()                   the job
Trash (trash.py):
    trash(article, user), restore_from_trash(article, user), purge(article, user),
    purge_older_than(days)                  the job
Records (records.py): an export's records and the demo's content, restored or made.
Figures (figures.py):
    refresh_figures(image_id)               a library image's record changed: bodies rendered

Errors: rules.NotAllowed (a PermissionDenied: the database is left as it was) and
rules.Conflict (someone saved first; carries who and when).
"""

from .common import SYSTEM
from .editing import (
    keep_refused,
    propose,
    restore_revision,
    save,
    save_or_propose,
    set_bylines,
)
from .figures import refresh_figures
from .publishing import (
    discard_change,
    move,
    publish,
    publish_change,
    publish_due_changes,
    return_to_writer,
    set_end,
    submit,
    unpublish,
)
from .rules import Conflict, NotAllowed
from .trash import purge, purge_older_than, restore_from_trash, trash

__all__ = [
    "SYSTEM",
    "Conflict",
    "NotAllowed",
    "discard_change",
    "keep_refused",
    "move",
    "propose",
    "publish",
    "publish_change",
    "publish_due_changes",
    "purge",
    "purge_older_than",
    "refresh_figures",
    "restore_from_trash",
    "restore_revision",
    "return_to_writer",
    "save",
    "save_or_propose",
    "set_bylines",
    "set_end",
    "submit",
    "trash",
    "unpublish",
]

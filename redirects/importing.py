"""Redirects from a CSV file (old_path,new_path[,status]), for the command and the admin:
each row made by records.point(), so a file run twice changes nothing the second time."""

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import records
from .models import Redirect

STATUSES = {str(value) for value in Redirect.Status.values}


@dataclass
class Row:
    line: int
    old_path: str
    outcome: str  # created, updated, unchanged, refused
    detail: str = ""


class DryRun(Exception):
    pass


def read_rows(text):
    """[(line, [cells])] of a CSV text, its header row (old_path,…) left out."""
    rows = []
    for line, cells in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [cell.strip() for cell in cells]
        if not any(cells) or (line == 1 and cells[0].lower() == "old_path"):
            continue
        rows.append((line, cells))
    return rows


def import_csv(text, dry_run=False):
    """[Row] saying what each line did (or, in a dry run, would do)."""
    report = []
    try:
        with transaction.atomic():
            for line, cells in read_rows(text):
                report.append(import_row(line, cells))
            if dry_run:
                raise DryRun
    except DryRun:
        pass
    return report


def import_row(line, cells):
    old_path = cells[0]
    new_path = cells[1] if len(cells) > 1 else ""
    status = cells[2] if len(cells) > 2 and cells[2] else "301"
    if status not in STATUSES:
        return Row(line, old_path, "refused", _("unknown status “%(status)s”") % {"status": status})
    try:
        with transaction.atomic():
            redirect, outcome = records.point(
                old_path, new_path=new_path, status=int(status), source=Redirect.Source.FILE
            )
    except ValidationError as error:
        return Row(line, old_path, "refused", " ".join(error.messages))
    return Row(line, redirect.old_path, outcome, redirect.destination() or str(status))


def summary(report):
    counts = {}
    for row in report:
        counts[row.outcome] = counts.get(row.outcome, 0) + 1
    names = {
        "created": pgettext("redirect import", "created"),
        "updated": pgettext("redirect import", "updated"),
        "unchanged": pgettext("redirect import", "unchanged"),
        "refused": pgettext("redirect import", "refused"),
    }
    return ", ".join(f"{names[outcome]}: {count}" for outcome, count in counts.items()) or _(
        "no rows"
    )

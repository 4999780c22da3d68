"""The data migrations that give Editors each app's permissions (core.permissions): after
migrate the Editor group holds them, reverting takes them back, and a codename that does not
exist stops the migration instead of granting nothing."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from core.permissions import grant

pytestmark = pytest.mark.django_db

# What an Editor must be able to do in each app's admin, by its permissions' codenames.
EDITORS = {
    "jobs": {"view_jobrun"},
    "pdfs": {"view_pdf"},
    "reads": {"view_dailyreads"},
    "redirects": {"add_redirect", "change_redirect", "delete_redirect", "view_redirect",
                  "view_notfound", "delete_notfound"},
    "webhooks": {"add_endpoint", "change_endpoint", "delete_endpoint", "view_endpoint",
                 "view_delivery", "change_delivery"},
    "newsletters": {"view_newsletter", "add_newsletter", "change_newsletter",
                    "view_subscriber", "add_subscriber", "change_subscriber",
                    "delete_subscriber", "view_issue"},
}  # fmt: skip


def held(app_label, group="Editor"):
    permissions = Group.objects.get(name=group).permissions
    return set(
        permissions.filter(content_type__app_label=app_label).values_list("codename", flat=True)
    )


def historical_apps():
    """The models as the migrations see them, as RunPython hands them over."""
    return MigrationLoader(connection).project_state().apps


@pytest.mark.parametrize("app_label", sorted(EDITORS))
def test_after_migrate_editors_hold_the_apps_permissions(app_label, staff):
    assert held(app_label) == EDITORS[app_label]
    editor = staff("Editor")
    assert all(editor.has_perm(f"{app_label}.{codename}") for codename in EDITORS[app_label])
    for role in ("Writer", "Translator"):
        assert not staff(role).has_perm(f"{app_label}.{sorted(EDITORS[app_label])[0]}")


@pytest.mark.parametrize("app_label", sorted(EDITORS))
def test_reverting_takes_the_permissions_back_and_migrating_again_gives_them(app_label):
    forwards, backwards = grant(app_label, sorted(EDITORS[app_label]))
    apps = historical_apps()
    backwards(apps, None)
    assert held(app_label) == set()
    forwards(apps, None)
    assert held(app_label) == EDITORS[app_label]


def test_a_misspelt_permission_stops_the_migration():
    forwards, _backwards = grant("jobs", ["view_jobrun", "veiw_jobrun"])
    with pytest.raises(LookupError, match="veiw_jobrun"):
        forwards(historical_apps(), None)
    assert held("jobs") == EDITORS["jobs"]


def test_a_group_that_is_missing_is_made():
    forwards, _backwards = grant("reads", ["view_dailyreads"], group="Reader")
    forwards(historical_apps(), None)
    assert held("reads", group="Reader") == {"view_dailyreads"}

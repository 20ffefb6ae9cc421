"""Who makes a change, checked where the change is made: the engine's write functions take an `Actor`.

An actor is the name recorded as the change's author and the rights it acts with. Every write
(import, undo, saved mapping, settings, decisions) takes one as a required keyword argument and
calls `require` before it changes anything, so a face that forgot its own check still cannot
change what the person may not. The app builds an actor from the signed-in person (or local mode),
the command line a full-rights one for the OS user (`trusted`).
"""

from __future__ import annotations

from dataclasses import dataclass

from aiorg_metrics.access.identity import same_author
from aiorg_metrics.access.permissions import LOCAL_TRUSTED, Permission, Rights, Role, grants_of

# What each write needs, as a person would say it ("... may not <doing>").
DOING: dict[Permission, str] = {
    Permission.DATA_PAGE: "change the data (imports, undo, saved mappings)",
    Permission.SETTINGS_ROLES_AND_PATHS: "change the settings",
    Permission.DECISIONS_ADD: "add a decision",
    Permission.DECISIONS_EDIT_OWN: "edit a decision",
    Permission.DECISIONS_EDIT_ANY: "edit a decision someone else recorded",
}


class AccessDenied(Exception):  # noqa: N818 - the name the faces and the tests read
    """A change the actor's rights do not allow; nothing was changed. The message says who and why.

    Not a PermissionError: that is an OSError, which callers catch as a file they cannot write."""


def roles_granting(permission: Permission) -> tuple[Role, ...]:
    """The roles whose own column grants `permission`, in the table's order (admin always among them)."""
    return tuple(role for role in Role if permission in grants_of(role) or role is Role.ADMIN)


@dataclass(frozen=True)
class Actor:
    """Who acts: `name` is recorded as the author of the change; `rights` say what they may change."""

    name: str
    rights: Rights

    def can(self, permission: Permission) -> bool:
        """Whether the actor may do `permission`."""
        return self.rights.can(permission)

    def require(self, permission: Permission) -> None:
        """Raise `AccessDenied` unless the actor may do `permission`."""
        if not self.can(permission):
            doing = DOING.get(permission, permission.value.replace("_", " "))
            needed = " or ".join(role.value for role in roles_granting(permission))
            raise AccessDenied(f"{self.name} may not {doing}: it needs the {needed} role. Nothing was changed.")

    def may_edit(self, created_by: str) -> bool:
        """Whether the actor may edit a decision recorded by `created_by`: any decision with
        `DECISIONS_EDIT_ANY`, their own with `DECISIONS_EDIT_OWN` (`identity.same_author`: an email in any case)."""
        return self.can(Permission.DECISIONS_EDIT_ANY) or (
            self.can(Permission.DECISIONS_EDIT_OWN) and same_author(created_by, self.name))

    def require_edit(self, created_by: str) -> None:
        """Raise `AccessDenied` unless the actor may edit a decision recorded by `created_by` (`may_edit`)."""
        self.require(Permission.DECISIONS_EDIT_OWN)
        if not self.may_edit(created_by):
            raise AccessDenied(f"{self.name} may edit only the decisions they recorded; this one was recorded by "
                               f"{created_by}. Nothing was changed.")


def trusted(name: str) -> Actor:
    """A full-rights actor: the command line (run on the server) as the OS user `name`."""
    return Actor(name, LOCAL_TRUSTED)

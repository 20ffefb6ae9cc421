"""What person-level data a reader may be sent: the permissions table's person-level rows as a small
frozen value that the display and report functions take as a parameter.

The filtering happens in Python, before anything reaches a page or a file: a role that may not see
a person-level detail is never sent it (not sent hidden). The app builds one per run from the
request's rights (`Disclosure.of(rights)`); the command line, which runs on the server with full
rights, uses `FULL`. A `Disclosure` is hashable, so a cache whose output depends on it keys on it.

What the rows mean (decisions of the sign-in issue):

- **Individual skills assessments** (`shows_individual_skills`, lead and admin): any per-employee view of
  the skills data (the reconversion paths per employee, lists naming employees). Other roles see
  aggregates only (counts per path, team or skill).
- **Employee ids in single points of failure** (`shows_employee_ids`, lead and admin): without it, the
  list keeps the skill and how many people hold it, but names no employee.
- **Individual survey answers** (`shows_survey_of`): a survey-based KPI's value at champion scope
  (champion satisfaction for one champion, wherever a champion-scoped value appears) and any
  per-champion survey row. The survey floor `min_survey_answers` (SPEC §2.9) applies to everyone,
  admins included, as before, with one exception: a champion sees their own answer even below the
  floor (`waives_floor_for`), as it is their own and reveals no one else's. A lead and an admin see
  every champion's value above the floor; a viewer and an analyst never see one, even with a floor of 1.
- **Champion names in champion views** (`champion_label`): where the app names champions, a reader
  without every name sees the champion id ("CH-013"); a champion sees their own name and the ids of
  the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aiorg_metrics.access.permissions import LOCAL_TRUSTED, Permission, Rights


@dataclass(frozen=True)
class Disclosure:
    """The person-level details one reader may be sent. The default discloses nothing."""

    individual_skills: bool = False
    employee_ids: bool = False
    every_champion_name: bool = False
    every_champion_survey: bool = False  # champion-scoped survey values above the floor
    own_champion_names: frozenset[str] = field(default_factory=frozenset)  # champion ids named to them
    own_champion_surveys: frozenset[str] = field(default_factory=frozenset)  # shown even below the floor

    @staticmethod
    def of(rights: Rights) -> Disclosure:
        """What `rights` may be sent, from the permissions table (a champion's own: their champion ids)."""
        own = rights.champion_ids
        return Disclosure(
            individual_skills=rights.can(Permission.INDIVIDUAL_SKILLS),
            employee_ids=rights.can(Permission.EMPLOYEE_IDS),
            every_champion_name=rights.can(Permission.CHAMPION_NAMES_ALL),
            every_champion_survey=(rights.can(Permission.SURVEY_ANSWERS_ABOVE_FLOOR)
                                   or rights.can(Permission.SURVEY_ANSWERS_ALL)),
            own_champion_names=own if rights.can(Permission.CHAMPION_NAMES_OWN) else frozenset(),
            own_champion_surveys=own if rights.can(Permission.SURVEY_ANSWERS_OWN) else frozenset(),
        )

    @property
    def shows_individual_skills(self) -> bool:
        """Whether per-employee skills views (reconversion paths per employee) may be sent."""
        return self.individual_skills

    @property
    def shows_employee_ids(self) -> bool:
        """Whether the single points of failure may name the employees holding a skill."""
        return self.employee_ids

    def shows_champion_name(self, champion_id: str) -> bool:
        """Whether the champion `champion_id` may be named (else: their id only)."""
        return self.every_champion_name or champion_id in self.own_champion_names

    def champion_label(self, champion_id: str, name: object) -> str:
        """A champion as this reader sees them: "Chloé Weber (CH-013)" when their name may be shown and is
        known, else the bare id "CH-013"."""
        named = isinstance(name, str) and name.strip() and self.shows_champion_name(champion_id)
        return f"{name} ({champion_id})" if named else champion_id

    def shows_survey_of(self, champion_id: str) -> bool:
        """Whether a survey-based value at the champion `champion_id`'s scope may be sent (the floor
        still applies, except `waives_floor_for`)."""
        return self.every_champion_survey or champion_id in self.own_champion_surveys

    def waives_floor_for(self, champion_id: str) -> bool:
        """Whether the champion's survey value is shown even below the survey floor: their own only."""
        return champion_id in self.own_champion_surveys


NOTHING = Disclosure()
FULL = Disclosure.of(LOCAL_TRUSTED)  # the command line's: it runs on the server with full rights

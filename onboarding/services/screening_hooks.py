"""Where the people an applicant names are handed to the screening engine.

The screening engine for individuals (exclusion lists, license verification) is issue #3; until it
lands, this hook records nothing. It is called inside the transaction that saves the person.
"""

from onboarding.models import CareTeamMember


def care_team_member_screen(*, member: CareTeamMember) -> None:
    """Screen one care-team member after it was added or changed (issue #3 fills this in)."""

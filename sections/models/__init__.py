"""The society's structure: districts, sections, who holds office where, and the
invitations that bring people in. Split by subject; import from `sections.models`."""

from .invitations import (
    _unissued_token_hash,
    Invitation,
    INVITATION_FURTHEST_START,
    invitation_token_hash,
    InvitationQuerySet,
)
from .society import (
    Assignment,
    AssignmentQuerySet,
    District,
    DistrictCoordinator,
    EARLIEST_FOUNDED_YEAR,
    FinderDecision,
    FinderWeight,
    Language,
    Officer,
    ReadinessVerdict,
    Section,
    SECTION_PROFILE_M2M_FIELDS,
    Society,
    TechnicalInterest,
    TwinningForm,
    validate_founded_year,
)

__all__ = [
    "_unissued_token_hash",
    "Assignment",
    "AssignmentQuerySet",
    "District",
    "DistrictCoordinator",
    "EARLIEST_FOUNDED_YEAR",
    "FinderDecision",
    "FinderWeight",
    "Invitation",
    "INVITATION_FURTHEST_START",
    "invitation_token_hash",
    "InvitationQuerySet",
    "Language",
    "Officer",
    "ReadinessVerdict",
    "Section",
    "SECTION_PROFILE_M2M_FIELDS",
    "Society",
    "TechnicalInterest",
    "TwinningForm",
    "validate_founded_year",
]

from .agreement import AgreementChange, AgreementConfirmation
from .finance import Instalment, Spending, SupportAgreement
from .logs import CommunicationEntry, Conflict
from .partnership import Endorsement, Lead, Participant, Partnership, Status, Transition
from .plan import Activity, FundingLine, Goal, Indicator, Objective
from .uploads import FileUpload

__all__ = [
    "Activity",
    "AgreementChange",
    "AgreementConfirmation",
    "CommunicationEntry",
    "Conflict",
    "Endorsement",
    "FileUpload",
    "FundingLine",
    "Goal",
    "Indicator",
    "Instalment",
    "Lead",
    "Objective",
    "Participant",
    "Partnership",
    "Spending",
    "Status",
    "SupportAgreement",
    "Transition",
]

from .agreement import AgreementChange, AgreementConfirmation
from .handover import HandoverNote, LeadVacancy
from .growth import GrowthMilestone, GrowthSnapshot, MaturityProposal, MilestoneKind
from .exchanges import Exchange, ExchangeParticipant
from .finance import Instalment, Spending, SupportAgreement
from .intents import FormIntent
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
    "Exchange",
    "ExchangeParticipant",
    "FileUpload",
    "FormIntent",
    "FundingLine",
    "GrowthMilestone",
    "GrowthSnapshot",
    "HandoverNote",
    "Goal",
    "Indicator",
    "Instalment",
    "Lead",
    "LeadVacancy",
    "MaturityProposal",
    "MilestoneKind",
    "Objective",
    "Participant",
    "Partnership",
    "Spending",
    "Status",
    "SupportAgreement",
    "Transition",
]

"""Imports every model so that Base.metadata is complete (Alembic, tests)."""
from samenplan.auth.models import LoginToken, RecoveryCode, User, UserSession  # noqa: F401
from samenplan.db import Base  # noqa: F401
from samenplan.families.models import (  # noqa: F401
    Family, Invitation, LegalRepresentative, Participant, Person, authority_organisation,
    parental_authority,
)
from samenplan.goals.models import (  # noqa: F401
    Action, GasLevel, GasScore, Goal, GoalAgreement, GoalStatusChange, ScalingAnswer,
)
from samenplan.network.models import NetworkMember  # noqa: F401
from samenplan.notices.models import Reminder  # noqa: F401
from samenplan.timeline.models import TimelineEvent  # noqa: F401
from samenplan.orgs.models import Organisation, OrganisationMember  # noqa: F401
from samenplan.plans.models import Plan, PlanPhaseChange, PlanSection  # noqa: F401
from samenplan.privacy.models import (  # noqa: F401
    AuditEvent, AuditHead, Consent, ConsentApproval, ConsentCategory, ConsentOrganisationApproval,
    EmergencyAccess,
    Notification, Record, Shield, record_subject,
)
from samenplan.safety.models import (  # noqa: F401
    SafetyAnswer, SafetyExplanation, SafetyItem, SafetyPlan,
)
from samenplan.team.models import PlanAgreement, PlanContact  # noqa: F401
from samenplan.records import history  # noqa: F401,E402  (the revision listener)
from samenplan.records.models import Revision  # noqa: F401,E402
from samenplan.records import changes  # noqa: F401,E402  (the change stamp of every family)
from samenplan.records.models import PlanChange  # noqa: F401,E402
from samenplan.evaluations.models import (  # noqa: F401
    Evaluation, EvaluationAnswer, GoalDecision, PlanVersion, PlanVersionEntry,
)
from samenplan.escalations.models import Escalation  # noqa: F401,E402
from samenplan.selfreliance.models import SelfRelianceScore  # noqa: F401,E402
from samenplan.aftercare.models import AftercareAnswer, AftercareMoment  # noqa: F401,E402
from samenplan.satisfaction.models import SatisfactionAnswer  # noqa: F401,E402
from samenplan.closure.models import ClosureAgreement, RelapsePlanReview  # noqa: F401,E402
from samenplan.handover.models import Handover  # noqa: F401,E402

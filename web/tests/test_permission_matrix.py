"""Every named route of the site × every role → the status that role gets.

The rows are checked against the URLconf: a named route without a row, or a row naming a
route that does not exist, fails `test_every_named_route_has_a_row`. A new page therefore
gets its rows here before it can land. The admin's own routes are Django's and are covered
by a few rows of their own.

Every GET of the matrix is also checked to write nothing to the database.

The world: partnership A (proposer) ↔ B, endorsed and ready to activate, with a past
reporting period; sections A and B in two districts.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from evaluation.models import CheckIn, Lesson, ReportingPeriod, Story
from evaluation.tests.factories import write_lesson
from evaluation.tests.story_helpers import more_stories
from partnerships import services
from partnerships.models import (
    ExchangeParticipant, GrowthMilestone, Instalment, MaturityProposal, MilestoneKind, Partnership, Spending,
    SupportAgreement,
)
from partnerships.tests.conftest import PDF, endorsed, make_ready, propose
from recognition.models import Acknowledgement, Nomination
from recognition.services.acknowledgements import certificate_token
from recognition.services.nominations import nomination_save, nomination_start, nomination_submit
from sections import services as invite_sections
from sections.models import Invitation, Section, TwinningForm
from sections.tests.factories import CoordinatorFactory, OfficerFactory, SectionFactory
from twinning.accounts import email_change_token
from twinning.models import Delivery, Notice, NoticeKind, OutgoingMail
from twinning.tests.factories import UserFactory
from web.services import calendar_feed_create
from web.tests.inline_code import inline_code

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous", "member", "officer_a", "officer_b", "former_officer_a", "coordinator_a", "coordinator_other",
    "society_admin", "staff",
]
LOGIN = "login"  # a redirect to the login page

EVERYONE = dict.fromkeys(ROLES, 200)
SIGNED_IN = {**EVERYONE, "anonymous": LOGIN}
NOBODY = {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN}
# The partnership: its sections' officers, A's district coordinator and society admins see it;
# staff status alone is no role (test_staff_get_what_a_member_gets).
SEE = {**SIGNED_IN, "member": 404, "staff": 404, "former_officer_a": 404, "coordinator_other": 404}
# A change: only the participating sections' officers; the others who see it get 403.
CHANGE = {**SEE, "coordinator_a": 403, "society_admin": 403}
# Seen, but nothing there for anyone to do.
SEE_NOTHING = {**SEE, **dict.fromkeys(["officer_a", "officer_b", "coordinator_a", "society_admin"], 404)}
# A section's private pages (readiness, partner finder): its officers, coordinators, society admins.
PRIVATE_A = {**NOBODY, "officer_a": 200, "coordinator_a": 200, "society_admin": 200}
PRIVATE_B = {**NOBODY, "officer_b": 200, "society_admin": 200}
POST_ONLY = {**dict.fromkeys(ROLES, 405), "anonymous": LOGIN}
# Not there for anyone, visitors included: an unpublished story.
GONE = dict.fromkeys(ROLES, 404)
# The admin: staff log in, and see what their permissions allow; without any, a model's
# pages answer 403. The "Society admins" group opens these.
ADMIN_ONLY = {**dict.fromkeys(ROLES, LOGIN), "society_admin": 200, "staff": 403}
# District A's dashboard: its coordinator and society admins.
DISTRICT_A = {**NOBODY, "coordinator_a": 200, "society_admin": 200}
# Answering or endorsing again: a message and the partnership (a redirect) for those whose
# answer or endorsement is recorded; the others as before.
ANSWERED = {**SEE_NOTHING, "officer_b": 302}
ENDORSED = {**CHANGE, "officer_a": 403, "officer_b": 403, "coordinator_a": 302}

# (route name, URL, expected status by role) for GET.
MATRIX = [
    ("home", "/", EVERYONE),
    ("healthz", "/healthz", EVERYONE),
    ("login", "/accounts/login/", EVERYONE),
    ("logout", "/accounts/logout/", dict.fromkeys(ROLES, 405)),
    ("password_change", "/accounts/password_change/", SIGNED_IN),
    # Each signed-in user's own profile; its calendar feed is created and revoked by POST.
    ("profile", "/accounts/profile/", SIGNED_IN),
    ("calendar_feed_create", "/accounts/profile/calendar/", POST_ONLY),
    ("calendar_feed_revoke", "/accounts/profile/calendar/revoke/", POST_ONLY),
    # One's own name, language, time zone, address and notice preferences: changed by POST.
    ("profile_details", "/accounts/profile/details/", POST_ONLY),
    ("profile_email", "/accounts/profile/email/", POST_ONLY),
    ("profile_notices", "/accounts/profile/notices/", POST_ONLY),
    # The footer's language switcher: anyone, signed in or not, by POST.
    ("language", "/accounts/language/", dict.fromkeys(ROLES, 405)),
    # Alpha's officer's link to a new address: its owner is asked to confirm; anyone else is
    # told the link is for another account; a forged one is explained too.
    ("profile_email_confirm", "/accounts/profile/email/{email_token}/", SIGNED_IN),
    ("profile_email_confirm", "/accounts/profile/email/forged-token/", SIGNED_IN),
    # Each signed-in user's own inbox; marking read is a POST.
    ("inbox", "/inbox/", SIGNED_IN),
    ("inbox", "/inbox/?page=nonsense", SIGNED_IN),
    ("notices_read_all", "/inbox/read/", POST_ONLY),
    ("notice_open", "/inbox/{notice}/open/", POST_ONLY),
    ("notice_read", "/inbox/{notice}/read/", POST_ONLY),
    # The feed: calendar apps fetch it without signing in, so its secret token is the key.
    ("calendar_feed", "/calendar/{feed_token}.ics", EVERYONE),
    ("calendar_feed", "/calendar/forged-token.ics", GONE),
    ("password_change_done", "/accounts/password_change/done/", SIGNED_IN),
    ("password_reset", "/accounts/password_reset/", EVERYONE),
    ("password_reset_done", "/accounts/password_reset/done/", EVERYONE),
    # A forged link: the page says it is invalid.
    ("password_reset_confirm", "/accounts/reset/MQ/forged-token/", EVERYONE),
    ("password_reset_complete", "/accounts/reset/done/", EVERYONE),
    ("sections:directory", "/sections/", SIGNED_IN),
    ("sections:autocomplete", "/sections/autocomplete.json?q=alpha", SIGNED_IN),
    ("sections:detail", "/sections/{a}/", SIGNED_IN),
    ("sections:detail", "/sections/{b}/", SIGNED_IN),
    ("sections:detail", "/sections/no-such-section/", NOBODY),
    ("sections:edit", "/sections/{a}/edit/", {**NOBODY, "officer_a": 200}),
    ("sections:edit", "/sections/{b}/edit/", {**NOBODY, "officer_b": 200}),
    ("sections:readiness", "/sections/{a}/readiness/", PRIVATE_A),
    ("sections:readiness", "/sections/{b}/readiness/", PRIVATE_B),
    ("sections:partners", "/sections/{a}/partners/", PRIVATE_A),
    ("sections:partners", "/sections/{b}/partners/", PRIVATE_B),
    ("sections:partner_decision", "/sections/{a}/partners/{b}/", POST_ONLY),
    # Invitations to a section's offices: its officers, its district's coordinators and society
    # admins invite, re-send and revoke.
    ("sections:invitation_new", "/sections/{a}/invitations/new/", PRIVATE_A),
    ("sections:invitation_new", "/sections/{b}/invitations/new/", PRIVATE_B),
    ("sections:invitation_resend", "/sections/{a}/invitations/{invitation}/resend/", POST_ONLY),
    ("sections:invitation_revoke", "/sections/{a}/invitations/{invitation}/revoke/", POST_ONLY),
    # The invitee's link: opened without an account (anyone holding it sees the invitation; a
    # signed-in user with another address is told to log out); a forged one explains itself.
    ("invitation_accept", "/accounts/invitation/{invitation_token}/", EVERYONE),
    ("invitation_accept", "/accounts/invitation/forged-token/", GONE),
    ("invitation_renew", "/accounts/invitation/{invitation_token}/renew/", dict.fromkeys(ROLES, 405)),
    ("partnerships:list", "/partnerships/", SIGNED_IN),
    # The partnership list's drill-down filters, garbage included: a message, never an error.
    ("partnerships:list", "/partnerships/?event=activated&quarter=2025-Q9&year=x&partner_district=nowhere", SIGNED_IN),
    ("partnerships:detail", "/partnerships/{p}/", SEE),
    ("partnerships:detail", "/partnerships/999999/", NOBODY),
    ("partnerships:propose", "/partnerships/propose/{a}/", {**NOBODY, "officer_a": 200}),
    # Beta has answered: its officer is sent to the partnership with a message saying so.
    ("partnerships:answer", "/partnerships/{p}/answer/", ANSWERED),
    # A side's handover note: its own officers write it; the other side's get 403.
    ("partnerships:handover_note", "/partnerships/{p}/handover-note/{a_pk}/", {**CHANGE, "officer_a": 200, "officer_b": 403}),
    ("partnerships:handover_note", "/partnerships/{p}/handover-note/{b_pk}/", {**CHANGE, "officer_a": 403, "officer_b": 200}),
    ("partnerships:transition", "/partnerships/{p}/do/activate/", CHANGE),
    ("partnerships:transition", "/partnerships/{p}/do/suspend/", CHANGE),
    ("partnerships:transition", "/partnerships/{p}/do/end/", CHANGE),
    ("partnerships:transition", "/partnerships/{p}/do/withdraw/", {**CHANGE, "officer_b": 403}),
    # District A has endorsed: its coordinator is sent to the partnership with a message saying so.
    ("partnerships:transition", "/partnerships/{p}/do/endorse/", ENDORSED),
    ("partnerships:transition", "/partnerships/{p}/do/no-such-action/", SEE_NOTHING),
    ("partnerships:give_take", "/partnerships/{p}/give-take/{a_pk}/", {**CHANGE, "officer_b": 403}),
    ("partnerships:lead_add", "/partnerships/{p}/leads/add/", POST_ONLY),
    ("partnerships:lead_remove", "/partnerships/{p}/leads/{lead}/remove/", POST_ONLY),
    ("partnerships:agreement", "/partnerships/{p}/agreement/", CHANGE),
    ("partnerships:agreement_document", "/partnerships/{p}/agreement/document/", SEE),
    # Beta's pending change to the agreement: whoever sees the partnership reads its document;
    # answering it is a POST.
    ("partnerships:agreement_change_document", "/partnerships/{p}/agreement/changes/{change}/document/", SEE),
    ("partnerships:agreement_change_document", "/partnerships/{p}/agreement/changes/999999/document/", SEE_NOTHING),
    ("partnerships:agreement_change_decide", "/partnerships/{p}/agreement/changes/{change}/confirm/", POST_ONLY),
    # Alpha's draft to a third section: Alpha's officers only (and society admins), not the
    # district coordinator, until it is sent.
    ("partnerships:detail", "/partnerships/{draft_p}/", {**NOBODY, "officer_a": 200, "society_admin": 200}),
    # Finances: everybody who sees the partnership reads them; the partners change them.
    ("partnerships:finances", "/partnerships/{p}/finances/", SEE),
    ("partnerships:finances_csv", "/partnerships/{p}/finances.csv", SEE),
    ("partnerships:support_add", "/partnerships/{p}/finances/support/add/", CHANGE),
    ("partnerships:support_edit", "/partnerships/{p}/finances/support/{support}/", CHANGE),
    ("partnerships:support_edit", "/partnerships/{p}/finances/support/999999/", {**CHANGE, "officer_a": 404, "officer_b": 404}),
    ("partnerships:instalment_add", "/partnerships/{p}/finances/support/{support}/instalments/add/", CHANGE),
    ("partnerships:instalment_sent", "/partnerships/{p}/finances/instalments/{instalment}/sent/", POST_ONLY),
    ("partnerships:instalment_received", "/partnerships/{p}/finances/instalments/{instalment}/received/", POST_ONLY),
    ("partnerships:spending_add", "/partnerships/{p}/finances/funding/{line}/spending/add/", CHANGE),
    ("partnerships:spending_delete", "/partnerships/{p}/finances/spending/{spending}/delete/", POST_ONLY),
    ("partnerships:spending_receipt", "/partnerships/{p}/finances/spending/{spending}/receipt/", SEE),
    ("partnerships:plan_add", "/partnerships/{p}/plan/goal/add/", CHANGE),
    ("partnerships:plan_add", "/partnerships/{p}/plan/activity/add/", CHANGE),
    ("partnerships:plan_add", "/partnerships/{p}/plan/indicator/add/", CHANGE),
    ("partnerships:plan_add", "/partnerships/{p}/plan/funding/add/", CHANGE),
    ("partnerships:plan_add", "/partnerships/{p}/plan/nonsense/add/", SEE_NOTHING),
    ("partnerships:plan_edit", "/partnerships/{p}/plan/goal/{goal}/", CHANGE),
    ("partnerships:plan_delete", "/partnerships/{p}/plan/goal/{goal}/delete/", POST_ONLY),
    ("partnerships:communication_add", "/partnerships/{p}/communications/add/", CHANGE),
    ("partnerships:conflict_add", "/partnerships/{p}/conflicts/add/", CHANGE),
    ("partnerships:conflict_edit", "/partnerships/{p}/conflicts/999999/", {**CHANGE, "officer_a": 404, "officer_b": 404}),
    ("partnerships:cadence", "/partnerships/{p}/cadence/", POST_ONLY),
    # Growing Alpha (formative): either side adds a milestone; Alpha records progress, Beta its help.
    ("partnerships:growth_milestone_add", "/partnerships/{p}/growth/milestones/add/", CHANGE),
    ("partnerships:growth_milestone_progress", "/partnerships/{p}/growth/milestones/{milestone}/progress/",
     {**CHANGE, "officer_b": 403}),
    ("partnerships:growth_milestone_help", "/partnerships/{p}/growth/milestones/{milestone}/help/",
     {**CHANGE, "officer_a": 403}),
    ("partnerships:growth_milestone_help", "/partnerships/{p}/growth/milestones/999999/help/", SEE_NOTHING),
    ("partnerships:growth_milestone_evidence", "/partnerships/{p}/growth/milestones/{milestone}/evidence/", SEE),
    ("partnerships:growth_maturity_propose", "/partnerships/{p}/growth/maturity/", POST_ONLY),
    ("partnerships:growth_maturity_decide", "/partnerships/growth/maturity/{maturity}/confirm/", POST_ONLY),
    ("partnerships:checkin", "/partnerships/{p}/check-ins/{checkin}/", SEE),
    ("partnerships:checkin", "/partnerships/{p}/check-ins/999999/", SEE_NOTHING),
    # Exchanges: Alpha sends, Beta hosts. Whoever sees the partnership reads an exchange (names
    # only for officers and coordinators); each side's officers change their own part.
    ("partnerships:exchange_add", "/partnerships/{p}/exchanges/add/", CHANGE),
    ("partnerships:exchange", "/partnerships/{p}/exchanges/{exchange}/", SEE),
    ("partnerships:exchange", "/partnerships/{p}/exchanges/999999/", SEE_NOTHING),
    ("partnerships:exchange_edit", "/partnerships/{p}/exchanges/{exchange}/edit/", CHANGE),
    ("partnerships:exchange_done", "/partnerships/{p}/exchanges/{exchange}/done/", CHANGE),
    ("partnerships:exchange_participant_add", "/partnerships/{p}/exchanges/{exchange}/participants/add/", POST_ONLY),
    ("partnerships:exchange_participant_remove",
     "/partnerships/{p}/exchanges/{exchange}/participants/{person}/remove/", POST_ONLY),
    ("partnerships:exchange_confirm", "/partnerships/{p}/exchanges/{exchange}/confirm/", POST_ONLY),
    ("partnerships:exchange_start", "/partnerships/{p}/exchanges/{exchange}/start/", POST_ONLY),
    ("partnerships:exchange_cancel", "/partnerships/{p}/exchanges/{exchange}/cancel/", POST_ONLY),
    ("stories:list", "/stories/", EVERYONE),
    ("stories:detail", "/stories/{story}/", EVERYONE),
    ("stories:detail", "/stories/{hidden_story}/", GONE),
    ("stories:photo", "/stories/{story}/photo/", EVERYONE),
    ("stories:photo", "/stories/{hidden_story}/photo/", GONE),
    # Not started: whoever sees the partnership reads that; its officers get the start button.
    ("partnerships:evaluation", "/partnerships/{p}/evaluation/final/", SEE),
    ("partnerships:evaluation", "/partnerships/{p}/evaluation/midterm/", SEE),
    ("partnerships:evaluation", "/partnerships/{p}/evaluation/nonsense/", SEE_NOTHING),
    ("partnerships:evaluation_confirm", "/partnerships/{p}/evaluation/final/confirm/", POST_ONLY),
    ("partnerships:evaluation_comment", "/partnerships/{p}/evaluation/final/comment/", POST_ONLY),
    ("partnerships:report", "/partnerships/{p}/report/", SEE),
    ("partnerships:report_pdf", "/partnerships/{p}/report.pdf", SEE),
    # Writing a lesson: the participating sections' officers.
    ("partnerships:lesson_new", "/partnerships/{p}/lessons/new/", CHANGE),
    ("partnerships:lesson_new", "/partnerships/{p}/lessons/new/?evaluation=nonsense",
     {**CHANGE, "officer_a": 404, "officer_b": 404}),
    ("lessons:list", "/lessons/", SIGNED_IN),
    ("lessons:list", "/lessons/?q=alpha&form=nonsense&sort=helpful", SIGNED_IN),
    ("lessons:detail", "/lessons/{lesson}/", SIGNED_IN),
    # A lesson for the partners only: as the partnership itself.
    ("lessons:detail", "/lessons/{partners_lesson}/", SEE),
    # A draft: only the writing section's officers; nobody else learns it exists.
    ("lessons:detail", "/lessons/{draft}/", {**NOBODY, "officer_a": 200}),
    ("lessons:detail", "/lessons/999999/", NOBODY),
    # Editing: the writing section's officers; those who read the lesson get 403.
    ("lessons:edit", "/lessons/{lesson}/edit/", {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "officer_a": 200}),
    ("lessons:edit", "/lessons/{partners_lesson}/edit/", {**CHANGE, "officer_b": 403}),
    ("lessons:edit", "/lessons/{draft}/edit/", {**NOBODY, "officer_a": 200}),
    ("lessons:helpful", "/lessons/{lesson}/helpful/", POST_ONLY),
    # Recognition, section level: a section's points are public within the society; acknowledging
    # is for the participating sections' officers (the others get 404, as for a record not
    # theirs); a certificate for whoever sees the partnership, or by its signed link for anyone.
    ("recognition:section", "/recognition/sections/{a}/", SIGNED_IN),
    ("recognition:section", "/recognition/sections/{a}/?year=nonsense", SIGNED_IN),
    ("recognition:section", "/recognition/sections/no-such-section/", NOBODY),
    ("recognition:acknowledge", "/recognition/partnerships/{p}/acknowledge/", {**NOBODY, "officer_a": 200, "officer_b": 200}),
    ("recognition:acknowledge", "/recognition/partnerships/999999/acknowledge/", NOBODY),
    ("recognition:certificate", "/recognition/certificates/{ack}/", SEE),
    ("recognition:certificate_pdf", "/recognition/certificates/{ack}.pdf", SEE),
    ("recognition:certificate_shared", "/recognition/certificates/shared/{ack_token}/", EVERYONE),
    ("recognition:certificate_shared", "/recognition/certificates/shared/{ack}:forged/", GONE),
    ("recognition:certificate_shared_pdf", "/recognition/certificates/shared/{ack_token}.pdf", EVERYONE),
    # Award nominations: Alpha's, submitted to its district.
    ("recognition:nominations", "/recognition/nominations/", SIGNED_IN),
    ("recognition:nomination_start", "/recognition/nominations/start/", POST_ONLY),
    ("recognition:nomination", "/recognition/nominations/{nomination}/", PRIVATE_A),
    ("recognition:nomination", "/recognition/nominations/999999/", NOBODY),
    ("recognition:nomination_submit", "/recognition/nominations/{nomination}/submit/", POST_ONLY),
    ("recognition:nomination_review", "/recognition/nominations/{nomination}/review/", POST_ONLY),
    ("recognition:nomination_decide", "/recognition/nominations/{nomination}/decide/", POST_ONLY),
    # Recognition, district level: every member reads a district's page; its coordinators
    # (and society admins) also get the form, which posts to district_recognise.
    ("recognition:district", "/recognition/districts/da/", SIGNED_IN),
    ("recognition:district", "/recognition/districts/da/?year=nonsense", SIGNED_IN),
    ("recognition:district", "/recognition/districts/nowhere/", NOBODY),
    ("recognition:district_recognise", "/recognition/districts/da/recognise/", POST_ONLY),
    # The society leaderboard and its CSV: every member.
    ("recognition:leaderboard", "/recognition/leaderboard/", SIGNED_IN),
    ("recognition:leaderboard", "/recognition/leaderboard/?district=nowhere&kind=robot&page=-1", SIGNED_IN),
    ("recognition:leaderboard", "/recognition/leaderboard/?format=csv", SIGNED_IN),
    ("recognition:leaderboard_csv", "/recognition/leaderboard.csv", SIGNED_IN),
    # The district dashboard and its CSVs: a coordinator's own districts (coordinator_other
    # coordinates another district, so the bare address shows them theirs) and society admins.
    ("dashboard", "/dashboard/", {**NOBODY, "coordinator_a": 200, "coordinator_other": 200, "society_admin": 200}),
    ("dashboard", "/dashboard/?district=da", DISTRICT_A),
    ("dashboard", "/dashboard/?district=da&status=bogus&page=abc&sections_page=99999", DISTRICT_A),
    ("dashboard", "/dashboard/?district=nowhere", NOBODY),
    ("dashboard_export", "/dashboard/export/needs.csv?district=da", DISTRICT_A),
    ("dashboard_export", "/dashboard/export/partnerships.csv?district=da&status=active", DISTRICT_A),
    ("dashboard_export", "/dashboard/export/sections.csv?district=da", DISTRICT_A),
    ("dashboard_export", "/dashboard/export/reporting.csv?district=da", DISTRICT_A),
    ("dashboard_export", "/dashboard/export/nonsense.csv?district=da", NOBODY),
    # The society dashboard and its CSVs: society admins only.
    ("dashboard_society", "/dashboard/society/", {**NOBODY, "society_admin": 200}),
    ("dashboard_society_export", "/dashboard/society/export/districts.csv", {**NOBODY, "society_admin": 200}),
    ("dashboard_society_export", "/dashboard/society/export/countries.csv", {**NOBODY, "society_admin": 200}),
    ("dashboard_society_export", "/dashboard/society/export/nothing.csv", NOBODY),
    ("admin", "/admin/", {**dict.fromkeys(ROLES, LOGIN), "society_admin": 200, "staff": 200}),
    ("admin", "/admin/sections/section/", ADMIN_ONLY),
    ("admin", "/admin/sections/section/import/", ADMIN_ONLY),
    ("admin", "/admin/sections/invitation/", ADMIN_ONLY),
    ("admin", "/admin/sections/invitation/add/", ADMIN_ONLY),
    ("admin", "/admin/sections/invitation/import/", ADMIN_ONLY),
    ("admin", "/admin/partnerships/partnership/", ADMIN_ONLY),
    ("admin", "/admin/partnerships/partnership/{p}/change/", ADMIN_ONLY),
    # Handover records, read only: the site's services keep them.
    ("admin", "/admin/partnerships/leadvacancy/", ADMIN_ONLY),
    ("admin", "/admin/partnerships/handovernote/", ADMIN_ONLY),
    ("admin", "/admin/evaluation/evaluation/", ADMIN_ONLY),
    ("admin", "/admin/evaluation/lesson/", ADMIN_ONLY),
    ("admin", "/admin/evaluation/challengecategory/", ADMIN_ONLY),
    ("admin", "/admin/evaluation/story/", ADMIN_ONLY),
    ("admin", "/admin/evaluation/story/{story}/change/", ADMIN_ONLY),
    ("admin", "/admin/evaluation/midtermoffer/", ADMIN_ONLY),
    ("admin", "/admin/recognition/nomination/", ADMIN_ONLY),
    ("admin", "/admin/web/calendarfeed/", ADMIN_ONLY),
    # Failed log-ins and lockouts (django-axes): where an admin lifts a lockout.
    ("admin", "/admin/axes/accessattempt/", ADMIN_ONLY),
    ("admin", "/admin/recognition/nomination/{nomination}/change/", ADMIN_ONLY),
]

# POST-only actions: (url, expected by role). A POST that is refused changes nothing.
POSTS = [
    # The language switcher, posted without a language: 400 for anyone (test_languages.py posts one).
    ("/accounts/language/", dict.fromkeys(ROLES, 400)),
    # Creating (or replacing) and revoking one's own calendar feed: every signed-in user.
    ("/accounts/profile/calendar/", {**dict.fromkeys(ROLES, 302), "anonymous": LOGIN}),
    ("/accounts/profile/calendar/revoke/", {**dict.fromkeys(ROLES, 302), "anonymous": LOGIN}),
    # Alpha's invitation: re-sent or revoked by Alpha's officers, its coordinator, society admins.
    ("/sections/{a}/invitations/{invitation}/resend/",
     {**PRIVATE_A, "officer_a": 302, "coordinator_a": 302, "society_admin": 302}),
    ("/sections/{a}/invitations/{invitation}/revoke/",
     {**PRIVATE_A, "officer_a": 302, "coordinator_a": 302, "society_admin": 302}),
    # The link, posted empty: a new invitee gets the form back with its errors; a signed-in user
    # with another address is told to log out. Asking for a new link answers the same to all.
    ("/accounts/invitation/{invitation_token}/", dict.fromkeys(ROLES, 200)),
    ("/accounts/invitation/{invitation_token}/renew/", dict.fromkeys(ROLES, 200)),
    # One's own profile forms: sent empty, each comes back with its field errors.
    ("/accounts/profile/details/", {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN}),
    ("/accounts/profile/email/", {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN}),
    ("/accounts/profile/notices/", {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN}),
    # Alpha's officer's link: only its owner confirms it; the others are told it is not theirs.
    ("/accounts/profile/email/{email_token}/", {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN, "officer_a": 302}),
    # Alpha's officer's notice: only its owner opens it or marks it read; all read is everyone's own.
    ("/inbox/{notice}/open/", {**NOBODY, "officer_a": 302}),
    ("/inbox/{notice}/read/", {**NOBODY, "officer_a": 302}),
    ("/inbox/read/", {**dict.fromkeys(ROLES, 302), "anonymous": LOGIN}),
    # Alpha's lead: only Alpha's officers remove it.
    ("/partnerships/{p}/leads/{lead}/remove/", {**CHANGE, "officer_a": 302, "officer_b": 403}),
    # Beta's change to the agreement: Alpha answers it, Beta withdraws it.
    ("/partnerships/{p}/agreement/changes/{change}/confirm/", {**CHANGE, "officer_a": 302, "officer_b": 403}),
    ("/partnerships/{p}/agreement/changes/{change}/decline/", {**CHANGE, "officer_a": 302, "officer_b": 403}),
    ("/partnerships/{p}/agreement/changes/{change}/withdraw/", {**CHANGE, "officer_a": 403, "officer_b": 302}),
    ("/partnerships/{p}/agreement/changes/{change}/nonsense/", NOBODY),
    ("/partnerships/{p}/plan/goal/{goal}/delete/", {**CHANGE, "officer_a": 302, "officer_b": 302}),
    # Alpha gives, Beta receives: each side records its own step of an instalment (an empty
    # form comes back as a message); a spending entry is removed by either side.
    ("/partnerships/{p}/finances/instalments/{instalment}/sent/", {**CHANGE, "officer_a": 302, "officer_b": 403}),
    ("/partnerships/{p}/finances/instalments/{instalment}/received/", {**CHANGE, "officer_a": 403, "officer_b": 302}),
    ("/partnerships/{p}/finances/spending/{spending}/delete/", {**CHANGE, "officer_a": 302, "officer_b": 302}),
    ("/partnerships/{p}/finances/support/add/", {**CHANGE, "officer_a": 200, "officer_b": 200}),
    # Alpha's check-in: only Alpha's officers report for it (the partnership here is endorsed, not
    # running, so Alpha's officer gets the form back with the refusal rather than a saved draft).
    ("/partnerships/{p}/check-ins/{checkin}/", {**CHANGE, "officer_a": 200, "officer_b": 403}),
    ("/partnerships/{p}/cadence/", {**CHANGE, "officer_a": 302, "officer_b": 302}),
    # An empty POST shows the note form again to Alpha's officers.
    ("/partnerships/{p}/handover-note/{a_pk}/", {**CHANGE, "officer_a": 200, "officer_b": 403}),
    # Alpha's proposal to count as developing: Alpha's officers propose (again: a message); its
    # district's coordinator decides; Alpha's officers are refused, nobody else learns of it.
    ("/partnerships/{p}/growth/maturity/", {**CHANGE, "officer_a": 302, "officer_b": 403}),
    ("/partnerships/growth/maturity/{maturity}/decline/", {**NOBODY, "officer_a": 403, "coordinator_a": 302}),
    ("/partnerships/growth/maturity/{maturity}/nonsense/", NOBODY),
    # Exchanges: an empty form comes back with its errors to those who may send it; Beta (the
    # host) confirms the dates, Alpha (the sender) names and removes who goes; not yet
    # confirmed, the exchange gets under way for nobody: a message, back to its page.
    ("/partnerships/{p}/exchanges/add/", {**CHANGE, "officer_a": 200, "officer_b": 200}),
    ("/partnerships/{p}/exchanges/{exchange}/edit/", {**CHANGE, "officer_a": 200, "officer_b": 302}),
    ("/partnerships/{p}/exchanges/{exchange}/participants/add/", {**CHANGE, "officer_a": 200, "officer_b": 403}),
    ("/partnerships/{p}/exchanges/{exchange}/participants/{person}/remove/", {**CHANGE, "officer_a": 302, "officer_b": 403}),
    ("/partnerships/{p}/exchanges/{exchange}/confirm/", {**CHANGE, "officer_a": 403, "officer_b": 302}),
    ("/partnerships/{p}/exchanges/{exchange}/start/", {**CHANGE, "officer_a": 302, "officer_b": 302}),
    ("/partnerships/{p}/exchanges/{exchange}/done/", {**CHANGE, "officer_a": 200, "officer_b": 200}),
    ("/partnerships/{p}/exchanges/{exchange}/cancel/", {**CHANGE, "officer_a": 302, "officer_b": 302}),
    # Answering or endorsing again: a message, not a refusal, for whose answer or endorsement stands.
    ("/partnerships/{p}/answer/", ANSWERED),
    ("/partnerships/{p}/do/endorse/", ENDORSED),
    # Starting the final evaluation: the officers are sent back with the refusal (the
    # partnership is not active yet); the others who see it get 403.
    ("/partnerships/{p}/evaluation/final/", {**CHANGE, "officer_a": 302, "officer_b": 302}),
    # No evaluation started: nothing to confirm or comment on.
    ("/partnerships/{p}/evaluation/final/confirm/", SEE_NOTHING),
    ("/partnerships/{p}/evaluation/final/comment/", SEE_NOTHING),
    # An empty lesson form comes back with its errors to those who may write.
    ("/partnerships/{p}/lessons/new/", {**CHANGE, "officer_a": 200, "officer_b": 200}),
    ("/lessons/{lesson}/edit/", {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "officer_a": 200}),
    # "This helped us": every reader but the writing section.
    ("/lessons/{lesson}/helpful/", {**dict.fromkeys(ROLES, 302), "anonymous": LOGIN, "officer_a": 403}),
    ("/lessons/{partners_lesson}/helpful/", {**SEE, "officer_a": 403, "officer_b": 302, "coordinator_a": 302, "society_admin": 302}),
    # The writers see their draft, and are told that a draft cannot be marked.
    ("/lessons/{draft}/helpful/", {**NOBODY, "officer_a": 302}),
    # An empty acknowledgement comes back with its errors to the officers; 404 for the rest.
    ("/recognition/partnerships/{p}/acknowledge/", {**NOBODY, "officer_a": 200, "officer_b": 200}),
    # Nominations: an empty form comes back with its errors to whoever may use it; a step of
    # another role is 403 to those who see the nomination, 404 to the others.
    ("/recognition/nominations/start/", {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN}),
    ("/recognition/nominations/{nomination}/", {**PRIVATE_A, "coordinator_a": 403, "society_admin": 403}),
    # Already submitted: its officers are sent back with the refusal.
    ("/recognition/nominations/{nomination}/submit/", {**PRIVATE_A, "officer_a": 302, "coordinator_a": 403, "society_admin": 403}),
    ("/recognition/nominations/{nomination}/review/", {**PRIVATE_A, "officer_a": 403, "society_admin": 403}),
    ("/recognition/nominations/{nomination}/decide/", {**PRIVATE_A, "officer_a": 403, "coordinator_a": 403}),
    # Recognising a section: only the district's coordinator and society admins; an empty form comes
    # back to them with its errors, the others get 403.
    ("/recognition/districts/da/recognise/",
     {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "coordinator_a": 200, "society_admin": 200}),
]


def _named_routes(patterns, namespace: str | None = None) -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            if inner == "admin":
                names.add("admin")
                continue
            names |= _named_routes(pattern.url_patterns, f"{namespace}:{inner}" if namespace and inner else inner or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_staff_get_what_a_member_gets():
    """Staff status opens the admin site and nothing else: on every page of the site, a staff
    user without the society-admin permission gets what a member (no role there) gets."""
    differ = [url for name, url, expected in MATRIX if name != "admin" and expected["staff"] != expected["member"]]
    differ += [url for url, expected in POSTS if expected["staff"] != expected["member"]]
    assert differ == []


def test_every_named_route_has_a_row():
    routes = _named_routes(get_resolver().url_patterns)
    rows = {name for name, _url, _expected in MATRIX}
    assert routes - rows == set(), "routes without a row in the permission matrix"
    assert rows - routes == set(), "rows naming no route"


@pytest.fixture
def setting(world):
    partnership = make_ready(world, endorsed(world))
    # A past reporting period, so that the check-in URLs have a check-in to show.
    period = ReportingPeriod.objects.create(
        partnership=partnership, number=0, starts_on=datetime.date(2025, 10, 1),
        ends_on=datetime.date(2025, 12, 31), due_on=datetime.date(2026, 1, 30),
    )
    for section in (world.a, world.b):
        CheckIn.objects.create(period=period, section=section, due_on=period.due_on)
    # Another, completed partnership's public story, and one not published.
    more_stories(1)
    more_stories(1, published=False)
    # Alpha's lessons: one for the society, one for the partners only, one draft.
    write_lesson(partnership, world.a, world.officer_a, title="For everyone")
    write_lesson(partnership, world.a, world.officer_a, title="For the partners", visibility=Lesson.Visibility.PARTNERS)
    write_lesson(partnership, world.a, world.officer_a, title="Not yet", publish=False)
    Acknowledgement.objects.create(
        partnership=partnership, section=world.a, name="Vera Volunteer", role="Host", contribution="Hosted students",
        acknowledged_by=world.officer_a,
    )
    # Alpha's award nomination, submitted to its district.
    nomination = nomination_start(section=world.a, award_year=2026, actor=world.officer_a)
    nomination_save(nomination=nomination, actor=world.officer_a, narrative="A year of twinning.")
    nomination_submit(nomination=nomination, actor=world.officer_a)
    # Beta proposes a new signed document; Alpha sketches a partnership with a third section.
    services.agreement_record(
        partnership=partnership, actor=world.officer_b, kind="written", signed_on=datetime.date(2025, 12, 2),
        document=SimpleUploadedFile("new.pdf", PDF, content_type="application/pdf"),
    )
    propose(world, submit=False, partner_sections=[SectionFactory(district=world.b.district)], title="A sketch")
    # Alpha, formative, grows with Beta's help: a milestone with Alpha's evidence, and Alpha's
    # proposal to count as developing.
    Section.objects.filter(pk=world.a.pk).update(maturity=Section.Maturity.FORMATIVE)
    partnership.forms.add(TwinningForm.objects.get(code="growing-section"))
    milestone = services.growth_milestone_add(
        partnership=partnership, actor=world.officer_b, kind=MilestoneKind.objects.first(),
        target_date=datetime.date(2026, 9, 30),
    )
    services.growth_milestone_progress(
        milestone=milestone, actor=world.officer_a, done_on=datetime.date(2025, 12, 1), evidence="Minutes",
        evidence_file=SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf"),
    )
    services.maturity_propose(partnership=partnership, actor=world.officer_a)
    # Someone Alpha sends on the exchange make_ready planned.
    services.exchange_participant_add(
        exchange=partnership.exchanges.get(), actor=world.officer_a,
        participant=ExchangeParticipant(name="Sam Student", role="Intern", kind="student", email="sam@example.org"),
    )
    # Alpha supports Beta: one instalment planned, one receipt for the funding line.
    support = services.support_agreement_save(partnership=partnership, actor=world.officer_a, agreement=SupportAgreement(
        giver=world.a, receiver=world.b, purpose="Lab", amount=Decimal("100"), currency="USD",
        return_form=TwinningForm.objects.get(code="technical-exchange"), return_description="Talks",
    ))
    services.instalment_add(partnership=partnership, actor=world.officer_a, instalment=Instalment(
        agreement=support, amount=Decimal("50"), planned_on=datetime.date(2026, 1, 1),
    ))
    services.spending_add(
        partnership=partnership, actor=world.officer_b,
        spending=Spending(funding_line=partnership.funding_lines.first(), spent_on=datetime.date(2025, 12, 1),
                          amount=Decimal("10"), what_for="Cables"),
        receipt=SimpleUploadedFile("receipt.pdf", PDF, content_type="application/pdf"),
    )
    # Alpha's officer invites a treasurer; the link's token is in the mail only.
    invite_sections.invitation_create(
        actor=world.officer_a, section=world.a, email="invitee@example.org", role="treasurer",
        start_date=timezone.localdate(),
    )
    world.invitation_token = re.search(
        r"/accounts/invitation/([\w-]+)/", OutgoingMail.objects.get(to="invitee@example.org").text
    ).group(1)
    # Alpha's officer's calendar feed: its token is shown once, so the world keeps it.
    world.feed_token = calendar_feed_create(user=world.officer_a)
    # A notice in Alpha's officer's inbox, and a link to change their address.
    world.notice = Notice.objects.create(
        user=world.officer_a, kind=NoticeKind.TRANSITIONS, subject="Alpha's notice", link=f"/partnerships/{partnership.pk}/",
        delivery=Delivery.IMMEDIATE,
    )
    world.email_token = email_change_token(user=world.officer_a, new_email="alpha-officer@example.net")
    users = {
        "anonymous": None,
        "member": OfficerFactory().user,
        "officer_a": world.officer_a,
        "officer_b": world.officer_b,
        "former_officer_a": OfficerFactory(
            section=world.a, role="secretary", start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2021, 1, 1)
        ).user,
        "coordinator_a": world.coordinator_a,
        "coordinator_other": CoordinatorFactory().user,
        # Staff in the "Society admins" group, as the admin grants the role; and staff status
        # alone, which opens the admin site and nothing more.
        "society_admin": UserFactory(society_admin=True),
        "staff": UserFactory(is_staff=True),
    }
    return partnership, users, world


def _url(template: str, partnership, world) -> str:
    return template.format(
        p=partnership.pk,
        a=world.a.slug,
        b=world.b.slug,
        a_pk=world.a.pk,
        b_pk=world.b.pk,
        goal=partnership.goals.first().pk,
        lead=partnership.leads.first().pk,
        checkin=CheckIn.objects.get(period__partnership=partnership, section=world.a).pk,
        story=Story.objects.get(published_at__isnull=False).pk,
        hidden_story=Story.objects.get(published_at__isnull=True).pk,
        lesson=Lesson.objects.get(partnership=partnership, title="For everyone").pk,
        partners_lesson=Lesson.objects.get(partnership=partnership, title="For the partners").pk,
        draft=Lesson.objects.get(partnership=partnership, title="Not yet").pk,
        ack=Acknowledgement.objects.get(partnership=partnership).pk,
        ack_token=certificate_token(Acknowledgement.objects.get(partnership=partnership)),
        nomination=Nomination.objects.get(section=world.a).pk,
        feed_token=world.feed_token,
        invitation=Invitation.objects.get(email="invitee@example.org").pk,
        invitation_token=world.invitation_token,
        notice=world.notice.pk,
        email_token=world.email_token,
        change=partnership.agreement_changes.get(state="pending").pk,
        draft_p=Partnership.objects.get(title="A sketch").pk,
        milestone=GrowthMilestone.objects.get(partnership=partnership).pk,
        maturity=MaturityProposal.objects.get(section=world.a).pk,
        exchange=partnership.exchanges.get().pk,
        person=ExchangeParticipant.objects.get(exchange__partnership=partnership).pk,
        support=partnership.support_agreements.first().pk,
        instalment=partnership.instalments.first().pk,
        line=partnership.funding_lines.first().pk,
        spending=partnership.spendings.first().pk,
    )


def _status(response):
    if response.status_code == 302 and "login/" in response["Location"]:
        return LOGIN
    return response.status_code


WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def _writes(queries: CaptureQueriesContext) -> list[str]:
    """The statements that changed data, but the session's own row (Django keeps messages
    and the login there)."""
    return [
        query["sql"] for query in queries.captured_queries
        if WRITE.match(query["sql"]) and "django_session" not in query["sql"]
    ]


def _as(client, user) -> None:
    client.logout()
    if user is not None:
        client.force_login(user)


# One test per row, every role in it: the world is built once per row, and a failure shows
# every role that differs.
@pytest.mark.parametrize(("name", "url", "expected"), MATRIX, ids=[row[1] for row in MATRIX])
def test_get_matrix(client, setting, name, url, expected):
    partnership, users, world = setting
    seen, writes, unprotected, inline = {}, [], [], []
    for role in ROLES:
        _as(client, users[role])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_url(url, partnership, world))
        seen[role] = _status(response)
        writes += [(role, sql) for sql in _writes(queries)]
        if "Content-Security-Policy" not in response:
            unprotected.append(role)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            inline += [(role, code) for code in inline_code(response.content.decode())]
    assert seen == expected
    assert writes == [], "a GET wrote to the database"
    assert unprotected == [], "a response without a Content-Security-Policy"
    assert inline == [], "a page needs an inline script or style the policy blocks"


@pytest.mark.parametrize(("url", "expected"), POSTS, ids=[row[0] for row in POSTS])
def test_post_matrix_refusals_change_nothing(client, setting, url, expected):
    partnership, users, world = setting
    refused = [role for role in ROLES if expected[role] != 302]
    before = (partnership.goals.count(), partnership.leads.count())
    seen = {}
    for role in refused:
        _as(client, users[role])
        seen[role] = _status(client.post(_url(url, partnership, world)))
    assert seen == {role: expected[role] for role in refused}
    assert (partnership.goals.count(), partnership.leads.count()) == before


@pytest.mark.parametrize(
    ("url", "role"),
    [(url, role) for url, expected in POSTS for role in ROLES if expected[role] == 302],
)
def test_post_matrix_allowed(client, setting, url, role):
    partnership, users, world = setting
    _as(client, users[role])
    assert _status(client.post(_url(url, partnership, world))) == 302

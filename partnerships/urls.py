"""Pages of partnerships/, under /partnerships/, and the partner finder, under a section's
address (/sections/<slug>/partners/). The web layer mounts both lists."""

from django.urls import path

from .views import agreement, exchanges, finance, finder, growth, handover, lifecycle, pages, plan

urlpatterns = [
    path("propose/<slug:slug>/", lifecycle.propose, name="propose"),
    path("<int:pk>/", pages.partnership_detail, name="detail"),
    path("<int:pk>/answer/", lifecycle.answer, name="answer"),
    path("<int:pk>/do/<slug:action>/", lifecycle.transition, name="transition"),
    path("<int:pk>/give-take/<int:section_id>/", plan.give_take, name="give_take"),
    path("<int:pk>/leads/add/", plan.lead_add, name="lead_add"),
    path("<int:pk>/leads/<int:lead_id>/remove/", plan.lead_remove, name="lead_remove"),
    path("<int:pk>/handover-note/<int:section_id>/", handover.handover_note, name="handover_note"),
    path("<int:pk>/agreement/", agreement.agreement, name="agreement"),
    path(
        "<int:pk>/agreement/changes/<int:change_id>/document/",
        agreement.agreement_change_document,
        name="agreement_change_document",
    ),
    path(
        "<int:pk>/agreement/changes/<int:change_id>/<slug:decision>/",
        agreement.agreement_change_decide,
        name="agreement_change_decide",
    ),
    path("<int:pk>/agreement/document/", pages.agreement_document, name="agreement_document"),
    path("<int:pk>/plan/<slug:kind>/add/", plan.plan_item, name="plan_add"),
    path("<int:pk>/plan/<slug:kind>/<int:item_id>/", plan.plan_item, name="plan_edit"),
    path("<int:pk>/plan/<slug:kind>/<int:item_id>/delete/", plan.plan_item_delete, name="plan_delete"),
    path("<int:pk>/communications/add/", plan.communication_add, name="communication_add"),
    path("<int:pk>/conflicts/add/", plan.conflict, name="conflict_add"),
    path("<int:pk>/conflicts/<int:conflict_id>/", plan.conflict, name="conflict_edit"),
    path("<int:pk>/cadence/", plan.cadence, name="cadence"),
    path("<int:pk>/growth/milestones/add/", growth.milestone_add, name="growth_milestone_add"),
    path("<int:pk>/growth/milestones/<int:milestone_id>/progress/", growth.milestone_progress, name="growth_milestone_progress"),
    path("<int:pk>/growth/milestones/<int:milestone_id>/help/", growth.milestone_help, name="growth_milestone_help"),
    path("<int:pk>/growth/milestones/<int:milestone_id>/evidence/", growth.milestone_evidence, name="growth_milestone_evidence"),
    path("<int:pk>/growth/maturity/", growth.maturity_propose, name="growth_maturity_propose"),
    path("growth/maturity/<int:proposal_id>/<slug:decision>/", growth.maturity_decide, name="growth_maturity_decide"),
    path("<int:pk>/exchanges/add/", exchanges.exchange_add, name="exchange_add"),
    path("<int:pk>/exchanges/<int:exchange_id>/", exchanges.exchange_detail, name="exchange"),
    path("<int:pk>/exchanges/<int:exchange_id>/edit/", exchanges.exchange_edit, name="exchange_edit"),
    path(
        "<int:pk>/exchanges/<int:exchange_id>/participants/add/",
        exchanges.exchange_participant_add, name="exchange_participant_add",
    ),
    path(
        "<int:pk>/exchanges/<int:exchange_id>/participants/<int:participant_id>/remove/",
        exchanges.exchange_participant_remove, name="exchange_participant_remove",
    ),
    path("<int:pk>/exchanges/<int:exchange_id>/confirm/", exchanges.exchange_confirm, name="exchange_confirm"),
    path("<int:pk>/exchanges/<int:exchange_id>/start/", exchanges.exchange_start, name="exchange_start"),
    path("<int:pk>/exchanges/<int:exchange_id>/done/", exchanges.exchange_done, name="exchange_done"),
    path("<int:pk>/exchanges/<int:exchange_id>/cancel/", exchanges.exchange_cancel, name="exchange_cancel"),
    path("<int:pk>/finances/", finance.finances, name="finances"),
    path("<int:pk>/finances.csv", finance.finances_csv, name="finances_csv"),
    path("<int:pk>/finances/support/add/", finance.support_agreement, name="support_add"),
    path("<int:pk>/finances/support/<int:agreement_id>/", finance.support_agreement, name="support_edit"),
    path("<int:pk>/finances/support/<int:agreement_id>/instalments/add/", finance.instalment_add, name="instalment_add"),
    path("<int:pk>/finances/instalments/<int:instalment_id>/sent/", finance.instalment_sent, name="instalment_sent"),
    path(
        "<int:pk>/finances/instalments/<int:instalment_id>/received/", finance.instalment_received,
        name="instalment_received",
    ),
    path("<int:pk>/finances/funding/<int:line_id>/spending/add/", finance.spending_add, name="spending_add"),
    path("<int:pk>/finances/spending/<int:spending_id>/delete/", finance.spending_delete, name="spending_delete"),
    path("<int:pk>/finances/spending/<int:spending_id>/receipt/", finance.spending_receipt, name="spending_receipt"),
]

# Under /sections/ (names in the "sections" namespace).
section_urlpatterns = [
    path("<slug:slug>/partners/", finder.partners, name="partners"),
    path("<slug:slug>/partners/<slug:candidate_slug>/", finder.partner_decision, name="partner_decision"),
]

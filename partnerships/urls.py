from django.urls import path

from evaluation import views as evaluation_views

from .views import lifecycle, pages, plan

app_name = "partnerships"

urlpatterns = [
    path("", pages.partnership_list, name="list"),
    path("propose/<slug:slug>/", lifecycle.propose, name="propose"),
    path("<int:pk>/", pages.partnership_detail, name="detail"),
    path("<int:pk>/answer/", lifecycle.answer, name="answer"),
    path("<int:pk>/do/<slug:action>/", lifecycle.transition, name="transition"),
    path("<int:pk>/give-take/<int:section_id>/", plan.give_take, name="give_take"),
    path("<int:pk>/leads/add/", plan.lead_add, name="lead_add"),
    path("<int:pk>/leads/<int:lead_id>/remove/", plan.lead_remove, name="lead_remove"),
    path("<int:pk>/agreement/", plan.agreement, name="agreement"),
    path("<int:pk>/agreement/document/", pages.agreement_document, name="agreement_document"),
    path("<int:pk>/plan/<slug:kind>/add/", plan.plan_item, name="plan_add"),
    path("<int:pk>/plan/<slug:kind>/<int:item_id>/", plan.plan_item, name="plan_edit"),
    path("<int:pk>/plan/<slug:kind>/<int:item_id>/delete/", plan.plan_item_delete, name="plan_delete"),
    path("<int:pk>/communications/add/", plan.communication_add, name="communication_add"),
    path("<int:pk>/conflicts/add/", plan.conflict, name="conflict_add"),
    path("<int:pk>/conflicts/<int:conflict_id>/", plan.conflict, name="conflict_edit"),
    path("<int:pk>/check-ins/<int:checkin_id>/", evaluation_views.checkin, name="checkin"),
    path("<int:pk>/cadence/", evaluation_views.cadence, name="cadence"),
]

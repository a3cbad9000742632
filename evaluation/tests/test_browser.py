"""An officer of a young student section asks "are we ready?" and "who should we twin with?",
and starts a proposal from the best suggestion, in a real browser."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from evaluation.models import Assessment, Dimension, Question
from sections.models import ReadinessVerdict
from sections.models import Language, Section, TwinningForm
from sections.tests.factories import DistrictFactory, OfficerFactory, SectionFactory, TechnicalInterestFactory
from twinning.tests.browser import field, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The default questionnaire (v1) scores "Mostly" 67 and "A little" 33. Vision, commitment and
# capacity answered "Mostly", time and funding "A little": (67 + 67 + 33 + 67 + 33) / 5 = 53.4,
# "nearly ready" (50 to 75), and time and funding are weak (below 60).
ANSWERS = {
    Dimension.Code.VISION: "Mostly",
    Dimension.Code.COMMITMENT: "Mostly",
    Dimension.Code.TIME: "A little",
    Dimension.Code.CAPACITY: "Mostly",
    Dimension.Code.FUNDING: "A little",
}
FUNDING_GUIDANCE = "Estimate what the first year will cost"
TIME_GUIDANCE = "Find two or three people who can each give a few hours"
VISION_GUIDANCE = "Agree inside the section why you want to twin"


def make_sections():
    growing = TwinningForm.objects.get(code=TwinningForm.Code.GROWING_SECTION)
    technical = TwinningForm.objects.get(code=TwinningForm.Code.TECHNICAL_EXCHANGE)
    students = TwinningForm.objects.get(code=TwinningForm.Code.STUDENT_EXCHANGE)
    spanish, english = Language.objects.get(code="es"), Language.objects.get(code="en")
    robotics = TechnicalInterestFactory(name="Robotics", slug="robotics")

    bogota = SectionFactory(
        name="Bogotá Student Section", slug="bogota-students", kind=Section.Kind.STUDENT,
        maturity=Section.Maturity.FORMATIVE, district=DistrictFactory(code="d4", name="Latin America"),
        country="CO", city="Bogotá", time_zone="America/Bogota", interests=[robotics],
    )
    bogota.needs_forms.set([growing])
    bogota.offers_forms.set([students])
    bogota.working_languages.set([spanish, english])

    # Offers what Bogotá needs, shares its interest and a language: the best fit for growing it.
    madrid = SectionFactory(
        name="Madrid Section", slug="madrid", kind=Section.Kind.PROFESSIONAL,
        maturity=Section.Maturity.ESTABLISHED, district=DistrictFactory(code="d12", name="Europe"),
        country="ES", city="Madrid", time_zone="Europe/Madrid", interests=[robotics],
    )
    madrid.offers_forms.set([growing, technical])
    madrid.working_languages.set([spanish])

    # Also interested in "growing a section" (it needs it too), but cannot offer it; nearer in time.
    lima = SectionFactory(
        name="Lima Section", slug="lima", kind=Section.Kind.PROFESSIONAL,
        maturity=Section.Maturity.DEVELOPING, district=DistrictFactory(code="d4"),
        country="PE", city="Lima", time_zone="America/Lima", interests=[robotics],
    )
    lima.offers_forms.set([technical])
    lima.needs_forms.set([growing])
    lima.working_languages.set([spanish])
    # Someone in office in each: the finder suggests, and a proposal goes to, only those.
    for section in (madrid, lima):
        OfficerFactory(section=section)
    return bogota, madrid, lima


def test_readiness_then_partner_finder_then_a_proposal_from_the_best_suggestion(page: Page):
    bogota, madrid, lima = make_sections()
    officer = OfficerFactory(section=bogota).user
    # The Content-Security-Policy allows no inline style or script: the browser reports any it blocks.
    console = []
    page.on("console", lambda message: console.append(message.text))

    # 1. The officer fills the readiness questionnaire of their section.
    log_in(page, officer.email)
    page.goto(f"/sections/{bogota.slug}/readiness/")
    expect(page.get_by_role("heading", name="Is Bogotá Student Section ready to twin?")).to_be_visible()
    expect(page.get_by_role("heading", name="Assess your readiness")).to_be_visible()
    questions = Question.objects.filter(dimension__questionnaire__is_current=True).select_related("dimension")
    assert questions.count() == 12
    for question in questions:
        group = page.get_by_role("group", name=question.text)
        group.get_by_label(ANSWERS[question.dimension.code], exact=True).check()
    page.get_by_role("button", name="See our readiness").click()

    # 2. The result: nearly ready, with what to do about the weak dimensions only.
    expect(page).to_have_url(re.compile(rf"/sections/{bogota.slug}/readiness/$"))
    expect(page.get_by_role("status")).to_contain_text("Assessment saved: Nearly ready (53.4 of 100).")
    latest = page.locator("section[aria-labelledby=h-latest]")
    expect(latest.get_by_role("heading", name=re.compile("Latest result"))).to_contain_text("Nearly ready")
    expect(latest.get_by_text(FUNDING_GUIDANCE)).to_be_visible()
    expect(latest.get_by_text(TIME_GUIDANCE)).to_be_visible()
    expect(latest.get_by_text(VISION_GUIDANCE)).to_have_count(0)
    expect(latest.get_by_role("progressbar", name="Funding")).to_have_attribute("aria-valuenow", "33.0")
    # The bar is drawn a third wide by its class from site.css, under the policy.
    track = latest.get_by_role("progressbar", name="Funding").bounding_box()
    bar = latest.get_by_role("progressbar", name="Funding").locator(".progress-bar").bounding_box()
    assert bar["width"] / track["width"] == pytest.approx(0.33, abs=0.01)
    assessment = Assessment.objects.get(section=bogota)
    assert (assessment.verdict, assessment.score, assessment.author) == (ReadinessVerdict.NEARLY, Decimal("53.4"), officer)

    # 3. The profile shows the verdict; from there, the partner finder.
    page.goto(f"/sections/{bogota.slug}/")
    expect(page.get_by_text("Readiness: Nearly ready")).to_be_visible()
    page.get_by_role("link", name="Find a partner").click()
    expect(page).to_have_url(re.compile(rf"/sections/{bogota.slug}/partners/$"))
    expect(page.get_by_role("heading", name="Find a partner for Bogotá Student Section")).to_be_visible()

    # 4. Filtered to "growing a formative section".
    filters = page.get_by_role("search", name="Filter suggestions")
    filters.get_by_label("Form of twinning wanted").select_option(label="Growing a formative section")
    filters.get_by_role("button", name="Show suggestions").click()
    expect(page).to_have_url(re.compile(r"/partners/\?.*form=growing-section"))
    expect(filters.get_by_label("Form of twinning wanted")).to_have_value("growing-section")
    expect(page.get_by_role("heading", name="2 suggestions")).to_be_visible()

    # 5. The established section that offers it comes first, its reasons open.
    results = page.locator("section[aria-labelledby=h-suggestions] > ol > li")
    expect(results).to_have_count(2)
    expect(results.nth(0).get_by_role("heading", level=3)).to_have_text("Madrid Section")
    expect(results.nth(1).get_by_role("heading", level=3)).to_have_text("Lima Section")
    first = results.nth(0)
    expect(first.locator("details")).to_have_attribute("open", "")
    expect(first.get_by_text("Why this score")).to_be_visible()
    reasons = first.get_by_role("table", name="Score of Madrid Section by factor")
    expect(reasons).to_be_visible()
    expect(reasons.get_by_role("rowheader", name="Maturity fit")).to_be_visible()
    expect(reasons.get_by_role("progressbar", name="Maturity fit")).to_have_attribute("aria-valuenow", "100")
    expect(reasons.get_by_role("rowheader", name="Offers and needs complement each other")).to_be_visible()
    expect(reasons.get_by_role("rowheader", name="Common working language")).to_be_visible()
    # The second result's reasons stay folded away.
    expect(results.nth(1).locator("details")).not_to_have_attribute("open", "")
    expect(results.nth(1).get_by_role("rowheader", name="Maturity fit")).to_be_hidden()
    madrid_score = int(re.search(r"(\d+)/100", first.locator(".match-score").inner_text())[1])
    lima_score = int(re.search(r"(\d+)/100", results.nth(1).locator(".match-score").inner_text())[1])
    assert madrid_score > lima_score

    # 6. Propose a partnership from the top suggestion: partner and form are filled in.
    first.get_by_role("link", name="Propose a partnership to Madrid Section").click()
    expect(page).to_have_url(
        re.compile(rf"/partnerships/propose/{bogota.slug}/\?partner=madrid&form=growing-section$")
    )
    expect(page.get_by_role("heading", name="Propose a partnership for Bogotá Student Section")).to_be_visible()
    expect(field(page, "Partner section")).to_have_value("Madrid Section (Madrid, Spain)")
    expect(field(page, "Growing a formative section")).to_be_checked()
    expect(field(page, "Information / technical exchange")).not_to_be_checked()
    expect(field(page, "Student training exchange")).not_to_be_checked()
    # Bogotá is nearly ready, not "not yet": no warning.
    expect(page.get_by_text("says “not yet”")).to_have_count(0)
    assert [text for text in console if "Content Security Policy" in text] == []

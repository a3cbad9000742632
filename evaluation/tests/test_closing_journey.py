"""The whole close of a partnership, in a real browser and through its pages only: both
leads fill in and co-sign the final evaluation (a change after one confirmation clears it),
the district coordinator comments on it, a lesson is published from the evaluation's flow, the partnership completes; an officer of
a third section finds the lesson with an unaccented word, and a visitor who is not signed
in reads the story, its photo shown."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from evaluation.models import BenefitRating, Evaluation, Lesson, Story
from partnerships.models import Partnership, Status
from sections.tests.factories import OfficerFactory
from twinning.tests.browser import field, go_by_menu, log_in, log_out, open_filters

from .monitoring import activate, d
from .story_helpers import PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORY = "Two continents, one student exchange"
LESSON = "Book the flights to Bogotá before the visas"


def badge_of(page: Page, section: str):
    """The confirmation badge of one side, in the evaluation's Confirmations box."""
    return page.get_by_role("region", name="Confirmations").get_by_role("listitem").filter(has_text=section)


@pytest.mark.on_a_phone_too
def test_two_leads_close_a_partnership_its_lesson_is_found_and_its_story_is_public(page: Page, world):
    # Setup only: an active partnership with a plan (a goal, an objective, an activity).
    partnership = activate(world, d(1, 15))
    reader = OfficerFactory(user__email="reader@example.org", user__full_name="Rita Reader").user
    evaluation_path = f"/partnerships/{partnership.pk}/evaluation/final/"

    # 1. Alpha's lead starts the final evaluation from the partnership page and fills it in.
    log_in(page, world.officer_a.email)
    page.goto(partnership.get_absolute_url())
    page.locator("#evaluation").get_by_role("link", name="Start the final evaluation").click()
    page.get_by_role("button", name="Start the final evaluation").click()
    expect(page.get_by_role("status").first).to_contain_text("either side can fill it in")

    page.get_by_role("textbox", name="What was achieved").fill("Forty students crossed the ocean, both ways.")
    objective = page.get_by_role("group", name=re.compile("Run an exchange"))
    objective.get_by_label("Achieved", exact=True).check()
    objective.get_by_label("Evidence").fill("Twenty students each way, in July.")
    field(page, "What Alpha Section gave").fill("Speakers and a summer school")
    field(page, "What Alpha Section gained").fill("Hosts in Bogotá")
    field(page, "Transfer of knowledge").select_option("4")
    page.get_by_label("Transfer of knowledge: how it was realised").fill("Our students learnt their lab methods.")
    field(page, "Networking").select_option("5")
    page.get_by_label("Will the relationship continue?").select_option("yes")
    field(page, "How it continues").fill("A yearly exchange, run by the student branches.")
    page.get_by_role("region", name="Challenges met").get_by_label("Funding").check()
    field(page, "The challenges, and how they were met").fill("Flights were dear; a sponsor paid half.")
    field(page, "Story title").fill(STORY)
    field(page, "Story photo").set_input_files(files=[{"name": "exchange.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_label("Alpha Section agrees to publish this partnership as a public story").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("The evaluation was saved.")
    expect(page.get_by_text("A photo is uploaded; choose another to replace it.")).to_be_visible()
    expect(badge_of(page, "Alpha Section")).to_contain_text("Not confirmed")

    # 2. The evaluation asks for a lesson first; Alpha's lead follows its link and publishes one.
    page.get_by_role("link", name="Write a lesson").click()
    expect(page.get_by_text("This lesson is part of the final evaluation.")).to_be_visible()
    field(page, "Title").fill(LESSON)
    field(page, "Context").fill("Two sections, two continents, one summer.")
    field(page, "What happened").fill("The visas came a week before the flights, at twice the price.")
    field(page, "What we learned").fill("Book refundable flights as soon as the dates are agreed.")
    field(page, "Our recommendation").fill("Buy the flights first, then ask for the visas.")
    page.get_by_label("Funding").check()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status").first).to_contain_text("The lesson is published in the library.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Final evaluation")
    expect(page.get_by_role("link", name="Write a lesson")).to_have_count(0)
    log_out(page)

    # 3. Beta's lead fills in Beta's side and confirms it.
    log_in(page, world.officer_b.email)
    page.goto(partnership.get_absolute_url())
    page.locator("#evaluation").get_by_role("link", name=re.compile("^Continue")).click()
    expect(page.get_by_text("Forty students crossed the ocean, both ways.")).to_be_visible()
    field(page, "What Beta Section gave").fill("Student hosts and lab time")
    field(page, "What Beta Section gained").fill("Technical talks from Alpha's speakers")
    field(page, "Broadening of horizons").select_option("5")
    page.get_by_label("Broadening of horizons: how it was realised").fill("Our hosts saw another continent's way.")
    page.get_by_label("Beta Section agrees to publish this partnership as a public story").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("The evaluation was saved.")
    page.get_by_role("button", name="Confirm for Beta Section").click()
    expect(page.get_by_role("status").first).to_contain_text("Confirmed for Beta Section")
    expect(badge_of(page, "Beta Section")).to_contain_text("Confirmed by Ben Beta")
    log_out(page)

    # Alpha's lead makes a last change: Beta's confirmation is cleared, as co-signing means.
    log_in(page, world.officer_a.email)
    page.goto(evaluation_path)
    expect(badge_of(page, "Beta Section")).to_contain_text("Confirmed by Ben Beta")
    field(page, "The challenges, and how they were met").fill("Flights were dear; a sponsor paid half of them.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "The evaluation was saved. The change cleared the confirmation of Beta Section"
    )
    expect(badge_of(page, "Beta Section")).to_contain_text("Not confirmed")
    log_out(page)

    # Beta's lead confirms again, then Alpha's lead confirms: the evaluation is final.
    log_in(page, world.officer_b.email)
    page.goto(evaluation_path)
    expect(page.get_by_text("a sponsor paid half of them.")).to_be_visible()
    page.get_by_role("button", name="Confirm for Beta Section").click()
    expect(page.get_by_role("status").first).to_contain_text("Confirmed for Beta Section")
    log_out(page)

    log_in(page, world.officer_a.email)
    page.goto(evaluation_path)
    page.get_by_role("button", name="Confirm for Alpha Section").click()
    expect(page.get_by_role("status").first).to_contain_text("the evaluation is final")
    expect(page.get_by_text(re.compile("Final since .*: every side has confirmed it."))).to_be_visible()
    log_out(page)

    # Alpha's district coordinator reads the final evaluation and adds a comment, which
    # leaves both confirmations standing.
    log_in(page, world.coordinator_a.email)
    page.goto(evaluation_path)
    page.get_by_label("The district coordinator's comment").fill("A model for the district: we will share it.")
    page.get_by_role("button", name="Save the comment").click()
    expect(page.get_by_role("blockquote")).to_have_text("A model for the district: we will share it.")
    expect(page.get_by_text(re.compile("Final since .*: every side has confirmed it."))).to_be_visible()
    log_out(page)
    log_in(page, world.officer_a.email)
    page.goto(evaluation_path)

    # 4. Alpha's lead completes the partnership with the partnership page's Complete button.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Alpha and Beta").click()
    page.get_by_role("link", name="Complete", exact=True).click()
    page.get_by_label(re.compile(r"^\s*Reason")).fill("The plan is done; the exchange goes on as a yearly event.")
    page.get_by_role("button", name="Complete", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("The partnership is complete.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alpha and Beta")
    expect(page.locator(".badge.status-completed")).to_have_text("Completed")
    log_out(page)

    # 5. An officer of a third section finds the lesson with the word written without its accent.
    log_in(page, reader.email)
    go_by_menu(page, "Lessons")
    expect(page).to_have_url(re.compile(r"/lessons/$"))
    open_filters(page)
    page.get_by_label("Search", exact=True).fill("Bogota")
    page.get_by_role("button", name="Show lessons").click()
    expect(page).to_have_url(re.compile(r"q=Bogota"))
    page.get_by_role("link", name=LESSON).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(LESSON)
    expect(page.get_by_text("Buy the flights first, then ask for the visas.")).to_be_visible()
    log_out(page)

    # 6. A visitor who is not signed in reads the story from the home page, its photo shown.
    page.goto("/")
    page.get_by_role("link", name="Read what twinned sections achieved").click()
    card = page.get_by_role("article", name=STORY)
    expect(card).to_contain_text("Alpha Section")
    card.get_by_role("link", name=STORY).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(STORY)
    expect(page.get_by_text("Forty students crossed the ocean, both ways.")).to_be_visible()
    photo = page.get_by_role("img", name=f"Photo of “{STORY}”")
    expect(photo).to_be_visible()
    page.wait_for_function("image => image.complete && image.naturalWidth > 0", arg=photo.element_handle())
    answer = page.request.get(photo.get_attribute("src"))
    assert answer.status == 200
    assert answer.headers["content-type"] == "image/png"

    partnership = Partnership.objects.get(pk=partnership.pk)
    assert partnership.status == Status.COMPLETED
    final = Evaluation.objects.get(partnership=partnership, kind=Evaluation.Kind.FINAL)
    assert final.is_final and final.coordinator_comment_by == world.coordinator_a
    assert BenefitRating.objects.get(side__section=world.b, benefit="horizons").explanation.startswith("Our hosts")
    assert Lesson.objects.get(partnership=partnership).state == Lesson.State.PUBLISHED
    story = Story.objects.get(partnership=partnership)
    assert story.title == STORY and story.published_at is not None

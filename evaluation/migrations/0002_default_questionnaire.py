"""The first readiness questionnaire: five prerequisites, a few questions each, a
four-step answer scale. Admins change it by copying it to a new version."""

from django.db import migrations

SCALE = [("Not at all", 0), ("A little", 33), ("Mostly", 67), ("Fully", 100)]

DIMENSIONS = [
    (
        "vision", "Vision and purpose",
        "Agree inside the section why you want to twin and what you hope to give and gain. Write it down in a "
        "few sentences, test it with your members, and look at what other sections gained from twinning in the "
        "lessons library.",
        [
            "We can say in a few sentences why our section wants to twin.",
            "We know what we can give a partner section, not only what we want to gain.",
            "Our members and officers share this purpose.",
        ],
    ),
    (
        "commitment", "Commitment",
        "Twinning lasts longer than one officer's term. Win the support of your board and members, name who "
        "will carry it on after elections, and agree that the section will learn and share openly.",
        [
            "Our board supports twinning and will back it with decisions.",
            "The commitment will survive a change of officers.",
            "We are ready to learn from a partner and to share what we know.",
        ],
    ),
    (
        "time", "Time",
        "Find two or three people who can each give a few hours a month for a year or more. Spread the work so "
        "that it does not rest on one person, and plan around exams and busy seasons.",
        [
            "At least two people can give regular hours to the partnership.",
            "They can keep doing so for a year or more.",
        ],
    ),
    (
        "capacity", "Capacity",
        "Twinning comes on top of your current programme. Check what you can drop or share, start with one "
        "small joint project, and grow once it works.",
        [
            "Our current activities leave room for a partnership.",
            "We have the skills and contacts to run joint activities.",
        ],
    ),
    (
        "funding", "Funding",
        "Estimate what the first year will cost (calls are free; visits are not). Identify your own funds or an "
        "external source — sponsors, university support, society grants — and apply early.",
        [
            "We know roughly what a first year of twinning would cost.",
            "We have our own funds or have identified an outside source.",
        ],
    ),
]


def load(apps, schema_editor):
    Questionnaire = apps.get_model("evaluation", "Questionnaire")
    if Questionnaire.objects.exists():
        return
    questionnaire = Questionnaire.objects.create(
        version=1,
        title="Is our section ready to twin?",
        introduction="Answer for your section as it is today. It takes about five minutes.",
        is_current=True,
    )
    for position, (code, name, guidance, questions) in enumerate(DIMENSIONS):
        dimension = questionnaire.dimensions.create(code=code, name=name, guidance=guidance, position=position)
        for q_position, text in enumerate(questions):
            question = dimension.questions.create(text=text, position=q_position)
            for o_position, (label, value) in enumerate(SCALE):
                question.options.create(label=label, value=value, position=o_position)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

"""What a proposal says about each form of twinning it chooses (models/intents.py), and the
one sentence the proposal form shows beside each form.

The sentences follow the society's presentation, in our own words. An admin's own text is
kept: a description is replaced only when it is empty, longer than one short sentence, or
still the first wording the reference data gave it (sections/migrations/0003).
"""

import django.core.validators
import django.db.models.deletion
from decimal import Decimal
from django.db import migrations, models


FIRST_WORDING = {
    "student-exchange": "Students of one section train, study or work with the partner section.",
    "technical-exchange": "Sharing knowledge, speakers, publications, standards work and event know-how.",
    "financial-support": "One side helps fund the other's activities, equipment or participation.",
    "growing-section": "An established section mentors a new or rebuilding section until it runs on its own.",
}

SENTENCES = {
    "student-exchange": (
        "Students of one section spend a few weeks or several months with the partner section, "
        "learning or passing on skills in its regular training or a programme made for them."
    ),
    "technical-exchange": (
        "People of one section visit the other, one way or both ways, to share information and "
        "know-how without formal training; study tours count too."
    ),
    "financial-support": (
        "A financially strong section helps fund a deserving section that is struggling, and gains "
        "in return through one of the other forms of twinning."
    ),
    "growing-section": (
        "A mature section helps a formative one avoid the mistakes it once made, and the formative "
        "section brings fresh approaches and new ideas in return."
    ),
}


def _needs_sentence(code: str, description: str) -> bool:
    text = description.strip()
    sentences = [part for part in text.replace("!", ".").replace("?", ".").split(". ") if part.strip()]
    return not text or text == FIRST_WORDING.get(code) or len(sentences) > 1 or len(text) > 250


def describe(apps, schema_editor):
    TwinningForm = apps.get_model("sections", "TwinningForm")
    for form in TwinningForm.objects.filter(code__in=SENTENCES):
        if _needs_sentence(form.code, form.description):
            form.description = SENTENCES[form.code]
            form.save(update_fields=["description"])


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0009_growth'),
        ('sections', '0007_finder_weights'),
        # The four forms exist from the reference data on.
        ('sections', '0003_reference_data'),
    ]

    operations = [
        migrations.CreateModel(
            name='FormIntent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('both_ways', models.BooleanField(default=False, help_text='Each side hosts the other; who starts is open.', verbose_name='both ways')),
                ('length', models.CharField(blank=True, choices=[('short', 'Short: a few weeks'), ('long', 'Long: several months')], max_length=10, verbose_name='length')),
                ('learning', models.TextField(blank=True, verbose_name='what the participants would learn or see')),
                ('amount', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0.01'))], verbose_name='approximate amount')),
                ('currency', models.CharField(blank=True, max_length=3, validators=[django.core.validators.RegexValidator('^[A-Z]{3}$', 'Use the three-letter currency code, such as USD, EUR or KES.')], verbose_name='currency')),
                ('giver_gains', models.TextField(blank=True, verbose_name='what the giver gains in return')),
                ('first_milestones', models.TextField(blank=True, verbose_name='first milestones in mind')),
                ('form', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='sections.twinningform', verbose_name='form of twinning')),
                ('formative_section', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='sections.section', verbose_name='formative section')),
                ('giver', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='sections.section', verbose_name='giving section')),
                ('host_section', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='sections.section', verbose_name='hosts first')),
                ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='form_intents', to='partnerships.partnership')),
            ],
            options={
                'verbose_name': 'form intent',
                'verbose_name_plural': 'form intents',
                'ordering': ['form__position', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('partnership', 'form'), name='form_intent_one_per_form'), models.CheckConstraint(condition=models.Q(('amount__isnull', True), ('amount__gt', 0), _connector='OR'), name='form_intent_amount_positive'), models.CheckConstraint(condition=models.Q(models.Q(('amount__isnull', True), ('currency', '')), models.Q(('amount__isnull', False), models.Q(('currency', ''), _negated=True)), _connector='OR'), name='form_intent_amount_with_currency', violation_error_message='An amount needs its currency, and a currency its amount.'), models.CheckConstraint(condition=models.Q(('host_section__isnull', True), ('both_ways', False), _connector='OR'), name='form_intent_one_host_or_both_ways', violation_error_message='Either one side hosts first, or the exchange goes both ways.')],
            },
        ),
        migrations.RunPython(describe, migrations.RunPython.noop),
    ]

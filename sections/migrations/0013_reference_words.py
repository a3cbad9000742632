"""The forms of twinning and the technical interests in Spanish, French and Portuguese."""

from django.db import migrations

# (model, field, the English as the migration that loaded it wrote it, {language: words}).
WORDS = [('TwinningForm',
  'name',
  'Student training exchange',
  {'es': 'Intercambio de formación de estudiantes',
   'fr': "Échange de formation d'étudiants",
   'pt': 'Intercâmbio de formação de estudantes'}),
 ('TwinningForm',
  'description',
  'Students of one section spend a few weeks or several months with the partner section, learning or passing '
  'on skills in its regular training or a programme made for them.',
  {'es': 'Estudiantes de una sección pasan unas semanas o varios meses con la sección asociada, aprendiendo '
         'o transmitiendo habilidades en su formación habitual o en un programa hecho para ellos.',
   'fr': "Des étudiants d'une section passent quelques semaines ou plusieurs mois auprès de la section "
         'partenaire pour acquérir ou transmettre des compétences, dans sa formation habituelle ou dans un '
         'programme conçu pour eux.',
   'pt': 'Estudantes de uma seção passam algumas semanas ou vários meses com a seção parceira, aprendendo ou '
         'transmitindo habilidades na formação regular dela ou em um programa feito para eles.'}),
 ('TwinningForm',
  'name',
  'Information / technical exchange',
  {'es': 'Intercambio de información / técnico',
   'fr': "Échange d'informations / technique",
   'pt': 'Intercâmbio de informações / técnico'}),
 ('TwinningForm',
  'description',
  'People of one section visit the other, one way or both ways, to share information and know-how without '
  'formal training; study tours count too.',
  {'es': 'Personas de una sección visitan la otra, en un sentido o en ambos, para compartir información y '
         'conocimientos sin formación formal; las visitas de estudio también cuentan.',
   'fr': "Des membres d'une section rendent visite à l'autre, dans un sens ou dans les deux, pour partager "
         "informations et savoir-faire sans formation formelle ; les voyages d'étude comptent aussi.",
   'pt': 'Pessoas de uma seção visitam a outra, em um sentido ou nos dois, para compartilhar informações e '
         'conhecimento sem formação formal; viagens de estudo também contam.'}),
 ('TwinningForm',
  'name',
  'Financial support',
  {'es': 'Apoyo económico', 'fr': 'Soutien financier', 'pt': 'Apoio financeiro'}),
 ('TwinningForm',
  'description',
  'A financially strong section helps fund a deserving section that is struggling, and gains in return '
  'through one of the other forms of twinning.',
  {'es': 'Una sección con solidez económica ayuda a financiar a una sección que lo merece y pasa '
         'dificultades, y a cambio se beneficia mediante otra de las modalidades de hermanamiento.',
   'fr': 'Une section financièrement solide aide à financer une section méritante en difficulté, et y gagne '
         "en retour grâce à l'une des autres formes de jumelage.",
   'pt': 'Uma seção financeiramente forte ajuda a financiar uma seção merecedora que enfrenta dificuldades '
         'e, em troca, ganha por meio de uma das outras modalidades de geminação.'}),
 ('TwinningForm',
  'name',
  'Growing a formative section',
  {'es': 'Hacer crecer una sección en formación',
   'fr': 'Développer une section naissante',
   'pt': 'Fortalecimento de uma seção em formação'}),
 ('TwinningForm',
  'description',
  'A mature section helps a formative one avoid the mistakes it once made, and the formative section brings '
  'fresh approaches and new ideas in return.',
  {'es': 'Una sección consolidada ayuda a una en formación a evitar los errores que ella cometió, y la '
         'sección en formación aporta a cambio enfoques frescos e ideas nuevas.',
   'fr': "Une section expérimentée aide une section en formation à éviter les erreurs qu'elle a commises "
         'autrefois, et celle-ci apporte en retour un regard neuf et de nouvelles idées.',
   'pt': 'Uma seção madura ajuda uma seção em formação a evitar os erros que já cometeu, e a seção em '
         'formação traz em troca novas abordagens e novas ideias.'}),
 ('TechnicalInterest',
  'name',
  'Alarm management',
  {'es': 'Gestión de alarmas', 'fr': 'Gestion des alarmes', 'pt': 'Gerenciamento de alarmes'}),
 ('TechnicalInterest',
  'name',
  'Asset management and reliability',
  {'es': 'Gestión de activos y confiabilidad',
   'fr': 'Gestion des actifs et fiabilité',
   'pt': 'Gestão de ativos e confiabilidade'}),
 ('TechnicalInterest',
  'name',
  'Batch and manufacturing operations',
  {'es': 'Procesos por lotes y operaciones de fabricación',
   'fr': 'Procédés par lots et opérations de fabrication',
   'pt': 'Processos em batelada e operações de manufatura'}),
 ('TechnicalInterest',
  'name',
  'Building automation',
  {'es': 'Automatización de edificios', 'fr': 'Automatisation des bâtiments', 'pt': 'Automação predial'}),
 ('TechnicalInterest',
  'name',
  'Digital transformation and data',
  {'es': 'Transformación digital y datos',
   'fr': 'Transformation numérique et données',
   'pt': 'Transformação digital e dados'}),
 ('TechnicalInterest',
  'name',
  'Education and workforce development',
  {'es': 'Educación y desarrollo profesional',
   'fr': 'Formation et développement des compétences',
   'pt': 'Educação e desenvolvimento profissional'}),
 ('TechnicalInterest',
  'name',
  'Energy and power',
  {'es': 'Energía y electricidad', 'fr': 'Énergie et électricité', 'pt': 'Energia e eletricidade'}),
 ('TechnicalInterest',
  'name',
  'Industrial cybersecurity',
  {'es': 'Ciberseguridad industrial', 'fr': 'Cybersécurité industrielle', 'pt': 'Cibersegurança industrial'}),
 ('TechnicalInterest',
  'name',
  'Industrial networks and wireless',
  {'es': 'Redes industriales e inalámbricas',
   'fr': 'Réseaux industriels et sans fil',
   'pt': 'Redes industriais e sem fio'}),
 ('TechnicalInterest',
  'name',
  'Measurement and instrumentation',
  {'es': 'Medición e instrumentación', 'fr': 'Mesure et instrumentation', 'pt': 'Medição e instrumentação'}),
 ('TechnicalInterest',
  'name',
  'Oil, gas and chemicals',
  {'es': 'Petróleo, gas y química', 'fr': 'Pétrole, gaz et chimie', 'pt': 'Petróleo, gás e química'}),
 ('TechnicalInterest',
  'name',
  'Pharmaceuticals and life sciences',
  {'es': 'Farmacéutica y ciencias de la vida',
   'fr': 'Pharmacie et sciences de la vie',
   'pt': 'Farmacêutica e ciências da vida'}),
 ('TechnicalInterest',
  'name',
  'Process control',
  {'es': 'Control de procesos', 'fr': 'Contrôle des procédés', 'pt': 'Controle de processos'}),
 ('TechnicalInterest',
  'name',
  'Robotics and motion control',
  {'es': 'Robótica y control de movimiento',
   'fr': 'Robotique et contrôle de mouvement',
   'pt': 'Robótica e controle de movimento'}),
 ('TechnicalInterest',
  'name',
  'Safety instrumented systems',
  {'es': 'Sistemas instrumentados de seguridad',
   'fr': 'Systèmes instrumentés de sécurité',
   'pt': 'Sistemas instrumentados de segurança'}),
 ('TechnicalInterest',
  'name',
  'Water and wastewater',
  {'es': 'Agua y aguas residuales', 'fr': 'Eau et eaux usées', 'pt': 'Água e esgoto'})]


def add_translations(apps, schema_editor):
    # Only where the English is still the one loaded: words an admin changed keep no
    # translation of words they no longer say.
    for model_name, field, english, translated in WORDS:
        model = apps.get_model("sections", model_name)
        for record in model.objects.filter(**{field: english}):
            for language, text in translated.items():
                record.translations.setdefault(language, {})[field] = text
            record.save(update_fields=["translations"])


class Migration(migrations.Migration):
    dependencies = [("sections", "0012_reference_translations")]

    operations = [migrations.RunPython(add_translations, migrations.RunPython.noop)]

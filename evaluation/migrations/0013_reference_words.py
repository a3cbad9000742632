"""The readiness questionnaire (dimensions, questions, answers) and the challenge categories in Spanish, French and Portuguese."""

from django.db import migrations

# (model, field, the English as the migration that loaded it wrote it, {language: words}).
WORDS = [('Dimension',
  'name',
  'Vision and purpose',
  {'es': 'Visión y propósito', 'fr': 'Vision et finalité', 'pt': 'Visão e propósito'}),
 ('Dimension',
  'guidance',
  'Agree inside the section why you want to twin and what you hope to give and gain. Write it down in a few '
  'sentences, test it with your members, and look at what other sections gained from twinning in the lessons '
  'library.',
  {'es': 'Acuerda con tu sección por qué quiere hermanarse y qué espera dar y obtener. Escríbelo en pocas '
         'frases, contrástalo con tus miembros y consulta en la biblioteca de lecciones aprendidas qué '
         'obtuvieron otras secciones del hermanamiento.',
   'fr': "Mettez-vous d'accord au sein de la section sur les raisons du jumelage et sur ce que vous espérez "
         'donner et recevoir. Rédigez-le en quelques phrases, soumettez-le à vos membres et consultez dans '
         "la bibliothèque des enseignements tirés ce que d'autres sections ont retiré du jumelage.",
   'pt': 'Combine dentro da seção por que vocês querem a geminação e o que esperam dar e ganhar. Escreva '
         'isso em poucas frases, valide com os membros e veja na biblioteca de lições aprendidas o que '
         'outras seções ganharam com a geminação.'}),
 ('Dimension', 'name', 'Commitment', {'es': 'Compromiso', 'fr': 'Engagement', 'pt': 'Compromisso'}),
 ('Dimension',
  'guidance',
  "Twinning lasts longer than one officer's term. Win the support of your board and members, name who will "
  'carry it on after elections, and agree that the section will learn and share openly.',
  {'es': 'El hermanamiento dura más que el mandato de un responsable. Consigue el apoyo de tu junta y de los '
         'miembros, designa quién le dará continuidad tras las elecciones y acuerda que la sección aprenderá '
         'y compartirá abiertamente.',
   'fr': "Un jumelage dure plus longtemps que le mandat d'un responsable. Obtenez le soutien de votre bureau "
         'et de vos membres, désignez qui prendra le relais après les élections et convenez que la section '
         'apprendra et partagera ouvertement.',
   'pt': 'A geminação dura mais que o mandato de um dirigente. Conquiste o apoio da diretoria e dos membros, '
         'defina quem dará continuidade depois das eleições e combine que a seção vai aprender e '
         'compartilhar abertamente.'}),
 ('Dimension', 'name', 'Time', {'es': 'Tiempo', 'fr': 'Temps', 'pt': 'Tempo'}),
 ('Dimension',
  'guidance',
  'Find two or three people who can each give a few hours a month for a year or more. Spread the work so '
  'that it does not rest on one person, and plan around exams and busy seasons.',
  {'es': 'Busca dos o tres personas que puedan dedicar cada una unas horas al mes durante un año o más. '
         'Reparte el trabajo para que no recaiga en una sola persona y planifica teniendo en cuenta los '
         'exámenes y las épocas de más carga.',
   'fr': 'Trouvez deux ou trois personnes pouvant chacune consacrer quelques heures par mois pendant un an '
         "ou plus. Répartissez le travail pour qu'il ne repose pas sur une seule personne, et planifiez en "
         'tenant compte des examens et des périodes chargées.',
   'pt': 'Encontre duas ou três pessoas que possam dedicar, cada uma, algumas horas por mês durante um ano '
         'ou mais. Divida o trabalho para que ele não dependa de uma só pessoa e planeje levando em conta as '
         'provas e os períodos mais corridos.'}),
 ('Dimension', 'name', 'Capacity', {'es': 'Capacidad', 'fr': 'Capacité', 'pt': 'Capacidade'}),
 ('Dimension',
  'guidance',
  'Twinning comes on top of your current programme. Check what you can drop or share, start with one small '
  'joint project, and grow once it works.',
  {'es': 'El hermanamiento se suma a tu programa actual. Revisa qué puedes dejar o compartir, empieza con un '
         'pequeño proyecto conjunto y crece cuando funcione.',
   'fr': "Le jumelage s'ajoute à votre programme actuel. Voyez ce que vous pouvez abandonner ou partager, "
         "commencez par un petit projet commun, puis élargissez une fois qu'il fonctionne.",
   'pt': 'A geminação se soma ao seu programa atual. Veja o que você pode deixar de lado ou dividir, comece '
         'com um pequeno projeto conjunto e amplie quando ele der certo.'}),
 ('Dimension', 'name', 'Funding', {'es': 'Financiación', 'fr': 'Financement', 'pt': 'Financiamento'}),
 ('Dimension',
  'guidance',
  'Estimate what the first year will cost (calls are free; visits are not). Identify your own funds or an '
  'external source — sponsors, university support, society grants — and apply early.',
  {'es': 'Calcula cuánto costará el primer año (las llamadas son gratis; las visitas, no). Identifica fondos '
         'propios o una fuente externa —patrocinadores, apoyo de la universidad, subvenciones de la '
         'Sociedad— y solicítalos con antelación.',
   'fr': 'Estimez le coût de la première année (les appels sont gratuits, les visites non). Identifiez vos '
         "fonds propres ou une source extérieure — sponsors, soutien de l'université, subventions de la "
         'Société — et faites vos demandes tôt.',
   'pt': 'Estime quanto vai custar o primeiro ano (chamadas são gratuitas; visitas, não). Identifique '
         'recursos próprios ou uma fonte externa — patrocinadores, apoio da universidade, auxílios da '
         'Sociedade — e faça os pedidos com antecedência.'}),
 ('Question',
  'text',
  'We can say in a few sentences why our section wants to twin.',
  {'es': 'Podemos explicar en pocas frases por qué nuestra sección quiere hermanarse.',
   'fr': 'Nous pouvons dire en quelques phrases pourquoi notre section souhaite un jumelage.',
   'pt': 'Conseguimos dizer em poucas frases por que nossa seção quer uma geminação.'}),
 ('Question',
  'text',
  'We know what we can give a partner section, not only what we want to gain.',
  {'es': 'Sabemos qué podemos dar a una sección asociada, no solo qué queremos obtener.',
   'fr': 'Nous savons ce que nous pouvons apporter à une section partenaire, pas seulement ce que nous '
         'voulons y gagner.',
   'pt': 'Sabemos o que podemos oferecer a uma seção parceira, não só o que queremos ganhar.'}),
 ('Question',
  'text',
  'Our members and officers share this purpose.',
  {'es': 'Nuestros miembros y responsables comparten este propósito.',
   'fr': 'Nos membres et nos responsables partagent cette finalité.',
   'pt': 'Nossos membros e dirigentes compartilham esse propósito.'}),
 ('Question',
  'text',
  'Our board supports twinning and will back it with decisions.',
  {'es': 'Nuestra junta apoya el hermanamiento y lo respaldará con decisiones.',
   'fr': "Notre bureau soutient le jumelage et l'appuiera par ses décisions.",
   'pt': 'Nossa diretoria apoia a geminação e vai respaldá-la com decisões.'}),
 ('Question',
  'text',
  'The commitment will survive a change of officers.',
  {'es': 'El compromiso se mantendrá aunque cambien los responsables.',
   'fr': "L'engagement survivra à un changement de responsables.",
   'pt': 'O compromisso vai continuar mesmo com a troca de dirigentes.'}),
 ('Question',
  'text',
  'We are ready to learn from a partner and to share what we know.',
  {'es': 'Estamos dispuestos a aprender de una sección asociada y a compartir lo que sabemos.',
   'fr': "Nous sommes prêts à apprendre d'un partenaire et à partager ce que nous savons.",
   'pt': 'Estamos prontos para aprender com uma parceira e compartilhar o que sabemos.'}),
 ('Question',
  'text',
  'At least two people can give regular hours to the partnership.',
  {'es': 'Al menos dos personas pueden dedicar horas con regularidad a la alianza.',
   'fr': 'Au moins deux personnes peuvent consacrer régulièrement des heures au partenariat.',
   'pt': 'Pelo menos duas pessoas podem dedicar horas regulares à parceria.'}),
 ('Question',
  'text',
  'They can keep doing so for a year or more.',
  {'es': 'Pueden seguir haciéndolo durante un año o más.',
   'fr': 'Elles peuvent continuer ainsi pendant un an ou plus.',
   'pt': 'Elas conseguem manter isso por um ano ou mais.'}),
 ('Question',
  'text',
  'Our current activities leave room for a partnership.',
  {'es': 'Nuestras actividades actuales dejan espacio para una alianza.',
   'fr': 'Nos activités actuelles laissent de la place pour un partenariat.',
   'pt': 'Nossas atividades atuais deixam espaço para uma parceria.'}),
 ('Question',
  'text',
  'We have the skills and contacts to run joint activities.',
  {'es': 'Tenemos las habilidades y los contactos para llevar a cabo actividades conjuntas.',
   'fr': 'Nous avons les compétences et les contacts pour mener des activités communes.',
   'pt': 'Temos as habilidades e os contatos para realizar atividades conjuntas.'}),
 ('Question',
  'text',
  'We know roughly what a first year of twinning would cost.',
  {'es': 'Sabemos aproximadamente cuánto costaría un primer año de hermanamiento.',
   'fr': 'Nous savons à peu près ce que coûterait une première année de jumelage.',
   'pt': 'Sabemos mais ou menos quanto custaria um primeiro ano de geminação.'}),
 ('Question',
  'text',
  'We have our own funds or have identified an outside source.',
  {'es': 'Tenemos fondos propios o hemos identificado una fuente externa.',
   'fr': 'Nous avons des fonds propres ou avons identifié une source extérieure.',
   'pt': 'Temos recursos próprios ou já identificamos uma fonte externa.'}),
 ('AnswerOption', 'label', 'A little', {'es': 'Un poco', 'fr': 'Un peu', 'pt': 'Um pouco'}),
 ('AnswerOption', 'label', 'Fully', {'es': 'Totalmente', 'fr': 'Tout à fait', 'pt': 'Totalmente'}),
 ('AnswerOption',
  'label',
  'Mostly',
  {'es': 'En gran parte', 'fr': 'En grande partie', 'pt': 'Em grande parte'}),
 ('AnswerOption', 'label', 'Not at all', {'es': 'Nada', 'fr': 'Pas du tout', 'pt': 'Nem um pouco'}),
 ('ChallengeCategory',
  'name',
  'Finding a partner',
  {'es': 'Encontrar una sección asociada', 'fr': 'Trouver un partenaire', 'pt': 'Encontrar uma parceira'}),
 ('ChallengeCategory',
  'name',
  'Sustainability',
  {'es': 'Sostenibilidad', 'fr': 'Pérennité', 'pt': 'Sustentabilidade'}),
 ('ChallengeCategory',
  'name',
  'Infrastructure',
  {'es': 'Infraestructura', 'fr': 'Infrastructure', 'pt': 'Infraestrutura'}),
 ('ChallengeCategory',
  'name',
  'Pressing priorities',
  {'es': 'Prioridades urgentes', 'fr': 'Priorités urgentes', 'pt': 'Prioridades urgentes'}),
 ('ChallengeCategory', 'name', 'Conflict', {'es': 'Conflicto', 'fr': 'Conflit', 'pt': 'Conflito'}),
 ('ChallengeCategory',
  'name',
  'Culture clash',
  {'es': 'Choque cultural', 'fr': 'Choc culturel', 'pt': 'Choque cultural'}),
 ('ChallengeCategory', 'name', 'Funding', {'es': 'Financiación', 'fr': 'Financement', 'pt': 'Financiamento'}),
 ('ChallengeCategory',
  'name',
  'Communication',
  {'es': 'Comunicación', 'fr': 'Communication', 'pt': 'Comunicação'}),
 ('ChallengeCategory',
  'name',
  'Planning',
  {'es': 'Planificación', 'fr': 'Planification', 'pt': 'Planejamento'})]


def add_translations(apps, schema_editor):
    # Only where the English is still the one loaded: words an admin changed keep no
    # translation of words they no longer say.
    for model_name, field, english, translated in WORDS:
        model = apps.get_model("evaluation", model_name)
        for record in model.objects.filter(**{field: english}):
            for language, text in translated.items():
                record.translations.setdefault(language, {})[field] = text
            record.save(update_fields=["translations"])


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0012_reference_translations")]

    operations = [migrations.RunPython(add_translations, migrations.RunPython.noop)]

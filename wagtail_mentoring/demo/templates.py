"""Demo objective templates: the seeds' example goals for mentees, mentors and pairs, in English and Italian.

The demo's objectives (``demo.okrs``) are made from these templates, so the example goals live here only.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext as _
from wagtail.models import Locale

from wagtail_mentoring.demo.base import DemoContext
from wagtail_mentoring.snippets.library import ObjectiveTemplate
from wagtail_mentoring.snippets.services import save_objective_template

#: Each template: ``key`` (a stable name the demo's objectives use), category, level, the programs it
#: belongs to (``ctx.pages`` names; none: every program), and its English and Italian text. A key
#: result: (title, kind, unit, start, target); the Italian one repeats the title and unit translated.
TEMPLATES = [
    {
        "key": "speak_up",
        "category": "confidence",
        "level": "mentee",
        "programs": [],
        "en": (
            "Speak up confidently in meetings",
            "Share my ideas in team meetings and present my work without over-preparing.",
            [
                ("Presentations given at team meetings", "number", "talks", 0, 6),
                ("Self-rated confidence when presenting", "number", "/10", 3, 8),
                ("Talk given at the all-hands", "milestone", "", 0, 1),
            ],
        ),
        "it": (
            "Intervenire con sicurezza nelle riunioni",
            "Condividere le mie idee nelle riunioni del team e presentare il mio lavoro senza prepararmi troppo.",
            [
                ("Presentazioni fatte alle riunioni del team", "presentazioni"),
                ("Sicurezza percepita quando presento", "/10"),
                ("Intervento all'assemblea generale", ""),
            ],
        ),
    },
    {
        "key": "code_review",
        "category": "skills_transfer",
        "level": "mentee",
        "programs": [],
        "en": (
            "Review code like a senior engineer",
            "Learn what my mentor looks for in a pull request and apply it to my own reviews.",
            [
                ("Pull requests reviewed", "number", "PRs", 0, 30),
                ("Review comments accepted", "percent", "%", 40, 80),
                ("Pair-review sessions with my mentor", "number", "sessions", 0, 5),
            ],
        ),
        "it": (
            "Fare code review come un ingegnere senior",
            "Imparare che cosa guarda il mio mentore in una pull request e applicarlo alle mie revisioni.",
            [
                ("Pull request revisionate", "PR"),
                ("Commenti di revisione accettati", "%"),
                ("Revisioni in coppia con il mio mentore", "sessioni"),
            ],
        ),
    },
    {
        "key": "career_plan",
        "category": "career_planning",
        "level": "mentee",
        "programs": [],
        "en": (
            "Build a two-year career plan",
            "Understand the paths open to me and agree a written plan with my manager.",
            [
                ("Career conversations held", "number", "conversations", 0, 4),
                ("Skills gap closed", "percent", "%", 0, 50),
                ("Career plan agreed with my manager", "boolean", "", 0, 1),
            ],
        ),
        "it": (
            "Costruire un piano di carriera a due anni",
            "Capire quali percorsi ho davanti e concordare un piano scritto con il mio responsabile.",
            [
                ("Conversazioni sulla carriera", "conversazioni"),
                ("Divario di competenze colmato", "%"),
                ("Piano di carriera concordato con il responsabile", ""),
            ],
        ),
    },
    {
        "key": "network",
        "category": "networking",
        "level": "mentee",
        "programs": [],
        "en": (
            "Grow my network across departments",
            "Meet people outside my team so I know who to ask and what others are working on.",
            [
                ("Coffee chats with people outside my team", "number", "chats", 0, 12),
                ("Cross-team initiatives joined", "number", "", 0, 2),
            ],
        ),
        "it": (
            "Allargare la mia rete tra i reparti",
            "Conoscere persone fuori dal mio team, per sapere a chi chiedere e su che cosa lavorano gli altri.",
            [
                ("Caffè con persone fuori dal mio team", "caffè"),
                ("Iniziative tra team a cui partecipo", ""),
            ],
        ),
    },
    {
        "key": "lead_project",
        "category": "leadership",
        "level": "mentee",
        "programs": [],
        "en": (
            "Lead a small project end to end",
            "Take ownership of the onboarding-checklist project, from kickoff to delivery.",
            [
                ("Project milestones delivered", "number", "milestones", 0, 5),
                ("Open defects", "number", "defects", 25, 5),
                ("Stakeholder satisfaction", "number", "/10", 5, 8),
                ("Budget spent over plan", "currency", "EUR", 4000, 0),
            ],
        ),
        "it": (
            "Guidare un piccolo progetto dall'inizio alla fine",
            "Prendere in carico il progetto della checklist di inserimento, dall'avvio alla consegna.",
            [
                ("Traguardi del progetto consegnati", "traguardi"),
                ("Difetti aperti", "difetti"),
                ("Soddisfazione degli stakeholder", "/10"),
                ("Spesa oltre il budget", "EUR"),
            ],
        ),
    },
    {
        "key": "certification",
        "category": "professional_development",
        "level": "mentee",
        "programs": [],
        "en": (
            "Earn the cloud practitioner certification",
            "Study for and pass the certification exam this cycle.",
            [
                ("Course modules completed", "number", "modules", 0, 12),
                ("Practice exam score", "percent", "%", 45, 85),
                ("Exam passed", "milestone", "", 0, 1),
            ],
        ),
        "it": (
            "Ottenere la certificazione cloud practitioner",
            "Studiare e superare l'esame di certificazione in questo ciclo.",
            [
                ("Moduli del corso completati", "moduli"),
                ("Punteggio all'esame di prova", "%"),
                ("Esame superato", ""),
            ],
        ),
    },
    {
        "key": "balance",
        "category": "personal_growth",
        "level": "mentee",
        "programs": [],
        "en": (
            "Improve my work-life balance",
            "Work sustainable hours so I can keep learning without burning out.",
            [
                ("Overtime hours per month", "number", "hours", 30, 8),
                ("Evenings without work e-mail per week", "number", "evenings", 1, 5),
            ],
        ),
        "it": (
            "Migliorare l'equilibrio tra lavoro e vita privata",
            "Lavorare con orari sostenibili per continuare a imparare senza esaurirmi.",
            [
                ("Ore di straordinario al mese", "ore"),
                ("Sere senza e-mail di lavoro a settimana", "sere"),
            ],
        ),
    },
    {
        "key": "better_mentor",
        "category": "leadership",
        "level": "mentor",
        "programs": [],
        "en": (
            "Become a mentor my mentee learns from",
            "Listen more than I talk, give specific feedback and share my network with my mentee.",
            [
                ("Sessions held on the agreed cadence", "percent", "%", 0, 90),
                ("Mentee's rating of our sessions", "number", "/5", 3, 4.5),
                ("Introductions made for my mentee", "number", "introductions", 0, 3),
            ],
        ),
        "it": (
            "Diventare un mentore da cui imparare",
            "Ascoltare più che parlare, dare feedback precisi e condividere la mia rete con la persona che seguo.",
            [
                ("Incontri tenuti con la cadenza concordata", "%"),
                ("Valutazione dei nostri incontri", "/5"),
                ("Presentazioni fatte per la persona che seguo", "presentazioni"),
            ],
        ),
    },
    {
        "key": "pair_why",
        "category": "leadership",
        "level": "pairing",
        "programs": ["program_leadership"],
        "en": (
            "Our why: ready for a team-lead role in a year",
            "The pair's shared objective: what we work on together, agreed at our first session and reviewed each month.",
            [
                ("Monthly reviews of our plan", "number", "reviews", 0, 6),
                ("Leadership skills practised on real work", "number", "skills", 0, 4),
                ("Shadowing days with a team lead", "number", "days", 0, 3),
            ],
        ),
        "it": (
            "Il nostro perché: pronti per un ruolo da team lead in un anno",
            "L'obiettivo comune della coppia: su che cosa lavoriamo insieme, concordato al primo incontro e rivisto ogni mese.",
            [
                ("Revisioni mensili del nostro piano", "revisioni"),
                ("Competenze di leadership esercitate sul lavoro", "competenze"),
                ("Giornate di affiancamento a un team lead", "giornate"),
            ],
        ),
    },
]


def by_key(key: str) -> ObjectiveTemplate | None:
    """The default-locale template of the demo entry ``key`` (``None`` before :func:`run`)."""
    entry = next(item for item in TEMPLATES if item["key"] == key)
    return (
        ObjectiveTemplate.objects.filter(locale=Locale.get_default(), title=entry["en"][0])
        .prefetch_related("key_results")
        .first()
    )


def run(ctx: DemoContext) -> None:
    """Create (once) every template in the default locale and its Italian translation; editors curate them."""
    default = Locale.get_default()
    italian, _created = Locale.objects.get_or_create(language_code="it")
    created = 0
    for entry in TEMPLATES:
        programs = [ctx.pages[name] for name in entry["programs"] if name in ctx.pages]
        title, description, key_results = entry["en"]
        original = ObjectiveTemplate.objects.filter(locale=default, title=title).first()
        if original is None:
            original = _save(
                ObjectiveTemplate(locale=default, title=title, description=description),
                entry,
                programs,
                [_fields(kr) for kr in key_results],
            )
            created += 1
        if (
            italian.pk != default.pk
            and not ObjectiveTemplate.objects.filter(locale=italian, translation_key=original.translation_key).exists()
        ):
            it_title, it_description, it_key_results = entry["it"]
            fields = [
                {**_fields(kr), "title": it_kr[0], "unit": it_kr[1]}
                for kr, it_kr in zip(key_results, it_key_results, strict=True)
            ]
            _save(
                ObjectiveTemplate(
                    locale=italian, translation_key=original.translation_key, title=it_title, description=it_description
                ),
                entry,
                programs,
                fields,
            )
            created += 1
    _editors_curate()
    ctx.say(ctx.style.SUCCESS(_("Objective templates ready: %(count)d created.") % {"count": created}))


def _fields(key_result: tuple) -> dict:
    title, kind, unit, start, target = key_result
    return {"title": title, "kind": kind, "unit": unit, "start_value": start, "target_value": target}


def _save(template: ObjectiveTemplate, entry: dict, programs: list, key_results: list[dict]) -> ObjectiveTemplate:
    template.category, template.level = entry["category"], entry["level"]
    save_objective_template(template, programs=programs, key_results=key_results)
    template.save_revision(log_action=True)
    return template


def _editors_curate() -> None:
    """The "Editors" group manages objective templates through Wagtail's model permissions."""
    editors, _created = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="wagtail_mentoring",
            content_type__model="objectivetemplate",
            codename__regex=r"^(add|change|delete|view)_",
        )
    )

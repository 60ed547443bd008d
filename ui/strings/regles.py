"""Strings of the page "Thèmes et règles"."""

STRINGS = {
    "rules_intro": {
        "fr": "Les thèmes, les types de publication (institutionnel, service pratique, dialogue) "
        "et la nature des messages (question, réclamation, remerciement, proposition) viennent de "
        "ces règles de mots-clés. Modifiez-les pour coller au vocabulaire de votre collectivité : "
        "chaque enregistrement est vérifié puis tracé dans le journal.",
        "en": "Themes, kinds of publication and kinds of message come from these keyword rules. "
        "Edit them to fit your collectivité's vocabulary: each save is checked and logged.",
    },
    "rules_file": {"fr": "Règles", "en": "Rules"},
    "rules_themes": {"fr": "Thèmes", "en": "Themes"},
    "rules_content_audit": {"fr": "Types de publication", "en": "Kinds of publication"},
    "rules_resident_voice": {"fr": "Nature des messages", "en": "Kinds of message"},
    "rules_text": {"fr": "Fichier de règles (TOML)", "en": "Rule file (TOML)"},
    "rules_save": {"fr": "Vérifier et enregistrer", "en": "Check and save"},
    "rules_saved": {"fr": "Règles enregistrées.", "en": "Rules saved."},
    "rules_reset": {"fr": "Revenir aux règles par défaut", "en": "Back to the default rules"},
}

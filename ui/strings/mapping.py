"""UI strings of the column-mapping editor (ui/mapping.py), shown on the Importer page."""

STRINGS: dict[str, dict[str, str]] = {
    "mapping_offer": {
        "fr": "Importer ce fichier avec une correspondance de colonnes",
        "en": "Import this file with a column mapping",
    },
    "mapping_found": {
        "fr": "Correspondance « {name} » appliquée : ce fichier a le même en-tête que celui pour "
        "lequel elle a été enregistrée.",
        "en": "Mapping “{name}” applied: this file has the same header as the one it was saved "
        "for.",
    },
    "mapping_title": {"fr": "Correspondance de colonnes", "en": "Column mapping"},
    "mapping_intro": {
        "fr": "Aucun format connu ne reconnaît ce fichier. Indiquez quelle colonne contient "
        "chaque information : l'aperçu ci-dessous montre le résultat avant tout import. Une fois "
        "enregistrée, la correspondance est réutilisée pour tout fichier ayant le même en-tête.",
        "en": "No known format recognises this file. Say which column holds each piece of "
        "information: the preview below shows the result before anything is imported. Once "
        "saved, the mapping is reused for any file with the same header.",
    },
    "mapping_unreadable": {
        "fr": "Ce fichier ne peut pas être lu colonne par colonne : {reason}",
        "en": "This file cannot be read column by column: {reason}",
    },
    "mapping_sheet": {"fr": "Feuille du classeur", "en": "Workbook sheet"},
    "mapping_columns_found": {
        "fr": "**Colonnes trouvées ({count})** : {columns}",
        "en": "**Columns found ({count})**: {columns}",
    },
    "mapping_sample": {
        "fr": "Premières lignes du fichier",
        "en": "First rows of the file",
    },
    "mapping_kind": {"fr": "Le fichier contient des…", "en": "The file holds…"},
    "mapping_kind_request": {"fr": "demandes", "en": "requests"},
    "mapping_kind_message": {"fr": "messages", "en": "messages"},
    "mapping_kind_publication": {"fr": "publications", "en": "publications"},
    "mapping_columns_heading": {
        "fr": "Colonne du fichier pour chaque information (* obligatoire)",
        "en": "File column for each piece of information (* required)",
    },
    "mapping_none": {"fr": "— aucune —", "en": "— none —"},
    "mapping_choose": {"fr": "Choisir une colonne", "en": "Choose a column"},
    "mapping_date_format": {"fr": "Format des dates", "en": "Date format"},
    "mapping_date_format_help": {
        "fr": "Le format dans lequel le fichier écrit ses dates. Une date écrite autrement est "
        "rejetée : le format d'une date n'est jamais deviné (03/04 peut être le 3 avril ou le "
        "4 mars).",
        "en": "How the file writes its dates. A date written otherwise is rejected: a date "
        "format is never guessed (03/04 may be 3 April or March 4).",
    },
    "mapping_timezone": {"fr": "Fuseau horaire des dates", "en": "Time zone of the dates"},
    "mapping_timezone_help": {
        "fr": "Les dates sans décalage horaire sont lues dans ce fuseau, puis enregistrées en UTC.",
        "en": "Dates without an offset are read in this zone, then stored in UTC.",
    },
    "mapping_source_request": {
        "fr": "Nom du système source",
        "en": "Source system name",
    },
    "mapping_source_message": {"fr": "Canal (si aucune colonne)", "en": "Channel (if no column)"},
    "mapping_source_publication": {
        "fr": "Réseau (si aucune colonne)",
        "en": "Network (if no column)",
    },
    "mapping_source_help": {
        "fr": "Enregistré avec chaque ligne : il distingue ces données de celles d'un autre "
        "outil (par exemple « grc », « courriel », « facebook »).",
        "en": "Stored with each row: it tells these rows apart from another tool's (for example "
        "“grc”, “email”, “facebook”).",
    },
    "mapping_source_placeholder": {"fr": "ex. grc", "en": "e.g. grc"},
    "mapping_name": {"fr": "Nom de la correspondance", "en": "Mapping name"},
    "mapping_name_help": {
        "fr": "De 1 à 60 caractères : lettres, chiffres, espaces, tirets ou soulignés.",
        "en": "1 to 60 characters: letters, digits, spaces, hyphens or underscores.",
    },
    "mapping_name_placeholder": {"fr": "ex. GRC mairie", "en": "e.g. City CRM"},
    "mapping_preview": {"fr": "Aperçu du résultat", "en": "Preview of the result"},
    "mapping_rows_read": {"fr": "Lignes lues", "en": "Rows read"},
    "mapping_rows_kept": {"fr": "Lignes gardées", "en": "Rows kept"},
    "mapping_rows_rejected": {"fr": "Lignes rejetées", "en": "Rows rejected"},
    "mapping_rejections": {
        "fr": "**Lignes rejetées** (les autres seront importées)",
        "en": "**Rejected rows** (the others will be imported)",
    },
    "mapping_canonical": {
        "fr": "Premières lignes telles qu'elles seront enregistrées",
        "en": "First rows as they will be stored",
    },
    "mapping_nothing_kept": {
        "fr": "Aucune ligne ne serait importée : vérifiez les colonnes et le format des dates.",
        "en": "No row would be imported: check the columns and the date format.",
    },
    "mapping_save": {"fr": "Enregistrer la correspondance", "en": "Save the mapping"},
    "mapping_saved": {
        "fr": "Correspondance « {name} » enregistrée : le fichier est importé avec elle.",
        "en": "Mapping “{name}” saved: the file is imported with it.",
    },
    "mapping_name_missing": {
        "fr": "Donnez un nom à la correspondance pour l'enregistrer.",
        "en": "Give the mapping a name to save it.",
    },
    "mapping_replaces": {
        "fr": "Une correspondance « {name} » existe déjà : l'enregistrer la remplacera.",
        "en": "A mapping “{name}” already exists: saving will replace it.",
    },
    # Canonical columns, as the editor names them.
    "mapping_column_native_id": {"fr": "Identifiant", "en": "Identifier"},
    "mapping_column_created_at": {"fr": "Date de création", "en": "Created at"},
    "mapping_column_acknowledged_at": {
        "fr": "Date d'accusé de réception",
        "en": "Acknowledged at",
    },
    "mapping_column_first_response_at": {
        "fr": "Date de première réponse",
        "en": "First response at",
    },
    "mapping_column_closed_at": {"fr": "Date de clôture", "en": "Closed at"},
    "mapping_column_due_at": {"fr": "Date d'échéance", "en": "Due at"},
    "mapping_column_status": {"fr": "Statut", "en": "Status"},
    "mapping_column_category": {"fr": "Catégorie", "en": "Category"},
    "mapping_column_subcategory": {"fr": "Sous-catégorie", "en": "Subcategory"},
    "mapping_column_district": {"fr": "Quartier", "en": "Quartier (district)"},
    "mapping_column_channel": {"fr": "Canal", "en": "Channel"},
    "mapping_column_service": {"fr": "Service", "en": "Service"},
    "mapping_column_description": {"fr": "Description", "en": "Description"},
    "mapping_column_latitude": {"fr": "Latitude", "en": "Latitude"},
    "mapping_column_longitude": {"fr": "Longitude", "en": "Longitude"},
    "mapping_column_thread_id": {"fr": "Identifiant de conversation", "en": "Thread id"},
    "mapping_column_post_id": {"fr": "Identifiant de la publication", "en": "Post id"},
    "mapping_column_parent_id": {"fr": "Identifiant du message parent", "en": "Parent id"},
    "mapping_column_sent_at": {"fr": "Date de réception", "en": "Received at"},
    "mapping_column_author": {"fr": "Auteur", "en": "Author"},
    "mapping_column_text": {"fr": "Texte", "en": "Text"},
    "mapping_column_replied_at": {"fr": "Date de réponse", "en": "Replied at"},
    "mapping_column_platform": {"fr": "Réseau", "en": "Network"},
    "mapping_column_account": {"fr": "Compte", "en": "Account"},
    "mapping_column_published_at": {"fr": "Date de publication", "en": "Published at"},
    "mapping_column_post_type": {"fr": "Type de publication", "en": "Post type"},
    "mapping_column_permalink": {"fr": "Lien", "en": "Link"},
    "mapping_column_reach": {"fr": "Portée", "en": "Reach"},
    "mapping_column_impressions": {"fr": "Impressions ou vues", "en": "Impressions or views"},
    "mapping_column_reactions": {"fr": "Réactions", "en": "Reactions"},
    "mapping_column_comments": {"fr": "Commentaires", "en": "Comments"},
    "mapping_column_shares": {"fr": "Partages", "en": "Shares"},
    "mapping_column_saves": {"fr": "Enregistrements", "en": "Saves"},
    "mapping_column_clicks": {"fr": "Clics", "en": "Clicks"},
    "mapping_column_video_views": {"fr": "Vues de vidéos", "en": "Video views"},
}

"""Parvis command line: import files, print KPIs as JSON, load the demo commune, manage accounts, purge."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ingest.pipeline import ImportReport
from metrics.period import Period
from metrics.sections import SECTIONS
from services import imports, mappings, retention
from services.auth import AuthError, add_user
from services.sections import section_document
from services.settings import current_settings
from services.synthesis import kpi_document
from store.accounts import accounts_frame
from store.db import ready_engine


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise argparse.ArgumentTypeError(
            f"fuseau horaire inconnu : « {value} » (attendu : un nom IANA comme Europe/Paris)"
        ) from error
    return value


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"date invalide : « {value} » (attendu : AAAA-MM-JJ, par exemple 2026-10-31)"
        ) from error


def _print_report(report: ImportReport, out) -> None:
    print(f"Fichier : {report.file_name}", file=out)
    if report.refused:
        print(f"  REFUSÉ : {report.refused}", file=out)
        return
    print(f"  Format reconnu : {report.format_label} ({report.format_id})", file=out)
    print(
        f"  Lignes lues : {report.rows_read} — ajoutées : {report.inserted}, "
        f"mises à jour : {report.updated}, inchangées : {report.unchanged}, "
        f"rejetées : {len(report.rejections)}",
        file=out,
    )
    if report.import_id:
        print(f"  Enregistré comme import n°{report.import_id}", file=out)
    elif not report.dry_run:
        print("  Aucune modification : ces données étaient déjà enregistrées.", file=out)
    for warning in report.warnings:
        print(f"  Attention : {warning}", file=out)
    for rejection in report.rejections:
        print(f"  Ligne {rejection.line} rejetée : {rejection.reason}", file=out)


PROGRESS_FROM_BYTES = 5_000_000


def _progress_printer(name: str):
    """Progress lines on stderr for large files (stdout keeps the report)."""
    last = {"tenth": -1, "stage": ""}

    def show(share: float, stage: str) -> None:
        tenth = int(share * 10)
        if tenth != last["tenth"] or stage != last["stage"]:
            last.update(tenth=tenth, stage=stage)
            print(f"  {name} : {share:4.0%} — {stage}", file=sys.stderr, flush=True)

    return show


def command_import(args: argparse.Namespace) -> int:
    engine = ready_engine()
    refused = 0
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            print(f"Fichier : {name}\n  REFUSÉ : fichier introuvable.", file=sys.stdout)
            refused += 1
            continue
        data = path.read_bytes()
        report = mappings.import_any(
            engine,
            data,
            path.name,
            user=args.user,
            timezone=args.timezone,
            dry_run=args.dry_run,
            mapping=args.mapping,
            progress=_progress_printer(path.name) if len(data) > PROGRESS_FROM_BYTES else None,
        )
        _print_report(report, sys.stdout)
        refused += int(not report.accepted)
    return 1 if refused else 0


def command_kpis(args: argparse.Namespace) -> int:
    engine = ready_engine()
    timezone = args.timezone or current_settings(engine).timezone
    try:
        period = Period(args.start, args.end, timezone)
    except ValueError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 2
    if args.section:
        document = section_document(engine, args.section, period)
    else:
        document = kpi_document(engine, period)
    print(json.dumps(document, ensure_ascii=False, indent=2))
    return 0


def command_demo(args: argparse.Namespace) -> int:
    engine = ready_engine()
    if args.remove:
        count = imports.remove_demo(engine)
        print(f"Démonstration retirée ({count} imports annulés).")
        return 0
    if args.if_empty:
        from store.repository import has_any_import

        if has_any_import(engine):
            print("Base déjà utilisée : la démonstration n'est pas rechargée.")
            return 0
    reports = imports.load_demo(engine, end=args.end)
    for report in reports:
        _print_report(report, sys.stdout)
    return 0 if all(r.accepted for r in reports) else 1


def _new_password(stdin) -> str:
    """The new password: typed twice at a terminal prompt, or the first two lines of stdin."""
    if stdin.isatty():
        first = getpass.getpass("Mot de passe : ")
        second = getpass.getpass("Confirmation : ")
    else:
        lines = stdin.read().splitlines()
        first = lines[0] if lines else ""
        second = lines[1] if len(lines) > 1 else first
    if first != second:
        raise AuthError("Les deux mots de passe diffèrent.")
    return first


def command_users(args: argparse.Namespace) -> int:
    engine = ready_engine()
    if args.action == "list":
        for row in accounts_frame(engine).itertuples():
            state = " (désactivé)" if row.disabled else ""
            print(f"{row.name}\t{row.role}\t{row.districts}{state}")
        return 0
    try:
        password = _new_password(sys.stdin)
        add_user(engine, args.name, args.role, password, tuple(args.district or ()), actor="cli")
    except AuthError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 2
    print(f"Compte « {args.name} » créé (rôle : {args.role}).")
    return 0


def command_purge(args: argparse.Namespace) -> int:
    engine = ready_engine()
    counts = retention.purge(engine, actor=args.user, dry_run=args.dry_run)
    verb = "seraient supprimés" if args.dry_run else "supprimés"
    for kind, count in counts.items():
        print(f"{retention.KIND_LABELS[kind]} : {count} {verb}")
    if not counts:
        print("Aucune durée de conservation n'est réglée : rien à purger.")
    return 0


def command_brief(args: argparse.Namespace) -> int:
    from services.auth import audit
    from store.repository import ALL
    from ui.brief import PAGE_PARTS, brief_pdf

    if args.page is not None and args.page not in PAGE_PARTS:
        # Checked here rather than by argparse: its refusal would be half in English.
        print(
            f"Erreur : page inconnue : « {args.page} » (pages possibles : "
            f"{', '.join(PAGE_PARTS)} ; sans --page, le dossier complet).",
            file=sys.stderr,
        )
        return 2
    engine = ready_engine()
    timezone = args.timezone or current_settings(engine).timezone
    try:
        period = Period(args.start, args.end, timezone)
    except ValueError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 2
    Path(args.output).write_bytes(brief_pdf(engine, period, ALL, lang=args.lang, page=args.page))
    page = {"page": args.page} if args.page else {}
    audit(
        engine,
        args.user,
        "export",
        what="brief_pdf",
        file=args.output,
        start=args.start.isoformat(),
        end=args.end.isoformat(),
        **page,
    )
    print(f"Dossier écrit : {args.output}")
    return 0


def command_sentiment(args: argparse.Namespace) -> int:
    if args.rescore:
        from services.imports import rescore_sentiment

        counts = rescore_sentiment(ready_engine(), args.user)
        names = {"message": "messages", "request": "descriptions de demandes"}
        for kind, count in counts.items():
            print(f"{names[kind]} : {count['read']} relus, {count['changed']} scores changés")
        return 0
    from metrics.sentiment import sentiment_json_lines

    for line in sentiment_json_lines(sys.stdin):
        print(line, flush=False)
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser of the command line."""
    root = argparse.ArgumentParser(
        prog="cli.py", description="Parvis — écoute et réponses aux habitants"
    )
    commands = root.add_subparsers(dest="command", required=True)

    imp = commands.add_parser("import", help="importer un ou plusieurs fichiers d'export")
    imp.add_argument("files", nargs="+", metavar="FICHIER")
    imp.add_argument(
        "--timezone", type=_zone, help="fuseau des dates sans décalage (défaut : réglages)"
    )
    imp.add_argument("--user", default=getpass.getuser(), help="qui importe (journal)")
    imp.add_argument("--dry-run", action="store_true", help="montrer le rapport sans rien écrire")
    imp.add_argument(
        "--mapping",
        metavar="NOM",
        help="lire les fichiers avec cette correspondance de colonnes enregistrée (sans cette "
        "option, un fichier non reconnu est lu avec celle faite pour son en-tête, s'il y en a une)",
    )
    imp.set_defaults(handler=command_import)

    kpis = commands.add_parser("kpis", help="indicateurs de la synthèse en JSON")
    kpis.add_argument("--start", type=_day, required=True, help="premier jour, AAAA-MM-JJ")
    kpis.add_argument("--end", type=_day, required=True, help="dernier jour inclus, AAAA-MM-JJ")
    kpis.add_argument(
        "--timezone", type=_zone, help="fuseau de la collectivité (défaut : réglages)"
    )
    kpis.add_argument(
        "--section",
        choices=SECTIONS,
        help="un groupe d'indicateurs détaillé au lieu de la synthèse",
    )
    kpis.set_defaults(handler=command_kpis)

    demo = commands.add_parser("demo", help="(re)charger la commune de démonstration")
    demo.add_argument(
        "--if-empty", action="store_true", help="seulement si la base n'a jamais servi"
    )
    demo.add_argument("--remove", action="store_true", help="retirer la démonstration")
    demo.add_argument("--end", type=_day, help="dernier jour des données (défaut : mois dernier)")
    demo.set_defaults(handler=command_demo)

    users = commands.add_parser("users", help="comptes : add NOM --role ROLE, list")
    users.add_argument("action", choices=["add", "list"])
    users.add_argument("name", nargs="?", metavar="NOM")
    users.add_argument("--role", choices=["elu", "agent", "admin"], default="elu")
    users.add_argument(
        "--district", action="append", metavar="QUARTIER", help="limite un élu à ce quartier"
    )
    users.set_defaults(handler=command_users)

    purge = commands.add_parser("purge", help="supprimer ce qui dépasse la durée de conservation")
    purge.add_argument("--dry-run", action="store_true", help="compter sans rien supprimer")
    purge.add_argument("--user", default=getpass.getuser(), help="qui purge (journal)")
    purge.set_defaults(handler=command_purge)

    sentiment = commands.add_parser(
        "sentiment", help="sentiment de textes lus sur l'entrée standard, un par ligne (JSON)"
    )
    sentiment.add_argument(
        "--rescore",
        action="store_true",
        help="noter à nouveau les messages et demandes enregistrés avec l'analyseur actuel "
        "(après une mise à jour de Parvis), au lieu de lire l'entrée standard",
    )
    sentiment.add_argument("--user", default=getpass.getuser(), help="qui relance (journal)")
    sentiment.set_defaults(handler=command_sentiment)

    brief = commands.add_parser(
        "brief", help="le dossier PDF de la synthèse (ou d'une page avec --page), pour un envoi"
    )
    brief.add_argument("--start", type=_day, required=True, help="premier jour, AAAA-MM-JJ")
    brief.add_argument("--end", type=_day, required=True, help="dernier jour inclus, AAAA-MM-JJ")
    brief.add_argument("--output", required=True, metavar="FICHIER.pdf")
    brief.add_argument("--lang", choices=["fr", "en"], default="fr")
    brief.add_argument(
        "--page",
        metavar="NOM",
        help="le dossier d'une page seulement : synthese, publications, reponses, demandes, "
        "quartiers, services_publics ou habitants (défaut : le dossier complet)",
    )
    brief.add_argument(
        "--timezone", type=_zone, help="fuseau de la collectivité (défaut : réglages)"
    )
    brief.add_argument("--user", default=getpass.getuser(), help="qui exporte (journal)")
    brief.set_defaults(handler=command_brief)
    return root


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    root = parser()
    args = root.parse_args(argv)
    if args.command == "users" and args.action == "add" and not args.name:
        root.error("users add : le nom du compte est obligatoire")
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())

"""Designations -> rows of the CNIL file as published, with the quirks seen in the real one.

Quirks: `France`/`FRANCE`/empty countries, a literal `NULL` city, postcodes that lost their
leading zero (4 digits), `PARIS 8`-style cities, a few malformed SIRENs and foreign firms.
Contact columns (19-26) only hold obviously fake values: they never leave the warehouse.
"""

from __future__ import annotations

import datetime as dt
import random

from observatory.schemas import field_names
from tools.demo_sources.cnil import CONTACT_EMAILS, Designee
from tools.demo_sources.cnil_bodies import Body

SCHEMA = "sources/cnil-organismes-avec-dpo"
MALFORMED_SIRENS = 8
FOREIGN = (
    ("ETATS-UNIS D'AMÉRIQUE", "CA 94080", "SOUTH SAN FRANCISCO"),
    ("ROYAUME-UNI", "EC1A 1BB", "LONDON"),
    ("IRLANDE", "D02 X285", "DUBLIN"),
    ("BELGIQUE", "1000", "BRUXELLES"),
)


def _country(rng: random.Random) -> str:
    roll = rng.random()
    return "France" if roll < 0.80 else "FRANCE" if roll < 0.99 else ""


def _place(rng: random.Random, body: Body) -> list[str]:
    postal, town = body.code_postal, body.ville
    if postal.startswith("0") and rng.random() < 0.25:
        postal = postal[1:]
    if town == "PARIS" and postal.startswith("75"):
        district = int(postal[-2:] or 1)
        town = rng.choice((f"PARIS {district}", f"PARIS CEDEX {district:02d}", "PARIS"))
    if rng.random() < 0.002:
        town = "NULL"
    return [body.adresse, postal, town, _country(rng)]


def _designee_columns(rng: random.Random, designee: Designee) -> list[str]:
    if designee.body is not None:
        b = designee.body
        return [b.siren, b.nom, b.section, b.naf, *_place(rng, b)]
    if designee.name_only:
        return ["", designee.name_only, "", "", "", "", "", ""]
    return [""] * 8


def _contacts(rng: random.Random) -> list[str]:
    email = rng.choice(CONTACT_EMAILS) if rng.random() < 0.9 else ""
    url = "https://www.exemple-demo.fr/rgpd" if rng.random() < 0.15 else ""
    phone = f"0{rng.randint(1, 5)} 00 00 00 00" if rng.random() < 0.6 else ""
    postal = rng.random() < 0.5
    other = "formulaire : https://www.exemple-demo.fr/contact" if rng.random() < 0.05 else ""
    return [
        email,
        url,
        phone,
        "1 rue de l'Exemple" if postal else "",
        "00000" if postal else "",
        "VILLE-DEMO" if postal else "",
        "France" if postal else "",
        other,
    ]


def format_rows(designations, rng: random.Random) -> list[list[str]]:
    """Rows in file order: by designation date, then in a seeded order within a day."""
    keyed = []
    for body, date, designee in designations:
        row = [
            body.siren,
            body.nom,
            body.section,
            body.naf,
            *_place(rng, body),
            designee.type_dpo,
            date.strftime("%d/%m/%Y"),
            *_designee_columns(rng, designee),
            *_contacts(rng),
        ]
        keyed.append((date, rng.random(), row))
    keyed.sort(key=lambda item: (item[0], item[1]))
    rows = [row for _, _, row in keyed]
    width = len(field_names(SCHEMA))  # once: each call copies the schema
    assert all(len(row) == width for row in rows)
    firms = [row for row in rows if row[0][:1] in "3456789" and row[2] != "M"]
    for row in rng.sample(firms, min(len(firms), MALFORMED_SIRENS)):
        row[0] = row[0][: rng.randint(5, 8)]
    for row in rng.sample(firms, min(len(firms), 20)):
        country, postal, town = rng.choice(FOREIGN)
        row[5:8] = [postal, town, country]
    return rows


def date_of(row: list[str]) -> dt.date:
    return dt.datetime.strptime(row[9], "%d/%m/%Y").date()

"""OPSN identities (real, from the ANCT sample) and their demonstration services."""

from __future__ import annotations

from dataclasses import dataclass

from stdnum.fr import siren as stdnum_siren

from observatory.schemas import enum_values, field_names
from tools.demo_sources.common import substream
from tools.demo_sources.referential import ANCT_FILE, Referential

# Rows of the ANCT sample that are not OPSN.
NOT_OPSN = {"ANCT", "TEST"}

# Legal forms are not in the ANCT sample. This table was reviewed by hand from each
# operator's real identity (SIREN range, name, public status) for the demonstration only:
# 28… SIREN = centre de gestion, 13…/18… = GIP, Adico/ADM81 are associations, SPL-Xdemat
# is a société publique locale, ATD24/AT86/Alpi are agences techniques départementales,
# the others are syndicats mixtes.
LEGAL_FORMS = {
    "ADICA": "syndicat_mixte",
    "Adico": "association",
    "ADM81": "association",
    "Alpi": "agence_technique_departementale",
    "AT86": "agence_technique_departementale",
    "ATD24": "agence_technique_departementale",
    "CDG09": "centre_de_gestion",
    "CDG48": "centre_de_gestion",
    "e-Collectivités": "syndicat_mixte",
    "Eure Normandie Numérique": "syndicat_mixte",
    "GIP ARNia": "gip",
    "GIP Recia": "gip",
    "Gironde Numérique": "syndicat_mixte",
    "Haute Garonne Numérique": "syndicat_mixte",
    "Haute Saône Numérique": "syndicat_mixte",
    "La Fibre 64": "syndicat_mixte",
    "La Fibre Numérique 59/62": "syndicat_mixte",
    "Mégalis Bretagne": "syndicat_mixte",
    "SIDEC": "syndicat_mixte",
    "SIEEEN": "syndicat_mixte",
    "SITIV": "syndicat_mixte",
    "SMIC 88": "syndicat_mixte",
    "SMICA": "syndicat_mixte",
    "SMICO": "syndicat_mixte",
    "SMN76": "syndicat_mixte",
    "Soluris": "syndicat_mixte",
    "SPL-XDEMAT": "spl",
    "Syane": "syndicat_mixte",
}

# Share of OPSN offering each service, after the 2020 Déclic study where it gives one
# (dématérialisation 90 %, marchés publics 86 %, DPD 83 %); the rest is a plausible guess
# keeping the data offers (archivage, open data, SIG) less common.
SERVICE_RATES = {
    "dematerialisation": 0.90,
    "marches_publics": 0.86,
    "dpd_mutualise": 0.83,
    "sig": 0.35,
    "archivage_electronique": 0.30,
    "open_data": 0.25,
    "paie_rh": 0.60,
    "finances": 0.60,
    "etat_civil_population": 0.55,
    "outils_collaboratifs": 0.70,
    "hebergement": 0.45,
    "cybersecurite": 0.40,
    "formation": 0.55,
    "centrale_achat": 0.45,
    "assistance_informatique": 0.60,
    "sites_internet": 0.45,
    "grc_gru": 0.25,
    "mediation_inclusion": 0.30,
    "telecoms_reseaux": 0.15,
}
MIN_SERVICES, MAX_SERVICES = 3, 19
DECLIC_RATE = 0.85


@dataclass
class Operator:
    siren: str
    nom: str
    forme_juridique: str
    site_web: str
    departements: list[str]
    membre_declic: bool
    services: list[str]

    @property
    def offers_dpd(self) -> bool:
        return "dpd_mutualise" in self.services


def legal_form(nom: str, siren: str) -> str:
    if nom in LEGAL_FORMS:
        return LEGAL_FORMS[nom]
    # An operator missing from the reviewed table falls back on the SIREN range.
    if siren.startswith("28"):
        return "centre_de_gestion"
    if siren.startswith(("13", "18")):
        return "gip"
    return "syndicat_mixte"


def _anomaly(record: dict, kind: str, detail: str, decision: str, siren: str = "") -> dict:
    return {
        "source": ANCT_FILE,
        "operateur": record.get("nom"),
        "champ": "siret" if kind.startswith("siret") else "departements",
        "valeur": record.get("siret") if kind.startswith("siret") else "",
        "anomalie": kind,
        "detail": detail,
        "siren_retenu": siren,
        "decision": decision,
    }


def _siren_of(record: dict, anomalies: list[dict]) -> str | None:
    siret = (record.get("siret") or "").strip()
    if not siret.isdigit() or len(siret) != 14:
        siren = siret[:9]
        kept = siren.isdigit() and len(siren) == 9 and stdnum_siren.is_valid(siren)
        anomalies.append(
            _anomaly(
                record,
                "siret_malforme",
                f"SIRET de {len(siret)} caractères au lieu de 14 chiffres",
                "SIREN (9 premiers chiffres) valide : OPSN conservé"
                if kept
                else "SIREN invalide (clé de Luhn) : OPSN écarté des déclarations",
                siren if kept else "",
            )
        )
        return siren if kept else None
    siren = siret[:9]
    if not stdnum_siren.is_valid(siren):
        anomalies.append(
            _anomaly(record, "siren_invalide", "clé de Luhn du SIREN fausse", "OPSN écarté des déclarations")
        )
        return None
    return siren


def _draw_services(operators: list[Operator], seed: int) -> None:
    """Each service goes to round(rate x number of OPSN) operators, so the shares match the study."""
    codes = enum_values("declaration/services", "code_service")
    assert set(codes) == set(SERVICE_RATES), "SERVICE_RATES doit couvrir l'énumération du schéma"
    rng = substream(seed, "services")
    offered: dict[str, set[str]] = {o.siren: set() for o in operators}
    for code in codes:
        for operator in rng.sample(operators, round(SERVICE_RATES[code] * len(operators))):
            offered[operator.siren].add(code)
    for operator in operators:
        chosen = offered[operator.siren]
        for code in sorted(codes, key=lambda c: -SERVICE_RATES[c]):
            if len(chosen) >= MIN_SERVICES:
                break
            chosen.add(code)
        operator.services = [code for code in codes if code in chosen][:MAX_SERVICES]


def build_operators(ref: Referential, seed: int) -> tuple[list[Operator], list[dict]]:
    """OPSN kept for the declarations (sorted by SIREN) and the identity anomalies found."""
    anomalies: list[dict] = []
    operators = []
    rng = substream(seed, "declic")
    for record in ref.operators:
        nom = (record.get("nom") or "").strip()
        if nom in NOT_OPSN:
            continue
        siren = _siren_of(record, anomalies)
        if siren is None:
            continue
        depts = [d for d in record.get("departements") or [] if d in ref.departements]
        if not depts:
            anomalies.append(
                _anomaly(
                    record,
                    "departements_absents",
                    "aucun département servi dans l'échantillon ANCT",
                    "déclaration réduite (7 à 60 adhérents) tirée d'un département choisi par la graine",
                    siren,
                )
            )
        operators.append(
            Operator(
                siren=siren,
                nom=nom,
                forme_juridique=legal_form(nom, siren),
                site_web=(record.get("url") or "").strip(),
                departements=depts,
                membre_declic=False,
                services=[],
            )
        )
    operators.sort(key=lambda o: o.siren)
    _draw_services(operators, seed)
    for operator in operators:
        operator.membre_declic = rng.random() < DECLIC_RATE
    return operators, anomalies


def opsn_rows(operators: list[Operator]) -> list[dict]:
    rows = []
    for operator in operators:
        row = {
            "siren": operator.siren,
            "nom": operator.nom,
            "forme_juridique": operator.forme_juridique,
            "site_web": operator.site_web,
            "departements": "|".join(operator.departements),
            "membre_declic": "true" if operator.membre_declic else "false",
        }
        assert list(row) == field_names("declaration/opsn")
        rows.append(row)
    return rows


def service_rows(operators: list[Operator]) -> list[dict]:
    columns = field_names("declaration/services")
    return [
        dict(zip(columns, (operator.siren, code), strict=True)) for operator in operators for code in operator.services
    ]

"""README.md of the demo sources directory (French, like every published text)."""

from __future__ import annotations


def _size(octets: int) -> str:
    return f"{octets / 1_000_000:.2f} Mo" if octets >= 100_000 else f"{octets / 1000:.1f} ko"


def render(seed: int, files: list[dict], stats: dict, anomalies: list[dict]) -> str:
    declarations, cnil = stats["declarations"], stats["cnil"]
    rows = "\n".join(
        f"| `{f['chemin']}` | {_size(f['octets'])} | {f['lignes'] if f['lignes'] is not None else '–'} |" for f in files
    )
    anomaly_lines = (
        "\n".join(
            f"- {a['operateur']} : {a['detail']}"
            + (f" (`{a['valeur']}`)" if a["valeur"] else "")
            + f" → {a['decision']}"
            for a in anomalies
        )
        or "- aucune"
    )
    sizes = declarations["adherents_par_opsn"]
    return f"""# Sources de démonstration de l'observatoire des OPSN

**Ces fichiers sont des « données de démonstration ».** Ils ne décrivent pas les adhérents
réels des OPSN ni les désignations réelles de DPD enregistrées par la CNIL. Ils sont générés,
de façon déterministe (graine `{seed}`), à partir de données réelles :

- le Code officiel géographique 2026 vendu dans `data/referentiel/` (communes, EPCI,
  départements, régions, anciennes communes) ;
- les identités réelles des OPSN inscrits auprès de l'ANCT (`data/referentiel/anct/`) :
  nom, SIREN, site internet, départements servis.

Les listes d'adhérents, les services proposés, l'appartenance à Déclic, la forme juridique
(table revue à la main pour la démonstration) et le fichier CNIL sont inventés, dans les
formats réels. Tout indicateur calculé à partir de ces fichiers doit porter la mention
« données de démonstration ».

## Régénérer

```
.venv/bin/python scripts/generate_demo_sources.py --seed {seed} --out data/sources-demo
```

Deux exécutions avec la même graine et le même référentiel produisent des fichiers
identiques octet pour octet, quel que soit le dossier de sortie (empreintes SHA-256 dans
`MANIFEST.json`).

## Fichiers

| fichier | taille | lignes de données |
| --- | --- | --- |
{rows}

- `declarations/opsn.csv` : identité des {declarations["opsn"]} OPSN retenus (schéma
  `schemas/declaration/opsn.json`).
- `declarations/adherents.csv` : {declarations["adherents_lignes"]} adhérents déclarés
  (de {sizes["min"]} à {sizes["max"]} par OPSN, médiane {sizes["mediane"]:g}), schéma
  `schemas/declaration/adherents.json`. Les champs d'identification sont remplis de façons
  variées et portent les défauts des vraies déclarations (codes manquants, majuscules sans
  accents, « St » pour Saint, articles déplacés, fautes de frappe, anciens noms de communes
  fusionnées, codes INSEE sans zéro initial, SIREN à clé fausse, code postal à la place du
  code INSEE, homonymes, noms introuvables, types inconnus, « Mairie de … », sigles d'EPCI
  développés, quelques adhérents hors du territoire de l'OPSN) : c'est voulu. Quelques pour cent
  des collectivités sont déclarées par deux OPSN (territoires qui se recouvrent).
- `declarations/services.csv` : services proposés par chaque OPSN (vocabulaire du schéma
  `schemas/declaration/services.json`, taux d'après l'étude Déclic 2020).
- `cnil/opencnil-organismes-avec-dpo.csv.gz` : le fichier CNIL « organismes ayant désigné un(e)
  DPD » dans son format publié (UTF-8 avec BOM, séparateur `;`, 26 colonnes, dates JJ/MM/AAAA),
  compressé en gzip : {cnil["lignes"]} lignes, {cnil["siren_designants_distincts"]} SIREN
  désignants, {cnil["communes_avec_designation"]} communes avec une désignation. Les colonnes de
  contact (19 à 26) ne contiennent que des valeurs fictives (`@exemple-demo.fr`, `01 00 00 00 00`).
- `verite_terrain/adherents.csv` : **ne fait pas partie des sources**. Pour chaque ligne
  d'`adherents.csv` (`numero_ligne`, l'en-tête étant la ligne 1), ce qu'un rapprochement parfait
  doit trouver (`type_attendu`, `code_attendu`) et les défauts introduits (`desordres`). Un nom
  seul est `ambigu` quand plusieurs communes du territoire de l'OPSN (ou du département / code
  postal donné) le portent. Sert aux tests et à la mesure du rapprochement.
- `decisions/rapprochements.csv` : décisions de rapprochement « revues » propres à ces données
  de démonstration (schéma `schemas/mappings/rapprochements.json`), prises d'après leur vérité
  terrain pour montrer comment se règle une ligne `ambigu`. Le pipeline ne les lit que pour un
  dossier dont le `MANIFEST.json` dit `"demonstration": true` ; `mappings/rapprochements.csv`
  ne contient que des décisions réelles.
- `MANIFEST.json` : graine, empreinte du référentiel utilisé, empreinte et taille de chaque
  fichier, anomalies d'identité relevées dans l'échantillon ANCT, statistiques.

## Anomalies d'identité relevées dans l'échantillon ANCT

{anomaly_lines}

Les lignes `ANCT` et `TEST` de l'échantillon ne sont pas des OPSN et sont écartées.
"""

"""Generate the embedded demonstration sources ("données de démonstration").

Member lists and CNIL rows cannot be downloaded everywhere, so the default sources are
generated from the real vendored referential (COG 2026 + ANCT operators), in the real
formats, by a seeded and byte-reproducible process:

    .venv/bin/python scripts/generate_demo_sources.py --seed 2026 --out data/sources-demo
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from observatory.paths import EMBEDDED_SOURCES_DIR, REFERENTIAL_DIR  # noqa: E402
from observatory.schemas import field_names  # noqa: E402
from tools.demo_sources import anct, readme  # noqa: E402
from tools.demo_sources.cnil import CnilGenerator  # noqa: E402
from tools.demo_sources.cnil_format import SCHEMA as CNIL_SCHEMA  # noqa: E402
from tools.demo_sources.cnil_format import format_rows  # noqa: E402
from tools.demo_sources.common import substream  # noqa: E402
from tools.demo_sources.declarations import adherent_rows  # noqa: E402
from tools.demo_sources.members import choose_members, territory  # noqa: E402
from tools.demo_sources.operators import build_operators, opsn_rows, service_rows  # noqa: E402
from tools.demo_sources.output import OutputDir, cnil_stats, csv_bytes, declaration_stats, gzip_bytes  # noqa: E402
from tools.demo_sources.referential import load_referential  # noqa: E402
from tools.demo_sources.truth import DECISIONS_FILE, DECISIONS_SCHEMA, TRUTH_FIELDS, decision_rows  # noqa: E402

# Sub-directories this script owns inside --out; anything else there is left alone.
OWNED = ("declarations", "cnil", "verite_terrain", "decisions", "anct")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026, help="graine (défaut 2026)")
    parser.add_argument("--out", type=Path, default=EMBEDDED_SOURCES_DIR, help="dossier de sortie")
    parser.add_argument("--referentiel", type=Path, default=REFERENTIAL_DIR, help="référentiel vendu à lire")
    return parser.parse_args(argv)


def generate(seed: int, out: Path, referential_dir: Path = REFERENTIAL_DIR) -> dict:
    ref = load_referential(referential_dir)
    operators, anomalies = build_operators(ref, seed)
    territories = {o.siren: territory(o, ref, seed) for o in operators}
    members = choose_members(operators, ref, seed)
    adherents, truth = adherent_rows(operators, members, territories, ref, seed)
    designations = CnilGenerator(ref, operators, members, seed).designations()
    cnil_rows = format_rows(designations, substream(seed, "cnil-format"))

    for name in OWNED:
        shutil.rmtree(out / name, ignore_errors=True)
    target = OutputDir(out)
    for name, rows in (
        ("opsn", opsn_rows(operators)),
        ("adherents", adherents),
        ("services", service_rows(operators)),
    ):
        target.write(f"declarations/{name}.csv", csv_bytes(field_names(f"declaration/{name}"), rows), len(rows))
    cnil_csv = csv_bytes(field_names(CNIL_SCHEMA), cnil_rows, delimiter=";", bom=True)
    target.write("cnil/opencnil-organismes-avec-dpo.csv.gz", gzip_bytes(cnil_csv), len(cnil_rows))
    target.write("verite_terrain/adherents.csv", csv_bytes(list(TRUTH_FIELDS), truth), len(truth))
    reviewed = decision_rows(adherents, truth)
    target.write(DECISIONS_FILE, csv_bytes(field_names(DECISIONS_SCHEMA), reviewed), len(reviewed))
    for relative, data in anct.build(out, referential_dir, seed, ref).items():
        target.write(relative, data, anct.row_count(relative, data))

    stats = {
        "declarations": declaration_stats(adherents, truth, members),
        "cnil": cnil_stats(cnil_rows, {c.siren for c in ref.communes}, {o.siren for o in operators}),
    }
    text = readme.render(seed, target.files, stats, anomalies)
    target.write("README.md", text.encode("utf-8"), None)
    target.write_manifest(seed, ref.digest, ref.inputs, anomalies, stats)
    return stats


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    stats = generate(args.seed, args.out, args.referentiel)
    stats["duree_secondes"] = round(time.perf_counter() - started, 1)
    print(json.dumps(stats, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

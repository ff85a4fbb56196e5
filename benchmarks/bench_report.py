"""The benchmark's printed report: one block per scale, and issue 11's targets measured at that scale."""

from __future__ import annotations

# Charts and dashboard: timed apart from the rest of the graph (issue 13 gives them their own budget).
REPORT_STEPS = ("publish__graphiques", "publish__tableau_de_bord")
# Issue 11: France scale within 15 s, 10x within 60 s (4x the France-scale target), wall clock, charts included.
WALL_TARGETS = {1: 15, 10: 60}


def _spread(figures: dict, key: str) -> str:
    """A repeated timing's median, fastest and slowest, e.g. " (médiane de 5 appels : 0.62 à 0.89 s)"."""
    calls = figures.get("appels", 1)
    if calls < 2:
        return ""
    return f" (médiane de {calls} appels : {figures[key + '_min']:.2f} à {figures[key + '_max']:.2f} s)"


def targets(scale: int, figures: dict) -> list[tuple[str, str, bool]]:
    """Issue 11's targets that this scale measures: (target, measured, met). Wall times, as the issue states them."""
    run, rates = figures["materialisation"], figures["rapprochement"]
    found = []
    if scale in WALL_TARGETS:
        limit = WALL_TARGETS[scale]
        found.append((f"matérialisation complète ≤ {limit} s", f"{run['secondes']:.1f} s", run["secondes"] <= limit))
    if scale == max(WALL_TARGETS):
        rss = figures.get("rss_avec_enfants_mio", figures["rss_mio"])
        found.append(("pic de RSS ≤ 1 Gio (1 024 Mio)", f"{rss:.0f} Mio", rss <= 1024))
    for label, minimum in (("exact", 50_000), ("flou", 5_000)):
        rate = rates[label]["lignes_par_s"]
        found.append((f"rapprochement {label} ≥ {minimum:,} lignes/s", f"{rate:,.0f} lignes/s", rate >= minimum))
    if "pair_naif" in figures:
        peer, project, mine = figures["pair_naif"], figures["projet"], rates["tout"]
        ratio = peer["appariement_secondes"] / mine["secondes"]
        better = project["precision"] >= peer["precision"] and project["rappel"] >= peer["rappel"]
        found.append(("≥ 5× plus rapide que le pair naïf", f"{ratio:.2f}×", ratio >= 5))
        found.append(("précision et rappel ≥ ceux du pair", "oui" if better else "non", better))
    return found


def print_scale(scale: int, size: dict, figures: dict, load: str) -> None:
    """Wall times depend on the machine's load; CPU times (getrusage / process_time, every
    thread of the process) much less, so both are printed."""
    run = figures["materialisation"]
    steps = run["etapes"]
    report = sum(v for k, v in steps.items() if k in REPORT_STEPS)
    publish = sum(v for k, v in steps.items() if k.startswith("publish__"))
    scan, scan_cpu = figures["scan_duckdb"], figures["scan_duckdb_cpu"]
    outcome = "réussie" if run["succes"] else f"ÉCHEC {run['echecs']}"
    print(
        f"\n=== {scale}× France : {size['cnil_rows']:,} lignes CNIL, {size['opsn']} OPSN, "
        f"{size['members']:,} adhésions — charge : {load}"
    )
    print(
        f"matérialisation complète jusqu'à la version visible : {run['secondes']:.1f} s ({outcome}), "
        f"temps CPU {run['cpu_secondes']:.1f} s ; dont publication {publish:.1f} s ; "
        f"graphiques et tableau de bord {report:.1f} s (comptés à part)"
    )
    print(
        f"scan DuckDB seul des fichiers bruts : {scan:.2f} s, CPU {scan_cpu:.2f} s ; rapport au scan : "
        f"{run['secondes'] / scan:.0f}× (horloge), {run['cpu_secondes'] / scan_cpu:.0f}× (CPU)"
    )
    print(
        f"pic de RSS : {figures['rss_mio']:.0f} Mio pour le processus de mesure (VmHWM, remis à zéro à son début) ; "
        f"{figures.get('rss_avec_enfants_mio', 0):.0f} Mio pour le processus et ses enfants, le rendu des graphiques, "
        "au même instant (échantillonné toutes les 20 ms)"
    )
    for label, rate in figures["rapprochement"].items():
        print(
            f"rapprochement, lignes {label:5} : {rate['lignes']:>8,} lignes ({rate['lignes_trouvees']:,} du jeu, "
            f"{rate['identites']:,} identités distinctes) "
            f"en {rate['secondes']:.2f} s{_spread(rate, 'secondes')} = {rate['lignes_par_s']:,.0f} lignes/s ; "
            f"CPU {rate['cpu_secondes']:.2f} s = {rate['lignes_par_s_cpu']:,.0f} lignes/s CPU"
        )
    step_cpu, step_rss = run.get("etapes_cpu", {}), run.get("etapes_pic_rss", {})
    report_cpu = sum(v for k, v in step_cpu.items() if k in REPORT_STEPS)
    print(
        f"temps CPU hors graphiques et tableau de bord : {run['cpu_secondes'] - report_cpu:.1f} s "
        f"(graphiques et tableau de bord : {report_cpu:.1f} s CPU)"
    )
    print("temps par étape, les plus coûteuses en CPU d'abord : CPU (s), horloge (s), pic de RSS à sa fin (Mio)")
    for key, seconds in sorted(step_cpu.items(), key=lambda kv: -kv[1])[:15]:
        print(f"  {seconds:7.2f}  {steps.get(key, 0):8.2f}  {step_rss.get(key, 0):6.0f}  {key}")
    print(
        f"  {sum(step_cpu.values()):7.2f}  {sum(steps.values()):8.2f}          total des {len(steps)} étapes "
        "(le reste : surcoût Dagster hors étapes)"
    )
    if "pair_naif" in figures:
        peer, project = figures["pair_naif"], figures["projet"]
        mine = figures["rapprochement"]["tout"]
        # Like for like: rows in memory -> matched rows, lookups of both already built.
        print(
            f"pair naïf (pandas + rapidfuzz), {peer['lignes']:,} mêmes lignes : appariement seul "
            f"{peer['appariement_secondes']:.2f} s{_spread(peer, 'appariement_secondes')}, "
            f"CPU {peer['appariement_cpu_secondes']:.2f} s "
            f"(avec lecture du CSV et construction de ses index : {peer['secondes']:.2f} s, "
            f"CPU {peer['cpu_secondes']:.2f} s), précision {100 * peer['precision']:.2f} %, "
            f"rappel {100 * peer['rappel']:.2f} % (communes seules : {100 * peer['rappel_communes']:.2f} %)"
        )
        print(
            f"projet (reconcile_members, lignes en mémoire, index construits) : {mine['secondes']:.2f} s, "
            f"CPU {mine['cpu_secondes']:.2f} s, "
            f"précision {100 * project['precision']:.2f} %, rappel {100 * project['rappel']:.2f} % "
            f"(communes seules : {100 * project['rappel_communes']:.2f} %) ; à travail égal, "
            f"{peer['appariement_cpu_secondes'] / mine['cpu_secondes']:.2f}× moins de CPU que le pair, "
            f"{peer['appariement_secondes'] / mine['secondes']:.2f}× plus rapide à l'horloge"
        )
    print("objectifs de l'issue 11 mesurés à cette échelle :")
    for label, measured, met in targets(scale, figures):
        print(f"  {'tenu ' if met else 'MANQUÉ'}  {label} : {measured}")

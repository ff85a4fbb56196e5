"""The dashboard's inline style sheet and script: no file to fetch, the page opens from the file system."""

CSS = """
:root { --bleu: #1f4e8c; --gris: #555; --fond: #f6f7f9; }
* { box-sizing: border-box; }
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; margin: 0; color: #1b1b1b; background: #fff;
       line-height: 1.45; }
header { background: var(--bleu); color: #fff; padding: 1.2rem 2rem; }
header h1 { margin: 0 0 .3rem; font-size: 1.6rem; }
header p { margin: 0; opacity: .9; }
main { max-width: 1100px; margin: 0 auto; padding: 1rem 2rem 3rem; }
nav.sommaire { background: var(--fond); padding: .6rem 1rem; border-radius: 6px; margin: 1rem 0; }
nav.sommaire a { margin-right: 1rem; color: var(--bleu); }
.demo { background: #fdecea; color: #b00020; border: 2px solid #b00020; padding: .7rem 1rem; font-weight: bold;
        border-radius: 6px; margin: 1rem 0; }
.chiffres { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: .8rem; }
.chiffre { background: var(--fond); border-left: 4px solid var(--bleu); padding: .7rem .9rem; border-radius: 4px; }
.chiffre .valeur { font-size: 1.5rem; font-weight: bold; color: var(--bleu); }
.chiffre .libelle { font-weight: bold; }
.chiffre .definition, .chiffre details { font-size: .8rem; color: var(--gris); margin: .3rem 0 0; }
.lecteur-ecran { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
figure { margin: 2rem 0; padding: 1rem; border: 1px solid #ddd; border-radius: 6px; }
figure img { max-width: 100%; height: auto; display: block; }
figcaption { font-size: .9rem; color: var(--gris); margin-top: .5rem; }
table { border-collapse: collapse; font-size: .85rem; margin: .5rem 0; }
th, td { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
td.nombre { text-align: right; font-variant-numeric: tabular-nums; }
th { background: var(--fond); }
.tableau-defilant { max-height: 26rem; overflow: auto; }
label { font-weight: bold; margin-right: .5rem; }
select { font-size: 1rem; padding: .2rem; }
footer { color: var(--gris); font-size: .85rem; border-top: 1px solid #ddd; margin-top: 2rem; padding-top: 1rem; }
"""

# Fills the territory table from the JSON embedded in the page; the chosen département is kept in the URL hash
# so that a link can point to it.
SCRIPT = """
(function () {
  var data = JSON.parse(document.getElementById("donnees-territoires").textContent);
  var select = document.getElementById("choix-departement");
  var body = document.getElementById("corps-territoire");
  var heading = document.getElementById("titre-territoire");
  function cell(text, numeric) {
    var td = document.createElement("td");
    td.textContent = text;
    if (numeric) { td.className = "nombre"; }
    return td;
  }
  function show(code) {
    var dep = data.departements[code];
    if (!dep) { return; }
    var region = data.regions[dep.region] || {nom: "", valeurs: {}};
    heading.textContent = dep.nom + " (" + code + ")" + (region.nom ? ", région " + region.nom : "");
    body.textContent = "";
    data.indicateurs.forEach(function (ind) {
      var row = document.createElement("tr");
      var th = document.createElement("th");
      th.scope = "row";
      th.textContent = ind.libelle;
      row.appendChild(th);
      row.appendChild(cell(dep.valeurs[ind.code] || "–", true));
      row.appendChild(cell(region.valeurs[ind.code] || "–", true));
      row.appendChild(cell(data.france[ind.code] || "–", true));
      body.appendChild(row);
    });
    if (window.location.hash !== "#dep-" + code) { history.replaceState(null, "", "#dep-" + code); }
  }
  select.addEventListener("change", function () { show(select.value); });
  var initial = window.location.hash.indexOf("#dep-") === 0 ? window.location.hash.slice(5) : select.value;
  if (data.departements[initial]) { select.value = initial; }
  show(select.value);
})();
"""

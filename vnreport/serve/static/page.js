// The page: send the text to POST v1/predict with view=true and show the HTML view the server
// renders (the same renderer as `vnreport predict --format html` and notebooks), plus CSV links.
"use strict";
const $ = (id) => document.getElementById(id);
const TABLES = ["officials", "indicators", "directives"];
let fileName = "";

function status(message, bad = false) {
  $("status").textContent = message;
  $("status").className = bad ? "bad" : "";
}

function offerCsv(csv) {
  for (const t of TABLES) {
    const a = $("csv-" + t);
    if (a.href) URL.revokeObjectURL(a.href);
    // a byte-order mark so that spreadsheet programs read the Vietnamese text as UTF-8
    a.href = URL.createObjectURL(new Blob(["\ufeff" + csv[t]], {type: "text/csv;charset=utf-8"}));
  }
  $("downloads").hidden = false;
}

async function run() {
  const text = $("text").value;
  if (!text.trim()) return status("Paste a report or open a .txt file first.", true);
  $("run").disabled = true;
  status("Reading…");
  try {
    const res = await fetch("v1/predict", {
      method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({texts: [text], ids: [fileName || "pasted report"], view: true}),
    });
    const body = await res.json().catch(() => ({error: `${res.status} ${res.statusText}`}));
    if (!res.ok) throw new Error(body.error);
    const doc = body.documents[0];
    $("result").innerHTML = doc.view.html;  // escaped by the server's renderer
    offerCsv(doc.view.csv);
    status(`${doc.officials.length} officials, ${doc.indicators.length} indicators, ` +
           `${doc.directive_records.length} directives (${doc.entities.length} entity spans).`);
  } catch (e) {
    status("Error: " + e.message, true);
  } finally {
    $("run").disabled = false;
  }
}

$("form").addEventListener("submit", (ev) => { ev.preventDefault(); run(); });
$("text").addEventListener("input", () => { fileName = ""; });
$("file").addEventListener("change", async (ev) => {
  const file = ev.target.files[0];
  if (!file) return;
  $("text").value = await file.text();
  fileName = file.name;
  run();
});

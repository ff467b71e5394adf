// Lintas dashboard: polls the query API and redraws the current view.
"use strict";
(() => {
  const REFRESH_MS = Number(document.body.dataset.refreshMs) || 5000;
  const KEJURUAN = ["MEUBEL", "TEKNIK_LAS", "BARISTA", "PROCESSING", "TATA_KECANTIKAN",
    "FASHION_TECHNOLOGY", "TEKNIK_OTOMOTIF", "TEKNIK_LISTRIK", "TIK", "REFRIGERASI",
    "BANGUNAN", "PARIWISATA", "AGRIBISNIS", "TEKNIK_MANUFAKTUR"];
  const KPIS = [
    ["lapas", "Lapas"], ["blk", "BLK"], ["packages", "Packages"], ["seats", "Seats"],
    ["enrolled", "Enrolled"], ["completed", "Completed"], ["competent", "Competent (K)"],
    ["certified", "Certified"], ["instructors_active", "Active instructors"],
    ["instructors_expired", "Expired"], ["instructors_revoked", "Revoked"],
    ["median_days_to_certification", "Median days to certificate"],
    ["p90_days_to_certification", "P90 days to certificate"],
  ];
  const TABLES = {
    lapas: ["lapas_code", "lapas_name", "province", "enrolled", "withdrawn", "completed", "competent", "certified", "instructors_active", "instructors_expired", "instructors_revoked", "completion_rate"],
    blk: ["blk_code", "blk_name", "province", "packages", "seats", "enrolled", "completed", "competent", "certified", "fill_rate", "completion_rate", "competency_rate"],
    packages: ["code", "title", "blk_name", "kejuruan", "track", "start_date", "seats", "enrolled", "completed", "technical_k", "technical_bk", "methodology_k", "methodology_bk", "certified", "fill_rate", "status"],
    instructors: ["certificate_number", "officer_name", "nip", "kejuruan", "lapas_name", "province", "blk_name", "issued_on", "expires_on", "status"],
  };
  let view = "national";

  const $ = (id) => document.getElementById(id);
  const filters = () => {
    const p = new URLSearchParams();
    for (const [k, id] of [["province", "f-province"], ["kejuruan", "f-kejuruan"], ["year", "f-year"]]) {
      if ($(id).value) p.set(k, $(id).value);
    }
    return p;
  };
  async function api(path, params) {
    const url = params && [...params].length ? `${path}?${params}` : path;
    const r = await fetch(url, { cache: "no-store" });
    if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
    return r.json();
  }
  function asOf(page) {
    $("data-as-of").textContent = page.data_as_of ? new Date(page.data_as_of).toLocaleString("id-ID") : "no events yet";
    $("data-as-of").dateTime = page.data_as_of || "";
    $("generation").textContent = page.generation;
  }
  function cell(col, v) {
    const td = document.createElement("td");
    if (typeof v === "number") {
      td.className = "num";
      td.textContent = col.endsWith("_rate") ? `${(100 * v).toFixed(1)}%` : Charts.fmt(v);
    } else {
      td.textContent = v ?? "–";
      if (col === "status") td.classList.add(`status-${v}`);
    }
    td.dataset.col = col;
    return td;
  }
  function table(name, page) {
    const cols = TABLES[name];
    const t = document.querySelector(`table[data-table="${name}"]`);
    const head = document.createElement("tr");
    for (const c of cols) { const th = document.createElement("th"); th.textContent = c.replaceAll("_", " "); head.append(th); }
    const rows = page.items.map((item) => {
      const tr = document.createElement("tr");
      tr.dataset.row = item[cols[0]];
      cols.forEach((c) => tr.append(cell(c, item[c])));
      return tr;
    });
    t.replaceChildren(head, ...rows);
    t.dataset.total = page.total;
  }
  function exportLinks() {
    const p = filters();
    document.querySelectorAll("a[data-export]").forEach((a) => {
      const q = new URLSearchParams(p);
      if (a.dataset.export === "lapas") q.set("group_by", "lapas_code,lapas_name,province");
      if (a.dataset.export === "blk") q.set("group_by", "blk_code,blk_name,province");
      if (a.dataset.export === "instructors" && $("f-status").value) q.set("status", $("f-status").value);
      a.href = `/export/${a.dataset.export}.csv${[...q].length ? "?" + q : ""}`;
    });
  }

  async function national() {
    const [nat, trend, prov] = await Promise.all([
      api("/api/v1/national"),
      api("/api/v1/trend", new URLSearchParams({ page_size: "1000" })),
      api("/api/v1/provinces", new URLSearchParams([...filters(), ["group_by", "province"], ["page_size", "1000"]])),
    ]);
    asOf(nat);
    const n = nat.items[0] || {};
    const box = $("kpis");
    box.replaceChildren(...KPIS.map(([key, label]) => {
      const d = document.createElement("div");
      d.className = "kpi";
      const l = document.createElement("div"); l.className = "label"; l.textContent = label;
      const v = document.createElement("div"); v.className = "value"; v.dataset.kpi = key;
      v.textContent = n[key] == null ? "–" : Charts.fmt(Math.round(n[key] * 10) / 10);
      d.append(l, v);
      return d;
    }));
    Charts.funnel($("chart-funnel"), [
      { key: "enrolled", label: "Enrolled", value: n.enrolled || 0 },
      { key: "completed", label: "Completed", value: n.completed || 0 },
      { key: "competent", label: "Competent", value: n.competent || 0 },
      { key: "certified", label: "Certified", value: n.certified || 0 },
    ]);
    // Months without any event are absent from the model: fill them so the axis is linear.
    const byMonth = new Map(trend.items.map((r) => [r.month.slice(0, 7), r]));
    const months = [];
    if (trend.items.length) {
      const [y0, m0] = trend.items[0].month.split("-").map(Number);
      const [y1, m1] = trend.items[trend.items.length - 1].month.split("-").map(Number);
      for (let y = y0, m = m0; y < y1 || (y === y1 && m <= m1); m === 12 ? (y++, m = 1) : m++) {
        months.push(`${y}-${String(m).padStart(2, "0")}`);
      }
    }
    Charts.lines($("chart-trend"), months, ["enrolled", "completed", "certified"].map((k) => ({
      name: k, values: months.map((m) => (byMonth.get(m) || {})[k] || 0),
    })));
    Charts.bars($("chart-provinces"), prov.items.map((r) => r.province || "?"),
      ["enrolled", "completed", "certified"].map((k) => ({ name: k, values: prov.items.map((r) => r[k]) })));
  }
  async function lapas() {
    const q = new URLSearchParams([...filters(), ["group_by", "lapas_code,lapas_name,province"], ["page_size", "1000"]]);
    const page = await api("/api/v1/lapas", q);
    asOf(page);
    table("lapas", page);
    Charts.bars($("chart-lapas"), page.items.map((r) => r.lapas_name || r.lapas_code),
      ["enrolled", "completed", "certified"].map((k) => ({ name: k, values: page.items.map((r) => r[k]) })));
  }
  async function blk() {
    const q = new URLSearchParams([...filters(), ["group_by", "blk_code,blk_name,province"], ["page_size", "1000"]]);
    const [b, p] = await Promise.all([
      api("/api/v1/blk", q),
      api("/api/v1/packages", new URLSearchParams([...filters(), ["page_size", "1000"]])),
    ]);
    asOf(b);
    table("blk", b);
    table("packages", p);
  }
  async function instructors() {
    const q = new URLSearchParams([...filters(), ["page_size", "1000"]]);
    if ($("f-status").value) q.set("status", $("f-status").value);
    const page = await api("/api/v1/instructors", q);
    asOf(page);
    table("instructors", page);
  }
  const RENDER = { national, lapas, blk, instructors };

  async function options() {
    const prov = await api("/api/v1/provinces", new URLSearchParams({ group_by: "province", page_size: "1000" }));
    const years = await api("/api/v1/lapas", new URLSearchParams({ group_by: "year", page_size: "1000" }));
    fill($("f-province"), prov.items.map((r) => r.province).filter(Boolean));
    fill($("f-year"), years.items.map((r) => String(r.year)).filter((y) => y !== "null"));
  }
  function fill(select, values) {
    const keep = select.value;
    const known = new Set([...select.options].map((o) => o.value));
    for (const v of values) if (!known.has(v)) select.append(new Option(v, v));
    select.value = keep;
  }

  let timer = null;
  async function refresh() {
    clearTimeout(timer);
    try {
      await RENDER[view]();
      exportLinks();
      $("refreshed").textContent = new Date().toLocaleTimeString("id-ID");
      $("error").hidden = true;
      document.body.dataset.loaded = "true";
      options().catch(() => {});
    } catch (err) {
      $("error").textContent = `Could not refresh: ${err.message}`;
      $("error").hidden = false;
    }
    timer = setTimeout(refresh, REFRESH_MS);
  }

  fill($("f-kejuruan"), KEJURUAN);
  document.querySelectorAll("nav button").forEach((b) => b.addEventListener("click", () => {
    view = b.dataset.view;
    document.querySelectorAll("nav button").forEach((x) => x.classList.toggle("active", x === b));
    document.querySelectorAll(".view").forEach((s) => { s.hidden = s.id !== `view-${view}`; });
    document.body.dataset.loaded = "false";
    refresh();
  }));
  for (const id of ["f-province", "f-kejuruan", "f-year", "f-status"]) $(id).addEventListener("change", () => { document.body.dataset.loaded = "false"; refresh(); });
  refresh();
})();

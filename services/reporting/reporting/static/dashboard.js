// Lintas dashboard: polls the query API and redraws the current view in the chosen language.
"use strict";
(() => {
  const REFRESH_MS = Number(document.body.dataset.refreshMs) || 5000;
  const KEJURUAN = ["MEUBEL", "TEKNIK_LAS", "BARISTA", "PROCESSING", "TATA_KECANTIKAN",
    "FASHION_TECHNOLOGY", "TEKNIK_OTOMOTIF", "TEKNIK_LISTRIK", "TIK", "REFRIGERASI",
    "BANGUNAN", "PARIWISATA", "AGRIBISNIS", "TEKNIK_MANUFAKTUR"];
  const KPIS = ["enrolled", "withdrawn", "completed", "competent", "certified", "officers",
    "lapas", "blk", "packages", "seats", "instructors_active", "instructors_expired",
    "instructors_revoked", "median_days_to_certification", "p90_days_to_certification"];
  const TABLES = {
    lapas: ["lapas_name", "province", "enrolled", "withdrawn", "completed", "competent", "certified", "completion_rate", "instructors_active", "instructors_expired", "instructors_revoked", "lapas_code"],
    blk: ["blk_name", "province", "packages", "seats", "enrolled", "withdrawn", "completed", "competent", "certified", "fill_rate", "completion_rate", "competency_rate", "blk_code"],
    packages: ["code", "title", "blk_name", "kejuruan", "track", "start_date", "status", "seats", "enrolled", "withdrawn", "completed", "technical_k", "technical_bk", "methodology_k", "methodology_bk", "competent", "certified", "fill_rate"],
    instructors: ["certificate_number", "officer_name", "nip", "kejuruan", "lapas_name", "province", "blk_name", "issued_on", "expires_on", "status"],
  };
  // The row key of each table (the first column shown is a name, not a key).
  const ROW_KEY = { lapas: "lapas_code", blk: "blk_code", packages: "package_id", instructors: "certificate_number" };
  const DATES = new Set(["start_date", "issued_on", "expires_on"]);
  const CODED = new Set(["status", "track", "kejuruan"]);
  const FILTERS = [["province", "f-province", "f_province"], ["kejuruan", "f-kejuruan", "f_kejuruan"], ["year", "f-year", "f_year"]];
  // Which figures of a view each model feeds, named in the scope note.
  const FIGURES = {
    national: { id: ["indikator utama", "corong"], en: ["the key figures", "the funnel"] },
    trend: { id: ["tren bulanan"], en: ["the monthly trend"] },
    provinces: { id: ["perbandingan per provinsi"], en: ["the comparison by province"] },
    lapas: { id: ["tabel Lapas"], en: ["the Lapas table"] }, blk: { id: ["tabel BLK"], en: ["the BLK table"] },
    packages: { id: ["tabel paket"], en: ["the packages table"] },
    instructors: { id: ["registri instruktur"], en: ["the instructor registry"] },
  };
  const VIEW_MODELS = { national: ["national", "trend", "provinces"], lapas: ["lapas"], blk: ["blk", "packages"], instructors: ["instructors"] };

  const $ = (id) => document.getElementById(id);
  let view = "national";
  let accepts = {}; // model -> Set of the filters the API says it takes
  let lastDraw = null;
  let lastPage = null;

  const active = () => FILTERS.filter(([, id]) => $(id).value);
  function params(model, extra) {
    const p = new URLSearchParams();
    for (const [k, id] of active()) if (accepts[model]?.has(k)) p.set(k, $(id).value);
    for (const [k, v] of Object.entries(extra || {})) p.set(k, v);
    return p;
  }
  const ignored = (model) => active().filter(([k]) => !accepts[model]?.has(k));

  class ApiError extends Error {
    constructor(where, what) { super(`${where}: ${what}`); this.where = where; this.what = what; }
  }
  async function api(path, p) {
    const url = p && [...p].length ? `${path}?${p}` : path;
    let r;
    try { r = await Auth.fetch(url, { cache: "no-store" }); } catch (err) {
      if (err.signedOut) throw err;
      throw new ApiError(path, () => I18n.t("network_error"));
    }
    if (!r.ok) {
      let detail = "";
      try { const b = await r.json(); detail = b.detail || b.title || ""; } catch (_) { /* not JSON */ }
      throw new ApiError(path, () => `${I18n.t("http_error", { status: r.status })}${detail ? ` — ${detail}` : ""}`);
    }
    return r.json();
  }

  function asOf(page) {
    lastPage = page;
    $("data-as-of").textContent = page.data_as_of ? I18n.dateTime(page.data_as_of) : I18n.t("no_events");
    $("data-as-of").dateTime = page.data_as_of || "";
    $("about-generation").textContent = I18n.t("about_generation", { generation: page.generation ?? "–" });
    $("about-as-of").textContent = I18n.t("about_as_of", { seconds: I18n.number(REFRESH_MS / 1000, 1) });
  }
  // Says which filters a figure ignores, on the figure and in one sentence above the view.
  function scope() {
    const on = active();
    const names = (fs) => I18n.list(fs.map(([, , label]) => I18n.t(label)));
    document.querySelectorAll(`#view-${view} [data-figure]`).forEach((f) => {
      const badge = f.querySelector(".unfiltered");
      if (!badge) return;
      const miss = ignored(f.dataset.figure);
      badge.textContent = miss.length ? I18n.t("not_filtered", { filters: names(miss) }) : "";
      badge.hidden = !miss.length;
    });
    const note = $("scope");
    note.classList.remove("warn");
    if (!on.length) { note.textContent = I18n.t("scope_none"); return; }
    // Filters that miss the same figures are named together in one sentence.
    const byFigures = new Map();
    for (const [k, id, label] of on) {
      const figs = VIEW_MODELS[view].filter((m) => !accepts[m]?.has(k)).flatMap((m) => FIGURES[m][I18n.lang]);
      if (!figs.length) continue;
      const key = figs.join("|");
      byFigures.set(key, { figs, labels: [...(byFigures.get(key)?.labels || []), I18n.t(label)] });
    }
    const shown = on.map(([, id, label]) => `${I18n.t(label)}: ${$(id).selectedOptions[0].textContent}`);
    // Two kinds of unit carry a province: say which one each figure follows.
    const rule = view === "national" && $("f-province").value ? ` ${I18n.t("province_rule")}` : "";
    if (!byFigures.size) { note.textContent = I18n.t("scope_all", { filters: shown.join("; ") }) + rule; return; }
    note.classList.add("warn");
    note.textContent = [...byFigures.values()].map(({ figs, labels }) =>
      I18n.t(labels.length > 1 ? "scope_partial_many" : "scope_partial", { filters: I18n.list(labels), figures: I18n.list(figs) }),
    ).join(" ");
  }

  function cell(col, v) {
    const td = document.createElement("td");
    td.dataset.col = col;
    if (typeof v === "number") {
      td.className = "num";
      td.textContent = col.endsWith("_rate") ? I18n.percent(v) : I18n.number(v, 1);
    } else if (v == null || v === "") {
      td.textContent = "–";
    } else if (DATES.has(col)) {
      td.textContent = I18n.day(v);
    } else {
      td.textContent = CODED.has(col) ? I18n.value(v) : v;
      if (col === "status") td.classList.add(`status-${v}`);
      if (CODED.has(col)) td.dataset.value = v;
    }
    return td;
  }
  function table(name, page) {
    const cols = TABLES[name];
    const t = document.querySelector(`table[data-table="${name}"]`);
    const head = document.createElement("thead");
    const hr = document.createElement("tr");
    for (const c of cols) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = I18n.column(c);
      th.title = I18n.columnTip(c);
      if (page.items.some((r) => typeof r[c] === "number")) th.className = "num";
      hr.append(th);
    }
    head.append(hr);
    const body = document.createElement("tbody");
    for (const item of page.items) {
      const tr = document.createElement("tr");
      tr.dataset.row = item[ROW_KEY[name]];
      cols.forEach((c) => tr.append(cell(c, item[c])));
      body.append(tr);
    }
    if (!page.items.length) {
      const tr = document.createElement("tr");
      const td = document.createElement("td");
      td.colSpan = cols.length; td.className = "empty"; td.textContent = I18n.t("empty");
      tr.append(td); body.append(tr);
    }
    const parts = [head, body];
    if (page.total > page.items.length) {
      const cap = document.createElement("caption");
      cap.textContent = I18n.t("rows", { shown: I18n.number(page.items.length), total: I18n.number(page.total) });
      parts.unshift(cap);
    }
    t.replaceChildren(...parts);
    t.dataset.total = page.total;
  }
  function exportLinks() {
    document.querySelectorAll("a[data-export]").forEach((a) => {
      const m = a.dataset.export;
      const extra = {};
      if (m === "lapas") extra.group_by = "lapas_code,lapas_name,province";
      if (m === "blk") extra.group_by = "blk_code,blk_name,province";
      if (m === "instructors" && $("f-status").value) extra.status = $("f-status").value;
      const q = params(m, extra);
      a.href = `/export/${m}.csv${[...q].length ? "?" + q : ""}`;
    });
  }
  const series = (keys, rows) => keys.map((k, i) => ({
    name: k, label: I18n.column(k), values: rows.map((r) => (r || {})[k] || 0), i,
  }));

  async function national() {
    const [nat, trend, prov] = await Promise.all([
      api("/api/v1/national", params("national")),
      api("/api/v1/trend", params("trend", { page_size: "1000" })),
      api("/api/v1/provinces", params("provinces", { group_by: "province", page_size: "1000" })),
    ]);
    return () => {
      asOf(nat);
      const n = nat.items[0] || {};
      $("kpis").replaceChildren(...KPIS.map((key) => {
        const d = document.createElement("div");
        d.className = `kpi kpi-${key}`;
        d.title = I18n.columnTip(key);
        const l = document.createElement("div"); l.className = "label"; l.textContent = I18n.column(key);
        const v = document.createElement("div"); v.className = "value"; v.dataset.kpi = key;
        v.textContent = n[key] == null ? "–" : I18n.number(n[key], 1);
        d.append(l, v);
        return d;
      }));
      // The same colour for a measure in every chart (certified amber, withdrawn red).
      const colors = { enrolled: "#1f6fb2", completed: "#2e9d6a", competent: "#6b4fa3", certified: "#e0a100" };
      Charts.funnel($("chart-funnel"), Object.entries(colors).map(([k, color]) => ({
        key: k, label: I18n.column(k), value: n[k] || 0, color,
      })), I18n.t("funnel"));
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
      Charts.lines($("chart-trend"), months,
        series(["enrolled", "completed", "certified", "withdrawn"], months.map((m) => byMonth.get(m))), I18n.t("trend"));
      Charts.bars($("chart-provinces"), prov.items.map((r) => r.province || "?"),
        series(["enrolled", "completed", "certified", "withdrawn"], prov.items), I18n.t("provinces"));
    };
  }
  async function lapas() {
    const page = await api("/api/v1/lapas", params("lapas", { group_by: "lapas_code,lapas_name,province", page_size: "1000" }));
    return () => {
      asOf(page);
      table("lapas", page);
      Charts.bars($("chart-lapas"), page.items.map((r) => r.lapas_name || r.lapas_code),
        series(["enrolled", "completed", "certified", "withdrawn"], page.items), I18n.t("lapas_title"));
    };
  }
  async function blk() {
    const [b, p] = await Promise.all([
      api("/api/v1/blk", params("blk", { group_by: "blk_code,blk_name,province", page_size: "1000" })),
      api("/api/v1/packages", params("packages", { page_size: "1000" })),
    ]);
    return () => { asOf(b); table("blk", b); table("packages", p); };
  }
  async function instructors() {
    const extra = { page_size: "1000" };
    if ($("f-status").value) extra.status = $("f-status").value;
    const page = await api("/api/v1/instructors", params("instructors", extra));
    return () => {
      asOf(page);
      table("instructors", page);
      $("officer-scope").textContent = I18n.t("officer_scope", { unit: Auth.who()?.unit || "–" });
    };
  }
  const LOAD = { national, lapas, blk, instructors };

  function fill(select, values, label) {
    const keep = select.value;
    const known = new Set([...select.options].map((o) => o.value));
    for (const v of values) if (!known.has(v)) select.append(new Option(v, v));
    for (const o of select.options) if (o.value) o.textContent = label ? label(o.value) : o.value;
    select.value = keep;
  }
  async function options() {
    const [prov, years] = await Promise.all([
      api("/api/v1/provinces", new URLSearchParams({ group_by: "province", page_size: "1000" })),
      api("/api/v1/lapas", new URLSearchParams({ group_by: "year", page_size: "1000" })),
    ]);
    fill($("f-province"), prov.items.map((r) => r.province).filter(Boolean).sort());
    fill($("f-year"), years.items.map((r) => r.year).filter((y) => y != null).sort().map(String));
  }
  function relabel() {
    I18n.apply();
    fill($("f-kejuruan"), KEJURUAN, I18n.value);
    fill($("f-status"), [], I18n.value);
    document.querySelectorAll("[data-lang]").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === I18n.lang)));
  }

  let timer = null;
  let seq = 0;
  let lastError = null;
  function showError() {
    $("error").textContent = lastError ? I18n.t("error", { where: lastError.where, what: lastError.what() }) : "";
    $("error").hidden = !lastError;
  }
  async function refresh() {
    clearTimeout(timer);
    const mine = ++seq;
    try {
      if (!Object.keys(accepts).length) {
        const models = await api("/api/v1/models");
        accepts = Object.fromEntries(models.map((m) => [m.name, new Set(m.filters)]));
      }
      const draw = await LOAD[view]();
      if (mine !== seq) return; // a newer refresh (filter or view change) owns the page
      lastDraw = draw;
      draw();
      scope();
      exportLinks();
      $("refreshed").textContent = I18n.time(new Date());
      lastError = null;
      document.body.dataset.loaded = "true";
      options().catch(() => {});
    } catch (err) {
      if (mine !== seq) return;
      if (err.signedOut) { lastError = null; showError(); return; } // the sign-in panel shows
      lastError = err instanceof ApiError ? err : new ApiError("?", () => String(err));
    }
    showError();
    timer = setTimeout(refresh, REFRESH_MS);
  }
  function redraw() {
    relabel();
    Auth.render();
    if (lastDraw) { lastDraw(); scope(); }
    if (lastPage) asOf(lastPage);
    showError();
  }

  relabel();
  document.querySelectorAll("[data-lang]").forEach((b) => b.addEventListener("click", () => {
    I18n.set(b.dataset.lang);
    redraw();
  }));
  document.querySelectorAll("nav button[data-view]").forEach((b) => b.addEventListener("click", () => {
    view = b.dataset.view;
    lastDraw = null;
    document.querySelectorAll("nav button[data-view]").forEach((x) => {
      x.classList.toggle("active", x === b);
      x.setAttribute("aria-pressed", String(x === b));
    });
    document.querySelectorAll(".view").forEach((s) => { s.hidden = s.id !== `view-${view}`; });
    document.body.dataset.loaded = "false";
    refresh();
  }));
  for (const id of ["f-province", "f-kejuruan", "f-year", "f-status"]) {
    $(id).addEventListener("change", () => { document.body.dataset.loaded = "false"; refresh(); });
  }
  // CSV links need the bearer token too: fetched and saved from a blob.
  document.querySelectorAll("a[data-export]").forEach((a) => a.addEventListener("click", (e) => {
    e.preventDefault();
    Auth.download(a.href, `${a.dataset.export}.csv`).catch((err) => {
      if (err.signedOut) return;
      lastError = new ApiError(a.dataset.export, () => String(err.message || err));
      showError();
    });
  }));
  Auth.start(refresh).catch(() => {
    lastError = new ApiError("/dashboard/config.json", () => I18n.t("network_error"));
    showError();
  });
})();

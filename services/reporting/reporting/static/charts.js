// Inline-SVG charts for the Lintas dashboard: no library, no network.
"use strict";
const Charts = (() => {
  const NS = "http://www.w3.org/2000/svg";
  const COLORS = ["#1f6fb2", "#2e9d6a", "#e0a100", "#b23a48", "#6b4fa3"];
  function el(name, attrs, text) {
    const node = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function svg(w, h, label) {
    return el("svg", { viewBox: `0 0 ${w} ${h}`, role: "img", "aria-label": label });
  }
  const fmt = (n) => I18n.number(n);
  // An empty chart says so instead of drawing bare axes.
  function empty(root) {
    const p = document.createElement("p");
    p.className = "empty";
    p.textContent = I18n.t("no_data_yet");
    root.replaceChildren(p);
  }
  // An axis of whole counts: a step of 1, 2 or 5 times a power of ten, about four ticks.
  function axis(v) {
    const raw = Math.max(1, v) / 4;
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    const m = raw / p;
    const step = Math.max(1, (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p);
    const max = step * Math.max(1, Math.ceil(v / step));
    return { max, ticks: Array.from({ length: max / step + 1 }, (_, k) => k * step) };
  }
  function legend(root, names) {
    const box = document.createElement("div");
    box.className = "legend";
    names.forEach((n, i) => {
      const s = document.createElement("span");
      const sw = document.createElement("i");
      sw.style.background = COLORS[i % COLORS.length];
      s.append(sw, document.createTextNode(n));
      box.append(s);
    });
    root.append(box);
  }

  // Horizontal funnel: one bar per step, width relative to the first step.
  function funnel(root, steps, label) {
    const w = 520, row = 34, h = steps.length * row + 10;
    const s = svg(w, h, label);
    const max = Math.max(1, ...steps.map((x) => x.value));
    steps.forEach((step, i) => {
      const bw = Math.max(2, (step.value / max) * (w - 280));
      const y = 5 + i * row;
      s.append(el("text", { x: 0, y: y + 20 }, step.label));
      s.append(el("rect", { x: 150, y: y + 4, width: bw, height: row - 10, fill: step.color || COLORS[i], "data-step": step.key, "data-value": step.value }));
      const share = i === 0 || !steps[0].value ? "" : ` (${I18n.percent(step.value / steps[0].value)})`;
      s.append(el("text", { x: 156 + bw, y: y + 20, "data-funnel": step.key }, fmt(step.value) + share));
    });
    root.replaceChildren(s);
  }

  // Line chart over months with one line per series.
  function lines(root, months, series, label) {
    if (!months.length) return empty(root);
    const w = 520, h = 220, l = 40, b = 30, t = 10, r = 10;
    const s = svg(w, h, label);
    const { max, ticks } = axis(Math.max(0, ...series.flatMap((x) => x.values)));
    const n = Math.max(1, months.length - 1);
    const X = (i) => l + ((w - l - r) * i) / n;
    const Y = (v) => t + (h - t - b) * (1 - v / max);
    for (const v of ticks) {
      const y = Y(v);
      s.append(el("line", { x1: l, x2: w - r, y1: y, y2: y, stroke: "#e3e8ee" }));
      s.append(el("text", { x: 2, y: y + 4 }, fmt(v)));
    }
    const step = Math.ceil(months.length / 8) || 1;
    months.forEach((m, i) => {
      // Centred under its point, kept inside the drawing at both ends.
      const x = Math.min(w - r - 18, Math.max(l + 18, X(i)));
      if (i % step === 0) s.append(el("text", { x, y: h - 8, "text-anchor": "middle" }, I18n.month(m)));
    });
    series.forEach((ser, j) => {
      const pts = ser.values.map((v, i) => `${X(i)},${Y(v)}`).join(" ");
      s.append(el("polyline", { points: pts, fill: "none", stroke: COLORS[j], "stroke-width": 2, "data-series": ser.name }));
      ser.values.forEach((v, i) => s.append(el("circle", { cx: X(i), cy: Y(v), r: 2.5, fill: COLORS[j], "data-series": ser.name, "data-value": v })));
    });
    root.replaceChildren(s);
    legend(root, series.map((x) => x.label));
  }

  // Grouped vertical bars: one group per category, one bar per series.
  function bars(root, categories, series, label) {
    if (!categories.length) return empty(root);
    const w = 1040, h = 260, l = 40, b = 60, t = 10;
    const s = svg(w, h, label);
    const { max, ticks } = axis(Math.max(0, ...series.flatMap((x) => x.values)));
    // Bars keep a readable width however few categories there are.
    const gw = Math.min(220, (w - l) / Math.max(1, categories.length));
    const bw = Math.max(3, (gw - 16) / series.length);
    const Y = (v) => t + (h - t - b) * (1 - v / max);
    for (const v of ticks) {
      const y = Y(v);
      s.append(el("line", { x1: l, x2: w, y1: y, y2: y, stroke: "#e3e8ee" }));
      s.append(el("text", { x: 2, y: y + 4 }, fmt(v)));
    }
    categories.forEach((c, i) => {
      const x0 = l + i * gw + 5;
      series.forEach((ser, j) => {
        const v = ser.values[i];
        s.append(el("rect", { x: x0 + j * bw, y: Y(v), width: bw - 1, height: Y(0) - Y(v), fill: COLORS[j], "data-category": c, "data-series": ser.name, "data-value": v }));
      });
      const chars = Math.max(6, Math.floor(gw / 6.5));
      const name = el("text", { x: x0, y: h - b + 14 }, c.length > chars ? c.slice(0, chars - 1) + "…" : c);
      name.append(el("title", {}, c));
      s.append(name);
    });
    root.replaceChildren(s);
    legend(root, series.map((x) => x.label));
  }
  return { funnel, lines, bars, fmt };
})();

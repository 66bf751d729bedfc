// The patron explorer: sliders over a model's parameters, answered by `patron serve`'s JSON API
// (/api/model, /api/solve, /api/sweep; schemas in docs/output.md). Plain browser JavaScript, no
// libraries: the charts are SVG drawn here.
"use strict";

const POLICY_SETS = [
  ["optimal", "optimal"],
  ["unconditional", "unconditional"],
  ["status_quo", "status quo"],
];
const COLORS = { optimal: "#1b6ca8", unconditional: "#c0392b", status_quo: "#7a6f5a" };
// Below this a sanction probability counts as zero, as in `patron solve`'s table (num::tol::TIE).
const TIE = 1e-9;
const SVG = "http://www.w3.org/2000/svg";

const state = {
  model: null,       // /api/model
  scenario: null,    // the scenario's name, or null for the base values
  scenarioValues: {},// path -> value under the chosen scenario
  values: {},        // path -> value shown on the page
  solveText: null,   // the last /api/solve body, byte for byte
  solution: null,    // and parsed
  inFlight: false,   // a solve request is out
  stale: false,      // values changed while it was out
  sweep: null,       // the last /api/sweep answer and what it varied
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

function svgEl(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

// A failed solve leaves the last good answer on the page, dimmed, until the next one succeeds.
function showError(message) {
  const box = $("error");
  box.textContent = message || "";
  box.hidden = !message;
  document.body.classList.toggle("stale", Boolean(message));
}

function showSweepError(message) {
  const box = $("sweep-error");
  box.textContent = message || "";
  box.hidden = !message;
}

async function getJson(url) {
  const response = await fetch(url);
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try { message = JSON.parse(text).error; } catch (_) { /* not JSON: show the text */ }
    throw new Error(message);
  }
  return text;
}

// ---- parameters ---------------------------------------------------------------------------

function paramsByPath() {
  return Object.fromEntries(state.model.params.map((p) => [p.path, p]));
}

function scenarioValues(name) {
  const values = Object.fromEntries(state.model.params.map((p) => [p.path, p.value]));
  const scenario = state.model.scenarios.find((s) => s.name === name);
  if (scenario) Object.assign(values, scenario.overrides);
  return values;
}

// The values that differ from the scenario's: the `set=` of a solve and `--set` of the command.
function changedSets() {
  return state.model.params
    .filter((p) => state.values[p.path] !== state.scenarioValues[p.path])
    .map((p) => [p.path, state.values[p.path]]);
}

// A slider step: a round decimal giving at least 100 steps over the range (1 for whole weeks).
function stepOf(param) {
  if (param.whole) return 1;
  const width = param.range[1] - param.range[0];
  if (!(width > 0)) return 1;
  return Math.pow(10, Math.floor(Math.log10(width / 100)));
}

function decimalsOf(step) {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

// The slider's value as the shortest decimal on its step grid, inside the declared range.
function sliderValue(input, param) {
  const step = stepOf(param);
  const v = Number(Number(input.value).toFixed(decimalsOf(step)));
  return Math.min(param.range[1], Math.max(param.range[0], v));
}

function groupTitle(group) {
  const dyad = state.model.dyads.find((d) => d.name === group);
  if (dyad) return `${dyad.patron} → ${dyad.client}`;
  return group === "chain" ? "Ceasefire chain" : group === "patron_game" ? "Patrons' game" : group;
}

function shortName(param) {
  const prefix = param.group === "chain" || param.group === "patron_game"
    ? param.group + "." : `dyads.${param.group}.`;
  return param.path.startsWith(prefix) ? param.path.slice(prefix.length) : param.path;
}

function buildParams() {
  const box = $("params");
  box.textContent = "";
  const groups = new Map();
  for (const p of state.model.params) {
    if (!groups.has(p.group)) groups.set(p.group, []);
    groups.get(p.group).push(p);
  }
  let first = true;
  for (const [group, params] of groups) {
    const details = el("details", { class: "group" }, el("summary", {}, groupTitle(group)));
    if (first || params.some((p) => p.path === "dyads.us_israel.credibility")) details.open = true;
    first = false;
    for (const p of params) details.append(paramRow(p));
    box.append(details);
  }
}

function paramRow(p) {
  const id = "param-" + p.path;
  const step = stepOf(p);
  const source = `${p.source}\nrange [${p.range[0]}, ${p.range[1]}]; model file line ${p.line}`;
  const input = el("input", {
    type: "range", id, min: p.range[0], max: p.range[1], step, "data-path": p.path,
    "aria-label": p.path,
  });
  const output = el("output", { for: id, "data-path": p.path });
  const reset = el("button", {
    type: "button", title: "Back to the scenario's value", "aria-label": "reset " + p.path,
    onclick: () => { state.values[p.path] = state.scenarioValues[p.path]; syncParam(p.path); requestSolve(); },
  }, "↺");
  input.addEventListener("input", () => {
    state.values[p.path] = sliderValue(input, p);
    syncParam(p.path, true);
    requestSolve();
  });
  // Hover shows the source; a tap or click on the name (phones have no hover) spells it out below.
  const label = el("label", { for: id, title: source }, shortName(p));
  const note = el("div", { class: "source" }, source);
  const row = el("div", { class: "param", "data-path": p.path }, label, input, output, reset, note);
  label.addEventListener("click", () => row.classList.toggle("show-source"));
  return row;
}

// Show the value of `path` on its row (and move its slider unless the slider moved it).
function syncParam(path, fromSlider) {
  const row = document.querySelector(`.param[data-path="${CSS.escape(path)}"]`);
  if (!row) return;
  const v = state.values[path];
  if (!fromSlider) row.querySelector("input").value = v;
  const out = row.querySelector("output");
  out.textContent = formatValue(v);
  out.dataset.value = String(v);
  row.classList.toggle("changed", v !== state.scenarioValues[path]);
}

function formatValue(v) {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
}

// ---- the command and the download -----------------------------------------------------------

function shellWord(word) {
  return /^[A-Za-z0-9_.\/=:,+-]+$/.test(word) ? word : "'" + word.replace(/'/g, "'\\''") + "'";
}

function command() {
  const words = ["patron", "solve", state.model.file];
  if (state.scenario !== null) words.push("--scenario", state.scenario);
  for (const [path, value] of changedSets()) words.push("--set", `${path}=${value}`);
  return words.map(shellWord).join(" ");
}

async function copyCommand() {
  const text = command();
  $("command").textContent = text;
  try {
    await navigator.clipboard.writeText(text);
    $("copy-status").textContent = "copied";
  } catch (_) {
    const range = document.createRange();
    range.selectNodeContents($("command"));
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    $("copy-status").textContent = "selected: press Ctrl-C (or ⌘-C) to copy";
  }
}

function downloadJson() {
  if (state.solveText === null) return;
  const blob = new Blob([state.solveText], { type: "application/json" });
  const a = el("a", { href: URL.createObjectURL(blob), download: `patron-solve-${state.scenario || "base"}.json` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

// ---- solving --------------------------------------------------------------------------------

function solveUrl() {
  const q = new URLSearchParams();
  if (state.scenario !== null) q.append("scenario", state.scenario);
  for (const [path, value] of changedSets()) q.append("set", `${path}=${value}`);
  return "/api/solve?" + q.toString();
}

// One request at a time; values moved meanwhile are solved as soon as it returns.
async function requestSolve() {
  $("command").textContent = command();
  $("copy-status").textContent = "";
  if (state.inFlight) { state.stale = true; return; }
  state.inFlight = true;
  state.stale = false;
  const started = performance.now();
  const url = solveUrl();
  try {
    const text = await getJson(url);
    state.solveText = text;
    state.solution = JSON.parse(text);
    render();
    showError("");
    $("status").textContent = `solved in ${Math.round(performance.now() - started)} ms`;
    document.body.dataset.solved = url; // which request the page shows (for tests and scripts)
  } catch (e) {
    showError(e.message);
  } finally {
    state.inFlight = false;
    if (state.stale) requestSolve();
  }
}

function render() {
  renderBandNote();
  renderHeadline();
  renderSurvival();
  renderDyads();
  renderGame();
  renderSweepMarker();
}

function fixed(v, digits) {
  return v === null || !Number.isFinite(v) ? "never breaks" : v.toFixed(digits);
}

// The calibrated posterior's bands for a policy set under the chosen scenario (from
// `patron serve --calibration`), or null: they belong to scenarios, not to the base values.
function bandsFor(key) {
  const cal = state.model.calibration;
  if (!cal || state.scenario === null) return null;
  return cal.posterior_predictive.headlines.find(
    (h) => h.scenario === state.scenario && h.policies === key) || null;
}

function bandText(band, digits) {
  return `90% ${band.q05.toFixed(digits)}–${band.q95.toFixed(digits)}`;
}

function renderBandNote() {
  const note = $("band-note");
  const cal = state.model.calibration;
  note.hidden = !cal;
  if (!cal) return;
  note.textContent = `Bands: the posterior predictive 90% interval (5%–95% over ` +
    `${cal.posterior_predictive.draws} posterior draws) from patron calibrate on ${cal.data} ` +
    `(${cal.method}, ${cal.samples} samples, seed ${cal.seed}). They are the model's predictions ` +
    `at parameters the observed truces make likely, not at the sliders' values, so they stay put ` +
    `when a slider moves.` + (state.scenario === null ? " Choose a scenario to see them." : "");
}

function renderHeadline() {
  const c = state.solution.ceasefire;
  const body = $("headline").querySelector("tbody");
  body.textContent = "";
  const summary = $("summary");
  summary.textContent = "";
  if (!c) return;
  $("status-quo-note").hidden = !Object.values(state.solution.dyads).some((d) => d.status_quo === null);
  const horizon = c.optimal.survival.length - 1;
  $("p-hold-head").textContent = `P(hold ${horizon} weeks)`;
  for (const [key, label] of POLICY_SETS) {
    const r = c[key];
    const bands = bandsFor(key);
    const cell = (name, value, text, band, digits) =>
      el("td", { class: "num", id: `${name}-${key}`, "data-value": String(value) }, text,
        ...(band ? [el("span", { class: "band", id: `${name}-band-${key}`,
          "data-q05": String(band.q05), "data-q95": String(band.q95) }, bandText(band, digits))] : []));
    body.append(el("tr", {},
      el("td", {}, el("span", { class: "swatch", style: `background:${COLORS[key]}` }), label),
      cell("p-hold", r.p_hold, r.p_hold.toFixed(4), bands && bands.p_hold, 4),
      cell("expected-weeks", r.expected_weeks, fixed(r.expected_weeks, 2), bands && bands.expected_weeks, 2),
      cell("p-war", r.p_regional_war, r.p_regional_war.toFixed(3), bands && bands.p_regional_war, 3)));
    summary.append(el("span", {}, el("span", { class: "swatch", style: `background:${COLORS[key]}` }),
      `${label} ${r.p_hold.toFixed(4)}`));
  }
}

// Axes, ticks and grid of a chart drawn at the size it is shown (so its text keeps its size on
// any screen); returns the scales.
function frame(svg, xs, ys, xLabel, yLabel) {
  svg.textContent = "";
  const width = Math.max(280, Math.round(svg.getBoundingClientRect().width) || 640);
  const height = Math.round(Math.min(300, Math.max(220, width * 0.45)));
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const [x0, x1] = xs, [y0, y1] = ys;
  const yTicks = ticks(y0, y1);
  // Room for the longest tick label (about 7 pixels a character) and the axis title.
  const widest = Math.max(...yTicks.map((t) => formatTick(t).length));
  const box = { left: 30 + 7 * widest, right: width - 16, top: 16, bottom: height - 42 };
  const sx = (x) => box.left + (x1 === x0 ? 0.5 : (x - x0) / (x1 - x0)) * (box.right - box.left);
  const sy = (y) => box.bottom - (y1 === y0 ? 0.5 : (y - y0) / (y1 - y0)) * (box.bottom - box.top);
  for (const t of yTicks) {
    svg.append(svgEl("line", { class: "grid", x1: box.left, x2: box.right, y1: sy(t), y2: sy(t) }));
    svg.append(svgEl("text", { x: box.left - 6, y: sy(t) + 4, "text-anchor": "end" }, formatTick(t)));
  }
  for (const t of ticks(x0, x1)) {
    svg.append(svgEl("line", { class: "axis", x1: sx(t), x2: sx(t), y1: box.bottom, y2: box.bottom + 4 }));
    svg.append(svgEl("text", { x: sx(t), y: box.bottom + 17, "text-anchor": "middle" }, formatTick(t)));
  }
  svg.append(svgEl("line", { class: "axis", x1: box.left, x2: box.right, y1: box.bottom, y2: box.bottom }));
  svg.append(svgEl("line", { class: "axis", x1: box.left, x2: box.left, y1: box.top, y2: box.bottom }));
  svg.append(svgEl("text", { x: (box.left + box.right) / 2, y: height - 6, "text-anchor": "middle" }, xLabel));
  svg.append(svgEl("text", { x: 12, y: (box.top + box.bottom) / 2, "text-anchor": "middle",
    transform: `rotate(-90 12 ${(box.top + box.bottom) / 2})` }, yLabel));
  return { sx, sy, box };
}

// About five round tick values over [lo, hi].
function ticks(lo, hi) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / 5;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw);
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

function formatTick(t) {
  return String(Number(t.toPrecision(6)));
}

function polyline(points, sx, sy, color, extra) {
  const valid = points.filter(([, y]) => y !== null && Number.isFinite(y));
  const d = valid.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(" ");
  return svgEl("polyline", Object.assign({ points: d, fill: "none", stroke: color, "stroke-width": 2 }, extra || {}));
}

function renderSurvival() {
  const svg = $("survival");
  const c = state.solution.ceasefire;
  if (!c) { svg.textContent = ""; return; }
  const horizon = c.optimal.survival.length - 1;
  const { sx, sy, box } = frame(svg, [0, horizon], [0, 1], "week", "P(ceasefire holds)");
  // The calibrated 90% bands first, so the curves are drawn over them.
  for (const [key] of POLICY_SETS) {
    const bands = bandsFor(key);
    if (!bands || bands.survival.q05.length !== horizon + 1) continue;
    const upper = bands.survival.q95.map((p, t) => `${sx(t).toFixed(1)},${sy(p).toFixed(1)}`);
    const lower = bands.survival.q05.map((p, t) => `${sx(t).toFixed(1)},${sy(p).toFixed(1)}`).reverse();
    svg.append(svgEl("polygon", { points: upper.concat(lower).join(" "), fill: COLORS[key],
      "fill-opacity": 0.15, stroke: "none", class: "band", "data-band": key }));
  }
  POLICY_SETS.forEach(([key, label], i) => {
    const curve = c[key].survival.map((p, t) => [t, p]);
    // Dashes keep the lines apart where two policy sets coincide.
    const dash = key === "status_quo" ? { "stroke-dasharray": "6 4" } : {};
    svg.append(polyline(curve, sx, sy, COLORS[key], Object.assign({ "data-set": key }, dash)));
    const y = box.top + 8 + 16 * i;
    svg.append(svgEl("line", Object.assign({ x1: box.right - 150, x2: box.right - 128, y1: y, y2: y, stroke: COLORS[key], "stroke-width": 2 }, dash)));
    svg.append(svgEl("text", { x: box.right - 122, y: y + 4 }, label));
  });
}

function policyInWords(policy) {
  const words = { quiet: "a quiet week", incident: "an incident", major: "a major event" };
  const parts = Object.entries(policy)
    .filter(([, p]) => p > TIE)
    .map(([signal, p]) => `after ${words[signal]} with probability ${p.toFixed(3)}`);
  return parts.length ? "sanction " + parts.join(" and ") : "no sanctions";
}

function responseInWords(action) {
  const words = { R: "stand down", K: "calibrated pressure", E: "escalate" };
  if (typeof action === "string") return words[action] || action;
  // A logit client's mixture over R, K, E.
  return ["R", "K", "E"].map((a, i) => `${a} ${Number(action[i]).toFixed(3)}`).join(", ");
}

function outcomeLines(outcome) {
  if (!outcome) return ["(none stated)"];
  const a = outcome.actions;
  return [
    policyInWords(outcome.policy),
    `aligned: ${responseInWords(a.aligned)}; autonomous: ${responseInWords(a.autonomous)}`,
  ];
}

function renderDyads() {
  const box = $("dyads");
  box.textContent = "";
  for (const [name, d] of Object.entries(state.solution.dyads)) {
    const list = el("dl");
    for (const [key, label] of POLICY_SETS) {
      const [policy, response] = outcomeLines(d[key]);
      list.append(el("dt", {}, label), el("dd", { "data-outcome": `${name}.${key}` }, policy));
      if (response) list.append(el("dt", {}, ""), el("dd", { class: "muted" }, response));
    }
    box.append(el("div", { class: "card" },
      el("h3", {}, groupTitle(name)),
      list,
      el("div", { class: "commitment" }, "value of commitment ",
        el("strong", { "data-value": String(d.value_of_commitment) }, d.value_of_commitment.toFixed(3)))));
  }
}

function renderGame() {
  const box = $("game");
  box.textContent = "";
  const g = state.solution.patron_game;
  if (!g) return;
  const patrons = Object.keys(g.payoffs);
  if (patrons.length < 2) return;
  const [row, col] = patrons;
  const label = (p) => p.replace(/_/g, " ");
  const pure = new Set(g.equilibria
    .map((e) => [e[row].indexOf(1), e[col].indexOf(1)])
    .filter(([i, j]) => i >= 0 && j >= 0)
    .map(([i, j]) => `${i},${j}`));
  const table = el("table", { class: "game" });
  table.append(el("tr", {}, el("th", {}, `${row} \\ ${col}`), ...g.postures.map((p) => el("th", {}, label(p)))));
  g.postures.forEach((p, i) => {
    table.append(el("tr", {}, el("th", {}, label(p)), ...g.postures.map((_, j) =>
      el("td", { class: pure.has(`${i},${j}`) ? "equilibrium" : "" },
        `${g.payoffs[row][i][j].toFixed(3)}, ${g.payoffs[col][i][j].toFixed(3)}`))));
  });
  const mix = (m) => m.map((p, s) => [p, s]).filter(([p]) => p > 0)
    .map(([p, s]) => `${label(g.postures[s])} ${p.toFixed(3)}`).join(" + ");
  const notes = el("ul", { class: "game-notes" });
  for (const e of g.equilibria) {
    notes.append(el("li", {}, `Nash equilibrium — ${row}: ${mix(e[row])}; ${col}: ${mix(e[col])}`));
  }
  if (g.correlated) {
    const cells = [];
    g.correlated.distribution.forEach((r, i) => r.forEach((p, j) => {
      if (p > 5e-4) cells.push(`(${label(g.postures[i])}, ${label(g.postures[j])}) ${p.toFixed(3)}`);
    }));
    notes.append(el("li", {}, `A mediator's best proposal (welfare-maximising correlated equilibrium): ${cells.join(", ")}; welfare ${g.correlated.welfare.toFixed(3)}`));
  }
  box.append(el("div", { style: "overflow-x:auto" }, table), notes);
}

// ---- sweeps ---------------------------------------------------------------------------------

function buildSweepControls() {
  const select = $("sweep-param");
  for (const p of state.model.params) {
    if (p.range[1] > p.range[0]) select.append(el("option", { value: p.path }, p.path));
  }
  select.value = state.model.params.some((p) => p.path === "dyads.us_israel.credibility")
    ? "dyads.us_israel.credibility" : select.options[0].value;
  const steps = $("sweep-steps");
  steps.max = state.model.max_sweep_points;
  $("sweep-output").append(el("option", { value: "ceasefire.optimal.p_hold" }, "ceasefire.optimal.p_hold"));
  $("sweep-run").addEventListener("click", runSweep);
  $("sweep-output").addEventListener("change", drawSweep);
}

async function runSweep() {
  const path = $("sweep-param").value;
  const p = paramsByPath()[path];
  const steps = Math.max(2, Math.floor(Number($("sweep-steps").value) || 21));
  const q = new URLSearchParams();
  if (state.scenario !== null) q.append("scenario", state.scenario);
  q.append("vary", `${path}=${p.range[0]}:${p.range[1]}:${steps}`);
  for (const [setPath, value] of changedSets()) if (setPath !== path) q.append("set", `${setPath}=${value}`);
  try {
    const answer = JSON.parse(await getJson("/api/sweep?" + q.toString()));
    state.sweep = { path, answer };
    const outputs = $("sweep-output");
    const chosen = outputs.value;
    outputs.textContent = "";
    for (const [name, column] of Object.entries(answer.columns)) {
      if (name === "point" || name === path || name === "error") continue;
      if (column.some((v) => typeof v === "number")) outputs.append(el("option", { value: name }, name));
    }
    outputs.value = chosen;
    if (!outputs.value) outputs.value = "ceasefire.optimal.p_hold";
    showSweepError("");
    drawSweep();
  } catch (e) {
    showSweepError(e.message);
  }
}

function drawSweep() {
  const svg = $("sweep-chart");
  if (!state.sweep) return;
  const { path, answer } = state.sweep;
  const output = $("sweep-output").value;
  const xs = answer.columns[path], ys = answer.columns[output] || [];
  const finite = ys.filter((y) => typeof y === "number");
  if (!finite.length) { svg.textContent = ""; return; }
  let lo = Math.min(...finite), hi = Math.max(...finite);
  // A margin of 5% of the spread (or of the value, for a flat line) above and below.
  const pad = hi - lo > 1e-12 ? 0.05 * (hi - lo) : 0.05 * Math.abs(hi || 1);
  lo -= pad;
  hi += pad;
  const { sx, sy } = frame(svg, [xs[0], xs[xs.length - 1]], [lo, hi], path, output);
  const points = xs.map((x, i) => [x, typeof ys[i] === "number" ? ys[i] : null]);
  svg.append(polyline(points, sx, sy, COLORS.optimal));
  for (const [x, y] of points) if (y !== null) svg.append(svgEl("circle", { cx: sx(x), cy: sy(y), r: 2.5, fill: COLORS.optimal }));
  state.sweep.scale = { sx, lo, hi, sy };
  renderSweepMarker();
}

// A dashed line at the parameter's current value.
function renderSweepMarker() {
  const svg = $("sweep-chart");
  const old = svg.querySelector(".marker");
  if (old) old.remove();
  if (!state.sweep || !state.sweep.scale) return;
  const { sx, sy, lo, hi } = state.sweep.scale;
  const x = sx(state.values[state.sweep.path]);
  svg.append(svgEl("line", { class: "marker", x1: x, x2: x, y1: sy(hi), y2: sy(lo), stroke: "#888", "stroke-dasharray": "4 3" }));
}

// ---- start ----------------------------------------------------------------------------------

function chooseScenario(name) {
  state.scenario = name === "" ? null : name;
  state.scenarioValues = scenarioValues(state.scenario);
  state.values = Object.assign({}, state.scenarioValues);
  const s = state.model.scenarios.find((x) => x.name === state.scenario);
  $("scenario-description").textContent = s ? s.description : "The model file's base values.";
  for (const p of state.model.params) syncParam(p.path);
  requestSolve();
}

async function start() {
  try {
    state.model = JSON.parse(await getJson("/api/model"));
  } catch (e) {
    showError("Cannot read the model: " + e.message);
    return;
  }
  $("model-name").textContent = "— " + state.model.name;
  $("model-description").textContent = state.model.description;
  const select = $("scenario");
  for (const s of state.model.scenarios) select.append(el("option", { value: s.name }, s.name));
  // Without a scenario a solve uses the file's default one: base values are a choice only without it.
  if (state.model.default_scenario === null) select.append(el("option", { value: "" }, "(base values)"));
  select.value = state.model.default_scenario === null ? "" : state.model.default_scenario;
  select.addEventListener("change", () => chooseScenario(select.value));
  buildParams();
  buildSweepControls();
  $("copy-command").addEventListener("click", copyCommand);
  $("download-json").addEventListener("click", downloadJson);
  $("reset-all").addEventListener("click", () => chooseScenario(select.value));
  chooseScenario(select.value);
}

// Charts are drawn at their shown size: draw them again when it changes.
let resizeTimer = null;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    if (state.solution) renderSurvival();
    drawSweep();
  }, 100);
});

start();

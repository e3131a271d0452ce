// topmock's dashboard: what the app sent and why topmock answered as it did. Plain JavaScript,
// served by topmock itself (no network, no build step); every call is same-origin and carries
// the browser's credentials for this origin (HTTP Basic with the admin token, when one is set).
"use strict";

const PAGE = 100; // calls a page shows
const POLL_MS = 1000; // the live list asks for newer calls this often
const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------- the admin API

async function api(method, path, body) {
  const options = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : {}; } catch (_) { json = null; }
  if (!response.ok) {
    const message = json && json.error ? `${json.error.code}: ${json.error.message}` : `HTTP ${response.status}`;
    throw new Error(message);
  }
  return json;
}

function say(text, isError) {
  const status = $("status");
  status.textContent = text;
  status.classList.toggle("error", Boolean(isError));
}

function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function time(millis) {
  const date = new Date(millis);
  const pad = (n, width = 2) => String(n).padStart(width, "0");
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

// ---------------------------------------------------------------- tabs

const tabs = ["calls", "namespaces", "scenarios"];
let currentTab = "calls";

function showTab(name, focus) {
  currentTab = name;
  for (const tab of tabs) {
    const button = $(`tab-${tab}`);
    const selected = tab === name;
    button.setAttribute("aria-selected", String(selected));
    button.tabIndex = selected ? 0 : -1;
    $(`view-${tab}`).hidden = !selected;
  }
  if (focus) $(`tab-${name}`).focus();
  if (name === "namespaces") loadNamespaces();
  if (name === "scenarios") loadScenarios();
  if (location.hash !== `#${name}`) history.replaceState(null, "", `#${name}`);
}

function setUpTabs() {
  for (const tab of tabs) {
    const button = $(`tab-${tab}`);
    button.addEventListener("click", () => showTab(tab));
    button.addEventListener("keydown", (event) => {
      const index = tabs.indexOf(tab);
      if (event.key === "ArrowRight") showTab(tabs[(index + 1) % tabs.length], true);
      else if (event.key === "ArrowLeft") showTab(tabs[(index + tabs.length - 1) % tabs.length], true);
      else return;
      event.preventDefault();
    });
  }
  const wanted = location.hash.slice(1);
  showTab(tabs.includes(wanted) ? wanted : "calls");
}

// ---------------------------------------------------------------- calls

const calls = {
  rows: [], // newest first, at most 2 × PAGE
  atNewest: true, // the page follows new calls
  selected: null,
  pending: 0, // new calls not shown (when not at the newest page)
  polling: false,
};

function filterQuery(extra) {
  const parameters = new URLSearchParams();
  for (const [name, id] of [["namespace", "filter-namespace"], ["method", "filter-method"], ["outcome", "filter-outcome"], ["request_id", "filter-request-id"]]) {
    const value = $(id).value.trim();
    if (value) parameters.set(name, value);
  }
  for (const [name, value] of Object.entries(extra)) parameters.set(name, String(value));
  return parameters.toString();
}

function callRow(entry) {
  const row = element("tr", { "data-id": entry.id, "data-outcome": entry.outcome, tabindex: 0, "aria-selected": String(calls.selected === entry.id) },
    element("td", { class: "mono", text: entry.id }),
    element("td", { class: "mono", text: time(entry.received_at_millis) }),
    element("td", { text: entry.namespace, title: entry.namespace }),
    element("td", { text: entry.method || "(none)", title: entry.method || "" }),
    element("td", { class: `outcome-${entry.outcome}`, text: entry.error_code ? `${entry.outcome} ${entry.error_code}` : entry.outcome }),
    element("td", { class: "mono", text: entry.request_id || "", title: entry.request_id || "" }),
    element("td", { class: "mono", text: entry.latency_micros }));
  row.addEventListener("click", () => select(entry.id));
  row.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") { select(entry.id); event.preventDefault(); }
    else if (event.key === "ArrowDown" && row.nextElementSibling) { row.nextElementSibling.focus(); event.preventDefault(); }
    else if (event.key === "ArrowUp" && row.previousElementSibling) { row.previousElementSibling.focus(); event.preventDefault(); }
  });
  return row;
}

/// The list's header and buttons (the rows are left alone: a focused row keeps its focus).
function renderListHead() {
  $("calls-empty").hidden = calls.rows.length > 0;
  const first = calls.rows[0], last = calls.rows[calls.rows.length - 1];
  $("calls-count").textContent = calls.rows.length ? `calls ${last.id}–${first.id}${calls.atNewest ? " (live)" : ""}` : "";
  $("older").disabled = calls.rows.length === 0 || last.id <= 1;
  $("newer").disabled = calls.atNewest;
  const badge = $("new-calls");
  badge.hidden = calls.pending === 0;
  badge.textContent = `${calls.pending} new`;
}

function renderCalls() {
  $("calls").replaceChildren(...calls.rows.map(callRow));
  renderListHead();
}

/// New calls on top, inserted (the rows already shown stay, focus and all); the rows under the
/// reader's eyes stay put (the scroll moves by what was added); at most two pages are kept.
function prepend(entries) {
  if (!entries.length) return;
  const scroll = $("calls-scroll");
  const before = scroll.scrollHeight;
  const body = $("calls");
  const newest = entries.slice().reverse();
  body.prepend(...newest.map(callRow));
  calls.rows = newest.concat(calls.rows);
  while (calls.rows.length > 2 * PAGE) {
    calls.rows.pop();
    body.lastElementChild.remove();
  }
  renderListHead();
  if (scroll.scrollTop > 0) scroll.scrollTop += scroll.scrollHeight - before;
}

async function loadNewest() {
  const answer = await api("GET", `/__admin/requests?${filterQuery({ limit: PAGE })}`);
  calls.rows = answer.requests.slice().reverse();
  calls.atNewest = true;
  calls.pending = 0;
  renderCalls();
  say(`journal: ${answer.held} calls`);
}

async function loadOlder() {
  const oldest = calls.rows[calls.rows.length - 1];
  if (!oldest) return;
  const answer = await api("GET", `/__admin/requests?${filterQuery({ limit: PAGE, before_id: oldest.id })}`);
  if (!answer.requests.length) return;
  calls.rows = answer.requests.slice().reverse();
  calls.atNewest = false;
  renderCalls();
  $("calls-scroll").scrollTop = 0;
}

async function poll() {
  if (calls.polling || currentTab !== "calls" || !$("live").checked || document.hidden) return;
  calls.polling = true;
  try {
    const newest = calls.atNewest ? calls.rows[0] : null;
    if (calls.atNewest) {
      const answer = await api("GET", `/__admin/requests?${filterQuery({ limit: PAGE, after_id: newest ? newest.id : 0 })}`);
      prepend(answer.requests);
      say(`journal: ${answer.held} calls`);
    } else {
      const top = calls.rows[0];
      const answer = await api("GET", `/__admin/requests/count?${filterQuery({ after_id: top ? top.id : 0 })}`);
      calls.pending = answer.count;
      renderListHead();
    }
  } catch (error) {
    say(`cannot read the journal: ${error.message}`, true);
  } finally {
    calls.polling = false;
  }
}

function section(title, ...content) {
  return [element("h3", { text: title }), ...content];
}

function keyValues(object) {
  const list = element("dl", { class: "kv" });
  const names = Object.keys(object || {}).filter((name) => object[name] !== undefined && object[name] !== null && object[name] !== "").sort();
  if (!names.length) return element("p", { class: "empty", text: "none" });
  for (const name of names) list.append(element("dt", { class: "mono", text: name }), element("dd", { class: "mono", text: String(object[name]) }));
  return list;
}

function answerText(answer) {
  if (!answer || answer.body === undefined) return null;
  if ((answer.content_type || "").includes("json")) {
    try { return JSON.stringify(JSON.parse(answer.body), null, 2); } catch (_) { /* as sent */ }
  }
  return answer.body;
}

/// Why topmock answered as it did, first: the failed check, the signature, the near miss.
function why(entry) {
  const boxes = [];
  if (entry.error_code !== undefined && entry.error_code !== null) {
    boxes.push(element("div", { class: "why" }, element("strong", { text: `TOP error ${entry.error_code}${entry.error_sub_code ? ` (${entry.error_sub_code})` : ""}` }),
      entry.diagnostic ? element("div", { text: entry.diagnostic }) : null));
  } else if (entry.diagnostic) {
    boxes.push(element("div", { class: "why" }, element("div", { text: entry.diagnostic })));
  }
  if (entry.signature) {
    const signature = entry.signature;
    boxes.push(element("div", { class: "why" }, element("strong", { text: `Signature mismatch (${signature.sign_method})` }),
      keyValues({ expected: signature.expected, received: signature.received, "signed text": signature.signed, "likely cause": signature.likely_cause })));
  }
  if (entry.fault) boxes.push(element("div", { class: "why" }, element("strong", { text: `Fault: ${entry.fault}` }), entry.rule ? ` (rule ${entry.rule})` : ""));
  if (entry.near_miss) boxes.push(element("div", { class: "why near" }, element("strong", { text: "Near miss" }), element("div", { text: entry.near_miss })));
  if (!boxes.length) boxes.push(element("div", { class: "why fine", text: `Answered: ${entry.outcome}${entry.rule ? `, by rule ${entry.rule}` : ""}` }));
  return boxes;
}

async function select(id) {
  calls.selected = id;
  for (const row of $("calls").children) row.setAttribute("aria-selected", String(Number(row.dataset.id) === id));
  const pane = $("detail");
  try {
    const entry = await api("GET", `/__admin/requests/${id}`);
    const answer = entry.answer;
    pane.replaceChildren(
      element("h2", { id: "detail-title", text: `#${entry.id} ${entry.method || "(no method)"}` }),
      ...why(entry),
      ...section("Call", keyValues({
        namespace: entry.namespace, outcome: entry.outcome, app_key: entry.app_key, "shop_id": entry.shop_id, request_id: entry.request_id,
        rule: entry.rule, scenario: entry.scenario, "from": `${entry.remote_address} (${entry.http_method})`, created: entry.created,
      })),
      ...section("Timing", keyValues({
        received: new Date(entry.received_at_millis).toISOString(), "answered in": `${entry.latency_micros} µs`,
        "injected delay": entry.delay_millis !== undefined ? `${entry.delay_millis} ms` : undefined,
      })),
      ...section("Parameters (masked)", keyValues(entry.parameters)),
      ...section("Business fields", keyValues(entry.fields)),
      ...section("Answer, as sent", answer ? element("p", { class: "mono", text: `HTTP ${answer.status} ${answer.content_type || ""}` }) : element("p", { class: "empty", text: entry.fault ? "none: the fault answered" : "not kept" }),
        answer ? element("pre", { id: "detail-answer", text: answerText(answer) }) : null),
    );
  } catch (error) {
    pane.replaceChildren(element("p", { class: "empty", text: `cannot read call ${id}: ${error.message}` }));
  }
}

function setUpCalls() {
  $("filters").addEventListener("submit", (event) => { event.preventDefault(); loadNewest().catch((e) => say(e.message, true)); });
  $("filter-clear").addEventListener("click", () => {
    for (const id of ["filter-namespace", "filter-method", "filter-outcome", "filter-request-id"]) $(id).value = "";
    loadNewest().catch((e) => say(e.message, true));
  });
  $("older").addEventListener("click", () => loadOlder().catch((e) => say(e.message, true)));
  $("newer").addEventListener("click", () => loadNewest().catch((e) => say(e.message, true)));
  $("new-calls").addEventListener("click", () => loadNewest().catch((e) => say(e.message, true)));
  loadNewest().catch((e) => say(`cannot read the journal: ${e.message}`, true));
  setInterval(poll, POLL_MS);
}

// ---------------------------------------------------------------- namespaces

async function loadNamespaces() {
  try {
    const answer = await api("GET", "/__admin/namespaces");
    const names = new Set(answer.namespaces);
    for (const row of calls.rows) names.add(row.namespace);
    const select = $("namespace");
    const current = select.value;
    const sorted = [...names].sort();
    select.replaceChildren(...sorted.map((name) => element("option", { value: name, text: name })));
    $("namespace-names").replaceChildren(...sorted.map((name) => element("option", { value: name })));
    if (sorted.includes(current)) select.value = current;
    await loadNamespace();
  } catch (error) {
    say(`cannot list namespaces: ${error.message}`, true);
  }
}

function encoded(...parts) { return parts.map((part) => encodeURIComponent(String(part))).join("/"); }

function actionRow(action, namespace) {
  const paid = element("button", { type: "button", "data-action": "paid", "data-request-id": action.request_id, text: "Customer paid", disabled: action.status === "SUCCESS" });
  paid.addEventListener("click", () => change(`set ${action.request_id} to SUCCESS`,
    () => api("PUT", `/__admin/namespaces/${encoded(namespace, "actions", action.shop_id, action.request_id)}`, { status: "SUCCESS" })));
  const next = element("button", { type: "button", "data-action": "advance", "data-request-id": action.request_id, text: "Next step", disabled: action.step >= action.steps });
  next.addEventListener("click", () => change(`moved ${action.request_id} to its next step`,
    () => api("POST", `/__admin/namespaces/${encoded(namespace, "actions", action.shop_id, action.request_id, "advance")}`)));
  return element("tr", { "data-request-id": action.request_id },
    element("td", { class: "mono", text: action.shop_id }),
    element("td", { class: "mono", text: action.request_id }),
    element("td", { text: action.channel }),
    element("td", { class: `status-${action.status}`, text: action.status, "data-status": action.status }),
    element("td", { class: "mono", text: action.result_code || "" }),
    element("td", { class: "mono", text: action.amount_fen ?? "" }),
    element("td", { text: `${action.step} of ${action.steps}` }),
    element("td", { text: action.queries }),
    element("td", { text: action.created ? "order.pay" : "seed" }),
    element("td", {}, paid, " ", next));
}

function actionsTable(actions, namespace, label) {
  if (!actions.length) return element("p", { class: "empty", text: "none" });
  return element("table", { class: "plain", "aria-label": label },
    element("thead", {}, element("tr", {}, ...["shop", "request_id", "channel", "status", "result_code", "fen", "step", "queries", "made by", ""].map((name) => element("th", { text: name })))),
    element("tbody", {}, ...actions.map((action) => actionRow(action, namespace))));
}

async function change(what, call) {
  try {
    await call();
    say(what);
  } catch (error) {
    say(`${what}: ${error.message}`, true);
  }
  await loadNamespace();
}

async function loadNamespace() {
  const namespace = $("namespace").value;
  if (!namespace) {
    $("clock-now").textContent = "No namespace has state yet.";
    return;
  }
  const [clock, checkouts, actions] = await Promise.all([
    api("GET", `/__admin/namespaces/${encoded(namespace, "clock")}`),
    api("GET", `/__admin/namespaces/${encoded(namespace, "checkouts")}`),
    api("GET", `/__admin/namespaces/${encoded(namespace, "actions")}`),
  ]);
  $("clock-now").textContent = `${clock.now} GMT+8 (${clock.mode}${clock.offset_millis ? `, ${clock.offset_millis} ms off real time` : ""})`;
  // Seeds no call touched are the scenario files' business; shown on request.
  const all = $("show-seeds").checked;
  const touched = (action) => action.created || action.queries > 0 || action.set_by_admin;
  const inCheckouts = new Set();
  const list = checkouts.checkouts.filter((checkout) => all || !checkout.seeded || checkout.actions.some(touched)).map((checkout) => {
    return element("div", { class: "checkout", "data-checkout-id": checkout.checkout_id },
      element("h3", {}, `Shop ${checkout.shop_id}, checkout ${checkout.checkout_id}: `,
        element("span", { class: `status-${checkout.status}`, text: checkout.status }),
        ` — paid ${checkout.paid_fen}${checkout.total_fen !== undefined ? ` of ${checkout.total_fen}` : ""} fen, checkout_status ${checkout.checkout_status}`),
      actionsTable(checkout.actions, namespace, `Actions of checkout ${checkout.checkout_id}`));
  });
  $("checkouts").replaceChildren(...(list.length ? list : [element("p", { class: "empty", text: all ? "No checkouts in this namespace." : "No checkouts besides seeds no call touched." })]));
  for (const checkout of checkouts.checkouts) for (const action of checkout.actions) inCheckouts.add(`${action.shop_id}|${action.request_id}`);
  const others = actions.actions.filter((action) => !inCheckouts.has(`${action.shop_id}|${action.request_id}`) && (all || touched(action)));
  $("actions").replaceChildren(actionsTable(others, namespace, "Payment actions outside checkouts"));
}

function setUpNamespaces() {
  $("namespace").addEventListener("change", () => loadNamespace().catch((e) => say(e.message, true)));
  $("show-seeds").addEventListener("change", () => loadNamespace().catch((e) => say(e.message, true)));
  $("namespace-refresh").addEventListener("click", () => loadNamespaces());
  $("namespace-reset").addEventListener("click", () => {
    const namespace = $("namespace").value;
    if (namespace) change(`reset namespace ${namespace}`, () => api("POST", "/__admin/reset", { namespace }));
  });
  const clock = (body, what) => () => {
    const namespace = $("namespace").value;
    if (namespace) change(what, () => api("PUT", `/__admin/namespaces/${encoded(namespace, "clock")}`, body()));
  };
  $("clock-freeze").addEventListener("click", clock(() => ({ freeze: "now" }), "froze the clock"));
  $("clock-advance").addEventListener("click", clock(() => ({ advance: $("clock-advance-by").value.trim() }), "advanced the clock"));
  $("clock-real").addEventListener("click", clock(() => ({ real: true }), "back to real time"));
}

// ---------------------------------------------------------------- scenarios

async function loadScenarios() {
  try {
    const health = await api("GET", "/__admin/health");
    const scenarios = health.scenarios;
    $("scenarios").replaceChildren(...scenarios.loaded.map((file) => element("tr", {},
      element("td", { class: "mono", text: file.path }), element("td", { text: file.name }),
      element("td", { text: file.actions }), element("td", { text: file.rules }), element("td", { text: file.stubs }))));
    const errors = scenarios.last_reload_errors || [];
    $("reload-errors").replaceChildren(...(errors.length
      ? [element("div", { class: "diagnostics" }, element("strong", { text: "The last reload failed; the last good set is serving:" }),
          element("pre", { id: "reload-diagnostics", text: errors.join("\n") }))]
      : [element("p", { class: "empty", text: `${scenarios.files} files, ${scenarios.actions} actions, ${scenarios.rules} rules, ${scenarios.stubs} stubs; ${scenarios.reloads} reloads, ${scenarios.failed_reloads} failed.` })]));
  } catch (error) {
    say(`cannot read the scenarios: ${error.message}`, true);
  }
}

// ---------------------------------------------------------------- start

document.addEventListener("DOMContentLoaded", () => {
  setUpTabs();
  setUpCalls();
  setUpNamespaces();
  $("scenarios-refresh").addEventListener("click", () => loadScenarios());
});

"""The dashboard's markup, style and script: one page, inline, no framework, no CDN.

Kept as Python strings so the page ships inside the package (package data covers no .html)
and so the Content-Security-Policy can name the exact SHA-256 of the inline style and script.
The script builds every cell with ``textContent``: partner error texts are data, never markup.
"""

from __future__ import annotations

STYLE = """
:root { color-scheme: light dark; --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700;
  --line: #d0d7de; --muted: #57606a; }
body { font: 14px/1.4 system-ui, sans-serif; margin: 0 1.5rem 2rem; }
header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: baseline;
  border-bottom: 1px solid var(--line); padding: .8rem 0; }
h1 { font-size: 1.3rem; margin: 0; }
h2 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
#status { color: var(--muted); margin: 0; flex: 1; }
#status.error { color: var(--bad); }
form { display: flex; gap: .4rem; align-items: center; }
input { font: inherit; padding: .2rem .4rem; min-width: 18rem; }
button { font: inherit; cursor: pointer; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { font-weight: 600; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.alert td:first-child { box-shadow: inset 4px 0 var(--bad); }
.state-open { color: var(--bad); font-weight: 600; }
.state-half_open { color: var(--warn); font-weight: 600; }
.state-closed { color: var(--ok); }
.bad { color: var(--bad); font-weight: 600; }
.muted { color: var(--muted); }
.error-text { color: var(--bad); font-size: .9em; display: block; max-width: 28rem;
  overflow-wrap: anywhere; }
code { font-size: .9em; }
#timeline { width: 100%; height: 80px; border-bottom: 1px solid var(--line); }
#timeline .attempts { fill: var(--ok); opacity: .55; }
#timeline .failures { fill: var(--bad); }
"""

SCRIPT = r"""
"use strict";
(() => {
  const STORE = "gateway.dashboard.key";
  const REFRESH_MS = 10000;
  const $ = (id) => document.getElementById(id);
  let timer = null;
  let allowed = null;

  class KeyRejected extends Error {}

  const key = () => sessionStorage.getItem(STORE);

  async function call(method, path) {
    const response = await fetch(path, {
      method, cache: "no-store", credentials: "omit",
      headers: {Authorization: "Bearer " + key(), Accept: "application/json"},
    });
    if (response.status === 401) throw new KeyRejected("the key was not accepted (401)");
    if (!response.ok) {
      let detail = "";
      try { detail = (await response.json()).detail || ""; } catch (ignored) { /* not JSON */ }
      throw new Error(method + " " + path + ": HTTP " + response.status + " " + detail);
    }
    return response.json();
  }

  function status(text, isError) {
    $("status").textContent = text;
    $("status").className = isError ? "error" : "";
  }

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function ago(iso) {
    if (!iso) return el("span", "never", "muted");
    const seconds = (Date.now() - Date.parse(iso)) / 1000;
    const span = el("span", duration(seconds) + " ago");
    span.title = iso;
    return span;
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) return "-";
    const s = Math.max(0, seconds);
    if (s < 90) return Math.round(s) + " s";
    if (s < 5400) return Math.round(s / 60) + " min";
    if (s < 172800) return (s / 3600).toFixed(1) + " h";
    return (s / 86400).toFixed(1) + " d";
  }

  function breakers(item) {
    const td = el("td");
    for (const [url, state] of Object.entries(item.breakers || {})) {
      const role = url === item.primary_url ? "primary" : "secondary";
      const line = el("div");
      line.append(el("span", role + ": "), el("span", state, "state-" + state));
      line.title = url;
      td.append(line);
    }
    if (!td.childNodes.length) td.append(el("span", "no channel", "bad"));
    return td;
  }

  function lastFailure(item) {
    const td = el("td");
    td.append(ago(item.last_failure_at));
    if (item.last_error) td.append(el("span", item.last_error, "error-text"));
    return td;
  }

  function cellWith(node, className) {
    const td = el("td", null, className);
    td.append(node);
    return td;
  }

  function num(value, badWhenPositive) {
    return el("td", value, "num" + (badWhenPositive && value > 0 ? " bad" : ""));
  }

  function partnerRow(item) {
    const tr = el("tr");
    tr.dataset.partner = item.partner_id;
    tr.dataset.channel = item.document_type;
    const open = Object.values(item.breakers || {}).some((s) => s === "open");
    if (open || item.dead_letters > 0 || item.overdue_acks > 0) tr.className = "alert";
    const rate = item.error_rate_last_hour;
    const acks = item.overdue_acks + " overdue / " + item.problem_acks + " problem";
    tr.append(
      el("td", item.partner_id, "partner"),
      el("td", item.document_type, "channel"),
      el("td", item.active_endpoint || "none: every breaker is open", "active-endpoint"),
      breakers(item),
      num(item.queue_depth),
      el("td", duration(item.oldest_pending_age_s), "num oldest"),
      cellWith(ago(item.last_success_at), "last-success"),
      lastFailure(item),
      num(item.attempts_last_hour),
      el("td", rate === null ? "-" : (100 * rate).toFixed(1) + " %", "num rate"),
      num(item.dead_letters, true),
      el("td", acks, item.overdue_acks + item.problem_acks > 0 ? "bad acks" : "acks"),
    );
    tr.children[4].classList.add("queue");
    tr.children[10].classList.add("dead-letters");
    return tr;
  }

  const SVG = "http://www.w3.org/2000/svg";

  function bar(index, width, value, top, kind, minute) {
    const height = Math.max(1, (value / top) * 78);
    const rect = document.createElementNS(SVG, "rect");
    rect.setAttribute("x", (index * width).toFixed(1));
    rect.setAttribute("y", (80 - height).toFixed(1));
    rect.setAttribute("width", Math.max(1, width - 1).toFixed(1));
    rect.setAttribute("height", height.toFixed(1));
    rect.setAttribute("class", kind);
    const title = document.createElementNS(SVG, "title");
    title.textContent = minute.minute + " UTC: " + minute.attempts + " attempts, " +
      minute.failures + " failed";
    rect.append(title);
    return rect;
  }

  function drawTimeline(minutes) {
    const top = Math.max(1, ...minutes.map((m) => m.attempts));
    const width = 600 / minutes.length;
    const bars = [];
    minutes.forEach((m, i) => {
      if (m.attempts) bars.push(bar(i, width, m.attempts, top, "attempts", m));
      if (m.failures) bars.push(bar(i, width, m.failures, top, "failures", m));
    });
    $("timeline").replaceChildren(...bars);
    const total = minutes.reduce((n, m) => n + m.attempts, 0);
    const failed = minutes.reduce((n, m) => n + m.failures, 0);
    $("chart-note").textContent = total + " attempts, " + failed +
      " failed in the last hour (bars per minute, highest " + top + ").";
  }

  async function replay(id, button) {
    if (!confirm("Replay dead letter " + id + "? It is queued again as a new delivery.")) return;
    button.disabled = true;
    try {
      await call("POST", "/api/v1/sync/deliveries/" + encodeURIComponent(id) + "/replay");
      await refresh();
    } catch (error) {
      button.disabled = false;
      handle(error);
    }
  }

  function deadRow(item) {
    const tr = el("tr");
    tr.dataset.delivery = item.delivery_id;
    const action = el("td");
    if (allowed.replay) {
      const button = el("button", "Replay", "replay");
      button.type = "button";
      button.addEventListener("click", () => replay(item.delivery_id, button));
      action.append(button);
    }
    tr.append(
      el("td", item.delivery_id, "delivery"), el("td", item.partner_id),
      el("td", item.document_type), num(item.attempts),
      cellWith(el("span", item.dead_reason, "error-text")),
      cellWith(ago(item.created_at)), action,
    );
    return tr;
  }

  async function refresh() {
    if (!key()) return showPrompt();
    try {
      allowed = allowed || await call("GET", "/api/v1/sync/permissions");
      if (!allowed.health) {
        status("This key (" + allowed.principal + ") may not read partner health.", true);
        return;
      }
      const health = await call("GET", "/api/v1/health/partners");
      $("partners").tBodies[0].replaceChildren(...health.items.map(partnerRow));
      drawTimeline((await call("GET", "/api/v1/health/partners/timeline?minutes=60")).minutes);
      $("health").hidden = false;
      $("dead").hidden = !allowed.deliveries;
      if (allowed.deliveries) {
        const dead = await call("GET", "/api/v1/sync/dead-letters?limit=200");
        $("dead-letters").tBodies[0].replaceChildren(...dead.items.map(deadRow));
        $("dead-note").textContent = dead.items.length ? (allowed.replay ? "" :
          "This key may not replay dead letters.") : "No dead letters.";
      }
      status("Signed in as " + allowed.principal + ". Updated " +
        new Date().toLocaleTimeString() + "; refreshing every " + REFRESH_MS / 1000 + " s.");
    } catch (error) {
      handle(error);
    }
  }

  function handle(error) {
    if (error instanceof KeyRejected) {
      forget();
      status("Not signed in: " + error.message + ".", true);
    } else {
      status("Refresh failed: " + error.message, true);
    }
  }

  function showPrompt() {
    $("key-prompt").hidden = false;
    $("health").hidden = $("dead").hidden = $("forget").hidden = true;
  }

  function start() {
    $("key-prompt").hidden = true;
    $("forget").hidden = false;
    allowed = null;
    if (timer) clearInterval(timer);
    timer = setInterval(refresh, REFRESH_MS);
    return refresh();
  }

  function forget() {
    sessionStorage.removeItem(STORE);
    allowed = null;
    if (timer) clearInterval(timer);
    timer = null;
    showPrompt();
  }

  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();  // the key never goes into a URL
    const value = $("api-key").value.trim();
    $("api-key").value = "";
    if (!value) return;
    sessionStorage.setItem(STORE, value);
    start();
  });
  $("forget").addEventListener("click", () => { forget(); status("Key forgotten."); });
  if (key()) start(); else showPrompt();
})();
"""

COLUMNS = (
    "Partner", "Channel", "Active endpoint", "Breakers", "Queue", "Oldest pending",
    "Last success", "Last failure", "Attempts (1 h)", "Error rate (1 h)", "Dead letters",
    "Acks",
)  # fmt: skip
DEAD_COLUMNS = ("Delivery", "Partner", "Channel", "Attempts", "Reason", "Created", "")


def _head(columns: tuple[str, ...]) -> str:
    return "<thead><tr>" + "".join(f"<th>{c}</th>" for c in columns) + "</tr></thead>"


PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>Partner delivery health · gateway</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>Partner delivery health</h1>
<p id="status" role="status">Not signed in.</p>
<form id="key-form" autocomplete="off">
<label for="api-key">API key</label>
<input id="api-key" type="password" autocomplete="off" spellcheck="false"
  placeholder="gw_…">
<button type="submit">Use key</button>
<button type="button" id="forget" hidden>Forget key</button>
</form>
</header>
<main>
<section id="key-prompt">
<p>Enter an API key with <code>health</code> read (an integration or admin key) to see every
partner channel. The key stays in this tab's session storage and is sent only as an
<code>Authorization</code> header.</p>
</section>
<section id="health" hidden>
<h2>Attempts and failures, last hour</h2>
<p id="chart-note" class="muted"></p>
<svg id="timeline" viewBox="0 0 600 80" preserveAspectRatio="none" role="img"
  aria-label="Delivery attempts and failures per minute"></svg>
<h2>Channels</h2>
<table id="partners">{_head(COLUMNS)}<tbody></tbody></table>
</section>
<section id="dead" hidden>
<h2>Dead letters</h2>
<p id="dead-note" class="muted"></p>
<table id="dead-letters">{_head(DEAD_COLUMNS)}<tbody></tbody></table>
</section>
</main>
<script>{SCRIPT}</script>
</body>
</html>
"""

// Koperasi dashboard: sortable and filterable tables, live updates over server-sent events,
// and an independent in-browser check of the audit inclusion proof (RFC 9162, SHA-256).
// No inline script anywhere (CSP script-src 'self'); no external request.
"use strict";

function initSort(root) {
  root.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("thead th[data-sort]").forEach(function (th, col) {
      th.tabIndex = 0;
      th.setAttribute("role", "button");
      var sort = function () {
        var numeric = th.dataset.sort === "num";
        var asc = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("thead th").forEach(function (o) { o.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var idx = Array.prototype.indexOf.call(th.parentNode.children, th);
        rows.sort(function (a, b) {
          var x = a.cells[idx], y = b.cells[idx];
          var vx = x.dataset.v !== undefined ? x.dataset.v : x.textContent.trim();
          var vy = y.dataset.v !== undefined ? y.dataset.v : y.textContent.trim();
          var c;
          if (numeric) {
            var nx = vx === "" ? -Infinity : parseFloat(vx), ny = vy === "" ? -Infinity : parseFloat(vy);
            c = nx - ny;
          } else {
            c = vx.localeCompare(vy, "id");
          }
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
  });
}

function applyFilter() {
  var q = document.getElementById("cari");
  var s = document.getElementById("sev");
  var table = document.getElementById("triage");
  if (!table) { return; }
  var text = q ? q.value.trim().toLowerCase() : "";
  var sev = s ? s.value : "";
  Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
    var show = (text === "" || r.textContent.toLowerCase().indexOf(text) >= 0) &&
               (sev === "" || r.dataset.sev === sev);
    r.hidden = !show;
  });
}

function initFilter() {
  var q = document.getElementById("cari");
  var s = document.getElementById("sev");
  if (q) { q.addEventListener("input", applyFilter); }
  if (s) { s.addEventListener("change", applyFilter); }
}

var updates = 0;
function refresh() {
  fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
    .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
    .then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var fresh = doc.getElementById("live");
      var cur = document.getElementById("live");
      if (fresh && cur) {
        cur.replaceChildren.apply(cur, Array.prototype.slice.call(fresh.childNodes));
        initSort(cur);
        applyFilter();
      }
      updates += 1;
      document.body.dataset.updates = String(updates);
      var st = document.getElementById("live-status");
      if (st) { st.textContent = "Langsung: diperbarui " + new Date().toLocaleTimeString("id-ID") + "."; }
    })
    .catch(function () {});
}

function initLive() {
  if (document.body.dataset.live !== "1" || !window.EventSource) { return; }
  var es = new EventSource("/api/events");
  var pending = null;
  var onEvent = function () {
    if (pending) { return; }
    pending = setTimeout(function () { pending = null; refresh(); }, 100);
  };
  ["operation", "checkpoint", "request", "finding", "lagged"].forEach(function (k) { es.addEventListener(k, onEvent); });
  es.addEventListener("open", function () {
    document.body.dataset.sse = "open";
    var st = document.getElementById("live-status");
    if (st && updates === 0) { st.textContent = "Langsung: tersambung."; }
  });
}

function hexToBytes(h) {
  var out = new Uint8Array(h.length / 2);
  for (var i = 0; i < out.length; i++) { out[i] = parseInt(h.substr(i * 2, 2), 16); }
  return out;
}
function bytesToHex(b) {
  return Array.prototype.map.call(new Uint8Array(b), function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
}
function sha256(prefix, parts) {
  var len = 1 + parts.reduce(function (n, p) { return n + p.length; }, 0);
  var buf = new Uint8Array(len);
  buf[0] = prefix;
  var o = 1;
  parts.forEach(function (p) { buf.set(p, o); o += p.length; });
  return crypto.subtle.digest("SHA-256", buf).then(function (d) { return new Uint8Array(d); });
}

// RFC 9162 §2.1.3.2: recompute the root from the leaf hash and the audit path.
function verifyProof() {
  var el = document.getElementById("proof");
  var out = document.getElementById("proof-browser");
  if (!el || !out) { return; }
  if (!window.crypto || !crypto.subtle) { out.textContent = "Peramban tidak menyediakan SHA-256 (bukan konteks aman)."; return; }
  var fn = Number(el.dataset.index), sn = Number(el.dataset.size) - 1;
  var path = el.dataset.path ? el.dataset.path.split(",").map(hexToBytes) : [];
  var rootHex = el.dataset.root;
  sha256(0, [hexToBytes(el.dataset.leaf)]).then(function (leafHash) {
    var chain = Promise.resolve(leafHash);
    var ok = true;
    path.forEach(function (p) {
      chain = chain.then(function (r) {
        if (sn === 0) { ok = false; return r; }
        var next;
        if ((fn & 1) === 1 || fn === sn) {
          next = sha256(1, [p, r]);
          if ((fn & 1) === 0) { while ((fn & 1) === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); } }
        } else {
          next = sha256(1, [r, p]);
        }
        fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
        return next;
      });
    });
    return chain.then(function (r) {
      var good = ok && sn === 0 && bytesToHex(r) === rootHex;
      out.className = good ? "ok" : "bad";
      out.textContent = good ? "✓ Terverifikasi ulang di peramban: akar yang dihitung sama dengan akar log."
                             : "✗ Verifikasi di peramban gagal: akar tidak cocok.";
      el.dataset.browserVerified = good ? "true" : "false";
    });
  }).catch(function (e) { out.textContent = "Verifikasi di peramban gagal: " + e; });
}

document.addEventListener("DOMContentLoaded", function () {
  initSort(document);
  initFilter();
  initLive();
  verifyProof();
});

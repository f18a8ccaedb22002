// The offline till: installs the till (service worker), keeps the store's catalog in IndexedDB, notices when the
// server is out of reach, sells cash and WeChat/Alipay offline from a block of provisional numbers, and uploads
// the queued sales in order once it is back, each exactly once (its idempotency key).
// till.js calls window.tillOffline (lookup, queue, failed, active); everything else lives here.
(function () {
  "use strict";
  var node = document.getElementById("till-offline-config");
  if (!node || !document.getElementById("till")) { return; }
  var cfg = JSON.parse(node.textContent), msg = cfg.msg;
  var PROBE_MS = 10000, REFRESH_MS = 60000, OVERLAP_MS = 60000;
  var state = {offline: !navigator.onLine, uploading: false, db: null, pending: 0, refused: 0, refusedText: "",
               persisted: null, lost: 0, ready: false};

  function $(id) { return document.getElementById(id); }

  // ---- IndexedDB --------------------------------------------------------------------------------------------
  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open("till-" + cfg.storeId, 1);
      req.onupgradeneeded = function () {
        var db = req.result;
        var items = db.createObjectStore("items", {keyPath: "id"});
        items.createIndex("barcode_lower", "barcode_lower", {unique: false});
        db.createObjectStore("queue", {keyPath: "order", autoIncrement: true});
        db.createObjectStore("meta", {keyPath: "k"});
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function tx(stores, mode, work) {
    return state.db.then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(stores, mode), out = {};
        t.oncomplete = function () { resolve(out.value); };
        t.onerror = t.onabort = function () { reject(t.error || new Error(msg.storage)); };
        work(t, out);
      });
    });
  }

  function getMeta(k) {
    return tx(["meta"], "readonly", function (t, out) {
      t.objectStore("meta").get(k).onsuccess = function (ev) { out.value = ev.target.result ? ev.target.result.v : null; };
    });
  }

  function setMeta(k, v) {
    return tx(["meta"], "readwrite", function (t) { t.objectStore("meta").put({k: k, v: v}); });
  }

  function all(store) {
    return tx([store], "readonly", function (t, out) {
      t.objectStore(store).getAll().onsuccess = function (ev) { out.value = ev.target.result; };
    });
  }

  function uuid4() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  // ---- the status in the header -----------------------------------------------------------------------------
  function banner() {
    var box = $("offline-status");
    if (!box) {
      box = document.createElement("span");
      box.id = "offline-status";
      box.className = "offline-status";
      box.setAttribute("role", "status");
      var head = document.querySelector(".till-head") || $("till");
      head.appendChild(box);
    }
    return box;
  }

  function show() {
    var parts = [];
    if (state.offline) { parts.push(msg.offline); }
    if (state.pending) { parts.push(msg.pending.replace("{n}", state.pending)); }
    if (state.refused) { parts.push(msg.refused.replace("{n}", state.refused)); }
    var box = banner();
    box.textContent = parts.join(" · ");
    box.hidden = !parts.length;
    box.classList.toggle("is-offline", state.offline);
    box.title = state.refusedText;
    document.body.classList.toggle("till-offline", state.offline);
    document.querySelectorAll(".tender[data-method=points], .points-toggle input").forEach(function (b) {
      b.disabled = state.offline;
      b.title = state.offline ? msg.noPoints : "";
    });
    ["sale-link", "cash-drawer-link", "close-shift-link"].forEach(function (id) {
      var a = $(id);
      if (a) { a.classList.toggle("is-disabled", state.offline); a.setAttribute("aria-disabled", state.offline ? "true" : "false"); }
    });
    var note = $("offline-note"), message = $("till-message");
    if (!note && message) {
      note = document.createElement("p");
      note.id = "offline-note";
      note.className = "offline-note";
      message.parentNode.insertBefore(note, message);
    }
    if (note) {
      var lines = [];
      if (state.offline) { lines.push(msg.offlineNote); }
      if (state.lost) { lines.push(msg.lost.replace("{n}", state.lost)); }
      if (state.persisted === false && (state.offline || state.pending)) { lines.push(msg.notPersisted); }
      note.textContent = lines.join(" ");
      note.hidden = !lines.length;
    }
  }

  function count() {
    return all("queue").then(function (rows) {
      state.pending = rows.filter(function (r) { return !r.refused; }).length;
      state.refused = rows.length - state.pending;
      state.refusedText = rows.filter(function (r) { return r.refused; }).map(function (r) {
        return r.body.seq + ": " + r.refused; }).join("\n");
      // A copy of the count outside IndexedDB: if the browser's storage is cleared, the till can say what was lost.
      try { localStorage.setItem("till-queued-" + cfg.storeId, String(rows.length)); } catch (e) { /* private mode */ }
      show();
      return rows;
    });
  }

  // ---- being online ------------------------------------------------------------------------------------------
  function setOffline(flag) {
    if (state.offline === flag) { return; }
    state.offline = flag;
    show();
    if (!flag) { afterReconnect(); }
  }

  function ok(r) { return r && r.status > 0 && r.status < 500; }

  function request(url, options) {
    return window.apiFetch(url, options).then(function (r) {
      if (!ok(r)) { throw new Error("server " + r.status); }
      setMeta("lastOnlineAt", Date.now());
      return r;
    });
  }

  // A sign of life: the catalog's changes since the last refresh (the smallest useful request).
  function probe() {
    return refreshCatalog(false).then(function () { setOffline(false); return true; },
      function () { setOffline(true); return false; });
  }

  function afterReconnect() {
    return upload().then(function () { return refreshCatalog(false); }).then(ensureBlock).catch(function () {});
  }

  // ---- the local catalog ------------------------------------------------------------------------------------
  function refreshCatalog(full) {
    return getMeta("catalogAsOf").then(function (asOf) {
      var since = full || !asOf ? "" : "?since=" + encodeURIComponent(new Date(new Date(asOf).getTime() - OVERLAP_MS).toISOString());
      return request(cfg.catalogUrl + since).then(function (r) {
        if (!r.ok) { throw new Error(r.data && r.data.error ? r.data.error.message : "catalog"); }
        return tx(["items", "meta"], "readwrite", function (t) {
          var items = t.objectStore("items");
          if (r.data.full) { items.clear(); }
          r.data.items.forEach(function (it) {
            it.stock_at = r.data.as_of;
            if (it.active) { items.put(it); } else { items.delete(it.id); }
          });
          t.objectStore("meta").put({k: "catalogAsOf", v: r.data.as_of});
        });
      });
    });
  }

  function asTillItem(it) {
    return {id: it.id, name: it.name, barcode: it.barcode, unit: it.unit, price_fen: it.price_fen,
            points_price: it.points_price, on_hand: it.on_hand, sellable: it.sellable, expired: 0, expired_on: null,
            expired_note: "", fund: it.fund, category: it.category};
  }

  function lookup(query) {
    var q = new URLSearchParams(query);
    var code = (q.get("barcode") || "").trim().toLowerCase(), text = (q.get("q") || "").trim().toLowerCase();
    var category = q.get("category_id");
    return all("items").then(function (items) {
      var found;
      if (code) {
        found = items.filter(function (it) { return it.barcode_lower === code; });
        if (!found.length) { throw new Error(msg.notFound); }
      } else if (category) {
        found = items.filter(function (it) { return it.category_id === category && it.sellable > 0; });
      } else {
        found = items.filter(function (it) {
          return it.name.toLowerCase().indexOf(text) >= 0 || (it.pinyin || "").toLowerCase().indexOf(text) === 0;
        });
      }
      return found.slice(0, 24).map(asTillItem);
    });
  }

  // ---- the block of provisional numbers ---------------------------------------------------------------------
  function ensureBlock() {
    return Promise.all([getMeta("block"), getMeta("device"), count()]).then(function (got) {
      var block = got[0], device = got[1], queued = got[2].length;
      var stale = !block || block.cashierId !== cfg.cashierId || block.next > block.size ||
        (!queued && block.next - 1 > block.size / 2);
      if (!stale) { return block; }
      return request(cfg.blockUrl, {method: "POST", body: JSON.stringify({device_id: device})}).then(function (r) {
        if (!r.ok) { throw new Error("block"); }
        var b = {id: r.data.id, prefix: r.data.prefix, size: r.data.size, next: 1, cashierId: cfg.cashierId,
                 maxHours: r.data.max_hours, maxSales: r.data.max_sales};
        return setMeta("block", b).then(function () { return b; });
      });
    });
  }

  // ---- selling offline ---------------------------------------------------------------------------------------
  function refuse(text) { return Promise.reject(new Error(text)); }

  function queue(body, lines, totalFen) {
    if (body.payments.some(function (p) { return !cfg.moneyMethods[p.method]; }) ||
        body.lines.some(function (l) { return l.pay_with_points || l.unit_price_fen !== undefined; })) {
      return refuse(msg.noPoints);
    }
    // A discount is limited per role and may need a manager's approval, which only the server can check: a
    // queued sale carrying one would be refused at landing, so it is refused here, while the customer is present.
    if (body.discount || body.lines.some(function (l) { return l.discount; })) { return refuse(msg.noDiscount); }
    // Change for charity is checked against the project (open, in the store's scope): online only, likewise.
    if (body.donation) { return refuse(msg.noDonation); }
    var soldAt = new Date();
    return Promise.all([getMeta("block"), getMeta("lastOnlineAt"), getMeta("device"), count()]).then(function (got) {
      var block = got[0], lastOnline = got[1], device = got[2], queued = got[3].length;
      if (!block || block.cashierId !== cfg.cashierId) { return refuse(msg.noBlock); }
      if (block.next > block.size || queued >= block.maxSales) { return refuse(msg.tooMany.replace("{n}", block.maxSales)); }
      if (lastOnline && soldAt.getTime() - lastOnline > block.maxHours * 3600 * 1000) {
        return refuse(msg.tooLong.replace("{h}", block.maxHours));
      }
      var seq = block.next;
      var record = {key: body.idempotency_key, number: block.prefix + "-" + ("000" + seq).slice(-4),
        body: Object.assign({}, body, {offline: true, sold_at: soldAt.toISOString(), block_id: block.id, seq: seq,
                                       device_id: device, total_fen: totalFen, shift_id: cfg.shiftId})};
      delete record.body.approval;
      // The number, the queued sale and the stock snapshot change together, or not at all.
      return tx(["meta", "queue", "items"], "readwrite", function (t) {
        block.next = seq + 1;
        t.objectStore("meta").put({k: "block", v: block});
        t.objectStore("queue").add(record);
        var items = t.objectStore("items");
        lines.forEach(function (l) {
          items.get(l.item.id).onsuccess = function (ev) {
            var it = ev.target.result;
            if (it) { it.sellable -= l.weight_g || l.qty; it.on_hand -= l.weight_g || l.qty; items.put(it); }
          };
        });
      }).then(count).then(function () { return receipt(record, lines, totalFen, soldAt); });
    });
  }

  function receipt(record, lines, totalFen, soldAt) {
    var exact = 0, cash = null, payments = [];
    record.body.payments.forEach(function (p) {
      if (p.method === "cash") { cash = p; } else { exact += p.amount_fen; }
    });
    var change = cash ? cash.amount_fen - (totalFen - exact) : 0;
    record.body.payments.forEach(function (p) {
      payments.push({method: p.method, label: cfg.labels[p.method] || p.method, points: 0,
                     amount_fen: p.method === "cash" ? p.amount_fen - change : p.amount_fen,
                     tendered_fen: p.method === "cash" ? p.amount_fen : null});
    });
    return {offline: true, id: null, number: record.number, sold_at: soldAt.toISOString(), cashier: cfg.cashierName,
            total_fen: totalFen, change_fen: change, replayed: false, payments: payments,
            lines: lines.map(function (l) {
              return {name: l.item.name, qty: l.qty, pay_with_points: false, line_total_fen: window.till.gross(l),
                      weight_g: l.weight_g || null};
            })};
  }

  // ---- landing ---------------------------------------------------------------------------------------------
  // In order, one at a time; a sale leaves the queue only once the server has answered it (landed now, or
  // landed before: a replay). A lost answer leaves it queued, and its next upload replays.
  function upload() {
    if (state.uploading) { return Promise.resolve(); }
    state.uploading = true;
    return all("queue").then(function (rows) {
      return rows.reduce(function (chain, row) {
        return chain.then(function (go) {
          if (!go) { return false; }
          return window.apiFetch(cfg.salesUrl, {method: "POST", body: JSON.stringify(row.body)}).then(function (r) {
            if (r.ok) {
              return tx(["queue"], "readwrite", function (t) { t.objectStore("queue").delete(row.order); })
                .then(function () { return true; });
            }
            if (!ok(r)) { setOffline(true); return false; }
            // Refused (another store's block, a tampered total, no shift to book it to): kept, with why.
            row.refused = r.data && r.data.error ? r.data.error.message : String(r.status);
            return tx(["queue"], "readwrite", function (t) { t.objectStore("queue").put(row); })
              .then(function () { return true; });
          }, function () { setOffline(true); return false; });
        });
      }, Promise.resolve(true));
    }).then(function () { state.uploading = false; return count(); },
      function () { state.uploading = false; return count(); });
  }

  // ---- wiring ------------------------------------------------------------------------------------------------
  window.tillOffline = {
    active: function () { return state.offline; },
    failed: function () { setOffline(true); },
    lookup: lookup,
    queue: queue,
    status: function () {
      return {offline: state.offline, pending: state.pending, refused: state.refused, ready: state.ready,
              uploading: state.uploading};
    }
  };

  function start() {
    return getMeta("device").then(function (device) {
      return device || setMeta("device", uuid4());
    }).then(count).then(function (rows) {
      var before = 0;
      try { before = parseInt(localStorage.getItem("till-queued-" + cfg.storeId) || "0", 10); } catch (e) { before = 0; }
      if (before > rows.length && !state.uploading) { state.lost = before - rows.length; show(); }
      if (state.offline) { state.ready = true; return null; }
      return refreshCatalog(true).then(function () { setOffline(false); return upload(); })
        .then(ensureBlock).then(function () { state.ready = true; }, function () { setOffline(true); });
    });
  }

  state.db = openDb();
  show();
  start();
  window.addEventListener("offline", function () { setOffline(true); });
  window.addEventListener("online", function () { probe(); });
  var lastRefresh = Date.now();
  setInterval(function () {  // offline: look for the server every 10 s; online: the catalog's changes every minute
    if (state.offline) { probe(); return; }
    if (Date.now() - lastRefresh < REFRESH_MS) { return; }
    lastRefresh = Date.now();
    refreshCatalog(false).catch(function () { setOffline(true); });
  }, PROBE_MS);

  // Ask the browser to keep this site's storage under pressure: queued sales live only here until uploaded.
  if (navigator.storage && navigator.storage.persist) {
    navigator.storage.persisted().then(function (yes) { return yes || navigator.storage.persist(); })
      .then(function (granted) { state.persisted = !!granted; show(); }, function () { state.persisted = false; show(); });
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(cfg.swUrl, {scope: cfg.swScope}).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (reg) {
      var urls = performance.getEntriesByType("resource").map(function (e) { return e.name; });
      document.querySelectorAll("script[src], link[rel=stylesheet][href], link[rel=icon][href]").forEach(function (n) {
        urls.push(n.src || n.href);
      });
      if (reg.active) { reg.active.postMessage({type: "cache-assets", urls: urls}); }
    }).catch(function () { /* no worker: the till still sells while this page stays open */ });
  }
})();

// The till: scan field that keeps focus, search, quick keys, cart, tenders, finish (idempotent), receipt screen.
// All text comes from the page (config.msg), so it is translated with the rest of the site.
(function () {
  "use strict";
  var root = document.getElementById("till");
  if (!root) { return; }
  var config = JSON.parse(document.getElementById("till-config").textContent);
  var msg = config.msg;
  var REPEAT_MS = 300;  // a scanner that reads one code twice does so within this time
  var ZERO_ID = "00000000-0000-0000-0000-000000000000";
  var tenders = {};
  config.tenders.forEach(function (t) { tenders[t.method] = t; });

  function $(id) { return document.getElementById(id); }
  var scan = $("scan"), search = $("search"), results = $("results");
  var cartBody = document.querySelector("#cart tbody");
  var state = {lines: [], payments: [], approval: null, key: null, busy: false, lastCode: "", lastCodeAt: 0,
               sale: null, searchTimer: null, overrideLine: null, qtyLine: null, nextQty: null};

  // Extensions (till-discounts.js) plug into the cart, the request and the receipt here; each hook is optional.
  var extensions = window.tillExtensions = window.tillExtensions || [];
  function hook(name) {
    var args = Array.prototype.slice.call(arguments, 1);
    extensions.forEach(function (x) { if (x[name]) { x[name].apply(null, args); } });
  }

  // ---- helpers ------------------------------------------------------------------------------------------
  function uuid4() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }  // secure contexts only
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  function yuan(fen) {
    var sign = fen < 0 ? "-" : "";
    fen = Math.abs(fen);
    var cents = fen % 100;
    return sign + "¥" + Math.floor(fen / 100).toLocaleString("en-US") + "." + (cents < 10 ? "0" : "") + cents;
  }

  function fenText(fen) {  // 1250 -> "12.50", for an input the cashier edits
    var cents = fen % 100;
    return Math.floor(fen / 100) + "." + (cents < 10 ? "0" : "") + cents;
  }

  // "12.5" -> 1250, with string arithmetic (no floats near money); null when it is not an amount.
  function parseFen(text) {
    var m = /^(\d{1,9})(?:\.(\d{0,2}))?$/.exec(String(text || "").replace(/[¥,，\s]/g, ""));
    if (!m) { return null; }
    return parseInt(m[1], 10) * 100 + parseInt(((m[2] || "") + "00").slice(0, 2), 10);
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; }
      else if (k.slice(0, 2) === "on") { node.addEventListener(k.slice(2), attrs[k]); }
      else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(c); } });
    return node;
  }

  function say(text, kind) {
    var box = $("till-message");
    box.textContent = text || "";
    box.hidden = !text;
    box.className = "till-message " + (kind || "error");
  }

  function refocus() { setTimeout(function () { if (!busyElsewhere()) { scan.focus(); } }, 0); }

  function busyElsewhere() {
    var a = document.activeElement;
    return !$("receipt-screen").hidden || !!document.querySelector("dialog[open]") ||
      (a && a !== scan && /^(INPUT|SELECT|TEXTAREA)$/.test(a.tagName));
  }

  // ---- cart -----------------------------------------------------------------------------------------------
  // discount_fen / basketDiscountFen: set by till-discounts.js on each render (the server recomputes them).
  // A weighed line (till-weighed.js) is its price per kg × its grams / 1000, rounded half up to the fen.
  function gross(l) {
    return l.weight_g ? Math.floor((l.unit_price_fen * l.weight_g + 500) / 1000) : l.unit_price_fen * l.qty;
  }
  function kgText(g) { return Math.floor(g / 1000) + "." + ("00" + (g % 1000)).slice(-3); }  // 1250 -> "1.250"
  function lineTotal(l) { return l.pay_with_points ? 0 : gross(l) - (l.discount_fen || 0); }
  function total() {
    return state.lines.reduce(function (s, l) { return s + lineTotal(l); }, 0) - (state.basketDiscountFen || 0);
  }
  function pointsDue() {
    return state.lines.reduce(function (s, l) { return s + (l.pay_with_points ? l.item.points_price * l.qty : 0); }, 0);
  }

  function addItem(item, qty) {
    if (window.tillWeighed && window.tillWeighed.add(item)) { return; }  // sold by weight: asks the weight
    qty = qty || 1;
    var same = state.lines.filter(function (l) {
      return l.item.id === item.id && !l.overridden && !l.pay_with_points;
    })[0];
    if (same) { same.qty = Math.min(9999, same.qty + qty); }
    else {
      state.lines.push({item: item, qty: qty, unit_price_fen: item.price_fen, reason: "", overridden: false,
                        pay_with_points: false});
    }
    stockNote(item);
    render();
  }

  // Sellable stock only: expired lots stay on the shelf count until written off, but are never sold.
  function stockNote(item) {
    var inCart = state.lines.reduce(function (s, l) { return s + (l.item.id === item.id ? l.weight_g || l.qty : 0); }, 0);
    if (item.expired && inCart > item.sellable) { say(item.expired_note); }
    else if (item.on_hand <= 0) { say(item.name + "：" + msg.noStock, "warn"); }
    else if (item.expired) { say(item.name + "：" + stockText(item), "warn"); }
    else { say(""); }
  }

  function stockText(item) {
    function n(k) { return item.sold_by_weight ? kgText(k) + " kg" : k + item.unit; }  // weighed: stock in grams
    return n(item.sellable) + (item.expired ? "（" + msg.expiredToo.replace("{n}", n(item.expired)) + "）" : "");
  }

  function qtyButton(label, line, delta) {
    return el("button", {type: "button", "class": "btn qty-btn", "aria-label": label, text: label,
      onclick: function () {
        line.qty = Math.max(1, Math.min(9999, line.qty + delta));
        stockNote(line.item);
        render();
      }});
  }

  function render() {
    hook("beforeRender", state);
    cartBody.textContent = "";
    state.lines.forEach(function (line, i) {
      var name = el("td", {"class": "name"}, [el("div", {text: line.item.name}),
        el("small", {"class": "muted", text: line.item.barcode + (line.overridden ? " · " + msg.was + " " +
          yuan(line.item.price_fen) + " · " + line.reason : "")})]);
      var priceText = line.pay_with_points ? line.item.points_price + " " + msg.points : yuan(line.unit_price_fen);
      var price = el("td", {"class": "num"}, [el("button", {type: "button", "class": "btn btn-small price-btn",
        title: msg.override, text: priceText, onclick: function () { openOverride(line); }})]);
      var qty = el("td", {"class": "qty-col"}, [qtyButton("−", line, -1),
        el("button", {type: "button", "class": "btn qty", title: msg.qtyFor, text: String(line.qty),
          onclick: function () { openKeypad(line); }}), qtyButton("+", line, 1)]);
      var lineText = line.pay_with_points ? line.item.points_price * line.qty + " " + msg.points : yuan(lineTotal(line));
      var cells = [name, price, qty, el("td", {"class": "num line-total", text: lineText}),
        el("td", {}, [el("button", {type: "button", "class": "btn remove-btn", "aria-label": msg.remove, text: "×",
          onclick: function () { state.lines.splice(i, 1); render(); }})])];
      if (line.item.points_price && tenders.points) {
        name.appendChild(el("label", {"class": "points-toggle"}, [el("input", {type: "checkbox",
          onchange: function (ev) { line.pay_with_points = ev.target.checked; render(); }}),
          document.createTextNode(" " + msg.points)]));
        name.querySelector("input").checked = line.pay_with_points;
      }
      hook("line", line, cells);
      cartBody.appendChild(el("tr", {}, cells));
    });
    hook("afterLines", state);
    $("cart-empty").hidden = state.lines.length > 0;
    // A cart paid partly or wholly in points shows both: ¥0.00 alone would read as "free".
    // Money and points are due separately: the money total, and the points on their own line (積分, never 分).
    var points = pointsDue();
    $("total").textContent = points && !total() ? points + " " + msg.points : yuan(total());
    $("total-points").hidden = !(points && total());
    $("total-points-value").textContent = points + " " + msg.points;
    $("points-due-box").hidden = !points;
    $("points-due").textContent = points + " " + msg.points;
    summarise();
  }

  // ---- lookups --------------------------------------------------------------------------------------------
  function lookup(query) {
    var off = window.tillOffline;  // till-offline.js: the local catalog when the server is out of reach
    if (off && off.active()) { return off.lookup(query); }
    return apiFetch(config.itemsUrl + "?" + query).then(function (r) {
      if (off && r.status >= 500) { off.failed(); return off.lookup(query); }
      if (!r.ok) { throw new Error(r.data && r.data.error ? r.data.error.message : msg.notFound); }
      return r.data.items;
    }, function (err) {
      if (!off) { throw err; }
      off.failed();
      return off.lookup(query);
    });
  }

  // A quantity typed before the scan: "13*" then the code (the scanner types it after the star), or "13*"
  // alone and Enter, kept for the next scan. Anything but a whole number 1–9999 is refused at the field.
  var QTY_PREFIX = /^([^*]*)\*(.*)$/;
  function parseQty(text) {
    var t = String(text).trim();
    if (!/^\d{1,4}$/.test(t)) { return null; }
    var n = parseInt(t, 10);
    return n >= 1 && n <= 9999 ? n : null;
  }

  function scanError(text) {
    var box = $("scan-error");
    box.textContent = text || "";
    box.hidden = !text;
    if (text) { scan.setAttribute("aria-invalid", "true"); } else { scan.removeAttribute("aria-invalid"); }
  }

  function onScan(ev) {
    ev.preventDefault();
    var code = scan.value.trim();
    scan.value = "";
    if (!code) { return; }
    var m = QTY_PREFIX.exec(code), qty = state.nextQty || 1;
    scanError("");
    // "1.25*": a weight in kg for the weighed item scanned next (till-weighed.js; false: refused at the field).
    var weight = m && window.tillWeighed ? window.tillWeighed.prefix(m[1]) : null;
    if (weight !== null) {
      state.nextQty = null;
      state.nextWeight = weight || null;
      code = weight ? m[2].trim() : "";
      if (!code) { return; }
      m = null;
    }
    if (m) {
      qty = parseQty(m[1]);
      if (qty === null) { state.nextQty = null; scanError(msg.badQty); return; }
      code = m[2].trim();
      if (!code) { state.nextQty = qty; say(msg.qtyPrefix.replace("{n}", qty), "warn"); return; }
    }
    state.nextQty = null;
    var now = Date.now();
    if (code === state.lastCode && now - state.lastCodeAt < REPEAT_MS) { return; }  // a double read
    state.lastCode = code;
    state.lastCodeAt = now;
    lookup("barcode=" + encodeURIComponent(code)).then(function (items) {
      if (items.length) { addItem(items[0], qty); } else { say(msg.notFound); }
    }, function (err) { say(err.message); });
  }

  function showResults(items) {
    results.textContent = "";
    if (!items.length) { results.appendChild(el("p", {"class": "muted", text: msg.search})); return; }
    items.forEach(function (item) {
      results.appendChild(el("button", {type: "button", "class": "btn result" + (item.sellable > 0 ? "" : " out"),
        onclick: function () { addItem(item); search.value = ""; results.textContent = ""; refocus(); }},
        [el("span", {text: item.name}), el("small", {text: yuan(item.price_fen) + " · " + stockText(item)})]));
    });
  }

  function onSearch() {
    clearTimeout(state.searchTimer);
    var q = search.value.trim();
    if (!q) { results.textContent = ""; return; }
    state.searchTimer = setTimeout(function () {
      lookup("q=" + encodeURIComponent(q)).then(showResults, function (err) { say(err.message); });
    }, 200);
  }

  // ---- tenders --------------------------------------------------------------------------------------------
  function nonCash() {
    return state.payments.reduce(function (s, p) {
      return s + (tenders[p.method].gives_change || tenders[p.method].pays_in !== "money" ? 0 : (p.amount_fen || 0));
    }, 0);
  }
  function cashGiven() {
    return state.payments.reduce(function (s, p) { return s + (tenders[p.method].gives_change ? (p.amount_fen || 0) : 0); }, 0);
  }

  function addTender(method) {
    var t = tenders[method];
    var existing = state.payments.filter(function (p) { return p.method === method; })[0];
    if (existing) { existing.row.querySelector("input").focus(); return; }
    var left = Math.max(0, total() - nonCash() - cashGiven());
    var p = {method: method, amount_fen: t.pays_in === "money" ? left : null, reference: "", member_code: "", pin: ""};
    var amount = el("input", {inputmode: "decimal", autocomplete: "off", "class": "pay-amount",
      "aria-label": t.gives_change ? msg.given : msg.amount,
      oninput: function (ev) { p.amount_fen = parseFen(ev.target.value); summarise(); }});
    amount.value = t.pays_in === "money" ? fenText(left) : "";
    var inputs = [];
    if (t.pays_in === "money") { inputs.push(el("label", {}, [el("span", {text: t.gives_change ? msg.given : msg.amount}), amount])); }
    if (t.needs_reference) {
      inputs.push(el("label", {}, [el("span", {text: msg.reference}), el("input", {autocomplete: "off",
        "class": "pay-reference", oninput: function (ev) { p.reference = ev.target.value.trim(); summarise(); }})]));
    }
    var first = amount;
    if (t.pays_in === "points") {
      // The cashier scans the member card (or types the code): the till shows whose points they are; then the
      // resident types their PIN on the tablet.
      var info = el("small", {"class": "member-info", "id": "member-info"});
      first = el("input", {autocomplete: "off", "class": "pay-member", autocapitalize: "characters",
        oninput: function (ev) { p.member_code = ev.target.value.trim(); lookUpMember(p, info); summarise(); }});
      inputs.push(el("label", {}, [el("span", {text: msg.member_code}), first]));
      inputs.push(el("label", {}, [el("span", {text: msg.pin}), el("input", {autocomplete: "off", type: "password",
        inputmode: "numeric", maxlength: "6", "class": "pay-pin",
        oninput: function (ev) { p.pin = ev.target.value.trim(); summarise(); }})]));
      inputs.push(info);
    }
    p.row = el("div", {"class": "payment", "data-method": method}, [el("strong", {text: t.label})].concat(inputs).concat([
      el("button", {type: "button", "class": "btn remove-btn", "aria-label": msg.remove, text: "×", onclick: function () {
        state.payments.splice(state.payments.indexOf(p), 1);
        p.row.remove();
        summarise();
      }})]));
    state.payments.push(p);
    $("payments").appendChild(p.row);
    first.focus();
    first.select();
    summarise();
  }

  function lookUpMember(p, info) {
    clearTimeout(p.lookupTimer);
    info.textContent = "";
    var code = p.member_code;
    if (code.length < 4) { return; }
    p.lookupTimer = setTimeout(function () {
      apiFetch(config.residentUrl.replace("__CODE__", encodeURIComponent(code))).then(function (r) {
        if (p.member_code !== code) { return; }  // typed on meanwhile
        var ok = r.ok && r.data;
        info.className = "member-info " + (ok ? "ok" : "error-text");
        info.textContent = ok ? r.data.name + " · " + msg.balance + " " + r.data.balance + " " + msg.points
          : (r.data && r.data.error ? r.data.error.message : msg.network);
      });
    }, 250);
  }

  function paymentsReady() {
    var due = total(), cash = cashGiven(), exact = nonCash();
    if (exact > due) { return false; }
    if (cash + exact < due) { return false; }
    if (pointsDue() && !state.payments.some(function (p) {
      return tenders[p.method].pays_in === "points" && p.member_code && p.pin.length >= 4; })) {
      return false;
    }
    return state.payments.every(function (p) {
      var t = tenders[p.method];
      return (t.pays_in !== "money" || p.amount_fen !== null) && (!t.needs_reference || p.reference.length >= 4);
    });
  }

  function summarise() {
    var due = total(), paid = cashGiven() + nonCash();
    var change = cashGiven() - Math.max(0, due - nonCash());
    // An extension may take part of the change (till-donate.js: change for charity).
    var shown = {due: due, paid: paid, change: paid < due ? 0 : Math.max(0, change), cash: cashGiven()};
    hook("summarise", shown, state);
    $("due").textContent = yuan(due);
    $("paid").textContent = yuan(paid);
    $("change-label").textContent = paid < due ? msg.short : msg.change;
    $("change").textContent = yuan(paid < due ? due - paid : shown.change);
    $("finish").disabled = state.busy || !state.lines.length || !paymentsReady();
    $("finish").textContent = state.busy ? msg.busy : $("finish").dataset.label;
  }

  // ---- finishing ------------------------------------------------------------------------------------------
  function body() {
    var b = {idempotency_key: state.key, lines: state.lines.map(function (l) {
      var line = {item_id: l.item.id, qty: l.qty};
      if (l.pay_with_points) { line.pay_with_points = true; }
      else if (l.overridden) { line.unit_price_fen = l.unit_price_fen; line.override_reason = l.reason; }
      return line;
    }), payments: []};
    state.payments.forEach(function (p) {
      var t = tenders[p.method];
      if (t.pays_in === "points") {
        b.payments.push({method: p.method, points: pointsDue(), member_code: p.member_code, pin: p.pin});
      } else if (p.amount_fen) {
        var pay = {method: p.method, amount_fen: p.amount_fen};
        if (t.needs_reference) { pay.reference = p.reference; }
        b.payments.push(pay);
      }
    });
    if (state.lines.some(function (l) { return l.overridden; }) && state.approval) { b.approval = state.approval; }
    hook("body", b, state);
    if (state.heldId) { b.held_id = state.heldId; }  // a recalled held sale: its price changes were approved
    return b;
  }

  function finish() {
    if (state.busy || $("finish").disabled) { return; }
    // One key per sale attempt: kept across retries whose outcome is unknown, so a retry cannot charge twice.
    if (!state.key) { state.key = uuid4(); }
    state.busy = true;
    summarise();
    var off = window.tillOffline;
    if (off && off.active()) { sellOffline(); return; }
    apiFetch(config.salesUrl, {method: "POST", body: JSON.stringify(body())}).then(function (r) {
      state.busy = false;
      if (r.ok) { showReceipt(r.data); summarise(); return; }
      if (r.status >= 400 && r.status < 500 && r.data && r.data.error) {
        state.key = null;  // refused: nothing was written, the next attempt is a new one
        say(r.data.error.message);
      } else if (off) { off.failed(); sellOffline(); return; } else { say(msg.network); }
      summarise();
    }, function () {
      state.busy = false;
      if (off) { off.failed(); sellOffline(); return; }
      say(msg.network);
      summarise();
    });
  }

  // Queued on the tablet with the same key: if the attempt above did reach the server, the upload replays it.
  function sellOffline() {
    state.busy = true;
    summarise();
    window.tillOffline.queue(body(), state.lines, total()).then(function (sale) {
      state.busy = false;
      showReceipt(sale);
      summarise();
    }, function (err) { state.busy = false; say(err.message); summarise(); });
  }

  function showReceipt(sale) {
    state.sale = sale;
    var paper = $("receipt-paper");
    paper.textContent = "";
    var when = new Date(sale.sold_at).toLocaleString("zh-CN", {timeZone: "Asia/Shanghai", hour12: false});
    paper.appendChild(el("p", {"class": "receipt-no", text: sale.number}));
    paper.appendChild(el("p", {"class": "muted", text: when + " · " + sale.cashier}));
    sale.lines.forEach(function (l) {
      paper.appendChild(el("div", {"class": "receipt-line"}, [el("span", {text: l.name + (l.weight_g ?
        " " + kgText(l.weight_g) + " kg" : " × " + l.qty)}),
        el("span", {text: l.pay_with_points ? l.points_total + " " + msg.points : yuan(l.line_total_fen)})]));
    });
    hook("receipt", sale, paper);
    paper.appendChild(el("div", {"class": "receipt-line receipt-sum"}, [el("span", {text: msg.due}),
      el("span", {text: yuan(sale.total_fen)})]));
    sale.payments.forEach(function (p) {
      paper.appendChild(el("div", {"class": "receipt-line"}, [el("span", {text: p.label}),
        el("span", {text: p.method === "points" ? p.points + " " + msg.points : yuan(p.tendered_fen !== null ? p.tendered_fen : p.amount_fen)})]));
    });
    $("receipt-change").textContent = yuan(sale.change_fen);
    $("receipt-replayed").hidden = !sale.replayed;
    $("receipt-replayed").textContent = sale.replayed ? msg.replayed : "";
    $("sale-link").href = config.saleUrl.replace(ZERO_ID, sale.id);
    $("sale-link").hidden = !!sale.offline;  // a queued sale has no page (nor a void) until it lands
    $("receipt-screen").hidden = false;
    say("");
    $("next-customer").focus();
  }

  function printReceipt() {
    if (!state.sale) { return; }
    if (state.sale.offline) { window.print(); return; }  // no PDF offline: the browser prints the receipt screen
    var frame = $("print-frame");
    frame.onload = function () {
      try { frame.contentWindow.focus(); frame.contentWindow.print(); } catch (e) { window.open(frame.src); }
    };
    frame.src = state.sale.receipt_url + "?width=" + encodeURIComponent($("receipt-width").value);
  }

  function nextCustomer() {
    state.lines = [];
    state.payments = [];
    state.approval = null;
    state.heldId = null;
    state.key = null;
    state.sale = null;
    hook("reset", state);
    $("payments").textContent = "";
    $("receipt-screen").hidden = true;
    say("");
    render();
    scan.focus();
  }

  // ---- price override -------------------------------------------------------------------------------------
  function openOverride(line) {
    if (line.pay_with_points) { return; }
    state.overrideLine = line;
    var form = $("override-form");
    form.reset();
    $("override-item").textContent = line.item.name + " · " + msg.was + " " + yuan(line.item.price_fen);
    $("override-dialog").showModal();
  }

  $("override-dialog").addEventListener("close", function () {
    var dialog = $("override-dialog"), form = $("override-form"), line = state.overrideLine;
    if (dialog.returnValue === "ok" && line) {
      var fen = parseFen(form.elements.price.value);
      if (fen === null) { say(msg.amount); }
      else {
        line.unit_price_fen = fen;
        line.reason = form.elements.reason.value.trim();
        line.overridden = fen !== line.item.price_fen;
        state.approval = {username: form.elements.manager.value, secret: form.elements.secret.value};
        render();
      }
    }
    state.overrideLine = null;
    refocus();
  });

  // ---- quantity keypad ------------------------------------------------------------------------------------
  var qtyInput = $("qty-input");
  function qtyError(text) {
    $("qty-error").textContent = text || "";
    $("qty-error").hidden = !text;
    $("qty-field").classList.toggle("has-error", !!text);
    if (text) { qtyInput.setAttribute("aria-invalid", "true"); } else { qtyInput.removeAttribute("aria-invalid"); }
  }

  function openKeypad(line) {
    state.qtyLine = line;
    $("qty-item").textContent = line.item.name;
    qtyInput.value = "";
    qtyInput.placeholder = String(line.qty);
    qtyError("");
    $("qty-dialog").showModal();
    qtyInput.focus();
  }

  document.querySelectorAll("#keypad .key").forEach(function (b) {
    b.addEventListener("click", function () {
      var k = b.dataset.key;
      if (k === "clear") { qtyInput.value = ""; }
      else if (k === "back") { qtyInput.value = qtyInput.value.slice(0, -1); }
      else if (qtyInput.value.length < 4) { qtyInput.value += k; }
      qtyError("");
    });
  });
  qtyInput.addEventListener("input", function () { qtyError(""); });
  qtyInput.addEventListener("keydown", function (ev) {  // Enter means OK (the form's first button is 取消)
    if (ev.key === "Enter") { ev.preventDefault(); $("qty-form").requestSubmit($("qty-ok")); }
  });

  $("qty-form").addEventListener("submit", function (ev) {
    var ok = !ev.submitter || ev.submitter.value === "ok";
    if (!ok) { return; }
    var n = parseQty(qtyInput.value);
    if (n === null) {  // letters, 0, −1, 1e9 …: said at the field, the dialog stays open, the line unchanged
      ev.preventDefault();
      qtyError(msg.badQty);
      qtyInput.focus();
      return;
    }
    state.qtyLine.qty = n;
    stockNote(state.qtyLine.item);
    render();
  });
  $("qty-dialog").addEventListener("close", function () { state.qtyLine = null; refocus(); });

  // ---- wiring ---------------------------------------------------------------------------------------------
  $("finish").dataset.label = $("finish").textContent;
  $("scan-form").addEventListener("submit", onScan);
  search.addEventListener("input", onSearch);
  search.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { search.value = ""; results.textContent = ""; refocus(); } });
  document.querySelectorAll(".quick-key").forEach(function (b) {
    b.addEventListener("click", function () {
      lookup("category_id=" + encodeURIComponent(b.dataset.category)).then(showResults, function (err) { say(err.message); });
    });
  });
  document.querySelectorAll(".tender").forEach(function (b) {
    b.addEventListener("click", function () { addTender(b.dataset.method); });
  });
  $("finish").addEventListener("click", finish);
  $("print-receipt").addEventListener("click", printReceipt);
  $("next-customer").addEventListener("click", nextCustomer);
  // The scan field keeps focus: a tap anywhere that is not a field brings it back, so the scanner's
  // keystrokes always land in it.
  document.addEventListener("click", function (ev) {
    if (!ev.target.closest("input, select, textarea, a, dialog")) { refocus(); }
  });
  // A scanner's keystrokes that land outside a field (on a button that got the focus back when a dialog closed,
  // or on the page itself) go to the scan field: they would otherwise be lost, and the Enter that ends them
  // would press that button. Space is left to the button it activates; scanned codes hold none.
  document.addEventListener("keydown", function (ev) {
    var a = document.activeElement;
    if (a === scan || ev.ctrlKey || ev.metaKey || ev.altKey || ev.isComposing) { return; }
    if (a && /^(INPUT|SELECT|TEXTAREA)$/.test(a.tagName)) { return; }
    if (!$("receipt-screen").hidden || document.querySelector("dialog[open]")) { return; }
    if (ev.key.length === 1 && ev.key !== " ") { ev.preventDefault(); scan.value += ev.key; scan.focus(); }
    else if (ev.key === "Enter" && scan.value) { ev.preventDefault(); $("scan-form").requestSubmit(); }
  }, true);
  scan.addEventListener("blur", function () {
    setTimeout(function () { if (document.activeElement === document.body) { refocus(); } }, 0);
  });
  // Printing to the store's ESC/POS printer: the server sends the job and answers with what happened (a silent
  // printer is a message here; the PDF button still works). One job at a time: a second tap would be a 副本.
  var escpos = $("escpos-choice");
  if (escpos) {
    $("print-escpos").addEventListener("click", function () {
      var note = $("escpos-message"), button = $("print-escpos");
      if (!state.sale || button.disabled) { return; }
      function show(text, kind) { note.hidden = false; note.className = kind; note.textContent = text; }
      button.disabled = true;
      show(escpos.dataset.sending, "muted");
      apiFetch(escpos.dataset.url.replace(ZERO_ID, state.sale.id),
        {method: "POST", body: JSON.stringify({printer_id: $("escpos-printer").value})}).then(function (r) {
        button.disabled = false;
        if (r.ok) { show(r.data.message, "muted"); }
        else { show(r.data && r.data.error ? r.data.error.message : escpos.dataset.fail, "error-text"); }
      }, function () { button.disabled = false; show(escpos.dataset.fail, "error-text"); });
    });
    $("next-customer").addEventListener("click", function () { $("escpos-message").hidden = true; });
  }
  window.till = {state: state, render: render, el: el, yuan: yuan, fenText: fenText, parseFen: parseFen, say: say,
                 refocus: refocus, total: total, summarise: summarise, gross: gross, kgText: kgText,
                 stockNote: stockNote, scanError: scanError};
  // The seam for till-held.js (held sales): the cart as it stands, and a parked cart put back.
  window.tillCart = {
    lines: function () { return state.lines; },
    approval: function () { return state.approval; },
    busy: function () { return state.busy || !$("receipt-screen").hidden || state.payments.length > 0; },
    load: function (lines, heldId) { nextCustomer(); state.lines = lines; state.heldId = heldId; render(); },
    clear: nextCustomer,
    say: say
  };
  render();
  scan.focus();
})();

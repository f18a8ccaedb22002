// Held sales at the till (挂单 / 取单) through window.tillCart (till.js), and the reprint page's roll width.
(function () {
  "use strict";
  function $(id) { return document.getElementById(id); }
  var ZERO_ID = "00000000-0000-0000-0000-000000000000";

  // The reprint page: the chosen roll width goes into every reprint link.
  var widthForm = $("reprint-width-form");
  if (widthForm) {
    var setWidth = function () {
      var w = widthForm.querySelector("input[name=width]:checked").value;
      document.querySelectorAll("a.reprint").forEach(function (a) { a.href = a.dataset.url + "?width=" + w; });
    };
    widthForm.addEventListener("change", setWidth);
    widthForm.addEventListener("submit", function (ev) { ev.preventDefault(); });
    setWidth();
  }

  var cfgNode = $("held-config");
  if (!cfgNode || !window.tillCart) { return; }
  var cfg = JSON.parse(cfgNode.textContent), msg = cfg.msg, till = window.tillCart;

  function call(url, method, body) {
    return window.apiFetch(url, {method: method, body: body ? JSON.stringify(body) : undefined})
      .then(function (r) { r.data = r.data || {}; return r; });
  }
  function yuan(fen) { return "¥" + (fen / 100).toFixed(2); }
  function fieldError(id, text) { var e = $(id); e.textContent = text || ""; e.hidden = !text; }

  function refreshCount() {
    call(cfg.listUrl, "GET").then(function (r) {
      var n = r.ok ? r.data.held.length : 0;
      $("held-count").textContent = String(n);
      $("held-count").hidden = !n;
    });
  }

  function cartLines() {
    return till.lines().map(function (l) {
      var line = l.weight_g ? {item_id: l.item.id, weight_g: l.weight_g} : {item_id: l.item.id, qty: l.qty};
      if (l.pay_with_points) { line.pay_with_points = true; }
      else if (l.overridden) { line.unit_price_fen = l.unit_price_fen; line.override_reason = l.reason; }
      return line;
    });
  }

  $("park-button").addEventListener("click", function () {
    if (!till.lines().length) { till.say(msg.empty); return; }
    if (till.busy()) { till.say(msg.paying); return; }
    $("park-form").reset();
    fieldError("park-error", "");
    $("park-dialog").showModal();
    $("park-label").focus();
  });
  $("park-form").addEventListener("submit", function (ev) {
    if (ev.submitter && ev.submitter.value !== "ok") { return; }
    ev.preventDefault();  // the dialog stays open until the server has it
    var body = {lines: cartLines(), label: $("park-label").value.trim()};
    if (till.lines().some(function (l) { return l.overridden; }) && till.approval()) { body.approval = till.approval(); }
    call(cfg.parkUrl, "POST", body).then(function (r) {
      if (!r.ok) { fieldError("park-error", r.data.error ? r.data.error.message : msg.network); return; }
      $("park-dialog").close();
      till.clear();
      till.say(msg.parked, "ok");
      refreshCount();
    }, function () { fieldError("park-error", msg.network); });
  });

  function recall(id) {
    call(cfg.recallUrl.replace(ZERO_ID, id), "POST").then(function (r) {
      if (!r.ok) { fieldError("recall-error", r.data.error ? r.data.error.message : msg.network); return; }
      var lines = r.data.lines.map(function (l) {
        var price = l.unit_price_fen === null ? l.item.price_fen : l.unit_price_fen;
        return {item: l.item, qty: l.qty, unit_price_fen: price, reason: l.override_reason,
                overridden: !l.pay_with_points && price !== l.item.price_fen, pay_with_points: l.pay_with_points,
                weight_g: l.weight_g || null};
      });
      $("recall-dialog").close();
      till.load(lines, r.data.id);
      till.say(msg.recalled + (r.data.label ? "：" + r.data.label : ""), "ok");
      refreshCount();
    }, function () { fieldError("recall-error", msg.network); });
  }

  $("recall-button").addEventListener("click", function () {
    if (till.lines().length || till.busy()) { till.say(msg.notEmpty); return; }
    fieldError("recall-error", "");
    var list = $("held-list");
    list.textContent = "";
    call(cfg.listUrl, "GET").then(function (r) {
      var held = r.ok ? r.data.held : [];
      if (!held.length) { list.textContent = msg.none; }
      held.forEach(function (h) {
        var when = new Date(h.parked_at).toLocaleTimeString("zh-CN", {timeZone: "Asia/Shanghai", hour12: false});
        var row = document.createElement("div");
        row.className = "held-row";
        var text = document.createElement("span");
        text.textContent = [h.label, when, msg.lines.replace("{n}", h.line_count), yuan(h.total_fen)]
          .filter(Boolean).join(" · ");
        var b = document.createElement("button");
        b.type = "button";
        b.className = "btn btn-primary recall-one";
        b.textContent = msg.recall;
        b.addEventListener("click", function () { recall(h.id); });
        row.appendChild(text);
        row.appendChild(b);
        list.appendChild(row);
      });
      $("recall-dialog").showModal();
    });
  });
  refreshCount();
})();

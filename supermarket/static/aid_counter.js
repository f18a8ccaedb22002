// The aid counter: find a household, scan goods (the server values them and says what would be refused),
// sign on the screen or record a proxy, a witness confirms, save; then print the slip.
(function () {
  "use strict";
  var root = document.getElementById("counter");
  if (!root) { return; }
  var T = JSON.parse(document.getElementById("counter-text").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var state = {household: null, lines: [], mode: "self", key: null, inked: false, busy: false};

  function yuan(fen) {
    if (fen === null || fen === undefined) { return T.unlimited; }
    var sign = fen < 0 ? "-" : ""; fen = Math.abs(fen);
    return sign + "¥" + Math.floor(fen / 100).toLocaleString("en-US") + "." + String(fen % 100).padStart(2, "0");
  }
  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return "k" + Date.now().toString(16) + Math.random().toString(16).slice(2);
  }
  function showError(message) {
    var box = $("counter-error");
    box.textContent = message || "";
    box.hidden = !message;
    if (message) { box.scrollIntoView({block: "nearest"}); }
  }
  function errorOf(resp) {
    return resp.data && resp.data.error ? resp.data.error : {code: "network", message: T.network};
  }

  // --- household ----------------------------------------------------------------------------------------
  function showHousehold(h) {
    state.household = h;
    state.lines = []; state.key = newKey();
    $("hh-name").textContent = h.head_name;
    $("hh-code").textContent = h.code;
    $("hh-id").textContent = h.id_masked;
    $("hh-members").textContent = T.members.replace("{n}", h.members);
    $("hh-category").textContent = h.category;
    var status = $("hh-status");
    status.textContent = T["status_" + h.status] || h.status;
    status.className = "badge " + (h.status === "active" ? "badge-ok" : "badge-danger");
    $("hh-valid").textContent = h.review_due;
    showEntitlement(h.entitlement);
    ["household", "basket", "sign"].forEach(function (id) { $(id).hidden = false; });
    $("done").hidden = true;
    $("override-fields").hidden = true;
    renderBasket(null);
    clearSignature();
    $("item-barcode").focus();
  }
  function showEntitlement(e) {
    $("hh-period").textContent = T.period_of.replace("{p}", e.period_label);
    var parts = [];
    if (!e.has_rule) { parts.push("—"); }
    if (e.value_cap_fen !== null) { parts.push(yuan(e.remaining_value_fen)); }
    if (e.item_cap !== null) { parts.push(e.remaining_items + " " + T.items); }
    $("hh-remaining").textContent = parts.join(" / ");
    $("hh-goods").textContent = e.goods_names.length ? T.goods_only + e.goods_names.join("、") : "";
  }
  function findByCode(code) {
    code = (code || "").trim();
    if (!code) { return; }
    showError("");
    apiFetch(root.dataset.householdUrl.replace("__CODE__", encodeURIComponent(code))).then(function (resp) {
      if (!resp.ok) { showError(errorOf(resp).message); $("household-code").select(); return; }
      $("household-code").value = "";
      showHousehold(resp.data);
    });
  }
  $("find-code").addEventListener("submit", function (ev) { ev.preventDefault(); findByCode($("household-code").value); });
  $("find-id").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var url = root.dataset.findUrl + "?last4=" + encodeURIComponent($("find-last4").value.trim()) +
      "&name=" + encodeURIComponent($("find-name").value.trim());
    apiFetch(url).then(function (resp) {
      var out = $("find-results");
      out.textContent = "";
      if (!resp.ok) { showError(errorOf(resp).message); return; }
      if (!resp.data.households.length) { out.textContent = T.no_match; return; }
      resp.data.households.forEach(function (h) {
        var b = document.createElement("button");
        b.type = "button"; b.className = "btn btn-block";
        b.textContent = T.select + " " + h.head_name + " · " + h.code + " · " + h.category;
        b.addEventListener("click", function () { showHousehold(h); });
        out.appendChild(b);
      });
    });
  });

  // --- basket -------------------------------------------------------------------------------------------
  function quote(onFail) {
    if (!state.lines.length) { renderBasket(null); return; }
    apiFetch(root.dataset.quoteUrl, {method: "POST", body: JSON.stringify({
      household_code: state.household.code,
      lines: state.lines.map(function (l) { return {barcode: l.barcode, qty: l.qty}; })
    })}).then(function (resp) {
      if (!resp.ok) { showError(errorOf(resp).message); if (onFail) { onFail(); } return; }
      showError("");
      state.lines = resp.data.lines.map(function (l) { return {barcode: l.barcode, qty: l.qty}; });
      showEntitlement(resp.data.household.entitlement);
      renderBasket(resp.data);
    });
  }
  function renderBasket(q) {
    var body = $("basket-table").querySelector("tbody");
    body.textContent = "";
    (q ? q.lines : []).forEach(function (l, i) {
      var tr = document.createElement("tr");
      tr.innerHTML = "<td></td><td class='num'><button type='button' class='btn btn-small minus'>−</button> " +
        "<span class='qty'></span> <button type='button' class='btn btn-small plus'>+</button></td>" +
        "<td class='num'></td><td><button type='button' class='btn btn-small remove'></button></td>";
      tr.cells[0].textContent = l.name;
      tr.querySelector(".qty").textContent = l.qty + " " + l.unit;
      tr.cells[2].textContent = yuan(l.value_fen);
      tr.querySelector(".remove").textContent = T.remove;
      tr.querySelector(".plus").addEventListener("click", function () { changeQty(i, 1); });
      tr.querySelector(".minus").addEventListener("click", function () { changeQty(i, -1); });
      tr.querySelector(".remove").addEventListener("click", function () { changeQty(i, -state.lines[i].qty); });
      body.appendChild(tr);
    });
    $("basket-items").textContent = q ? q.total_items : 0;
    $("basket-total").textContent = yuan(q ? q.total_value_fen : 0);
    var problems = q ? q.blocking.concat(q.needs_override) : [];
    var box = $("basket-problems");
    box.hidden = !problems.length;
    box.textContent = problems.map(function (p) { return p.message; }).join(" ");
    $("override-fields").hidden = !(q && q.needs_override.length);
  }
  function changeQty(i, delta) {
    state.lines[i].qty += delta;
    if (state.lines[i].qty <= 0) { state.lines.splice(i, 1); }
    quote();
  }
  $("scan-item").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var input = $("item-barcode"), code = input.value.trim();
    input.value = "";
    input.focus();
    if (!code || !state.household) { return; }
    var existing = state.lines.filter(function (l) { return l.barcode === code; })[0];
    if (existing) { existing.qty += 1; } else { state.lines.push({barcode: code, qty: 1}); }
    quote(function () {  // unknown barcode: take the line back out
      if (existing) { existing.qty -= 1; } else { state.lines.pop(); }
    });
  });

  // --- signature ----------------------------------------------------------------------------------------
  var canvas = $("signature-pad"), ctx = canvas.getContext("2d"), drawing = false, last = null;
  function sizeCanvas() {
    var width = Math.min(Math.max(canvas.parentNode.clientWidth - 4, 300), 1200);
    if (canvas.width !== width) { canvas.width = width; clearSignature(); }
  }
  function clearSignature() {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    state.inked = false;
  }
  function point(ev) {
    var r = canvas.getBoundingClientRect();
    return {x: (ev.clientX - r.left) * canvas.width / r.width, y: (ev.clientY - r.top) * canvas.height / r.height};
  }
  canvas.addEventListener("pointerdown", function (ev) {
    ev.preventDefault();
    drawing = true; last = point(ev);
    if (canvas.setPointerCapture) { canvas.setPointerCapture(ev.pointerId); }
  });
  canvas.addEventListener("pointermove", function (ev) {
    if (!drawing) { return; }
    var p = point(ev);
    ctx.strokeStyle = "#111"; ctx.lineWidth = 3; ctx.lineCap = "round"; ctx.lineJoin = "round";
    ctx.beginPath(); ctx.moveTo(last.x, last.y); ctx.lineTo(p.x, p.y); ctx.stroke();
    last = p; state.inked = true;
  });
  ["pointerup", "pointercancel", "pointerleave"].forEach(function (name) {
    canvas.addEventListener(name, function () { drawing = false; });
  });
  $("signature-clear").addEventListener("click", clearSignature);
  window.addEventListener("resize", function () { if (!state.inked) { sizeCanvas(); } });

  document.querySelectorAll(".segmented .seg").forEach(function (b) {
    b.addEventListener("click", function () {
      state.mode = b.dataset.mode;
      document.querySelectorAll(".segmented .seg").forEach(function (x) { x.classList.toggle("active", x === b); });
      $("proxy-fields").hidden = state.mode !== "proxy";
    });
  });

  // --- save ---------------------------------------------------------------------------------------------
  $("save").addEventListener("click", function () {
    if (state.busy) { return; }
    if (!state.household) { showError(T.need_household); return; }
    if (!state.lines.length) { showError(T.need_items); return; }
    var proxy = state.mode === "proxy" && $("proxy-name").value.trim()
      ? {name: $("proxy-name").value.trim(), relation: $("proxy-relation").value} : null;
    if (!state.inked && !proxy) { showError(T.need_signature); return; }
    if (!$("witness-username").value.trim() || !$("witness-password").value) { showError(T.need_witness); return; }
    var body = {
      idempotency_key: state.key, household_code: state.household.code,
      lines: state.lines.map(function (l) { return {barcode: l.barcode, qty: l.qty}; }),
      signature_png: state.inked ? canvas.toDataURL("image/png").split(",")[1] : null, proxy: proxy,
      witness: {username: $("witness-username").value.trim(), secret: $("witness-password").value}
    };
    if (!$("override-fields").hidden && $("override-username").value.trim()) {
      body.override = {username: $("override-username").value.trim(), secret: $("override-password").value,
                       reason: $("override-reason").value.trim()};
    }
    state.busy = true; $("save").disabled = true; $("save").textContent = T.saving;
    apiFetch(root.dataset.saveUrl, {method: "POST", body: JSON.stringify(body)}).then(function (resp) {
      state.busy = false; $("save").disabled = false; $("save").textContent = T.save;
      if (!resp.ok) {
        var err = errorOf(resp);
        showError(err.message);
        if (["aid.quota_exceeded", "aid.not_eligible", "aid.household_expired"].indexOf(err.code) >= 0) {
          $("override-fields").hidden = false;
        }
        return;
      }
      showError("");
      ["basket", "sign"].forEach(function (id) { $(id).hidden = true; });
      $("done").hidden = false;
      $("done-serial").textContent = resp.data.serial;
      $("done-value").textContent = yuan(resp.data.value_fen);
      showEntitlement(resp.data.entitlement);
      $("done-remaining").textContent = $("hh-period").textContent + " " + $("hh-remaining").textContent;
      $("print-slip").href = resp.data.slip_url;
      ["witness-password", "override-password", "override-reason", "proxy-name"].forEach(function (id) { $(id).value = ""; });
    });
  });
  $("next-household").addEventListener("click", function () {
    ["household", "basket", "sign", "done"].forEach(function (id) { $(id).hidden = true; });
    state.household = null;
    $("household-code").focus();
  });

  new MutationObserver(function () { if (!$("sign").hidden) { sizeCanvas(); } })
    .observe($("sign"), {attributes: true, attributeFilter: ["hidden"]});
})();

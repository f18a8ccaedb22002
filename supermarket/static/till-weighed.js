// Weighed goods (散装) at the till: an item the catalog sells by weight asks its weight when scanned (kg with up to
// three decimals, typed or tapped), or takes it typed before the scan ("1.25*" then the code). Each weighing is its
// own line: "1.250 kg × ¥8.00/kg", its total the price per kg × grams / 1000 rounded half up to the fen. The
// request sends the grams (weight_g) instead of a quantity; the server prices the line itself.
(function () {
  "use strict";
  var till = window.till, node = document.getElementById("till-weighed-config");
  if (!till || !node) { return; }
  var msg = JSON.parse(node.textContent).msg, state = till.state, el = till.el, yuan = till.yuan;
  function $(id) { return document.getElementById(id); }
  var dialog = $("weight-dialog"), form = $("weight-form"), input = $("weight-input");
  var MAX_G = 50000, PER_KG = "/kg";
  var editing = null;  // {line} of the cart, or {item} for a new weighing

  // "1.25" -> 1250 grams, with string arithmetic; null for 0, negatives, letters, over 50 kg, four decimals.
  function grams(text) {
    var m = /^(\d{1,2})(?:\.(\d{0,3}))?$/.exec(String(text || "").trim().replace(/kg$/i, "").trim());
    if (!m) { return null; }
    var g = parseInt(m[1], 10) * 1000 + parseInt(((m[2] || "") + "000").slice(0, 3), 10);
    return g >= 1 && g <= MAX_G ? g : null;
  }

  function fieldError(text) {
    $("weight-error").textContent = text || "";
    $("weight-error").hidden = !text;
    $("weight-field").classList.toggle("has-error", !!text);
    if (text) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
  }

  function preview() {
    var item = editing && (editing.line ? editing.line.item : editing.item), g = grams(input.value);
    var price = editing && editing.line ? editing.line.unit_price_fen : item && item.price_fen;
    $("weight-preview").textContent = item && g ? till.kgText(g) + " kg × " + yuan(price) + PER_KG + " = " +
      yuan(till.gross({weight_g: g, unit_price_fen: price})) : "";
  }

  function open(target) {
    editing = target;
    var item = target.line ? target.line.item : target.item;
    $("weight-item").textContent = item.name + " · " + yuan(item.price_fen) + PER_KG;
    input.value = target.line ? till.kgText(target.line.weight_g) : "";
    fieldError("");
    preview();
    dialog.showModal();
    input.focus();
  }

  function addLine(item, g) {
    state.lines.push({item: item, qty: 1, weight_g: g, unit_price_fen: item.price_fen, reason: "", overridden: false,
                      pay_with_points: false});
    till.stockNote(item);
    till.render();
  }

  // till.js asks this first for every item it adds: true when it is handled here.
  function add(item) {
    var g = state.nextWeight;
    state.nextWeight = null;
    if (!item.sold_by_weight) {
      if (g) { till.say(msg.notWeighed.replace("{name}", item.name), "warn"); return true; }
      return false;
    }
    if (g) { addLine(item, g); } else { open({item: item}); }
    return true;
  }

  // The text before "*" when it holds a decimal point: grams, or false (refused at the scan field); else null.
  function prefix(text) {
    if (!/[.]/.test(text)) { return null; }
    var g = grams(text);
    if (g === null) { till.scanError(msg.badWeight); return false; }
    till.say(msg.nextWeight.replace("{kg}", till.kgText(g)), "warn");
    return g;
  }

  document.querySelectorAll("#weight-keypad .key").forEach(function (b) {
    b.addEventListener("click", function () {
      var k = b.dataset.key;
      if (k === "back") { input.value = input.value.slice(0, -1); }
      else if (input.value.length < 6) { input.value += k; }
      fieldError("");
      preview();
    });
  });
  input.addEventListener("input", function () { fieldError(""); preview(); });
  input.addEventListener("keydown", function (ev) {  // Enter means OK (the form's first button is 取消)
    if (ev.key === "Enter") { ev.preventDefault(); form.requestSubmit($("weight-ok")); }
  });
  form.addEventListener("submit", function (ev) {
    if (ev.submitter && ev.submitter.value !== "ok") { return; }
    var g = grams(input.value);
    if (g === null) {  // 0, −1, letters, 60, 1.2345: said at the field, the dialog stays open, nothing changes
      ev.preventDefault();
      fieldError(msg.badWeight);
      input.focus();
      return;
    }
    if (editing.line) {
      editing.line.weight_g = g;
      till.stockNote(editing.line.item);
      till.render();
    } else {
      addLine(editing.item, g);
    }
  });
  dialog.addEventListener("close", function () {
    editing = null;
    // Opened from a scan, the dialog hands the focus back to the scan field, which Chromium then leaves unable to
    // take typed text: a fresh focus makes it editable again.
    if (document.activeElement) { document.activeElement.blur(); }
    till.refocus();
  });

  (window.tillExtensions = window.tillExtensions || []).push({
    line: function (line, cells) {
      if (!line.weight_g) { return; }
      var per = yuan(line.unit_price_fen) + PER_KG;
      cells[0].appendChild(el("small", {"class": "weight-note", text: till.kgText(line.weight_g) + " kg × " + per}));
      var price = cells[1].querySelector("button");
      if (price) { price.textContent = per; }
      cells[2].textContent = "";
      cells[2].appendChild(el("button", {type: "button", "class": "btn qty weight-btn", title: msg.weightFor,
        text: till.kgText(line.weight_g) + " kg", onclick: function () { open({line: line}); }}));
    },
    body: function (b) {
      b.lines.forEach(function (bl, i) {
        var l = state.lines[i];
        if (l && l.weight_g) { delete bl.qty; bl.weight_g = l.weight_g; }
      });
    }
  });
  window.tillWeighed = {add: add, prefix: prefix, grams: grams};
})();

// Discounts at the till: a line's own discount (tap its total) and a basket discount (整单折扣), each a whole
// percentage or an amount. Within the cashier's limit it applies at once; above it a store manager types their
// password or PIN in the same dialog and it is checked there and then (a wrong one is refused at the field and
// counts towards their lockout). The figures here are for the screen: the server recomputes every discount
// from the percentages and amounts sent, and checks the limits and the approval again.
(function () {
  "use strict";
  var till = window.till, node = document.getElementById("till-discount-config");
  if (!till || !node) { return; }
  var config = JSON.parse(node.textContent), msg = config.msg, state = till.state, el = till.el, yuan = till.yuan;
  function $(id) { return document.getElementById(id); }
  var dialog = $("discount-dialog"), form = $("discount-form"), valueInput = $("discount-value");
  var target = null;  // the line being discounted, or "basket"
  state.basketDiscount = null;
  state.discountApproval = null;

  // ---- figures ----------------------------------------------------------------------------------------------
  function amountOf(d, base) {
    if (!d) { return 0; }
    return d.percent !== undefined ? Math.floor((base * d.percent + 50) / 100) : d.amount_fen;
  }
  function gross(l) { return l.pay_with_points ? 0 : till.gross(l); }  // a weighed line: its total by weight
  function net(l) { return gross(l) - (l.discount_fen || 0); }
  function basketBase() { return state.lines.reduce(function (s, l) { return s + net(l); }, 0); }
  function describe(d, name) {
    var how = d.percent !== undefined ? d.percent + "%" : yuan(d.amount_fen);
    return name ? msg.lineWhat.replace("{name}", name).replace("{how}", how) : msg.basketWhat.replace("{how}", how);
  }
  function allows(limit, d, base, amount) {
    if (amount > limit.fen) { return false; }
    return d.percent !== undefined ? d.percent <= limit.percent : amount * 100 <= limit.percent * base;
  }

  // ---- the hooks of till.js ------------------------------------------------------------------------------------
  var hooks = {
    beforeRender: function () {
      state.lines.forEach(function (l) {
        if (l.discount && l.pay_with_points) { l.discount = null; till.say(msg.noPoints); }
        var amount = amountOf(l.discount, gross(l));
        if (l.discount && amount > gross(l)) { l.discount = null; amount = 0; till.say(msg.dropped); }
        l.discount_fen = l.discount ? amount : 0;
      });
      var base = basketBase(), amount = amountOf(state.basketDiscount, base);
      if (state.basketDiscount && amount > base) { state.basketDiscount = null; amount = 0; till.say(msg.dropped); }
      state.basketDiscountFen = state.basketDiscount ? amount : 0;
    },
    line: function (line, cells) {
      var cell = cells[3];
      if (line.pay_with_points) { return; }
      var text = cell.textContent;
      cell.textContent = "";
      cell.appendChild(el("button", {type: "button", "class": "btn btn-small discount-btn", title: msg.lineTitle,
        text: text, onclick: function () { open(line); }}));
      if (line.discount) {
        cell.appendChild(el("small", {"class": "discount-note",
          text: (line.discount.percent !== undefined ? line.discount.percent + "% " : "") + "−" + yuan(line.discount_fen)}));
      }
    },
    afterLines: function () {
      var row = $("basket-discount-row"), on = !!state.basketDiscount;
      row.hidden = !on;
      $("basket-discount-value").textContent = on ? "−" + yuan(state.basketDiscountFen) : "";
      $("basket-discount-what").textContent = on ? describe(state.basketDiscount) : "";
      $("basket-discount").classList.toggle("active", on);
    },
    body: function (b) {
      state.lines.forEach(function (l, i) { if (l.discount) { b.lines[i].discount = l.discount; } });
      if (state.basketDiscount) { b.discount = state.basketDiscount; }
      var any = state.basketDiscount || state.lines.some(function (l) { return l.discount; });
      if (any && state.discountApproval) { b.discount_approval = state.discountApproval; }
    },
    receipt: function (sale, paper) {
      var off = sale.lines.reduce(function (s, l) { return s + (l.discount_fen || 0); }, 0);
      if (off) {
        paper.appendChild(el("div", {"class": "receipt-line discount-line"}, [el("span", {text: msg.totalOff}),
          el("span", {text: "−" + yuan(off)})]));
      }
    },
    reset: function () { state.basketDiscount = null; state.basketDiscountFen = 0; state.discountApproval = null; }
  };
  window.tillExtensions.push(hooks);

  // ---- the dialog -----------------------------------------------------------------------------------------------
  function fieldError(id, text) {
    var box = $(id + "-error"), input = $(id);
    box.textContent = text || "";
    box.hidden = !text;
    input.closest(".field").classList.toggle("has-error", !!text);
    if (text) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
  }
  function kind() { return form.elements.kind.value; }
  function baseOf() { return target === "basket" ? basketBase() : gross(target); }
  function nameOf() { return target === "basket" ? null : target.item.name; }

  function open(what) {
    if (what === "basket" && !state.lines.some(function (l) { return !l.pay_with_points; })) {
      till.say(msg.nothing);
      return;
    }
    target = what;
    form.reset();
    var current = what === "basket" ? state.basketDiscount : what.discount;
    $("discount-title").textContent = what === "basket" ? msg.basketTitle : msg.lineTitle;
    $("discount-item").textContent = (nameOf() || msg.basket) + " · " + msg.base + " " + yuan(baseOf());
    form.elements.kind.value = current && current.amount_fen !== undefined ? "amount" : "percent";
    valueInput.value = current ? (current.percent !== undefined ? String(current.percent) : till.fenText(current.amount_fen)) : "";
    $("discount-remove").hidden = !current;
    $("discount-approval").hidden = true;
    fieldError("discount-value", "");
    fieldError("discount-secret", "");
    showKind();
    dialog.showModal();
    valueInput.focus();
  }

  function showKind() {
    $("discount-value-label").textContent = kind() === "percent" ? msg.percentLabel : msg.amountLabel;
    valueInput.setAttribute("inputmode", kind() === "percent" ? "numeric" : "decimal");
  }

  // The typed discount, or null after saying what is wrong at the field.
  function typed() {
    var text = valueInput.value.trim(), base = baseOf(), d;
    if (kind() === "percent") {
      if (!/^\d{1,3}$/.test(text) || +text < 1 || +text > 100) { fieldError("discount-value", msg.badPercent); return null; }
      d = {percent: parseInt(text, 10)};
    } else {
      var fen = till.parseFen(text);
      if (fen === null) { fieldError("discount-value", msg.badAmount); return null; }
      if (fen <= 0) { fieldError("discount-value", msg.zeroAmount); return null; }
      d = {amount_fen: fen};
    }
    if (amountOf(d, base) > base) { fieldError("discount-value", msg.overBase.replace("{base}", yuan(base))); return null; }
    return d;
  }

  function apply(d) {
    if (target === "basket") { state.basketDiscount = d; } else { target.discount = d; }
    dialog.close("ok");
    till.render();
  }

  function submit(ev) {
    ev.preventDefault();
    var button = ev.submitter ? ev.submitter.value : "ok";
    if (button === "cancel") { dialog.close("cancel"); return; }
    if (button === "remove") { apply(null); return; }
    fieldError("discount-value", "");
    fieldError("discount-secret", "");
    var d = typed();
    if (!d) { valueInput.focus(); return; }
    var base = baseOf(), amount = amountOf(d, base), what = describe(d, nameOf());
    if (allows(config.own, d, base, amount)) { apply(d); return; }
    if (!allows(config.managers, d, base, amount)) {
      fieldError("discount-value", msg.overManager.replace("{what}", what));
      valueInput.focus();
      return;
    }
    var box = $("discount-approval");
    if (box.hidden) {  // the manager steps up: their name and password or PIN, in the same dialog
      box.hidden = false;
      $("discount-approval-what").textContent = msg.needs.replace("{what}", what);
      $("discount-secret").focus();
      return;
    }
    var approval = {username: $("discount-manager").value, secret: $("discount-secret").value};
    if (!approval.secret) { fieldError("discount-secret", msg.noSecret); $("discount-secret").focus(); return; }
    $("discount-ok").disabled = true;
    window.apiFetch(config.checkUrl, {method: "POST", body: JSON.stringify({discount: d, base_fen: base,
      item_name: nameOf(), approval: approval})}).then(function (r) {
      $("discount-ok").disabled = false;
      if (r.ok) {
        state.discountApproval = approval;
        apply(d);
        till.say(r.data.message, "ok");
        return;
      }
      var err = r.data && r.data.error;
      var fields = (err && err.fields) || {};
      if (fields.discount || fields.basket_discount || fields.percent) {
        fieldError("discount-value", err.message);
        valueInput.focus();
      } else {
        fieldError("discount-secret", err ? err.message : msg.network);
        $("discount-secret").value = "";
        $("discount-secret").focus();
      }
    }, function () { $("discount-ok").disabled = false; fieldError("discount-secret", msg.network); });
  }

  form.addEventListener("submit", submit);
  Array.prototype.forEach.call(form.elements.kind, function (r) {
    r.addEventListener("change", function () { showKind(); fieldError("discount-value", ""); valueInput.focus(); });
  });
  valueInput.addEventListener("input", function () { fieldError("discount-value", ""); });
  valueInput.addEventListener("keydown", function (ev) {  // Enter means OK (the first button is 取消)
    if (ev.key === "Enter") { ev.preventDefault(); form.requestSubmit($("discount-ok")); }
  });
  $("discount-secret").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { ev.preventDefault(); form.requestSubmit($("discount-ok")); }
  });
  dialog.addEventListener("close", function () { target = null; till.refocus(); });
  $("basket-discount").addEventListener("click", function () { open("basket"); });
  till.render();
})();

// The intake screen: donor, lines (scan or create), the second person's confirmation, photo, then one POST.
// The idempotency key comes from the server with the page, so a retried save never records twice.
(function () {
  "use strict";
  var form = document.getElementById("intake-form");
  if (!form) { return; }
  var categories = JSON.parse(document.getElementById("categories-data").textContent);
  var byId = {};
  categories.forEach(function (c) { byId[c.id] = c; });
  var linesBox = document.getElementById("lines");
  var template = document.getElementById("line-template");
  var errorBox = document.getElementById("intake-error");
  var scan = document.getElementById("scan");
  var chosenDonor = null;

  // Yuan text to integer fen without floating point: "12.5" -> 1250; null when not a plain amount.
  function yuanToFen(text) {
    var m = /^\s*¥?\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(text || "");
    if (!m) { return null; }
    return parseInt(m[1], 10) * 100 + parseInt(((m[2] || "") + "00").slice(0, 2), 10);
  }
  // Kilograms with up to three decimals to integer grams: "1.25" -> 1250; null when not a plain weight.
  function kgToGrams(text) {
    var m = /^\s*(\d{1,7})(?:\.(\d{1,3}))?\s*$/.exec(text || "");
    if (!m) { return null; }
    return parseInt(m[1], 10) * 1000 + parseInt(((m[2] || "") + "000").slice(0, 3), 10);
  }
  function fenText(fen) {
    return "¥" + Math.floor(fen / 100) + "." + ("0" + (fen % 100)).slice(-2);
  }
  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = !message;
    if (message) { errorBox.scrollIntoView({block: "center"}); }
  }
  function text(el, value) { el.textContent = value; }

  // --- donor ---------------------------------------------------------------------------------------------
  function donorMode() { return form.querySelector("input[name=donor_mode]:checked").value; }
  form.querySelectorAll("input[name=donor_mode]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      form.querySelectorAll("#donor-section [data-mode]").forEach(function (box) {
        box.hidden = box.getAttribute("data-mode") !== donorMode();
      });
    });
  });
  function searchDonors() {
    var q = document.getElementById("donor-search").value.trim();
    var results = document.getElementById("donor-results");
    apiFetch(form.dataset.donorsApi + "?q=" + encodeURIComponent(q)).then(function (r) {
      results.innerHTML = "";
      if (!r.ok) { showError(r.data && r.data.error ? r.data.error.message : ""); return; }
      if (!r.data.donors.length) { text(results, results.dataset.empty || "—"); }
      r.data.donors.forEach(function (d) {
        var b = document.createElement("button");
        b.type = "button"; b.className = "btn choice";
        b.textContent = d.name + (d.phone ? "（" + d.phone + "）" : "");
        b.addEventListener("click", function () {
          chosenDonor = d;
          text(document.getElementById("donor-chosen"), "✔ " + b.textContent);
          results.innerHTML = "";
        });
        results.appendChild(b);
      });
    });
  }
  var search = document.getElementById("donor-search");
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { ev.preventDefault(); searchDonors(); } });
  search.addEventListener("search", searchDonors);

  // --- lines ---------------------------------------------------------------------------------------------
  function lines() { return Array.prototype.slice.call(linesBox.querySelectorAll(".line")); }
  function renumber() {
    lines().forEach(function (el, i) { text(el.querySelector(".line-no"), "#" + (i + 1)); });
    document.getElementById("lines-empty").hidden = lines().length > 0;
    updateTotal();
  }
  function categoryOf(el) {
    return byId[el.dataset.itemId ? el.dataset.categoryId : el.querySelector(".f-category").value];
  }
  function refreshLine(el) {
    var cat = categoryOf(el) || {};
    el.querySelector(".f-expiry-field").hidden = !cat.is_food;
    var grade = el.querySelector(".f-grade-field");
    if (grade) { grade.hidden = el.querySelector(".f-kind").value !== "donated_used"; }
    if (el.querySelector(".f-basis").value === "unvalued") { el.querySelector(".f-value").value = "0"; }
    updateTotal();
  }
  function updateTotal() {
    var total = 0;
    lines().forEach(function (el) {
      var value = yuanToFen(el.querySelector(".f-value").value) || 0;
      if (el.dataset.weighed) {
        // Value per kg × grams / 1000, half up to the fen, as the server computes it (sales.weighed.price_fen).
        total += Math.floor((value * (kgToGrams(el.querySelector(".f-weight").value) || 0) + 500) / 1000);
        return;
      }
      total += (parseInt(el.querySelector(".f-qty").value, 10) || 0) * value;
    });
    text(document.getElementById("total"), fenText(total));
  }
  function addLine(item, barcode) {
    var el = template.content.firstElementChild.cloneNode(true);
    if (item) {
      el.dataset.itemId = item.id;
      el.dataset.categoryId = item.category.id;
      text(el.querySelector(".line-name"), item.name + " · " + item.barcode + " · " + item.category.name);
      el.querySelector(".new-only").remove();
      if (item.sold_by_weight) {
        // Weighed goods: the weight in kg instead of a count, valued per kg.
        el.dataset.weighed = "1";
        el.querySelector(".f-qty-field").hidden = true;
        el.querySelector(".f-weight-field").hidden = false;
        var label = el.querySelector(".f-value-label");
        text(label, label.dataset.weighed + " *");
      }
    } else {
      text(el.querySelector(".line-name"), barcode ? barcode : "");
      if (barcode) { el.dataset.barcode = barcode; }
    }
    el.querySelector(".line-remove").addEventListener("click", function () { el.remove(); renumber(); scan.focus(); });
    el.addEventListener("change", function () { refreshLine(el); });
    el.addEventListener("input", updateTotal);
    linesBox.appendChild(el);
    refreshLine(el);
    renumber();
    return el;
  }
  function onScan(code) {
    showError("");
    var url = form.dataset.lookupApi.replace("CODE", encodeURIComponent(code));
    apiFetch(url).then(function (r) {
      if (r.ok) {
        var item = r.data;
        if (item.category.prohibited) {
          showError(item.name + "：" + item.category.prohibited_reason);
          return;
        }
        // A weighed item's every scan is its own weighing (a line of its own); a counted one adds one.
        var same = item.sold_by_weight ? null
          : lines().filter(function (el) { return el.dataset.itemId === item.id; })[0];
        if (same) {
          var qty = same.querySelector(".f-qty");
          qty.value = (parseInt(qty.value, 10) || 0) + 1;
          updateTotal();
        } else {
          addLine(item).querySelector(item.sold_by_weight ? ".f-weight" : ".f-value").focus();
          return;
        }
        scan.focus();
      } else if (r.status === 404) {
        var el = addLine(null, code);
        el.querySelector(".f-name").focus();
      } else {
        showError(r.data && r.data.error ? r.data.error.message : String(r.status));
      }
    });
  }
  scan.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") { return; }
    ev.preventDefault();
    var code = scan.value.trim();
    scan.value = "";
    if (code) { onScan(code); }
  });
  document.getElementById("add-new-item").addEventListener("click", function () {
    addLine(null, null).querySelector(".f-name").focus();
  });

  // --- save ----------------------------------------------------------------------------------------------
  function donorPayload() {
    var mode = donorMode();
    if (mode === "anonymous") { return {anonymous: true}; }
    if (mode === "existing") { return chosenDonor ? {id: chosenDonor.id} : null; }
    var name = document.getElementById("new-donor-name").value.trim();
    return {kind: document.getElementById("new-donor-kind").value, name: name,
            phone: document.getElementById("new-donor-phone").value.trim(),
            contact_person: document.getElementById("new-donor-contact").value.trim()};
  }
  function linePayload(el) {
    var value = yuanToFen(el.querySelector(".f-value").value);
    var line = {unit_value_fen: value === null ? -1 : value, valuation_basis: el.querySelector(".f-basis").value};
    if (el.dataset.weighed) {
      // Not a weight of up to three decimals: -1 grams, which the server refuses at this field in words.
      var grams = kgToGrams(el.querySelector(".f-weight").value);
      line.weight_g = grams === null ? -1 : grams;
    } else {
      var qty = Number(el.querySelector(".f-qty").value);
      line.qty = Number.isInteger(qty) ? qty : -1;
    }
    var expiry = el.querySelector(".f-expiry").value;
    if (expiry) { line.expiry_date = expiry; }
    if (el.dataset.itemId) {
      line.item_id = el.dataset.itemId;
    } else {
      var kind = el.querySelector(".f-kind").value;
      var price = el.querySelector(".f-price").value.trim();
      line.item = {name: el.querySelector(".f-name").value.trim(), category_id: el.querySelector(".f-category").value || null,
                   kind: kind, unit: el.querySelector(".f-unit").value.trim() || "件",
                   condition_grade: kind === "donated_used" ? el.querySelector(".f-grade").value : null,
                   barcode: el.dataset.barcode || null};
      if (price) { line.item.price_fen = yuanToFen(price) === null ? -1 : yuanToFen(price); }
    }
    return line;
  }
  // `fields` maps each field path ("lines.0.qty", "donor.name") to its messages, already in the user's language.
  function markLineErrors(fields) {
    lines().forEach(function (el) {
      text(el.querySelector(".line-error"), "");
      el.classList.remove("has-error");
      el.querySelectorAll("[aria-invalid]").forEach(function (input) { input.removeAttribute("aria-invalid"); });
    });
    var byLine = {}, others = [];
    Object.keys(fields || {}).forEach(function (path) {
      var m = /^lines\.(\d+)(?:\.(\w+))?/.exec(path);
      if (m && lines()[Number(m[1])]) {
        (byLine[m[1]] = byLine[m[1]] || []).push.apply(byLine[m[1]], fields[path]);
        var input = m[2] && lines()[Number(m[1])].querySelector('[name="' + m[2] + '"], [data-field="' + m[2] + '"]');
        if (input) { input.setAttribute("aria-invalid", "true"); }
      } else {
        others.push.apply(others, fields[path]);
      }
    });
    Object.keys(byLine).forEach(function (i) {
      var el = lines()[Number(i)];
      el.classList.add("has-error");
      text(el.querySelector(".line-error"), byLine[i].join("；"));
    });
    return others;
  }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var save = document.getElementById("save");
    if (save.disabled) { return; }
    var photo = document.getElementById("photo").files[0];
    if (photo && photo.size > Number(form.dataset.photoMax)) {
      showError(document.getElementById("photo").closest("label").querySelector("span").textContent);
      return;
    }
    var payload = {idempotency_key: form.dataset.key, donor: donorPayload(), lines: lines().map(linePayload),
                   checker: {username: document.getElementById("checker-username").value.trim(),
                             secret: document.getElementById("checker-password").value},
                   note: document.getElementById("note").value.trim()};
    var pledge = document.getElementById("pledge");
    if (pledge && pledge.value) { payload.pledge_id = pledge.value; }
    var body = new FormData();
    body.append("payload", JSON.stringify(payload));
    if (photo) { body.append("photo", photo); }
    save.disabled = true;
    showError("");
    apiFetch(form.dataset.api, {method: "POST", body: body}).then(function (r) {
      save.disabled = false;
      if (!r.ok) {
        var err = r.data && r.data.error ? r.data.error : {message: String(r.status)};
        var others = markLineErrors(err.fields);
        showError(others.length ? err.message + "：" + others.join("；") : err.message);
        return;
      }
      var d = r.data;
      form.hidden = true;
      document.getElementById("saved").hidden = false;
      text(document.getElementById("saved-serial"), d.serial);
      document.getElementById("receipt-link").href = d.receipt_url;
      document.getElementById("labels-sheet-link").href = d.labels_url;
      document.getElementById("labels-single-link").href = d.labels_url + "?format=single";
      document.getElementById("donation-link").href = d.page_url;
      var warnings = document.getElementById("saved-warnings");
      (d.warnings || []).forEach(function (w) {
        var p = document.createElement("p"); p.className = "warning"; p.textContent = w; warnings.appendChild(p);
      });
      if (!d.lines.length) {
        document.getElementById("labels-sheet-link").hidden = true;
        document.getElementById("labels-single-link").hidden = true;
      }
      document.getElementById("saved").scrollIntoView({block: "start"});
    }, function () {
      save.disabled = false;
      showError(form.dataset.networkError);
    });
  });
  renumber();
})();

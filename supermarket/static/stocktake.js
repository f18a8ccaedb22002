// The stocktake scanning page: the scan field keeps focus; each scan (Enter) adds one, or the typed number.
// Scans go to the API one after another (a keyboard-wedge scanner can be faster than the network), and the
// plain form post still works without JavaScript.
(function () {
  "use strict";
  var form = document.getElementById("count-form");
  if (!form) { return; }
  var scan = document.getElementById("scan");
  var qty = document.getElementById("count-qty");
  var out = document.getElementById("scan-result");
  var tbody = document.querySelector("#count-lines tbody");
  var counter = document.getElementById("line-count");
  var queue = Promise.resolve();

  function keepFocus() {
    var el = document.activeElement;
    if (!el || el === document.body || !el.matches("input, select, textarea, button, summary, a")) { scan.focus(); }
  }
  document.addEventListener("click", function () { setTimeout(keepFocus, 0); });
  scan.addEventListener("blur", function () { setTimeout(keepFocus, 200); });

  function show(text, ok) {
    out.textContent = text;
    out.className = "scan-result " + (ok ? "ok" : "bad");
  }

  function cell(text, cls) {
    var td = document.createElement("td");
    if (cls) { td.className = cls; }
    td.textContent = text;
    return td;
  }

  function update(line) {
    var row = tbody.querySelector('tr[data-line="' + line.id + '"]');
    if (!row) {
      row = document.createElement("tr");
      row.setAttribute("data-line", line.id);
      row.appendChild(cell(line.item.name));
      var code = document.createElement("code");
      code.textContent = line.item.barcode;
      var td = cell("");
      td.appendChild(code);
      row.appendChild(td);
      row.appendChild(cell("", "num counted"));
      row.appendChild(cell(""));
      tbody.insertBefore(row, tbody.firstChild);
      if (counter) { counter.textContent = String(tbody.querySelectorAll("tr[data-line]").length); }
    }
    row.querySelector(".counted").textContent = String(line.counted_qty);
    row.classList.remove("flash-row");
    void row.offsetWidth;
    row.classList.add("flash-row");
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    form.dataset.submitted = "";  // scanning is many quick submits, not a double tap
    var code = scan.value.trim();
    var typed = qty.value.trim();
    scan.value = "";
    qty.value = "";
    scan.focus();
    if (!code) { return; }
    var body = {barcode: code};
    if (typed) { body.qty = Number(typed); }
    queue = queue.then(function () {
      return window.apiFetch(form.dataset.api, {method: "POST", body: JSON.stringify(body)}).then(function (res) {
        if (res.ok) {
          update(res.data);
          show(res.data.item.name + "：" + res.data.counted_qty, true);
        } else {
          show((res.data && res.data.error && res.data.error.message) || ("HTTP " + res.status), false);
        }
      }, function () { show("网络错误，请重扫 " + code, false); });
    });
  });
})();

// The order import: the file goes to the API with an upload progress bar; the answer (rows added, or each bad
// row with its reason) is shown in place, and the page reloads to show the new totals.
(function () {
  var form = document.getElementById("order-import");
  if (!form) { return; }
  var bar = document.getElementById("import-progress");
  var out = document.getElementById("import-result");
  var token = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function show(text, isError) {
    out.textContent = "";
    var lines = Array.isArray(text) ? text : [text];
    lines.forEach(function (line) {
      var el = document.createElement(isError ? "small" : "span");
      if (isError) { el.className = "error-text"; }
      el.textContent = line;
      out.appendChild(el);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var file = form.querySelector('input[type="file"]').files[0];
    if (!file) { return; }
    var button = form.querySelector("button");
    button.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    var data = new FormData();
    data.append("file", file);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.dataset.url);
    xhr.setRequestHeader("X-CSRFToken", token);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) { bar.value = Math.round(e.loaded * 90 / e.total); }
    };
    xhr.onload = function () {
      bar.value = 100;
      button.disabled = false;
      var body = {};
      try { body = JSON.parse(xhr.responseText); } catch (err) { body = {}; }
      if (xhr.status === 200 || xhr.status === 201) {
        var text = body.replayed ? form.dataset.same : form.dataset.done
          .replace("{rows}", body.rows).replace("{added}", body.added)
          .replace("{total}", (body.total_fen / 100).toFixed(2));
        show(text, false);
        out.dataset.state = "done";
        window.setTimeout(function () { window.location.reload(); }, 1500);
      } else {
        var error = body.error || {};
        var lines = [error.message || form.dataset.failed];
        Object.keys(error.fields || {}).forEach(function (key) {
          lines.push(key.replace(/^rows\./, "#") + "：" + error.fields[key].join("，"));
        });
        show(lines, true);
        out.dataset.state = "failed";
      }
    };
    xhr.onerror = function () { button.disabled = false; show(form.dataset.failed, true); };
    xhr.send(data);
  });
})();

/* The dashboard's charts: each `.chart` is followed by a <script type="application/json" class="chart-data">
   holding {type, categories, series, links, stack, percent}; drawn with ECharts (the CSP allows no inline
   script, so the data travels as JSON). Ranked bars are horizontal, best first; a click on a bar that has a
   link (a district's or store's dashboard) opens it. Tooltips render as rich text (no inline-styled HTML). */
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var COLORS = ["#2f6fb0", "#e07b39", "#3a9d5d", "#b34a4a", "#7a5cb0", "#8a8a8a"];

  function money(v) { return v == null ? "—" : v.toLocaleString("zh-CN", {minimumFractionDigits: 0}); }

  function option(spec) {
    var base = {
      color: COLORS, animation: false,
      tooltip: {trigger: spec.type === "pie" ? "item" : "axis", renderMode: "richText"},
      legend: {top: 0, type: "scroll"},
      grid: {left: 8, right: 24, top: spec.series.length > 1 ? 32 : 12, bottom: 8, containLabel: true}
    };
    if (spec.type === "pie") {
      base.series = [{type: "pie", radius: ["35%", "65%"], top: 24,
        data: spec.categories.map(function (c, i) { return {name: c, value: spec.series[0].data[i]}; }),
        label: {formatter: "{b}\n{d}%"}}];
      return base;
    }
    var values = {type: "value", axisLabel: {formatter: spec.percent ? "{value}%" : money}};
    var cats = {type: "category", data: spec.categories};
    var series = spec.series.map(function (s) {
      return {name: s.name, type: spec.type, data: s.data, stack: spec.stack ? "all" : undefined,
              connectNulls: true, barMaxWidth: 28};
    });
    if (spec.type === "bar") {
      cats.inverse = true;  // ranked: the first row (the highest) on top
      cats.axisLabel = {width: 110, overflow: "truncate"};
      base.xAxis = values; base.yAxis = cats;
    } else {
      base.xAxis = cats; base.yAxis = values;
    }
    base.series = series;
    return base;
  }

  function draw(box, spec) {
    if (spec.type === "bar") {
      box.style.height = Math.max(180, 60 + spec.categories.length * 26 * (spec.stack ? 1 : Math.min(2, spec.series.length))) + "px";
    }
    var chart = window.echarts.init(box, null, {renderer: "canvas"});
    chart.setOption(option(spec));
    chart.on("click", function (p) {
      var url = spec.links && spec.links[p.dataIndex];
      if (url) { window.location.assign(url); }
    });
    window.addEventListener("resize", function () { chart.resize(); });
    box.setAttribute("data-drawn", "1");
  }

  Array.prototype.forEach.call(document.querySelectorAll(".chart"), function (box) {
    var data = box.nextElementSibling;
    if (!data || !data.classList.contains("chart-data")) { return; }
    try { draw(box, JSON.parse(data.textContent)); } catch (e) { box.setAttribute("data-error", String(e)); }
  });
}());

/* The period form shows only the fields of the chosen kind (all of them without script). */
(function () {
  "use strict";
  var select = document.querySelector("#period-form select[name=period]");
  if (!select) { return; }
  function sync() {
    Array.prototype.forEach.call(document.querySelectorAll("#period-form [data-kind]"), function (el) {
      el.hidden = el.getAttribute("data-kind") !== select.value && !el.classList.contains("has-error");
    });
  }
  select.addEventListener("change", sync);
  sync();
}());

"""The district auditor's dashboard in Chromium at both tablet sizes: the charts are drawn (the canvas has
ink), and a click on a store's bar opens that store's dashboard."""
from __future__ import annotations

import pytest

from tests.e2e.conftest import login, shot, wait_js

pytestmark = pytest.mark.e2e

INK = """(box) => {
  const canvas = box.querySelector('canvas');
  if (!canvas) return 0;
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0;
  for (let i = 3; i < data.length; i += 16) { if (data[i] > 0) ink++; }
  return ink;
}"""

# Where to click on the first (top, highest-ranked) bar of a ranked chart: the middle of its first non-empty
# segment, in page pixels relative to the chart box.
BAR = """(box) => {
  const chart = echarts.getInstanceByDom(box);
  const spec = JSON.parse(box.nextElementSibling.textContent);
  let before = 0;
  for (let s = 0; s < spec.series.length; s++) {
    const v = spec.series[s].data[0] || 0;
    if (v > 0) {
      const p = chart.convertToPixel({seriesIndex: s}, [before + v / 2, 0]);
      return {x: p[0], y: p[1], link: spec.links[0], name: spec.categories[0]};
    }
    before += v;
  }
  return null;
}"""


def test_auditor_dashboard_draws_its_charts_and_a_bar_opens_the_store(page, live_server):
    base = live_server["url"]
    login(page, base, "auditor-tx")
    page.wait_for_url(f"{base}/dashboard")
    wait_js(page, "document.querySelectorAll('.chart[data-drawn]').length > 0")
    charts = page.locator(".chart")
    assert charts.count() >= 8
    for i in range(charts.count()):
        assert charts.nth(i).get_attribute("data-error") is None
    for name in ("income", "tills", "trend_money", "tenders"):
        box = page.locator(f"#t-{name} .chart")
        box.scroll_into_view_if_needed()
        assert box.evaluate(INK) > 200, f"{name}: the canvas is blank"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide"
    shot(page, "oversight-dashboard-district")
    box = page.locator("#t-income .chart")
    box.scroll_into_view_if_needed()
    target = box.evaluate(BAR)
    assert target and "store=" in target["link"]
    code = target["name"].split()[0]
    bounds = box.bounding_box()
    page.mouse.click(bounds["x"] + target["x"], bounds["y"] + target["y"])
    page.wait_for_url(f"**store={code}**")
    assert code in page.locator("h1").inner_text() or code in page.locator(".crumbs").inner_text()
    wait_js(page, "document.querySelectorAll('.chart[data-drawn]').length > 0")
    box = page.locator("#t-vs_median_money .chart")
    box.scroll_into_view_if_needed()
    assert box.evaluate(INK) > 200
    shot(page, "oversight-dashboard-store")

// Change for charity (消费捐赠) at the till: when cash leaves change, or the total is not a whole yuan, the till
// offers to give the change (or round up to the next yuan) to a charity project of the store, its district or
// the city. The customer's yes is one tap; the change shown drops by the gift; the request carries
// `donation: {project_id, amount_fen, kind}` and the server checks it again (the amount, the project, the cash).
(function () {
  "use strict";
  var till = window.till, node = document.getElementById("till-donate-config");
  if (!till || !node) { return; }
  var config = JSON.parse(node.textContent), msg = config.msg, state = till.state, el = till.el, yuan = till.yuan;
  if (!config.projects.length) { return; }
  function $(id) { return document.getElementById(id); }
  var box = $("donate-box"), offers = $("donate-offers"), chosen = $("donate-chosen"), pick = $("donate-project");
  state.donation = null;

  function project() {
    var id = pick ? pick.value : config.projects[0].id;
    return config.projects.filter(function (p) { return p.id === id; })[0] || config.projects[0];
  }
  function offline() { return window.tillOffline && window.tillOffline.active(); }
  function offer(kind, amount) {
    var p = project();
    var text = (kind === "change" ? msg.change : msg.roundUp).replace("{amount}", yuan(amount)).replace("{project}", p.title);
    return el("button", {type: "button", "class": "btn donate-offer", "data-kind": kind, text: text, onclick: function () {
      state.donation = {project_id: p.id, amount_fen: amount, kind: kind, title: p.title};
      till.summarise();
      till.refocus();
    }});
  }

  var hooks = {
    // Runs every time the figures change: the gift must still be what the customer agreed to, else it is
    // dropped (and offered again with the new amount).
    summarise: function (shown) {
      var change = shown.change, due = shown.due, roundUp = (100 - due % 100) % 100;
      var d = state.donation;
      if (d && (offline() || (d.kind === "change" ? d.amount_fen !== change : d.amount_fen !== roundUp || roundUp > change))) {
        state.donation = d = null;
      }
      if (d) { shown.change = change - d.amount_fen; }
      box.hidden = offline() || !state.lines.length || (!d && change <= 0);
      offers.textContent = "";
      chosen.hidden = !d;
      if (pick) { pick.closest("label").hidden = !!d; }
      if (d) {
        $("donate-chosen-text").textContent = msg.given.replace("{amount}", yuan(d.amount_fen)).replace("{project}", d.title);
        return;
      }
      if (change > 0) { offers.appendChild(offer("change", change)); }
      if (roundUp > 0 && roundUp < change) { offers.appendChild(offer("round_up", roundUp)); }
      // The offers take room from the side panel above them: keep the field the cashier is typing in in view.
      var typing = document.activeElement;
      if (typing && typing.closest && typing.closest(".side-scroll") && typing.scrollIntoView) {
        typing.scrollIntoView({block: "nearest"});
      }
    },
    body: function (b) {
      var d = state.donation;
      if (d) { b.donation = {project_id: d.project_id, amount_fen: d.amount_fen, kind: d.kind}; }
    },
    receipt: function (sale, paper) {
      if (!sale.donation) { return; }
      var line = el("div", {"class": "receipt-line donate-line"}, [el("span", {
        text: msg.receipt.replace("{amount}", yuan(sale.donation.amount_fen)).replace("{project}", sale.donation.project_title)})]);
      // After the tenders, as the printed receipt has it (till.js adds them once the hooks have run).
      Promise.resolve().then(function () { paper.appendChild(line); });
    },
    reset: function () { state.donation = null; }
  };
  window.tillExtensions.push(hooks);

  $("donate-cancel").addEventListener("click", function () { state.donation = null; till.summarise(); till.refocus(); });
  if (pick) { pick.addEventListener("change", function () { state.donation = null; till.summarise(); }); }
})();

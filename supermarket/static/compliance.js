// The board's filters apply as soon as a choice changes (the 筛选 button stays for keyboards and no-JS).
(function () {
  var form = document.getElementById("board-filters");
  if (!form) return;
  form.addEventListener("change", function (e) {
    if (e.target && e.target.tagName === "SELECT") form.submit();
  });
})();

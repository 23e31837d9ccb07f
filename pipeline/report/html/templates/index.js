(function () {
  "use strict";
  var verdict = document.getElementById("verdict-filter");
  var flag = document.getElementById("flag-filter");
  var shown = document.getElementById("shown-count");
  var empty = document.getElementById("empty-filter");
  var form = document.getElementById("filters");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#packets tbody tr"));
  var buttons = Array.prototype.slice.call(document.querySelectorAll("[data-set-verdict]"));

  function apply() {
    var count = 0;
    rows.forEach(function (row) {
      var codes = row.getAttribute("data-flags").split(" ");
      var visible = (!verdict.value || row.getAttribute("data-verdict") === verdict.value) &&
        (!flag.value || codes.indexOf(flag.value) >= 0);
      row.hidden = !visible;
      if (visible) { count += 1; }
    });
    shown.textContent = String(count);
    empty.hidden = count > 0;
    buttons.forEach(function (button) {
      var value = button.getAttribute("data-set-verdict");
      button.setAttribute("aria-pressed", String(verdict.value === value));
      button.classList.toggle("dimmed", verdict.value !== "" && verdict.value !== value);
    });
  }

  verdict.addEventListener("change", apply);
  flag.addEventListener("change", apply);
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      var value = button.getAttribute("data-set-verdict");
      verdict.value = verdict.value === value ? "" : value;
      apply();
    });
  });
  form.hidden = false;
  apply();
})();

// Live helpers of the attestation step. The server checks and computes the same things; this
// only shows them while the applicant types.
(function () {
  "use strict";

  // Character counters for the criteria narratives: <textarea data-counter data-min-length="50">.
  document.querySelectorAll("textarea[data-counter]").forEach(function (area) {
    var min = parseInt(area.getAttribute("data-min-length"), 10) || 0;
    var counter = document.createElement("p");
    counter.className = "form-text narrative-counter";
    counter.id = area.id + "_counter";
    counter.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", counter);
    var described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    function update() {
      var n = area.value.trim().length;
      counter.textContent = n < min
        ? n + " characters: " + (min - n) + " more needed (at least " + min + ")."
        : n + " characters.";
      counter.classList.toggle("text-danger", n < min);
    }
    area.addEventListener("input", update);
    update();
  });

  // Capacity table totals: inputs carry data-population and data-county; totals carry
  // data-total-population, data-total-county or data-total-grand, anywhere on the page.
  var table = document.querySelector("[data-capacity-table]");
  if (!table) {
    return;
  }
  function value(input) {
    var n = parseInt(input.value, 10);
    return isNaN(n) || n < 0 ? 0 : n;
  }
  function recompute() {
    var byPopulation = {};
    var byCounty = {};
    var grand = 0;
    table.querySelectorAll("input[data-population]").forEach(function (input) {
      var n = value(input);
      var p = input.getAttribute("data-population");
      var c = input.getAttribute("data-county");
      byPopulation[p] = (byPopulation[p] || 0) + n;
      byCounty[c] = (byCounty[c] || 0) + n;
      grand += n;
    });
    document.querySelectorAll("[data-total-population]").forEach(function (cell) {
      cell.textContent = byPopulation[cell.getAttribute("data-total-population")] || 0;
    });
    document.querySelectorAll("[data-total-county]").forEach(function (cell) {
      cell.textContent = byCounty[cell.getAttribute("data-total-county")] || 0;
    });
    document.querySelectorAll("[data-total-grand]").forEach(function (cell) {
      cell.textContent = grand;
    });
  }
  table.addEventListener("input", recompute);
  recompute();
})();

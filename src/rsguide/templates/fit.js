// One sheet, one A4 page: when a sheet is taller than the printable height (A4 minus the @page
// margins in paper.css), shrink its text a little at a time until it fits (not below 7.5pt).
(function () {
  var PAGE_MM = 297 - 2 * 12, PX_PER_MM = 96 / 25.4, SAFETY = 0.985, MIN_PT = 7.5, STEP = 0.25;
  function fit() {
    var root = document.documentElement;
    var limit = PAGE_MM * PX_PER_MM * SAFETY;
    var sheets = document.querySelectorAll(".sheet");
    var size = parseFloat(root.getAttribute("data-base-pt") || "9.5");
    root.style.fontSize = size + "pt";
    function tallest() {
      var h = 0;
      for (var i = 0; i < sheets.length; i++) { h = Math.max(h, sheets[i].getBoundingClientRect().height); }
      return h;
    }
    while (tallest() > limit && size - STEP >= MIN_PT) {
      size -= STEP;
      root.style.fontSize = size + "pt";
    }
    root.setAttribute("data-fit-pt", String(size));
  }
  fit();
  window.addEventListener("beforeprint", fit);
  if (document.fonts && document.fonts.ready) { document.fonts.ready.then(fit); }
})();

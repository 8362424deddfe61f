// planbook's only script: search needs a web server, so the header's search
// box (hidden in the HTML) is shown over http(s) only, and the search page
// starts Pagefind's UI with the query from `?q=`. Pages read the same
// without it.
(function () {
  var root = new URL("../", document.currentScript.src);
  var served = /^https?:$/.test(location.protocol);
  document.addEventListener("DOMContentLoaded", function () {
    if (served) {
      document.querySelectorAll("form.site-search").forEach(function (f) { f.hidden = false; });
    }
    var el = document.getElementById("search");
    if (!el) return;
    if (!served || typeof PagefindUI === "undefined") {
      document.querySelectorAll(".search-offline").forEach(function (p) { p.hidden = false; });
      return;
    }
    var ui = new PagefindUI({ element: "#search", baseUrl: root.pathname, showSubResults: true, showImages: false, resetStyles: false });
    var q = new URLSearchParams(location.search).get("q");
    if (q) ui.triggerSearch(q);
  });
})();

// LabIntel's own script: the theme switch and the timeline's keyboard shortcuts. No framework.
(function () {
  "use strict";
  var root = document.documentElement;
  var saved = localStorage.getItem("labintel-theme");
  if (saved === "light" || saved === "dark") root.dataset.theme = saved;

  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-theme-toggle]")) return;
    var dark = root.dataset.theme === "dark" ||
      (root.dataset.theme !== "light" && matchMedia("(prefers-color-scheme: dark)").matches);
    root.dataset.theme = dark ? "light" : "dark";
    localStorage.setItem("labintel-theme", root.dataset.theme);
  });

  // A filter left empty stays out of the URL htmx requests and pushes (?type=departure, not
  // ?type=departure&status=&entity=…).
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.verb !== "get") return;
    var params = event.detail.parameters;
    Object.keys(params).forEach(function (name) {
      if (params[name] === "") delete params[name];
    });
  });

  // j / k move between events, / jumps to the first filter or search box.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target.closest("input, select, textarea, [contenteditable]")) return;
    if (event.key === "/") {
      var box = document.querySelector("form[role=search] input, form[role=search] select");
      if (box) { event.preventDefault(); box.focus(); }
      return;
    }
    if (event.key !== "j" && event.key !== "k") return;
    var events = Array.prototype.slice.call(document.querySelectorAll("[data-event]"));
    if (!events.length) return;
    var at = events.indexOf(document.querySelector("[data-event].current"));
    var next = event.key === "j" ? Math.min(at + 1, events.length - 1) : Math.max(at - 1, 0);
    if (at >= 0) events[at].classList.remove("current");
    events[next].classList.add("current");
    events[next].setAttribute("tabindex", "-1");
    events[next].focus();
    events[next].scrollIntoView({ block: "nearest" });
  });
})();

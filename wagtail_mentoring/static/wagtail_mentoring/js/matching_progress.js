/* The matching review while a run is in progress: asks the progress URL every few seconds, updates the
   bar and its text, and reloads the page when the run has finished (the page then shows the result).
   Without JavaScript a <noscript> meta refresh reloads the page instead. */
(function () {
  "use strict";
  var box = document.querySelector("[data-wm-matching-run]");
  if (!box || !window.fetch) { return; }
  var bar = box.querySelector("[data-wm-run-bar]");
  var text = box.querySelector("[data-wm-run-text]");
  var delay = (parseInt(box.getAttribute("data-refresh-seconds"), 10) || 2) * 1000;
  var template = text ? text.getAttribute("data-template") : null;

  function show(run) {
    if (bar) { bar.value = run.percent; bar.textContent = run.percent + "%"; }
    if (text && template) {
      text.textContent = template.replace("__phase__", run.phase_label).replace("__percent__", run.percent);
    }
  }

  function poll() {
    fetch(box.getAttribute("data-progress-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !data.run || !data.run.pending) { window.location.reload(); return; }
        show(data.run);
        window.setTimeout(poll, delay);
      })
      .catch(function () { window.setTimeout(poll, delay * 2); });
  }

  window.setTimeout(poll, delay);
})();

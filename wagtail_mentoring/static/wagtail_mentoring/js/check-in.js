/*
 * wagtail-mentoring: check in on a key result without reloading the page (progressive enhancement).
 * Every [data-wm-check-in] form works without this script (POST, then a redirect back to the key result).
 * With it, the form is sent with fetch (CSRF token from the form, Accept: application/json); the key
 * result's value, progress bar and health update in place, and the page's status region announces the
 * result. Focus stays on the form's button. No dependency.
 *
 * The dashboard renders no form per key result: each has a "Check in" link (?check_in=<pk>, which
 * renders that key result's form without this script). With it, the link clones the page's
 * <template id="wm-check-in-template"> in place, filled from the key result's data-wm-* attributes
 * (kind, unit, target, current value, confidence), and moves focus to its first field.
 */
(function () {
  "use strict";
  var TONES = ["good", "warn", "bad", "neutral"];

  function setTone(el, prefix, tone) {
    TONES.forEach(function (t) { el.classList.remove(prefix + t); });
    el.classList.add(prefix + tone);
  }

  function updateBadge(container, label, tone, health) {
    var badge = container && container.querySelector(".wm-badge");
    if (!badge) return;
    setTone(badge, "wm-badge--", tone);
    badge.className = badge.className.replace(/wm-health--\w+/, "wm-health--" + health);
    badge.textContent = label;
  }

  function announce(text, isError) {
    var region = document.querySelector("[data-wm-status]");
    if (!region) return;
    region.textContent = "";
    var list = document.createElement("ul");
    list.className = "wm-messages";
    var item = document.createElement("li");
    item.className = "wm-message " + (isError ? "wm-message--error" : "wm-message--success");
    item.textContent = text;
    list.appendChild(item);
    region.appendChild(list);
  }

  function clearErrors(form) {
    form.querySelectorAll(".wm-js-error").forEach(function (el) { el.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
  }

  function showErrors(form, errors) {
    var messages = [];
    Object.keys(errors).forEach(function (name) {
      errors[name].forEach(function (error) {
        messages.push(error.message);
        var input = form.querySelector('[name="' + name + '"]:not([type="hidden"])');
        if (input) {
          input.setAttribute("aria-invalid", "true");
          var note = document.createElement("span");
          note.className = "wm-field__error wm-js-error";
          note.id = input.id + "-js-error";
          note.textContent = error.message;
          input.insertAdjacentElement("afterend", note);
          input.setAttribute("aria-describedby", note.id);
        }
      });
    });
    return messages.join(" ");
  }

  function update(item, data) {
    var bar = item.querySelector("[data-wm-bar]");
    if (bar) { bar.value = data.percent; bar.textContent = data.percent + "%"; setTone(bar, "wm-bar--", data.tone); }
    var text = item.querySelector("[data-wm-progress-text]");
    if (text) text.textContent = data.percent + "% · " + data.value_text;
    updateBadge(item.querySelector("[data-wm-health]"), data.health_label, data.tone, data.health);
    var objective = item.closest("[data-wm-objective]");
    if (objective && data.objective) {
      var o = data.objective;
      var header = objective.querySelector(".wm-card__header [data-wm-health]");
      updateBadge(header, o.health_label, o.tone, o.health);
      var row = objective.querySelector(":scope > .wm-progress-row");
      if (row) {
        var obar = row.querySelector("progress");
        if (obar) { obar.value = o.percent; obar.textContent = o.percent + "%"; setTone(obar, "wm-bar--", o.tone); }
        var otext = row.querySelector("[data-wm-progress-text]");
        if (otext) otext.textContent = o.percent_text || otext.textContent.replace(/^\d+/, String(o.percent));
      }
    }
  }

  function openForm(item, link) {
    var existing = item.querySelector("form[data-wm-check-in]");
    if (existing) { focusFirst(existing); return; }
    var template = document.getElementById("wm-check-in-template");
    if (!template) return false;
    var d = item.dataset;
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__KR__/g, d.wmKeyResult);
    var form = holder.querySelector("form");
    var binary = d.wmNumeric !== "1";
    var drop = form.querySelector('[data-wm-variant="' + (binary ? "numeric" : "binary") + '"]');
    if (drop) drop.remove();
    if (binary) {
      var select = form.querySelector('select[name="value"]');
      if (select) select.value = d.wmDone === "1" ? "1" : "0";
    } else {
      var unit = form.querySelector("[data-wm-unit]");
      if (unit) { if (d.wmUnit) unit.textContent = " (" + d.wmUnit + ")"; else unit.remove(); }
      var help = form.querySelector(".wm-field__help");
      if (help) help.textContent = help.textContent.replace("__TARGET__", d.wmTarget);
      var value = form.querySelector('input[name="value"]');
      if (value) {
        value.placeholder = d.wmCurrent;
        if (d.wmKind === "percent") { value.min = "0"; value.max = "100"; }
      }
    }
    var confidence = form.querySelector('input[name="confidence"]');
    if (confidence) confidence.value = d.wmConfidence;
    item.appendChild(form);
    if (link) link.hidden = true;
    focusFirst(form);
    return true;
  }

  function focusFirst(form) {
    var first = form.querySelector("select, input:not([type=hidden])");
    if (first) first.focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-wm-open-check-in]");
    if (!link) return;
    var item = link.closest("[data-wm-key-result]");
    if (item && openForm(item, link) !== false) event.preventDefault();
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-wm-check-in") || !window.fetch) return;
    event.preventDefault();
    var button = form.querySelector('button[type="submit"]');
    if (button) button.disabled = true;
    var token = form.querySelector('input[name="csrfmiddlewaretoken"]');
    fetch(form.action.split("#")[0], {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token ? token.value : "" }
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }).then(function (result) {
      clearErrors(form);
      if (result.data.ok) {
        update(form.closest("[data-wm-key-result]"), result.data);
        var value = form.querySelector('input[name="value"]');
        if (value) { value.value = ""; value.placeholder = ""; }
        var item = form.closest("[data-wm-key-result]");
        if (item && result.data.current_text !== undefined) item.dataset.wmCurrent = result.data.current_text;
        var note = form.querySelector('input[name="note"]');
        if (note) note.value = "";
        announce(result.data.message, false);
      } else {
        announce(showErrors(form, result.data.errors || {}), true);
      }
    }).catch(function () {
      form.submit();  // the network or the script failed: fall back to a plain POST
    }).finally(function () {
      if (button) { button.disabled = false; button.focus(); }
    });
  });
})();

// The enrolment form shows only the fields of the role chosen. Without this script every role's
// fieldset is shown (each says which role it is for) and the server ignores the other role's fields.
(function () {
  "use strict";
  function setUp(form) {
    var radios = form.querySelectorAll('input[name="role"]');
    var sections = form.querySelectorAll("[data-wm-role]");
    function update() {
      var chosen = form.querySelector('input[name="role"]:checked');
      sections.forEach(function (section) {
        // Before a choice, every section stays visible; after it, only the chosen role's.
        var hide = chosen !== null && section.getAttribute("data-wm-role") !== chosen.value;
        section.hidden = hide;
        section.disabled = hide;
      });
    }
    radios.forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  }
  function init() {
    document.querySelectorAll("[data-wm-enrol-form]").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

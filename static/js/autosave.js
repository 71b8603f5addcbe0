// Autosave of drafts (listings, applications): posts the form a few seconds after the owner stops typing.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-url]");
  if (!form) { return; }
  var status = document.getElementById("autosave-status");
  var timer = null;
  var dirty = false;

  function save() {
    if (!dirty) { return; }
    dirty = false;
    var data = new FormData(form);
    fetch(form.dataset.autosaveUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest" },
    }).then(function (response) {
      return response.json().then(function (body) {
        if (response.ok && body.saved) {
          status.textContent = (status.dataset.saved || "Saved") + " " + body.saved_at;
        } else {
          status.textContent = status.dataset.failed || "Not saved";
          dirty = true;
        }
      });
    }).catch(function () {
      status.textContent = status.dataset.failed || "Not saved";
      dirty = true;
    });
  }

  // The form's own buttons save everything; a late autosave must not race them.
  form.addEventListener("submit", function () {
    clearTimeout(timer);
    dirty = false;
  });

  form.addEventListener("input", function () {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(save, 3000);
  });
  window.addEventListener("beforeunload", save);
})();

/*
 * Display modes (大字版 / 高对比度) without a page reload.
 *
 * The toggles are a plain form that works without this script: it posts to the server, which
 * sets the cookie and redirects back. This script sends the same form in the background, asks
 * for JSON, and applies the mode classes the server answers with, so the server stays the only
 * writer of the cookie. On any failure it falls back to the ordinary form submission.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-display-modes]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var status = form.querySelector("[data-display-modes-status]");
  var toggles = form.querySelectorAll("button[data-mode]");
  var lastClicked = null;

  // Browsers without SubmitEvent.submitter: remember the button that was activated.
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[name]");
    if (button) {
      lastClicked = button;
    }
  });

  function applyModes(modes) {
    var roots = [document.documentElement, document.body];
    roots.forEach(function (element) {
      Array.prototype.slice.call(element.classList).forEach(function (name) {
        if (name.indexOf("mode-") === 0) {
          element.classList.remove(name);
        }
      });
      modes.forEach(function (mode) {
        element.classList.add("mode-" + mode);
      });
    });
    Array.prototype.forEach.call(toggles, function (button) {
      var active = modes.indexOf(button.getAttribute("data-mode")) !== -1;
      button.setAttribute("aria-pressed", active ? "true" : "false");
      button.value = active ? "off" : "on";
    });
    if (status) {
      // Clear first so that the same message is announced again on the next change.
      status.textContent = "";
      window.setTimeout(function () {
        status.textContent = status.getAttribute("data-message");
      }, 100);
    }
  }

  function submitWithoutScript(button) {
    var field = document.createElement("input");
    field.type = "hidden";
    field.name = button.name;
    field.value = button.value;
    form.appendChild(field);
    form.submit();
  }

  form.addEventListener("submit", function (event) {
    var button = event.submitter || lastClicked;
    if (!button || !button.name) {
      return;
    }
    event.preventDefault();
    var data = new FormData(form);
    data.append(button.name, button.value);
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (result) {
        applyModes(result.modes);
      })
      .catch(function () {
        submitWithoutScript(button);
      });
  });
})();

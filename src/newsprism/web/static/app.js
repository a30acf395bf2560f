// Progressive enhancement only: the page works without this file.
// Votes are sent in the background so the reader keeps their place.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.dataset.js !== "feedback") return;
    var button = event.submitter;
    if (!button || !window.fetch || !window.FormData) return;
    event.preventDefault();
    var data = new FormData(form);
    data.set(button.name, button.value);
    var status = form.querySelector(".form-status");
    form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin", redirect: "follow" })
      .then(function (response) {
        if (response.ok) {
          var thanks = document.createElement("p");
          thanks.className = "thanks";
          thanks.setAttribute("role", "status");
          thanks.textContent = "Thanks: your vote on this version is recorded.";
          form.replaceWith(thanks);
          return;
        }
        status.textContent = response.status === 409 ? "You already voted on this version."
          : response.status === 429 ? "Too many votes; please try again in a minute."
          : "Sorry, your vote could not be saved (" + response.status + ").";
        form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
      })
      .catch(function () {
        status.textContent = "Network problem; please try again.";
        form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
      });
  });
})();

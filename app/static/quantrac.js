// Progress bars of running jobs: poll the run's status until it is done.
// Loaded as a file (the Content-Security-Policy forbids inline scripts).
(function () {
  "use strict";
  function poll(box) {
    var url = box.getAttribute("data-progress-url");
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        var bar = box.querySelector("progress");
        var text = box.querySelector(".progress-text");
        if (data.percent !== null) { bar.value = data.percent; } else { bar.removeAttribute("value"); }
        var parts = [data.status];
        if (data.total) { parts.push(data.done + "/" + data.total); }
        if (data.message) { parts.push(data.message); }
        text.textContent = parts.join(" · ");
        box.setAttribute("data-status", data.status);
        if (data.status !== "finished" && data.status !== "failed") {
          window.setTimeout(function () { poll(box); }, 1500);
        }
      })
      .catch(function () { window.setTimeout(function () { poll(box); }, 5000); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var boxes = document.querySelectorAll(".progress[data-progress-url]");
    Array.prototype.forEach.call(boxes, function (box) {
      var status = box.getAttribute("data-status");
      if (status !== "finished" && status !== "failed") { poll(box); }
    });
  });
})();

// A countdown for timed quizzes. Only a help: the server enforces the deadline.
(function () {
  "use strict";
  var timer = document.getElementById("quiz-timer");
  if (!timer) return;
  var deadline = Date.parse(timer.getAttribute("data-deadline"));
  var out = timer.querySelector(".timer-remaining");
  if (isNaN(deadline) || !out) return;
  out.hidden = false;
  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var minutes = Math.floor(left / 60), seconds = left % 60;
    out.textContent = " (" + minutes + ":" + (seconds < 10 ? "0" : "") + seconds + ")";
    if (left === 60) timer.setAttribute("aria-live", "assertive");
    if (left > 0) window.setTimeout(tick, 1000);
  }
  tick();
})();

// Ready answers (issue 12): insert the chosen answer, already filled for this ticket
// by the server, into the reply box at the cursor; staff edit it before sending.
(function () {
  "use strict";
  var picker = document.getElementById("ready-answers");
  var data = document.getElementById("ready-answers-data");
  if (!picker || !data) { return; }
  var box = document.querySelector("textarea[name='" + picker.dataset.target + "']");
  if (!box) { return; }
  var answers = JSON.parse(data.textContent);
  var choice = document.getElementById("ready-answer-choice");
  box.parentNode.insertBefore(picker, box);  // right above the reply box
  picker.hidden = false;

  document.getElementById("ready-answer-insert").addEventListener("click", function () {
    var answer = answers[choice.value];
    if (!answer) { choice.focus(); return; }
    var start = box.selectionStart, end = box.selectionEnd;
    box.value = box.value.slice(0, start) + answer.text + box.value.slice(end);
    box.focus();
    box.selectionStart = box.selectionEnd = start + answer.text.length;
    box.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();

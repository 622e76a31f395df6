// New ticket: while the client types the subject, offer the help-center articles that
// may already answer it (issue 11). The form works the same without this script.
(function () {
  "use strict";
  var box = document.querySelector("[data-help-suggestions]");
  var subject = document.getElementById("id_subject");
  if (!box || !subject) { return; }
  var endpoint = box.getAttribute("data-help-suggestions");
  var timer = null;
  var last = null;

  function show(data) {
    box.textContent = "";
    if (!data.articles.length) { box.hidden = true; return; }
    var heading = document.createElement("p");
    heading.textContent = data.heading;
    var list = document.createElement("ul");
    data.articles.forEach(function (article) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = article.url;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = article.title;
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(heading);
    box.appendChild(list);
    box.hidden = false;
  }

  function lookUp() {
    var text = subject.value.trim();
    if (text === last) { return; }
    last = text;
    if (text.length < 4) { box.hidden = true; return; }
    fetch(endpoint + "?asunto=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { articles: [] }; })
      .then(function (data) { if (subject.value.trim() === text) { show(data); } })
      .catch(function () { box.hidden = true; });
  }

  subject.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookUp, 300);
  });
  lookUp();
})();

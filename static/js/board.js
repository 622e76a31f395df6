// The pipeline board (issue 12): drag a card to another column to move the ticket.
// Without this script every card still has its "Acciones" menu (plain forms).
(function () {
  "use strict";
  var board = document.querySelector(".board");
  if (!board) { return; }
  var status = document.getElementById("board-status");
  var dragged = null;
  var origin = null;

  function say(text, failed) {
    status.textContent = text;
    status.className = "board-status " + (failed ? "errornote" : "board-status-ok");
  }

  function count(column, delta) {
    var badge = column.querySelector(".board-count");
    badge.textContent = String(parseInt(badge.textContent, 10) + delta);
  }

  function putBack(card) {
    origin.list.insertBefore(card, origin.next);
  }

  function move(card, column) {
    var form = card.querySelector(".board-move-form");
    var data = new FormData(form);
    data.set("stage", column.dataset.stage);
    card.classList.add("board-card-busy");
    fetch(form.action, { method: "POST", body: data, headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.json().catch(function () { return { ok: false, message: response.statusText }; });
      })
      .then(function (answer) {
        card.classList.remove("board-card-busy");
        if (!answer.ok) {
          putBack(card);
          say(answer.message, true);
          return;
        }
        say(answer.message, false);
        count(origin.column, -1);
        form.querySelector("select[name=stage]").value = column.dataset.stage;
        if (column.classList.contains("board-column-closed")) {
          card.remove();  // the board shows open tickets only
        } else {
          count(column, 1);
          card.classList.toggle("board-card-waiting", column.dataset.waits === "1");
          card.querySelector(".board-card-since").textContent = board.dataset.justNow;
        }
      })
      .catch(function () {
        card.classList.remove("board-card-busy");
        putBack(card);
        say(board.dataset.networkError || "Error", true);
      });
  }

  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".board-card");
    if (!card) { return; }
    dragged = card;
    origin = { list: card.parentNode, next: card.nextSibling, column: card.closest(".board-column") };
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.ticket);
    card.classList.add("board-card-dragging");
  });

  board.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("board-card-dragging"); }
    board.querySelectorAll(".board-column-over").forEach(function (c) { c.classList.remove("board-column-over"); });
  });

  board.addEventListener("dragover", function (event) {
    var column = event.target.closest && event.target.closest(".board-column");
    if (!column || !dragged) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    column.classList.add("board-column-over");
  });

  board.addEventListener("dragleave", function (event) {
    var column = event.target.closest && event.target.closest(".board-column");
    if (column && !column.contains(event.relatedTarget)) { column.classList.remove("board-column-over"); }
  });

  board.addEventListener("drop", function (event) {
    var column = event.target.closest && event.target.closest(".board-column");
    if (!column || !dragged) { return; }
    event.preventDefault();
    column.classList.remove("board-column-over");
    var card = dragged;
    dragged = null;
    if (column === origin.column) { return; }
    var list = column.querySelector(".board-cards");
    list.insertBefore(card, list.firstChild);  // newest activity first
    move(card, column);
  });
})();

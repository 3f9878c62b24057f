// regiongraph's query page: runs the query against this server's /sparql and shows a table
// (SELECT and ASK, from SPARQL JSON results) or the text of other formats. No framework.
(function () {
  "use strict";
  var form = document.getElementById("sparql");
  if (!form || !window.fetch) { return; }
  var status = document.getElementById("status");
  var results = document.getElementById("results");
  function cell(binding) {
    if (!binding) { return ""; }
    if (binding.type === "literal" && binding["xml:lang"]) { return binding.value + " @" + binding["xml:lang"]; }
    return binding.value;
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var format = document.getElementById("format").value;
    var body = new URLSearchParams();
    body.set("query", document.getElementById("query").value);
    status.textContent = "…";
    results.textContent = "";
    fetch("sparql?format=" + encodeURIComponent(format), { method: "POST", body: body })
      .then(function (response) {
        return response.text().then(function (text) { return { ok: response.ok, status: response.status, text: text }; });
      })
      .then(function (answer) {
        status.textContent = answer.ok ? "" : answer.status + ": " + answer.text;
        if (!answer.ok) { return; }
        if (format !== "json") {
          var pre = document.createElement("pre");
          pre.textContent = answer.text;
          results.appendChild(pre);
          return;
        }
        var data = JSON.parse(answer.text);
        if (typeof data.boolean === "boolean") { status.textContent = String(data.boolean); return; }
        var table = document.createElement("table");
        table.id = "answer";
        var head = table.createTHead().insertRow();
        data.head.vars.forEach(function (name) { head.insertCell().textContent = name; });
        var tbody = table.createTBody();
        data.results.bindings.forEach(function (row) {
          var tr = tbody.insertRow();
          data.head.vars.forEach(function (name) { tr.insertCell().textContent = cell(row[name]); });
        });
        results.appendChild(table);
        status.textContent = data.results.bindings.length + " rows";
      })
      .catch(function (error) { status.textContent = String(error); });
  });
})();

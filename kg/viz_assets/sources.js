// kgSources: the evidence of the page's relations as text in elements and as CSV. kg/viz.py inlines this file
// before page.js, after kgData. Texts are written only with textContent and (for http(s) links) href.
var kgSources = (function () {
  "use strict";
  // evidence: relation id -> [[article number, sentence number, confidence, method], ...]
  var articles = kgData.articles, evidence = kgData.evidence, texts = kgData.sentences;

  function element(tag, text, className) {
    var made = document.createElement(tag);
    if (text !== undefined && text !== null) made.textContent = text;
    if (className) made.className = className;
    return made;
  }

  function safeUrl(url) { return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null; }

  // An article's title (a link when it has a web URL), its date and what else is said of the sentence.
  function articleLine(index, extra) {
    var article = articles[index], line = element("p", null, "kg-source"), url = safeUrl(article.url);
    var title = element(url ? "a" : "span", article.title);
    if (url) { title.href = url; title.target = "_blank"; title.rel = "noopener noreferrer"; }
    line.appendChild(title);
    line.appendChild(document.createTextNode(" \u00b7 " + (article.date || article.dateText || "no date") +
                                             (extra ? " \u00b7 " + extra : "")));
    return line;
  }

  // Every sentence of a relation, each with its article.
  function sentences(edgeId) {
    var list = element("ol", null, "kg-evidence");
    evidence[edgeId].forEach(function (item) {
      var entry = element("li");
      entry.appendChild(element("q", texts[item[1]], "kg-sentence"));
      entry.appendChild(articleLine(item[0], "confidence " + item[2].toFixed(2) + " (" + item[3] + ")"));
      list.appendChild(entry);
    });
    return list;
  }

  // A cell that starts with = + - @ is a formula to a spreadsheet: a leading apostrophe keeps it text.
  function cell(value) {
    var text = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return '"' + text.replace(/"/g, '""') + '"';
  }

  // One row per evidence sentence of the relations (vis edges) in `list`; `label` names an entity by its id.
  function toCsv(list, label) {
    var rows = [["source", "relation", "target", "kind", "confidence", "sentence", "sentence_confidence", "method",
                 "article", "url", "date"]];
    list.forEach(function (e) {
      evidence[e.id].forEach(function (item) {
        var article = articles[item[0]];
        rows.push([label(e.from), e.kgRelation, label(e.to), e.kgKind, e.kgConfidence, texts[item[1]], item[2], item[3],
                   article.title, article.url, article.date || article.dateText]);
      });
    });
    return rows.map(function (row) { return row.map(cell).join(","); }).join("\r\n") + "\r\n";
  }

  // Save a file made in the page (a blob: URL, no request).
  function download(name, blob) {
    var link = document.createElement("a");
    link.download = name;
    link.href = URL.createObjectURL(blob);
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  return {element: element, articleLine: articleLine, sentences: sentences, toCsv: toCsv, download: download};
})();

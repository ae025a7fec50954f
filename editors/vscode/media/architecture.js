// The architecture webview: draws the Mermaid text the extension sends, and turns a click on
// a context into a message that opens its design. No network: mermaid.min.js is bundled.
/* global mermaid, acquireVsCodeApi */
(function () {
  const vscode = acquireVsCodeApi();
  const dark = document.body.classList.contains("vscode-dark") || document.body.classList.contains("vscode-high-contrast");
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: dark ? "dark" : "default", flowchart: { htmlLabels: false } });
  let renders = 0;

  function nodeIdOf(element, known) {
    const dataId = element.getAttribute("data-id");
    if (dataId && known[dataId]) return dataId;
    const match = /(?:^|-)(n\d+)-\d+$/.exec(element.id || "");
    return match && known[match[1]] ? match[1] : undefined;
  }

  async function draw(message) {
    const graph = document.getElementById("graph");
    document.getElementById("summary").textContent = message.summary;
    document.getElementById("error").textContent = "";
    renders += 1;
    try {
      const { svg } = await mermaid.render(`architecture-${renders}`, message.text);
      graph.innerHTML = svg;
    } catch (error) {
      document.getElementById("error").textContent = `The graph could not be drawn: ${error && error.message ? error.message : error}`;
      return;
    }
    for (const element of graph.querySelectorAll("g.node")) {
      const id = nodeIdOf(element, message.nodes);
      if (id === undefined) continue;
      const node = message.nodes[id];
      element.setAttribute("data-module", node.module);
      const title = document.createElementNS("http://www.w3.org/2000/svg", "title");
      title.textContent = node.designFile ? `${node.module}: open ${node.designFile}` : `${node.module}: not designed yet`;
      element.appendChild(title);
      element.addEventListener("click", () => vscode.postMessage({ type: "open", node: id }));
    }
    document.body.setAttribute("data-rendered", String(renders));
  }

  window.addEventListener("message", (event) => {
    const message = event.data;
    if (message.type === "graph") void draw(message);
    else if (message.type === "error") {
      document.getElementById("summary").textContent = "";
      document.getElementById("error").textContent = message.message;
    }
  });
  vscode.postMessage({ type: "ready" });
})();

"""The whole architecture: every design of a workspace, the context graph they form, the
checks across files (CMS130-132), navigation and rename across designs, and the graph's
pictures. Plain Python: the LSP adapter is `lsp/architecture.py`.

``facts``      one design as the graph sees it (module, title, components, dependencies)
``modules``    internal, designed and known modules (``design.known_modules``)
``index``      all designs of a workspace, re-reading only files that changed
``graph``      the context graph: edges, cycles, undesigned dependencies, kept current
``scc``        strongly connected components (Tarjan)
``checks``     CMS130, CMS131, CMS132 for one design
``render``     the graph as JSON, Mermaid and DOT
``navigation`` module names at a position, definitions, references, rename edits
"""

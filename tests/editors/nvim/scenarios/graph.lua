-- :CodeMySpec graph: the workspace's architecture (codemyspec/getGraph) as Mermaid text in a
-- scratch buffer with filetype mermaid, exactly the server's text; no server attaches to it.
local H = dofile(os.getenv('CMS_TEST_HELPERS'))

H.main(function()
  local client = H.session()
  vim.cmd('CodeMySpec graph')
  local name = 'codemyspec://graph/' .. vim.fn.fnamemodify(H.workspace, ':t')
  H.wait(30000, function()
    return vim.fn.bufnr(name) ~= -1
  end, 'the graph buffer')
  local buf = vim.fn.bufnr(name)
  H.check(vim.fn.bufwinid(buf) ~= -1, 'the graph is not shown')
  H.check(vim.bo[buf].filetype == 'mermaid', 'filetype ' .. vim.bo[buf].filetype)
  H.check(vim.bo[buf].buftype == 'nofile' and not vim.bo[buf].modifiable, 'not a scratch buffer')
  local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
  local graph = H.execute(client, 'codemyspec/getGraph', vim.empty_dict())
  H.check(vim.trim(text) == vim.trim(graph.mermaid), 'buffer:\n' .. text)
  io.stdout:write('GRAPH:\n', text, '\nEND GRAPH\n')
  H.never(function()
    return #vim.lsp.get_clients({ bufnr = buf }) > 0
  end, 'a server attached to the graph')
  H.pass('graph')
end)

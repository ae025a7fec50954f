-- :CodeMySpec graph: the workspace's contexts and their dependencies (codemyspec/getGraph)
-- as Mermaid text in a scratch buffer, ready for any Mermaid renderer.
local lsp = require('codemyspec.lsp')
local state = require('codemyspec.state')

local M = {}

--- The buffer's lines: the Mermaid text as the server draws it.
---@param graph table getGraph's answer
---@return string[]
function M.lines(graph)
  local lines = vim.split(type(graph.mermaid) == 'string' and graph.mermaid or '', '\n', {
    plain = true,
  })
  while #lines > 0 and lines[#lines] == '' do
    table.remove(lines)
  end
  return lines
end

---@param cb fun(err: string|nil, bufnr: integer|nil)|nil
function M.show(cb)
  cb = cb or function() end
  lsp.execute('codemyspec/getGraph', vim.empty_dict(), function(err, graph)
    if err then
      state.notify('graph: ' .. err, vim.log.levels.ERROR)
      return cb(err)
    end
    if type(graph) ~= 'table' or type(graph.mermaid) ~= 'string' then
      local message = 'graph: the server sent no Mermaid text'
      state.notify(message, vim.log.levels.ERROR)
      return cb(message)
    end
    local client = lsp.client()
    local root = client and client.config.root_dir or vim.fn.getcwd()
    local name = 'codemyspec://graph/' .. vim.fn.fnamemodify(root, ':t')
    cb(nil, require('codemyspec.scratch').show(name, M.lines(graph), 'mermaid'))
  end)
end

return M

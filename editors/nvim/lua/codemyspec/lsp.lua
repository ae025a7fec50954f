-- Starting the server and talking to it: the client config (shared by setup() and
-- lsp/codemyspec.lua), enabling it on 0.11 and 0.10, finding the client, executing commands.
local config = require('codemyspec.config')
local server = require('codemyspec.server')
local state = require('codemyspec.state')

local M = {}

M.name = 'codemyspec'
M.marker = '.codemyspec'

local has_011 = vim.fn.has('nvim-0.11') == 1

-- Tests set this to take the 0.10 start path (vim.lsp.start from a FileType autocommand)
-- on 0.11, the only Neovim the test suite has.
M._force_legacy_start = false

--- The workspace of a buffer: the nearest ancestor holding a `.codemyspec/` directory.
---@param bufnr integer
---@return string|nil
function M.find_root(bufnr)
  local root = vim.fs.root(bufnr, { M.marker })
  if root and vim.fn.isdirectory(root .. '/' .. M.marker) == 1 then
    return root
  end
  return nil
end

--- root_dir in the 0.11 form: never calling on_dir keeps the server off outside a workspace.
---@param bufnr integer
---@param on_dir fun(root: string)
function M.root_dir(bufnr, on_dir)
  local root = M.find_root(bufnr)
  if root then
    on_dir(root)
  end
end

--- The client config without cmd-overrides: what lsp/codemyspec.lua returns.
---@return table
function M.base_config()
  return {
    cmd = config.cmd(),
    filetypes = { 'markdown' },
    root_markers = { M.marker },
    root_dir = M.root_dir,
    workspace_required = true,
    handlers = {
      ['codemyspec/sessionChanged'] = state.on_session_changed,
    },
    on_init = function(client)
      server.on_init(client)
    end,
    on_exit = function(code, signal, client_id)
      server.on_exit(code, signal, client_id)
    end,
    on_attach = function(client, bufnr)
      M.on_attach(client, bufnr)
    end,
  }
end

--- A design buffer the server attached to: `gd` goes to the definition of the module under
--- the cursor (Neovim's own defaults already map grr, grn, gO and K), unless the buffer
--- maps gd itself or the keymaps option is false.
---@param client table
---@param bufnr integer
function M.on_attach(client, bufnr)
  if config.options.keymaps == false or not client.server_capabilities.definitionProvider then
    return
  end
  if vim.fn.maparg('gd', 'n', false, true).buffer == 1 then
    return
  end
  vim.keymap.set('n', 'gd', M.definition, {
    buffer = bufnr,
    desc = 'CodeMySpec: go to the design that defines this module',
  })
end

--- Go to the definition: a context is defined by its design (its title and its component
--- heading, both in one file), so places all in one file open that file at the first;
--- places in several files go to the quickfix list.
function M.definition()
  vim.lsp.buf.definition({
    on_list = function(list)
      local items = list.items or {}
      if #items == 0 then
        return state.notify('no definition found', vim.log.levels.WARN)
      end
      local files = {}
      for _, item in ipairs(items) do
        files[item.filename] = true
      end
      if vim.tbl_count(files) > 1 then
        vim.fn.setqflist({}, ' ', { title = list.title, items = items })
        return vim.cmd('botright copen')
      end
      vim.cmd('normal! m\'') -- back with CTRL-O or ``
      vim.cmd.edit(vim.fn.fnameescape(items[1].filename))
      vim.api.nvim_win_set_cursor(0, { items[1].lnum, math.max(items[1].col - 1, 0) })
    end,
  })
end

--- The parts setup() options change.
---@param opts table
---@return table
local function overrides(opts)
  local o = { cmd = config.cmd() }
  if opts.settings then
    o.settings = { codemyspec = opts.settings }
  end
  return o
end

local function start_010(bufnr, cfg)
  if vim.bo[bufnr].buftype ~= '' or vim.bo[bufnr].filetype ~= 'markdown' then
    return
  end
  M.root_dir(bufnr, function(root)
    local c = vim.tbl_extend('force', cfg, { name = M.name, root_dir = root })
    c.root_markers, c.filetypes, c.workspace_required = nil, nil, nil
    vim.lsp.start(c, { bufnr = bufnr })
  end)
end

--- Start the server for Markdown buffers of CodeMySpec workspaces.
---@param opts table merged options
function M.enable(opts)
  if has_011 and not M._force_legacy_start then
    -- Merges over lsp/codemyspec.lua from the runtimepath.
    vim.lsp.config(M.name, overrides(opts))
    vim.lsp.enable(M.name)
    return
  end
  local cfg = vim.tbl_extend('force', M.base_config(), overrides(opts))
  local group = vim.api.nvim_create_augroup('codemyspec.start', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = 'markdown',
    callback = function(args)
      start_010(args.buf, cfg)
    end,
  })
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) then
      start_010(buf, cfg)
    end
  end
end

--- The running client for the current buffer's workspace, else for the working directory's,
--- else the only one.
---@return table|nil client, string|nil error
function M.client()
  local attached = vim.lsp.get_clients({ name = M.name, bufnr = 0 })
  if attached[1] then
    return attached[1]
  end
  local all = vim.lsp.get_clients({ name = M.name })
  local cwd = vim.fs.normalize(vim.fn.getcwd())
  for _, client in ipairs(all) do
    local root = client.config.root_dir
    if root and (cwd == root or vim.startswith(cwd, root .. '/')) then
      return client
    end
  end
  if #all == 1 then
    return all[1]
  end
  if #all > 1 then
    return nil, 'several CodeMySpec servers run; switch to a buffer of the workspace you mean'
  end
  local down = server.down()
  if down then
    return nil, server.explain(down)
  end
  if M.find_root(0) then
    return nil, 'the CodeMySpec server has not attached to this buffer yet: see :checkhealth codemyspec'
  end
  return nil,
    'no CodeMySpec server is running: open a Markdown file of a workspace with .codemyspec/'
end

--- Whether the running server offers a command (companion commands are newer than the six).
---@param client table
---@param name string
---@return boolean
function M.offers(client, name)
  local provider = client.server_capabilities and client.server_capabilities.executeCommandProvider
  local listed = type(provider) == 'table' and provider.commands or {}
  return vim.list_contains(listed, name)
end

--- client:request_sync on 0.11, client.request_sync (a closure, no self) on 0.10.
function M.request_sync(client, method, params, timeout_ms, bufnr)
  if has_011 then
    return client:request_sync(method, params, timeout_ms, bufnr)
  end
  return client.request_sync(method, params, timeout_ms, bufnr)
end

--- client:notify on 0.11, client.notify on 0.10.
function M.notify(client, method, params)
  if has_011 then
    return client:notify(method, params)
  end
  return client.notify(method, params)
end

local function wait_initialized(client, timeout_ms, cb)
  if client.initialized then
    return cb(true)
  end
  local timer = assert(vim.uv.new_timer())
  local waited = 0
  timer:start(50, 50, function()
    waited = waited + 50
    if client.initialized or waited >= timeout_ms then
      timer:stop()
      timer:close()
      vim.schedule(function()
        cb(client.initialized == true)
      end)
    end
  end)
end

--- Run one of the server's commands (protocol.md's names) with its single params object.
---@param name string e.g. 'codemyspec/nextStep'
---@param params table
---@param cb fun(err: string|nil, result: any)
---@param bufnr integer|nil buffer whose pending changes must reach the server first
function M.execute(name, params, cb, bufnr)
  local client, why = M.client()
  if not client then
    return cb(why)
  end
  wait_initialized(client, 30000, function(ready)
    if not ready then
      return cb('the CodeMySpec server did not finish starting')
    end
    if not M.offers(client, name) then
      return cb(
        ('the server does not offer %s: it is older than this plugin; update it'):format(name),
        nil,
        'unsupported'
      )
    end
    local function handler(err, result)
      if err then
        local code = err.code and (' (' .. err.code .. ')') or ''
        return cb((err.message or vim.inspect(err)) .. code)
      end
      cb(nil, result)
    end
    local request = { title = name, command = name, arguments = { params } }
    if has_011 then
      client:exec_cmd(request, { bufnr = bufnr or vim.api.nvim_get_current_buf() }, handler)
    else
      client.request('workspace/executeCommand', {
        command = name,
        arguments = { params },
      }, handler, bufnr or vim.api.nvim_get_current_buf())
    end
  end)
end

return M

-- Shared by the scenario scripts: fail loudly with a message on stderr, exit with a status.
local H = {}

H.python = assert(os.getenv('CMS_TEST_PYTHON'), 'CMS_TEST_PYTHON not set')
H.workspace = assert(os.getenv('CMS_TEST_WORKSPACE'), 'CMS_TEST_WORKSPACE not set')
H.notes = {} -- every vim.notify message, in order
H.asked = {} -- every vim.ui.select question answered through H.answer: {prompt, kind, items}
-- When the scenario began: H.client measures the server's start from here.
local began = vim.uv.hrtime()

local function log(line)
  io.stderr:write(line, '\n')
end
H.log = log

local notify = vim.notify
vim.notify = function(msg, level, opts)
  table.insert(H.notes, msg)
  if type(msg) == 'string' and msg:find('Client codemyspec quit', 1, true) and not H.may_die then
    H.died = msg -- the server crashed: no point waiting for anything it would send
  end
  log(('[notify %s] %s'):format(tostring(level), msg))
  return notify(msg, level, opts)
end

function H.fail(message)
  log('FAIL: ' .. message)
  for _, client in ipairs(vim.lsp.get_clients()) do
    log(('client %s id=%d initialized=%s root=%s'):format(
      client.name,
      client.id,
      tostring(client.initialized),
      tostring(client.config.root_dir)
    ))
  end
  vim.cmd('cquit 1')
end

function H.pass(message)
  io.stdout:write('PASS: ', message or '', '\n')
  io.stdout:flush()
  for _, client in ipairs(vim.lsp.get_clients()) do
    client:stop()
  end
  vim.wait(3000, function()
    return #vim.lsp.get_clients() == 0
  end, 50)
  vim.cmd('qall!')
end

function H.check(ok, message)
  if not ok then
    H.fail(message)
  end
end

---@param ms integer
---@param pred fun(): boolean
---@param what string
function H.wait(ms, pred, what)
  local ok = vim.wait(ms, function()
    return H.died ~= nil or pred()
  end, 50)
  if H.died and not pred() then
    H.fail('the server died while waiting for ' .. what .. ': ' .. H.died)
  elseif not ok then
    H.fail('timed out after ' .. ms .. ' ms waiting for ' .. what)
  end
end

--- The plugin as a person's config loads it: filetype detection, plugin/, setup().
function H.setup(opts)
  vim.cmd('filetype plugin on')
  vim.cmd('runtime plugin/codemyspec.lua')
  require('codemyspec').setup(vim.tbl_extend('force', {
    cmd = { H.python, '-m', 'codemyspec_lsp' },
  }, opts or {}))
end

--- Wait until the codemyspec client is attached to bufnr and initialized. The first time,
--- how long that took since the scenario began is kept as H.startup_ms (the server's start
--- on this machine, now): the bounds of H.patience are multiples of it.
function H.client(bufnr)
  local client
  H.wait(30000, function()
    client = vim.lsp.get_clients({ name = 'codemyspec', bufnr = bufnr })[1]
    return client ~= nil and client.initialized == true
  end, 'the codemyspec client to attach to ' .. vim.api.nvim_buf_get_name(bufnr))
  if not H.startup_ms then
    H.startup_ms = math.max(1, math.ceil((vim.uv.hrtime() - began) / 1e6))
    io.stdout:write(('STARTUP MS: %d\n'):format(H.startup_ms))
  end
  return client
end

--- A bound measured in this run: `multiple` times the server's start (H.startup_ms).
---@param multiple number
function H.patience(multiple)
  H.check(H.startup_ms ~= nil, 'no measurement yet: call H.client first')
  return math.ceil(multiple * H.startup_ms)
end

--- Check that something does not happen: wait for `pred` as long as starting and attaching
--- the server took (it would have happened by then), and fail if it did.
---@param pred fun(): boolean the thing that must not happen
---@param what string
function H.never(pred, what)
  if vim.wait(H.patience(1), pred, 20) then
    H.fail(what)
  end
end

--- Open a design (a path relative to the workspace, or absolute; the demo's catalog by
--- default) and wait for its client. Returns the client and the buffer.
---@param path string|nil
function H.open(path)
  path = path or 'docs/design/shop/catalog.md'
  if not vim.startswith(path, '/') then
    path = vim.fs.joinpath(H.workspace, path)
  end
  vim.cmd.edit(vim.fn.fnameescape(path))
  local buf = vim.api.nvim_get_current_buf()
  return H.client(buf), buf
end

--- The usual start of a scenario: the plugin set up with `opts`, then H.open(path).
---@param opts table|nil
---@param path string|nil
function H.session(opts, path)
  H.setup(opts)
  return H.open(path)
end

--- Answer every vim.ui.select as the person would: `choose(items, opts)` names the item to
--- pick (by its id, or the item itself); nil dismisses. Each question is kept in H.asked.
---@param choose fun(items: table[], opts: table): any
function H.answer(choose)
  vim.ui.select = function(items, opts, on_choice)
    table.insert(H.asked, { prompt = opts.prompt, kind = opts.kind, items = items })
    local want = choose(items, opts)
    for i, item in ipairs(items) do
      if want ~= nil and (item == want or (type(item) == 'table' and item.id == want)) then
        return on_choice(item, i)
      end
    end
    on_choice(nil, nil)
  end
end

--- Type `:CodeMySpec {sub} ...` and wait until the command has done all it does (its
--- callback in codemyspec.workflow ran). Returns what it said meanwhile, joined by ' / '.
---@param command string
function H.said_after(command)
  local sub = assert(command:match('^CodeMySpec%s+(%a+)'), command)
  local workflow = require('codemyspec.workflow')
  local original = workflow[sub]
  local done = false
  workflow[sub] = function(arg, cb)
    return original(arg, function(...)
      done = true
      if cb then
        return cb(...)
      end
    end)
  end
  local before = #H.notes
  pcall(vim.cmd, command)
  workflow[sub] = original -- the command called it (or refused) before returning
  H.wait(H.patience(10), function()
    return done
  end, command .. ' to finish')
  return table.concat(vim.list_slice(H.notes, before + 1), ' / ')
end

--- Errors and warnings of the codemyspec server on a buffer, as "CODE@line" strings.
function H.codes(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == nil or d.source == 'codemyspec' then
      table.insert(out, ('%s@%d'):format(tostring(d.code), d.lnum))
    end
  end
  table.sort(out)
  return out
end

--- Wait until the server's diagnostics show on a buffer, and print them for pytest.
function H.wait_codes(bufnr)
  H.wait(30000, function()
    return #H.codes(bufnr) > 0
  end, 'diagnostics on ' .. vim.api.nvim_buf_get_name(bufnr))
  io.stdout:write('CODES: ', table.concat(H.codes(bufnr), ' '), '\n')
end

--- Run :checkhealth codemyspec and print its report for pytest.
function H.print_health()
  vim.cmd('checkhealth codemyspec')
  local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  io.stdout:write('REPORT:\n', table.concat(lines, '\n'), '\nEND REPORT\n')
end

--- The inline (virtual) texts shown on a buffer, as the person sees them at line ends.
function H.virtual_texts(bufnr)
  local out = {}
  for _, mark in ipairs(vim.api.nvim_buf_get_extmarks(bufnr, -1, 0, -1, { details = true })) do
    local chunks = mark[4] and mark[4].virt_text or {}
    local text = {}
    for _, chunk in ipairs(chunks) do
      text[#text + 1] = chunk[1]
    end
    if #text > 0 then
      out[#out + 1] = table.concat(text)
    end
  end
  return out
end

--- `:help {tag}` works: the help window opens on the tag.
function H.help_works(tag)
  local ok, err = pcall(vim.cmd, 'help ' .. tag)
  H.check(ok, ':help ' .. tag .. ' failed: ' .. tostring(err))
  H.check(vim.bo.filetype == 'help', ':help opened ' .. vim.bo.filetype)
  vim.cmd('helpclose')
end

--- A command of the server through workspace/executeCommand, synchronously.
function H.execute(client, name, params)
  local response = client:request_sync(
    'workspace/executeCommand',
    { command = name, arguments = { params } },
    20000,
    0
  )
  if not response or response.err then
    H.fail(('%s failed: %s'):format(name, vim.inspect(response)))
  end
  return response.result
end

--- Call require('codemyspec')[name](arg, cb) and wait for cb: returns err or the outcome.
function H.await(name, arg, ms)
  local got
  require('codemyspec')[name](arg, function(err, outcome)
    got = { err = err, outcome = outcome }
  end)
  H.wait(ms or 30000, function()
    return got ~= nil
  end, name .. ' to finish')
  return got.err or got.outcome
end

--- Start a session for a context; fail unless it started. Returns the session.
function H.start(context)
  local session = H.await('start', context)
  H.check(type(session) == 'table', 'start: ' .. vim.inspect(session))
  return session
end

--- Type `:CodeMySpec start {context}` as the person does and wait for the session: its id.
function H.start_typed(context)
  local state = require('codemyspec.state')
  vim.cmd('CodeMySpec start ' .. context)
  H.wait(30000, function()
    return state.current ~= nil
  end, 'the session to start')
  return state.current
end

--- Open a session's timeline: its buffer and text.
function H.timeline(id)
  local buf = H.await('show', id, 20000)
  H.check(type(buf) == 'number', 'show: ' .. tostring(buf))
  return buf, table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
end

--- Run the scenario body, turning any Lua error into a failure with a traceback.
function H.main(body)
  local ok, err = xpcall(body, debug.traceback)
  if not ok then
    H.fail('error: ' .. tostring(err))
  end
end

return H

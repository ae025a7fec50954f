-- Shared by the scenario scripts: fail loudly with a message on stderr, exit with a status.
local H = {}

H.python = assert(os.getenv('CMS_TEST_PYTHON'), 'CMS_TEST_PYTHON not set')
H.workspace = assert(os.getenv('CMS_TEST_WORKSPACE'), 'CMS_TEST_WORKSPACE not set')
H.notes = {} -- every vim.notify message, in order

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

--- Wait until the codemyspec client is attached to bufnr and initialized.
function H.client(bufnr)
  local client
  H.wait(30000, function()
    client = vim.lsp.get_clients({ name = 'codemyspec', bufnr = bufnr })[1]
    return client ~= nil and client.initialized == true
  end, 'the codemyspec client to attach to ' .. vim.api.nvim_buf_get_name(bufnr))
  return client
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

-- A server that cannot start (CMS_TEST_SETUP: 'readme' = the README's plain setup with no
-- codemyspec-lsp on PATH and python3 lacking the package; 'missing' = a cmd that does not
-- exist): the statusline says so, every command is refused with the reason and the fix,
-- and :checkhealth reports an ERROR (printed for pytest).
local H = dofile(os.getenv('CMS_TEST_HELPERS'))

H.may_die = true -- the server failing to start is the point

H.main(function()
  local setup = assert(os.getenv('CMS_TEST_SETUP'))
  if setup == 'missing' then
    vim.cmd('filetype plugin on')
    vim.cmd('runtime plugin/codemyspec.lua')
    require('codemyspec').setup({ cmd = { '/nonexistent/bin/codemyspec-lsp' } })
  end
  H.check(vim.fn.exists(':CodeMySpec') == 2, ':CodeMySpec is not defined')
  vim.cmd.edit(vim.fn.fnameescape(vim.fs.joinpath(H.workspace, 'docs/design/shop/catalog.md')))
  vim.o.statusline = "%f %= %{v:lua.require'codemyspec'.statusline()}"
  local function statusline()
    return vim.api.nvim_eval_statusline(vim.o.statusline, { maxwidth = 200 }).str
  end
  -- readme: the client starts and the process exits 1; the plugin finds out why.
  H.wait(30000, function()
    return statusline():find('CodeMySpec: server not running', 1, true) ~= nil
      and (setup ~= 'readme' or vim.iter(H.notes):any(function(n)
        return n:find('No module named', 1, true) ~= nil
      end))
  end, 'the statusline to say the server is down: ' .. statusline())
  io.stdout:write('STATUSLINE: ', statusline(), '\n')

  for _, command in ipairs({ 'start Orders', 'next', 'sessions', 'agents', 'graph' }) do
    local before = #H.notes
    pcall(vim.cmd, 'CodeMySpec ' .. command)
    H.wait(10000, function()
      return #H.notes > before
    end, 'a message for :CodeMySpec ' .. command)
    local said = H.notes[#H.notes]
    io.stdout:write('REFUSED ', command, ': ', said, '\n')
    H.check(said:find('server is not running', 1, true) ~= nil, command .. ': ' .. said)
    H.check(said:find('Fix:', 1, true) ~= nil, command .. ' gives no fix: ' .. said)
  end

  H.print_health()
  H.pass('server down explained')
end)

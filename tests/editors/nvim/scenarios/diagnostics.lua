-- (a) A broken design opened in a workspace gets the server's diagnostics (code and line);
-- a Markdown file outside any workspace gets no server at all.
local H = dofile(os.getenv('CMS_TEST_HELPERS'))

H.main(function()
  local expected = vim.split(assert(os.getenv('CMS_TEST_EXPECT')), ',', { trimempty = true })
  local client, buf = H.session({ execution_mode = 'auto' }, assert(os.getenv('CMS_TEST_FILE')))
  H.check(vim.bo[buf].filetype == 'markdown', 'filetype is ' .. vim.bo[buf].filetype)
  H.check(
    vim.fs.normalize(client.config.root_dir) == vim.fs.normalize(H.workspace),
    'root_dir is ' .. tostring(client.config.root_dir)
  )

  local function has_all()
    local codes = H.codes(buf)
    for _, want in ipairs(expected) do
      if not vim.list_contains(codes, want) then
        return false
      end
    end
    return true
  end
  if not vim.wait(30000, has_all, 50) then
    H.fail(('expected %s, got %s'):format(vim.inspect(expected), vim.inspect(H.codes(buf))))
  end
  io.stdout:write('CODES: ', table.concat(H.codes(buf), ' '), '\n')
  -- Push and pull must not both show: every diagnostic appears once.
  local seen = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local key = ('%s@%d:%d %s'):format(tostring(d.code), d.lnum, d.col, d.message)
    H.check(not seen[key], 'shown twice: ' .. key)
    seen[key] = true
  end

  -- Outside the workspace: no client may attach.
  vim.cmd.edit(vim.fn.fnameescape(assert(os.getenv('CMS_TEST_OUTSIDE'))))
  local outside = vim.api.nvim_get_current_buf()
  H.check(vim.bo[outside].filetype == 'markdown', 'outside file is not markdown')
  H.never(function()
    return #vim.lsp.get_clients({ name = 'codemyspec', bufnr = outside }) > 0
      or #vim.lsp.get_clients({ name = 'codemyspec' }) > 1
  end, 'a codemyspec client attached outside the workspace, or a second one started')
  H.check(#vim.lsp.get_clients({ name = 'codemyspec' }) == 1, 'the workspace client is gone')
  H.pass('diagnostics arrived')
end)

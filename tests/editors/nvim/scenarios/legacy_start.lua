-- The Neovim 0.10 start path (vim.lsp.start from a FileType autocommand), taken on 0.11:
-- the client attaches inside the workspace with its root, not outside, and diagnostics arrive
-- (here with virtual_text = false: no inline text).
local H = dofile(os.getenv('CMS_TEST_HELPERS'))

H.main(function()
  require('codemyspec.lsp')._force_legacy_start = true
  local client, buf = H.session({ virtual_text = false }, assert(os.getenv('CMS_TEST_FILE')))
  H.check(vim.lsp.is_enabled == nil or not vim.lsp.is_enabled('codemyspec'), 'took the 0.11 path')
  H.check(client.config.root_dir == H.workspace, 'root ' .. tostring(client.config.root_dir))
  H.wait(30000, function()
    return vim.list_contains(H.codes(buf), 'CMS111@11')
  end, 'diagnostics: ' .. table.concat(H.codes(buf), ' '))
  -- virtual_text = false: the person turned inline diagnostics off; signs only.
  H.check(#H.virtual_texts(buf) == 0, 'virtual text: ' .. table.concat(H.virtual_texts(buf), ' | '))
  vim.cmd.edit(vim.fn.fnameescape(assert(os.getenv('CMS_TEST_OUTSIDE'))))
  local outside = vim.api.nvim_get_current_buf()
  H.never(function()
    return #vim.lsp.get_clients({ bufnr = outside }) > 0
  end, 'attached outside the workspace')
  H.pass('legacy start')
end)

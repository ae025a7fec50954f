-- The README's plain vim.lsp.enable setup (loaded as init.lua by pytest): the server attaches
-- to a design buffer, its diagnostics arrive and :CodeMySpec exists.
local H = dofile(os.getenv('CMS_TEST_HELPERS'))

H.main(function()
  H.check(vim.fn.exists(':CodeMySpec') == 2, ':CodeMySpec is not defined')
  vim.cmd.edit(vim.fn.fnameescape(assert(os.getenv('CMS_TEST_FILE'))))
  local buf = vim.api.nvim_get_current_buf()
  H.client(buf)
  H.wait(30000, function()
    return #H.codes(buf) > 0
  end, 'diagnostics on the broken design')
  io.stdout:write('CODES: ', table.concat(H.codes(buf), ' '), '\n')
  H.pass('plain enable works')
end)

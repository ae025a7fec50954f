-- The README's plain vim.lsp.enable setup (loaded as init.lua by pytest): the server attaches
-- to a design buffer, its diagnostics arrive inline (virtual text), :CodeMySpec exists and
-- :help codemyspec works (the plugin ships doc/tags).
local H = dofile(os.getenv('CMS_TEST_HELPERS'))

H.main(function()
  H.check(vim.fn.exists(':CodeMySpec') == 2, ':CodeMySpec is not defined')
  local _, buf = H.open(assert(os.getenv('CMS_TEST_FILE')))
  H.wait_codes(buf)
  -- Inline: the server's diagnostics as virtual text, without any diagnostic config here.
  H.wait(10000, function()
    return #H.virtual_texts(buf) > 0
  end, 'virtual text on the broken design')
  io.stdout:write('VIRTUAL: ', table.concat(H.virtual_texts(buf), ' | '), '\n')
  H.help_works('codemyspec')
  H.help_works(':CodeMySpec-start')
  H.pass('plain enable works')
end)

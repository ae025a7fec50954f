-- (c) :checkhealth codemyspec reports Neovim, the server and its version, the workspace's
-- config and store. Prints the report on stdout for pytest.
local H = dofile(os.getenv('CMS_TEST_HELPERS'))

H.main(function()
  H.setup()
  vim.cmd.edit(vim.fn.fnameescape(vim.fs.joinpath(H.workspace, 'docs/design/shop/catalog.md')))
  local client = H.client(vim.api.nvim_get_current_buf())
  if os.getenv('CMS_TEST_START') then
    -- A session, so that the store exists.
    H.execute(client, 'codemyspec/startSession', { context = 'Orders', environment = 'neovim' })
  end
  H.print_health()
  H.pass('health ran')
end)
